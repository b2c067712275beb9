// calls.h - the functions a scenario may call: name, arity, what they return.
// The parser checks calls against this table; the interpreter maps them to CallSpecs.
#pragma once
#include <optional>
#include <string_view>
#include <vector>

#include "backend.h"

namespace epsim::scn {

enum class Returns {
    Value,   // a number (0, a byte count, ...)
    Fd,      // a new fd: `x = dup(y)` binds x to it
    Pair,    // two fds: `p = pipe()` binds p.r, p.w; `s = socketpair()` binds s.a, s.b
    Events,  // a count and a list of events (epoll_wait family)
    Revents, // a count and per-fd revents (poll)
    Process, // fork(): binds a process name
    Fdinfo,  // fdinfo(ep): the interest list
    RbCases, // rb_cases(ep): the last rb-tree fix-up steps (model only; runner/rb_cases.h)
};

struct FnInfo {
    std::string_view name;
    std::optional<CallKind> kind;  // nullopt: fork, fdinfo, rb_cases (handled by the interpreter)
    int min_args, max_args;        // positional arguments
    std::vector<std::string_view> keyed;  // allowed keyed arguments (data=, value=)
    Returns returns;
    const char* pair_names[2] = {nullptr, nullptr};  // Pair: member names
    std::string_view usage;        // for hints: "epoll_ctl(ep, ADD, fd, EVENTS, data=N)"
};

const std::vector<FnInfo>& scenario_functions();
const FnInfo* find_function(std::string_view name);

// Named constants usable in expressions (EPOLLIN, ADD, O_NONBLOCK, SHUT_WR, F_SETFL, ...).
std::optional<std::int64_t> find_constant(std::string_view name);
// All constant names (for "did you mean" hints).
std::vector<std::string_view> constant_names();

}  // namespace epsim::scn
