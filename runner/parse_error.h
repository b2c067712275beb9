// parse_error.h - how the parser stops: the first error throws, and nothing after it runs.
//
// fail() is called from deep inside the descent; parse_scenario (parser.cpp) catches the
// ParseError and turns it into the Diagnostic. One error per run, the earliest in the file.
#pragma once
#include <string>
#include <string_view>
#include <utility>

#include "runner/ast.h"

namespace epsim::scn::parsing {

// Thrown at the first error; parse_scenario turns it into the Diagnostic.
struct ParseError {
    Loc loc;
    std::string message;
    std::string hint;
};

[[noreturn]] inline void fail(Loc at, std::string message, std::string hint = {}) {
    throw ParseError{at, std::move(message), std::move(hint)};
}

// How a name is shown in a message: 'ep'.
inline std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace epsim::scn::parsing
