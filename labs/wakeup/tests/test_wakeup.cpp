// Lab wakeup: the __wake_up_common walk (Kernel::wake_up), where ep_ptable_queue_proc puts a
// hook, and what an EPOLLEXCLUSIVE hook returns to the walk (reference §2.2-2.4, §3.9).
// Each TEST_CASE is one point. "structure" tests pass with the stubs: keep them passing.
#include "lab_helpers.h"

using namespace lab;

namespace {

// A thread of `t` asleep in epoll_wait(ep, 8, -1).
ObjId sleeper(Kernel& k, ObjId t, int ep) {
    const ObjId s = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(s, ep, 8, -1).blocked);
    return s;
}

}  // namespace

TEST_CASE("wakeup structure: a file ready at ADD is reported", "[wakeup][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 1) == 0);
    CHECK(wait_data(k, t, ep) == Data{1});
}

TEST_CASE("wakeup structure: epoll_wait sleeps on the epoll's wait queue", "[wakeup][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    const ObjId a = sleeper(k, t, ep);
    const ObjId b = sleeper(k, t, ep);
    CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq) == std::vector<ObjId>{b, a});  // newest first
}

TEST_CASE("wakeup structure: EPOLLEXCLUSIVE is refused for MOD and for epoll targets", "[wakeup][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t), inner = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    CHECK(add(k, t, ep, inner, EPOLLIN | EPOLLEXCLUSIVE, 1) == EINVAL);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLEXCLUSIVE, 2) == 0);
    EpollEvent ev{EPOLLIN | EPOLLEXCLUSIVE, 2};
    CHECK(k.epoll_ctl(t, ep, EPOLL_CTL_MOD, p.r, &ev).err == EINVAL);
}

TEST_CASE("wakeup: a write wakes a sleeping epoll_wait", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 4) == 0);
    const ObjId s = sleeper(k, t, ep);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(k.task(s).done);
    CHECK(k.task(s).result.ret == 1);
    CHECK(k.task(s).events.at(0).data == 4);
    CHECK(k.check_invariants() == "");
}

TEST_CASE("wakeup: one event wakes the newest of two waiters", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLET, 1) == 0);
    const ObjId older = sleeper(k, t, ep);
    const ObjId newer = sleeper(k, t, ep);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(k.task(newer).done);
    CHECK_FALSE(k.task(older).done);  // ep_poll's waiters are exclusive: one per wake-up
    CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq) == std::vector<ObjId>{older});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("wakeup: without EPOLLEXCLUSIVE every epoll on the file wakes", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    std::vector<ObjId> s;
    for (int i = 0; i < 3; ++i) {
        const int ep = make_epoll(k, t);
        REQUIRE(add(k, t, ep, p.r, EPOLLIN, static_cast<std::uint64_t>(i)) == 0);
        s.push_back(sleeper(k, t, ep));
    }
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    for (ObjId x : s) CHECK(k.task(x).done);
}

TEST_CASE("wakeup: with EPOLLEXCLUSIVE one write wakes one epoll", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    std::vector<ObjId> s;
    for (int i = 0; i < 3; ++i) {
        const int ep = make_epoll(k, t);
        REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLEXCLUSIVE, static_cast<std::uint64_t>(i)) == 0);
        s.push_back(sleeper(k, t, ep));
    }
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(k.task(s[0]).done);  // exclusive hooks are walked in registration order
    CHECK_FALSE(k.task(s[1]).done);
    CHECK_FALSE(k.task(s[2]).done);
}

TEST_CASE("wakeup: an exclusive epoll nobody waits on does not consume the wake-up", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    std::vector<int> eps;
    for (int i = 0; i < 3; ++i) {
        eps.push_back(make_epoll(k, t));
        REQUIRE(add(k, t, eps.back(), p.r, EPOLLIN | EPOLLEXCLUSIVE, static_cast<std::uint64_t>(i)) == 0);
    }
    const ObjId s1 = sleeper(k, t, eps[1]);
    const ObjId s2 = sleeper(k, t, eps[2]);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(data_of(k.rdllist_items(*k.ep_of_fd(t, eps[0]))) == Data{0});  // queued, nobody woken
    CHECK(k.task(s1).done);
    CHECK_FALSE(k.task(s2).done);
}

TEST_CASE("wakeup: the walk calls plain hooks newest first, then exclusive ones oldest first", "[wakeup]") {
    Kernel k;
    const ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    const std::uint32_t kinds[4] = {EPOLLIN, EPOLLIN | EPOLLEXCLUSIVE, EPOLLIN, EPOLLIN | EPOLLEXCLUSIVE};
    std::vector<ObjId> epis;
    for (int i = 0; i < 4; ++i) {
        const int ep = make_epoll(k, t);
        REQUIRE(add(k, t, ep, p.r, kinds[i], static_cast<std::uint64_t>(i)) == 0);
        epis.push_back(k.rb_items(*k.ep_of_fd(t, ep)).at(0)->id);
    }
    const std::size_t from = k.log.events.size();
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    std::vector<ObjId> order;
    for (std::size_t i = from; i < k.log.events.size(); ++i) {
        const Event& e = k.log.events[i];
        if (e.type == EventType::WakeEntry && e.y == static_cast<std::uint64_t>(WakeFn::EpPollCallback))
            order.push_back(e.c);
    }
    CHECK(order == std::vector<ObjId>{epis[2], epis[0], epis[1], epis[3]});
}
