// Nested epoll: readability of an epoll fd, pruning of stale items, loop and depth limits
// (ELOOP), wake-up path limits (EINVAL). Reference §3.3, §3.10, §8 item 9, §10 items 5, 9, 32.
// The limits were measured on the host kernel (6.18): 5 stacked instances accepted, the 6th
// refused; the 501st depth-1 path and the 101st depth-2 path to one file refused with EINVAL.
#include "helpers.h"

using namespace epsim;
using namespace epsim::test;

TEST_CASE("an inner epoll is readable (EPOLLIN only) iff it has a genuinely ready item", "[model][nested]") {
    Kernel k;
    ObjId t = k.init_task();
    int inner = make_epoll(k, t), outer = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, inner, p.r, EPOLLIN, 1);
    add(k, t, outer, inner, EPOLLIN, 100);
    CHECK(wait_events(k, t, outer).empty());
    REQUIRE(k.write(t, p.w, 3).ret == 3);
    // pipe_write -> ep_poll_callback(inner item) -> ep_poll_safewake -> outer item queued
    CHECK(wait_events(k, t, outer) == std::vector<EpollEvent>{{EPOLLIN, 100}});
    // poll() on the inner epoll fd: POLLIN only, never OUT/HUP.
    std::vector<PollFd> fds{{inner, POLLIN | POLLOUT, 0}};
    CHECK(k.poll(t, fds, 0).ret == 1);
    CHECK(fds[0].revents == POLLIN);
    // Drain the pipe: the inner item is stale; the outer LT item disappears on its next harvest.
    REQUIRE(k.read(t, p.r, 3).ret == 3);
    CHECK(wait_events(k, t, outer).empty());
    CHECK(k.poll(t, fds, 0).ret == 0);
    CHECK(fds[0].revents == 0);
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("an outer interest of EPOLLIN|EPOLLRDNORM sees 0x41 from an inner epoll", "[model][nested]") {
    Kernel k;
    ObjId t = k.init_task();
    int inner = make_epoll(k, t), outer = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, inner, p.r, EPOLLIN, 1);
    add(k, t, outer, inner, EPOLLIN | EPOLLRDNORM, 100);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(wait_events(k, t, outer) == std::vector<EpollEvent>{{EPOLLIN | EPOLLRDNORM, 100}});
}

