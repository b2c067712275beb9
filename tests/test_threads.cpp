// Threads blocking in epoll_wait: LIFO wake order, the LT double wake-up, ONESHOT hand-off,
// EPOLLEXCLUSIVE across instances, timeouts on the simulated clock, EINTR (reference §2.2,
// §3.7, §3.9, §4.3, §8 items 1-2, §10 items 13-15, 33-35, 38).
#include "helpers.h"

using namespace epsim;
using namespace epsim::test;

static constexpr std::uint64_t ms = 1000000;

TEST_CASE("two threads blocked on one epfd: a write wakes only the most recent sleeper (LIFO)",
          "[model][threads]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN | EPOLLONESHOT, 7);
    ObjId t2 = k.spawn_thread(t), t3 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
    REQUIRE(k.epoll_wait(t3, ep, 8, -1).blocked);
    CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq) == std::vector<ObjId>{t3, t2});  // head-inserted
    EPSIM_CHECK_INVARIANTS(k);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(k.task(t3).state == TaskState::Running);
    CHECK(k.task(t3).result.ret == 1);
    CHECK(k.task(t3).events == std::vector<EpollEvent>{{EPOLLIN, 7}});
    CHECK(k.task(t2).state == TaskState::Sleeping);
    CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq) == std::vector<ObjId>{t2});
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("LT item and two sleepers: both wake and both get the same event - ONESHOT hands it to one",
          "[model][threads]") {
    for (bool oneshot : {false, true}) {
        DYNAMIC_SECTION((oneshot ? "EPOLLONESHOT" : "level-triggered")) {
            Kernel k;
            ObjId t = k.init_task();
            int ep = make_epoll(k, t);
            Pipe p = make_pipe(k, t);
            add(k, t, ep, p.r, EPOLLIN | (oneshot ? EPOLLONESHOT : 0u), 7);
            ObjId t2 = k.spawn_thread(t), t3 = k.spawn_thread(t);
            REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
            REQUIRE(k.epoll_wait(t3, ep, 8, -1).blocked);
            std::size_t mark = k.log.size();
            REQUIRE(k.write(t, p.w, 1).ret == 1);
            CHECK(k.task(t3).result.ret == 1);
            if (oneshot) {
                CHECK(k.task(t2).state == TaskState::Sleeping);
            } else {
                // t3's harvest requeued the LT item; ep_done_scan woke t2, which got it too.
                CHECK(k.task(t2).state == TaskState::Running);
                CHECK(k.task(t2).result.ret == 1);
                CHECK(k.task(t2).events == std::vector<EpollEvent>{{EPOLLIN, 7}});
                bool done_scan_woke = false;
                for (std::size_t i = mark; i < k.log.size(); ++i)
                    if (k.log.events[i].type == EventType::WakeBegin && k.log.events[i].fn == KFn::ep_done_scan)
                        done_scan_woke = true;
                CHECK(done_scan_woke);
            }
            EPSIM_CHECK_INVARIANTS(k);
        }
    }
}

