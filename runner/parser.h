// parser.h - reads a scenario file (.scn) into a Script and checks it statically.
//
// Checks run while parsing, in program order, so the first error in the file is the one
// reported: unknown functions and names, arity, keyed arguments, pair members, indexed
// families, threads declared before use, errno names, model-only statements, and so on.
// The language is described in docs/scenario-language.md.
// The implementation: parser.cpp and the parse_*.cpp files listed in parser_impl.h.
#pragma once
#include <optional>
#include <string>

#include "runner/ast.h"

namespace epsim::scn {

struct ParseResult {
    std::optional<Script> script;     // set when there is no error
    std::optional<Diagnostic> error;  // the first error
};

// `file` is only used to name the file in the Script and in diagnostics.
ParseResult parse_scenario(const std::string& file, const std::string& text);
// An unreadable file gives a Diagnostic at 0:0, "cannot read file".
ParseResult parse_scenario_file(const std::string& path);

}  // namespace epsim::scn
