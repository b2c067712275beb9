// lab_markers.h - the lab region markers of the reference model, and the two transforms
// `epsim lab make` applies to a source file (docs/coursework/labs.md).
//
// A region is written as plain comments, so the reference compiles unchanged:
//
//     // @lab(NAME) begin: one-line goal
//     ...reference code...
//     // @lab(NAME) stub
//     //| stub line          (`<indent>//| text` becomes `<indent>text` in a handout)
//     // @lab(NAME) end
//
// Regions do not nest. One lab may have several regions, in several files.
#pragma once
#include <string>
#include <vector>

namespace epsim::lab {

struct Region {
    std::string lab;   // NAME
    std::string goal;  // the text after "begin:"
    int begin_line = 0;  // 1-based line of the begin marker
    int end_line = 0;
};

struct MarkedFile {
    std::vector<Region> regions;
    std::string error;  // "LINE: message" for a malformed marker, else empty
};

// Finds the regions of a source text (and checks the marker syntax).
MarkedFile scan_regions(const std::string& text);

// The text with every marker and stub line removed: the regions of `stub_lab` become their stubs,
// every other region keeps its reference code. An empty `stub_lab` gives the solution.
// Precondition: scan_regions(text).error is empty.
std::string apply_lab(const std::string& text, const std::string& stub_lab);

}  // namespace epsim::lab