TEST_CASE("EPOLLEXCLUSIVE across two instances: only the first registered one with a sleeper wakes",
          "[model][threads][exclusive]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep1 = make_epoll(k, t), ep2 = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    ObjId t2 = k.spawn_thread(t), t3 = k.spawn_thread(t);
    const Eventpoll& e1 = *k.ep_of_fd(t, ep1);
    const Eventpoll& e2 = *k.ep_of_fd(t, ep2);
    SECTION("both exclusive, both with a sleeper: one wake-up") {
        add(k, t, ep1, p.r, EPOLLIN | EPOLLEXCLUSIVE, 1);
        add(k, t, ep2, p.r, EPOLLIN | EPOLLEXCLUSIVE, 2);
        REQUIRE(k.epoll_wait(t3, ep2, 8, -1).blocked);  // blocking order does not matter
        REQUIRE(k.epoll_wait(t2, ep1, 8, -1).blocked);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(k.task(t2).result.ret == 1);
        CHECK(k.task(t3).state == TaskState::Sleeping);
        CHECK(k.rdllist_items(e2).empty());  // the walk stopped before ep2's hook
    }
    SECTION("without EXCLUSIVE: both instances wake (thundering herd)") {
        add(k, t, ep1, p.r, EPOLLIN, 1);
        add(k, t, ep2, p.r, EPOLLIN, 2);
        REQUIRE(k.epoll_wait(t2, ep1, 8, -1).blocked);
        REQUIRE(k.epoll_wait(t3, ep2, 8, -1).blocked);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(k.task(t2).result.ret == 1);
        CHECK(k.task(t3).result.ret == 1);
    }
    SECTION("the first instance has no sleeper: it still queues the item, and the second one wakes") {
        add(k, t, ep1, p.r, EPOLLIN | EPOLLEXCLUSIVE, 1);
        add(k, t, ep2, p.r, EPOLLIN | EPOLLEXCLUSIVE, 2);
        REQUIRE(k.epoll_wait(t3, ep2, 8, -1).blocked);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(k.task(t3).result.ret == 1);
        CHECK(data_of(k.rdllist_items(e1)) == std::vector<std::uint64_t>{1});
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("timeouts run on the simulated clock", "[model][threads][time]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN, 5);
    ObjId t2 = k.spawn_thread(t);
    SECTION("nothing happens: returns 0 exactly at the deadline") {
        REQUIRE(k.epoll_wait(t2, ep, 8, 100).blocked);
        k.advance(99 * ms);
        CHECK(k.task(t2).state == TaskState::Sleeping);
        k.advance(1 * ms);
        CHECK(k.task(t2).state == TaskState::Running);
        CHECK(k.task(t2).result.ret == 0);
        CHECK(k.task(t2).result.err == 0);
        CHECK(k.now() == 100 * ms);
    }
    SECTION("an event before the deadline ends the wait with it") {
        REQUIRE(k.epoll_wait(t2, ep, 8, 100).blocked);
        k.advance(30 * ms);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(k.task(t2).result.ret == 1);
        k.advance(200 * ms);  // the timer is gone with the call
        CHECK(k.task(t2).result.ret == 1);
    }
    SECTION("a wake-up that yields nothing sleeps again for the remaining time") {
        REQUIRE(k.epoll_wait(t2, ep, 8, 100).blocked);
        k.advance(10 * ms);
        // An eventfd write of 0 wakes with key EPOLLIN, but the harvest's re-poll sees count 0:
        // the item is dropped as stale and t2 goes back to sleep until the same deadline.
        int efd = static_cast<int>(k.eventfd(t, 0, EFD_NONBLOCK).ret);
        add(k, t, ep, efd, EPOLLIN, 9);
        std::size_t mark = k.log.size();
        REQUIRE(k.write(t, efd, 8, 0).ret == 8);
        CHECK(k.task(t2).state == TaskState::Sleeping);
        CHECK(event_names(k, mark, {"harvest.stale_drop"}).size() == 1);
        k.advance(89 * ms);
        CHECK(k.task(t2).state == TaskState::Sleeping);
        k.advance(1 * ms);
        CHECK(k.task(t2).result.ret == 0);
        CHECK(k.now() == 100 * ms);
    }
    SECTION("epoll_pwait2 with {0, 5000000} times out after 5 ms; NULL blocks until an event") {
        Timespec ts{0, 5000000};
        REQUIRE(k.epoll_pwait2(t2, ep, 8, &ts).blocked);
        REQUIRE(k.advance_to_next_timer());
        CHECK(k.now() == 5 * ms);
        CHECK(k.task(t2).result.ret == 0);
        REQUIRE(k.epoll_pwait2(t2, ep, 8, nullptr).blocked);
        CHECK_FALSE(k.advance_to_next_timer());
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(k.task(t2).result.ret == 1);
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("signals: EINTR only when nothing was harvested - never for timeout 0", "[model][threads][signal]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN, 5);
    ObjId t2 = k.spawn_thread(t);
    SECTION("blocked forever, signalled: -1 EINTR, not restarted") {
        REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
        k.signal(t2);
        CHECK(k.task(t2).result.ret == -1);
        CHECK(k.task(t2).result.err == EINTR);
        CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq).empty());
    }
    SECTION("a signal to a thread in user space changes nothing; timeout 0 returns 0") {
        k.signal(t2);
        CHECK(k.epoll_wait(t2, ep, 8, 0).ret == 0);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        k.signal(t2);
        CHECK(k.epoll_wait(t2, ep, 8, 0).ret == 1);
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("ADD of an already-ready fd queues it and wakes one sleeper", "[model][threads]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
    REQUIRE(k.write(t, p.w, 1).ret == 1);  // not registered yet: nobody hears it
    CHECK(k.task(t2).state == TaskState::Sleeping);
    add(k, t, ep, p.r, EPOLLIN, 42);
    CHECK(k.task(t2).result.ret == 1);
    CHECK(k.task(t2).events == std::vector<EpollEvent>{{EPOLLIN, 42}});
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("closing the epfd does not wake its sleeper - the instance lives until the call returns",
          "[model][threads][close]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN, 5);
    ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
    const Eventpoll* e = k.ep_of_fd(t, ep);
    ObjId ep_id = e->id;
    REQUIRE(k.close(t, ep).ret == 0);
    CHECK(k.task(t2).state == TaskState::Sleeping);
    CHECK(k.eventpolls()[ep_id - 1] != nullptr);
    EPSIM_CHECK_INVARIANTS(k);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(k.task(t2).result.ret == 1);
    CHECK(k.eventpolls()[ep_id - 1] == nullptr);  // last reference gone with the call
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("a task cannot make a call while it sleeps - a paused harvest holds ep->mtx", "[model][threads]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN, 5);
    ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
    CHECK_THROWS_AS(k.read(t2, p.r, 1), ModelError);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    k.pause_harvest(t2, 0);
    REQUIRE(k.epoll_wait(t2, ep, 8, 0).blocked);
    EpollEvent ev{EPOLLIN, 1};
    CHECK_THROWS_AS(k.epoll_ctl(t, ep, EPOLL_CTL_MOD, p.r, &ev), ModelError);
    k.resume(t2);
    CHECK(k.epoll_ctl(t, ep, EPOLL_CTL_MOD, p.r, &ev).ret == 0);
    EPSIM_CHECK_INVARIANTS(k);
}
