// lab_make.h - `epsim lab make`: a student tree for one lab, built from the project source.
//
//   OUT/CMakeLists.txt      labs/common/CMakeLists.txt (model + tests only)
//   OUT/sim/                the model, the lab's regions replaced by their stubs (or, for
//                           --solution, by the reference code); other labs' markers removed
//   OUT/tests/              lab_main.cpp, lab_helpers.h and labs/<lab>/tests/*.cpp
//   OUT/README.md           labs/<lab>/README.md plus what to implement, the graded tests, how
//                           to build
#pragma once
#include <string>
#include <vector>

#include "runner/lab_files.h"

namespace epsim::lab {

struct MakeOptions {
    std::string src;  // the project source (check_source_dir)
    std::string lab;
    std::string out;
    bool solution = false;  // the lab's regions keep the reference code
    bool force = false;     // write into a non-empty `out`
};

// Returns "" on success, else the error (nothing usable was written).
std::string make_tree(const MakeOptions& opt);

// The model's files for a lab tree: sim/*.h and sim/*.cpp with `stub_lab`'s regions stubbed
// ("" = none). `error` names a malformed marker as sim/FILE:LINE.
std::vector<NamedText> lab_sim_files(const std::string& src, const std::string& stub_lab, std::string& error);
// tests/: the Catch2 main, the helpers, the lab's tests (and the hidden ones, for the grader).
std::vector<NamedText> lab_test_files(const std::string& src, const std::string& lab, bool with_hidden,
                                      std::string& error);

}  // namespace epsim::lab
