// fact_helpers.h - helpers for the tests that reproduce facts measured on the real kernel
// (test_epoll_ctl.cpp, test_files.cpp): results rendered the way the fact-check programs
// print them, and one-line assertions that also check the model's invariants.
#pragma once
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <string>

#include "sim/kernel.h"

namespace epsim::fact {

inline std::string hex(std::uint64_t v) {
    char b[32];
    std::snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
}

inline std::string err_str(int e) { return e ? errno_name(e) : "OK"; }

// Runs one step, then checks the invariants. The expression goes last so commas in it are
// harmless.
#define INV() REQUIRE(k.check_invariants() == "")
#define OK_RET(value, ...)                                  \
    do {                                                    \
        const ::epsim::SysResult r_ = (__VA_ARGS__);        \
        INFO(#__VA_ARGS__);                                 \
        CHECK(::epsim::fact::err_str(r_.err) == "OK");      \
        CHECK_FALSE(r_.blocked);                            \
        REQUIRE(r_.ret == static_cast<std::int64_t>(value)); \
        INV();                                              \
    } while (0)
#define FAILS(e, ...)                                       \
    do {                                                    \
        const ::epsim::SysResult r_ = (__VA_ARGS__);        \
        INFO(#__VA_ARGS__);                                 \
        CHECK(r_.ret == -1);                                \
        CHECK_FALSE(r_.blocked);                            \
        REQUIRE(::epsim::fact::err_str(r_.err) == ::epsim::fact::err_str(e)); \
        INV();                                              \
    } while (0)

// Returns the call's result; the caller asserts on it.
inline SysResult ctl(Kernel& k, ObjId t, int epfd, int op, int fd, std::uint32_t events, std::uint64_t data) {
    const EpollEvent ev{events, data};
    return k.epoll_ctl(t, epfd, op, fd, &ev);
}

// A non-blocking epoll_wait rendered like the fact-check programs print it:
// "epoll_wait -> 2 {ev=0x1 data=0x6} {ev=0x1 data=0x4}".
inline std::string wait_str(Kernel& k, ObjId t, int epfd, int maxevents = 16) {
    const SysResult r = k.epoll_wait(t, epfd, maxevents, 0);
    INFO("epoll_wait(" << epfd << ", " << maxevents << ", 0)");
    REQUIRE_FALSE(r.blocked);
    REQUIRE(err_str(r.err) == "OK");
    REQUIRE(k.check_invariants() == "");
    const auto& evs = k.task(t).events;
    REQUIRE(static_cast<std::size_t>(r.ret) == evs.size());
    std::string s = "epoll_wait -> " + std::to_string(r.ret);
    for (const auto& e : evs) s += " {ev=0x" + hex(e.events) + " data=0x" + hex(e.data) + "}";
    return s;
}

}  // namespace epsim::fact
