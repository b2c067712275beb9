// lab_helpers.h - small conveniences shared by the labs' tests: make pipes and epolls on the
// model, wait without blocking, read the event log.
#pragma once
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "sim/kernel.h"

namespace lab {

using namespace epsim;

struct Pipe {
    int r = -1, w = -1;
};

inline Pipe make_pipe(Kernel& k, ObjId t) {
    int fds[2];
    REQUIRE(k.pipe2(t, fds, O_NONBLOCK).ret == 0);
    return {fds[0], fds[1]};
}

inline int make_epoll(Kernel& k, ObjId t) {
    SysResult r = k.epoll_create1(t, 0);
    REQUIRE(r.ret >= 3);
    return static_cast<int>(r.ret);
}

// epoll_ctl(ADD); returns the errno (0 on success).
inline int add(Kernel& k, ObjId t, int ep, int fd, std::uint32_t events, std::uint64_t data) {
    EpollEvent ev{events, data};
    return k.epoll_ctl(t, ep, EPOLL_CTL_ADD, fd, &ev).err;
}

// epoll_wait with timeout 0: the data fields reported, in order.
inline std::vector<std::uint64_t> wait_data(Kernel& k, ObjId t, int ep, int maxevents = 64) {
    SysResult r = k.epoll_wait(t, ep, maxevents, 0);
    REQUIRE(r.err == 0);
    REQUIRE_FALSE(r.blocked);
    std::vector<std::uint64_t> out;
    if (r.ret > 0)
        for (const auto& e : k.task(t).events) out.push_back(e.data);
    REQUIRE(out.size() == static_cast<std::size_t>(r.ret));
    return out;
}

inline std::vector<std::uint64_t> data_of(const std::vector<const Epitem*>& items) {
    std::vector<std::uint64_t> v;
    for (const Epitem* e : items) v.push_back(e->data);
    return v;
}

// Names of the events logged from index `from` on that are among `keep` (all if empty).
inline std::vector<std::string> event_names(const Kernel& k, std::size_t from, std::vector<std::string> keep = {}) {
    std::vector<std::string> v;
    for (std::size_t i = from; i < k.log.events.size(); ++i) {
        std::string n = event_type_name(k.log.events[i].type);
        if (keep.empty() || std::find(keep.begin(), keep.end(), n) != keep.end()) v.push_back(n);
    }
    return v;
}

using Data = std::vector<std::uint64_t>;

}  // namespace lab
