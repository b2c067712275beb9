// helpers.h - small conveniences for the model tests.
#pragma once
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "sim/kernel.h"

namespace epsim::test {

// Every test checks the model's invariants after each step.
#define EPSIM_CHECK_INVARIANTS(k) REQUIRE((k).check_invariants() == "")

struct Pipe {
    int r = -1, w = -1;
};

inline Pipe make_pipe(Kernel& k, ObjId t, int flags = O_NONBLOCK) {
    int fds[2];
    REQUIRE(k.pipe2(t, fds, flags).ret == 0);
    return {fds[0], fds[1]};
}

inline int make_epoll(Kernel& k, ObjId t) {
    SysResult r = k.epoll_create1(t, 0);
    REQUIRE(r.ret >= 3);
    return static_cast<int>(r.ret);
}

inline void add(Kernel& k, ObjId t, int ep, int fd, std::uint32_t events, std::uint64_t data) {
    EpollEvent ev{events, data};
    SysResult r = k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev);
    INFO("epoll_ctl ADD fd " << fd << " errno " << errno_name(r.err));
    REQUIRE(r.ret == 0);
}

inline void mod(Kernel& k, ObjId t, int ep, int fd, std::uint32_t events, std::uint64_t data) {
    EpollEvent ev{events, data};
    REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_MOD, fd, &ev).ret == 0);
}

// epoll_wait with timeout 0; returns the data fields in order.
inline std::vector<std::uint64_t> wait_data(Kernel& k, ObjId t, int ep, int maxevents = 64) {
    SysResult r = k.epoll_wait(t, ep, maxevents, 0);
    REQUIRE(r.err == 0);
    std::vector<std::uint64_t> out;
    for (const auto& e : k.task(t).events) out.push_back(e.data);
    REQUIRE(out.size() == static_cast<std::size_t>(r.ret));
    return out;
}

inline std::vector<EpollEvent> wait_events(Kernel& k, ObjId t, int ep, int maxevents = 64) {
    SysResult r = k.epoll_wait(t, ep, maxevents, 0);
    REQUIRE(r.err == 0);
    REQUIRE(k.task(t).events.size() == static_cast<std::size_t>(r.ret));
    return r.ret > 0 ? k.task(t).events : std::vector<EpollEvent>{};
}

// The data cookies of an eventpoll's lists, in list order.
inline std::vector<std::uint64_t> data_of(const std::vector<const Epitem*>& items) {
    std::vector<std::uint64_t> v;
    for (const Epitem* e : items) v.push_back(e->data);
    return v;
}

// Event type names logged from index `from` on, optionally only those in `keep`.
inline std::vector<std::string> event_names(const Kernel& k, std::size_t from, std::vector<std::string> keep = {}) {
    std::vector<std::string> v;
    for (std::size_t i = from; i < k.log.events.size(); ++i) {
        std::string n = event_type_name(k.log.events[i].type);
        if (keep.empty() || std::find(keep.begin(), keep.end(), n) != keep.end()) v.push_back(n);
    }
    return v;
}

}  // namespace epsim::test