TEST_CASE("polling an epoll fd prunes stale items ahead of the first ready one", "[model][nested]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe a = make_pipe(k, t), b = make_pipe(k, t), c = make_pipe(k, t);
    add(k, t, ep, a.r, EPOLLIN, 1);
    add(k, t, ep, b.r, EPOLLIN, 2);
    add(k, t, ep, c.r, EPOLLIN, 3);
    REQUIRE(k.write(t, a.w, 1).ret == 1);
    REQUIRE(k.write(t, b.w, 1).ret == 1);
    REQUIRE(k.write(t, c.w, 1).ret == 1);
    REQUIRE(k.read(t, a.r, 1).ret == 1);  // A stale
    const Eventpoll& e = *k.ep_of_fd(t, ep);
    std::vector<PollFd> fds{{ep, POLLIN, 0}};
    CHECK(k.poll(t, fds, 0).ret == 1);
    // A was pruned; B (ready) stopped the scan; C was not examined and keeps its place.
    CHECK(data_of(k.rdllist_items(e)) == std::vector<std::uint64_t>{2, 3});
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("loops: self-add is EINVAL, A in B then B in A is ELOOP", "[model][nested][loop]") {
    Kernel k;
    ObjId t = k.init_task();
    int a = make_epoll(k, t), b = make_epoll(k, t);
    EpollEvent ev{EPOLLIN, 0};
    CHECK(k.epoll_ctl(t, a, EPOLL_CTL_ADD, a, &ev).err == EINVAL);
    int adup = static_cast<int>(k.dup(t, a).ret);
    CHECK(k.epoll_ctl(t, a, EPOLL_CTL_ADD, adup, &ev).err == EINVAL);
    REQUIRE(k.epoll_ctl(t, b, EPOLL_CTL_ADD, a, &ev).ret == 0);
    CHECK(k.epoll_ctl(t, a, EPOLL_CTL_ADD, b, &ev).err == ELOOP);
    // A longer cycle: a in b, b in c, then c into a.
    int c = make_epoll(k, t);
    REQUIRE(k.epoll_ctl(t, c, EPOLL_CTL_ADD, b, &ev).ret == 0);
    CHECK(k.epoll_ctl(t, a, EPOLL_CTL_ADD, c, &ev).err == ELOOP);
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("depth: five stacked instances are accepted, a sixth level is ELOOP, built either way",
          "[model][nested][loop]") {
    for (bool bottom_up : {true, false}) {
        DYNAMIC_SECTION((bottom_up ? "bottom-up" : "top-down")) {
            Kernel k;
            ObjId t = k.init_task();
            Pipe p = make_pipe(k, t);
            std::vector<int> e;
            for (int i = 0; i < 6; ++i) e.push_back(make_epoll(k, t));
            add(k, t, e[0], p.r, EPOLLIN, 0);
            EpollEvent ev{EPOLLIN, 0};
            std::vector<int> results;
            if (bottom_up) {
                for (int i = 1; i < 6; ++i) results.push_back(k.epoll_ctl(t, e[i], EPOLL_CTL_ADD, e[i - 1], &ev).err);
            } else {
                for (int i = 5; i >= 1; --i) results.push_back(k.epoll_ctl(t, e[i], EPOLL_CTL_ADD, e[i - 1], &ev).err);
            }
            // Four links (five instances) fit; the fifth link is refused.
            CHECK(results == std::vector<int>{0, 0, 0, 0, ELOOP});
            EPSIM_CHECK_INVARIANTS(k);
        }
    }
}

TEST_CASE("wake-up paths: the 501st depth-1 path to one file is EINVAL, and the 101st depth-2 path",
          "[model][nested][paths]") {
    Kernel k;
    ObjId t = k.init_task();
    EpollEvent ev{EPOLLIN, 0};
    SECTION("depth 1: F in e_i, each e_i in X") {
        Pipe f = make_pipe(k, t);
        int x = make_epoll(k, t);
        int refused_at = 0;
        for (int i = 1; i <= 510 && !refused_at; ++i) {
            int e = make_epoll(k, t);
            REQUIRE(k.epoll_ctl(t, e, EPOLL_CTL_ADD, f.r, &ev).ret == 0);
            SysResult r = k.epoll_ctl(t, x, EPOLL_CTL_ADD, e, &ev);
            if (r.failed()) {
                CHECK(r.err == EINVAL);
                refused_at = i;
            }
        }
        CHECK(refused_at == 501);
    }
    SECTION("depth 1, the other way: F added into e_i already watched by W") {
        Pipe f = make_pipe(k, t);
        int w = make_epoll(k, t);
        int refused_at = 0;
        for (int i = 1; i <= 510 && !refused_at; ++i) {
            int e = make_epoll(k, t);
            REQUIRE(k.epoll_ctl(t, w, EPOLL_CTL_ADD, e, &ev).ret == 0);
            SysResult r = k.epoll_ctl(t, e, EPOLL_CTL_ADD, f.r, &ev);
            if (r.failed()) {
                CHECK(r.err == EINVAL);
                refused_at = i;
                // The refused item was removed again: e watches nothing.
                CHECK(k.ep_of_fd(t, e)->rbr.root == nullptr);
            }
        }
        CHECK(refused_at == 501);
    }
    SECTION("depth 2: F in e_i, e_i in z_i, z_i in Y") {
        Pipe f = make_pipe(k, t);
        int y = make_epoll(k, t);
        int refused_at = 0;
        for (int i = 1; i <= 110 && !refused_at; ++i) {
            int e = make_epoll(k, t), z = make_epoll(k, t);
            REQUIRE(k.epoll_ctl(t, e, EPOLL_CTL_ADD, f.r, &ev).ret == 0);
            REQUIRE(k.epoll_ctl(t, z, EPOLL_CTL_ADD, e, &ev).ret == 0);
            SysResult r = k.epoll_ctl(t, y, EPOLL_CTL_ADD, z, &ev);
            if (r.failed()) {
                CHECK(r.err == EINVAL);
                refused_at = i;
            }
        }
        CHECK(refused_at == 101);
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("closing an inner epoll removes the outer item silently", "[model][nested][close]") {
    Kernel k;
    ObjId t = k.init_task();
    int inner = make_epoll(k, t), outer = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, inner, p.r, EPOLLIN, 1);
    add(k, t, outer, inner, EPOLLIN, 100);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(k.close(t, inner).ret == 0);
    CHECK(wait_events(k, t, outer).empty());
    CHECK(k.rb_items(*k.ep_of_fd(t, outer)).empty());
    EPSIM_CHECK_INVARIANTS(k);
    // The pipe's hook went with the inner instance: a write reaches nobody.
    std::size_t mark = k.log.size();
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(event_names(k, mark, {"ep.callback"}).empty());
}
