// parse_hints.h - the words a diagnostic can suggest: "did you mean 'EPOLLIN'?", and the
// lists it picks from (keywords, functions, errno names).
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace epsim::scn::parsing {

// "did you mean 'x'?" for the candidate closest to `name`, or "" when none is a likely typo.
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);
// "a, b, c": a list of choices for a hint.
std::string join_words(const std::vector<std::string>& words);

// The words that start a statement (title, thread, repeat, ...).
const std::vector<std::string>& keywords();
bool is_keyword(std::string_view w);
// The functions of the call table (runner/calls.h), in table order.
std::vector<std::string> function_names();
// Every errno name uapi.h knows (EBADF, EAGAIN, ...).
std::vector<std::string> errno_names();

}  // namespace epsim::scn::parsing
