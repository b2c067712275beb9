// diagnostic.cpp - renders an input error the way compilers do, so editors can jump to it:
//
//   file:line:col: error: message
//     <the source line>
//     <spaces>^
//   hint: ...
//
// Lines are joined with '\n' and there is no newline at the end: callers print it with
// their own (std::cerr << d.render() << "\n").
#include <string>

#include "runner/ast.h"

namespace epsim::scn {

std::string Diagnostic::render() const {
    std::string out = file + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col) + ": error: " + message;
    // Line 0 means "no place in the file" (it could not be read): there is nothing to show.
    if (loc.line <= 0) return out;
    out += "\n  " + source_line;
    // A tab counts as one column, like every other character, so the caret is placed with
    // spaces only: col - 1 of them after the two-space indent.
    out += "\n  " + std::string(static_cast<std::size_t>(loc.col > 1 ? loc.col - 1 : 0), ' ') + "^";
    if (!hint.empty()) out += "\nhint: " + hint;
    return out;
}

}  // namespace epsim::scn
