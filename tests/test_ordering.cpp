// Ready-list order: the worked examples of reference §4.2 and the rules of §4.1.
#include "helpers.h"

using namespace epsim;
using namespace epsim::test;

namespace {
struct ThreePipes {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    std::vector<Pipe> p;
    explicit ThreePipes(int n = 3, std::uint32_t events = EPOLLIN) {
        for (int i = 0; i < n; ++i) {
            p.push_back(make_pipe(k, t));
            add(k, t, ep, p.back().r, events, 10 + i);  // A=10, B=11, C=12, ...
        }
    }
    void ready(int i) { REQUIRE(k.write(t, p[i].w, 1).ret == 1); }
    const Eventpoll& eventpoll() { return *k.ep_of_fd(t, ep); }
};
}  // namespace

TEST_CASE("LT round-robin with maxevents=1: A, B, C, A, B", "[model][order]") {
    ThreePipes s;
    s.ready(0), s.ready(1), s.ready(2);
    std::vector<std::uint64_t> seen;
    for (int i = 0; i < 5; ++i) {
        auto d = wait_data(s.k, s.t, s.ep, 1);
        REQUIRE(d.size() == 1);
        seen.push_back(d[0]);
        EPSIM_CHECK_INVARIANTS(s.k);
    }
    CHECK(seen == std::vector<std::uint64_t>{10, 11, 12, 10, 11});
    // After A, B, C, A, B were taken the list is [C, A, B].
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{12, 10, 11});
}

TEST_CASE("LT with maxevents=2 on [A,B,C]: {A,B}, then {C,A}, then {B,C}", "[model][order]") {
    ThreePipes s;
    s.ready(0), s.ready(1), s.ready(2);
    CHECK(wait_data(s.k, s.t, s.ep, 2) == std::vector<std::uint64_t>{10, 11});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{12, 10, 11});
    CHECK(wait_data(s.k, s.t, s.ep, 2) == std::vector<std::uint64_t>{12, 10});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{11, 12, 10});
    CHECK(wait_data(s.k, s.t, s.ep, 2) == std::vector<std::uint64_t>{11, 12});
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("ET with maxevents=2: A, B reported, C left - a new wake-up of A queues it after C", "[model][order]") {
    ThreePipes s(3, EPOLLIN | EPOLLET);
    s.ready(0), s.ready(1), s.ready(2);
    CHECK(wait_data(s.k, s.t, s.ep, 2) == std::vector<std::uint64_t>{10, 11});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{12});
    s.ready(0);
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{12, 10});
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{12, 10});
    CHECK(wait_data(s.k, s.t, s.ep).empty());
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("repeated wake-ups coalesce: an item keeps the place of its first wake-up", "[model][order]") {
    ThreePipes s;
    s.ready(1), s.ready(0), s.ready(1), s.ready(2), s.ready(0);
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{11, 10, 12});
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{11, 10, 12});
}

TEST_CASE("stale drop: an item drained before epoll_wait is removed silently", "[model][order]") {
    ThreePipes s;
    s.ready(0);
    s.ready(1);
    REQUIRE(s.k.read(s.t, s.p[0].r, 100).ret == 1);  // A is no longer readable
    std::size_t mark = s.k.log.size();
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{11});
    auto names = event_names(s.k, mark, {"harvest.stale_drop", "harvest.report"});
    CHECK(names == std::vector<std::string>{"harvest.stale_drop", "harvest.report"});
    // Drain B too: the LT requeue is dropped on the next harvest and nothing is returned.
    REQUIRE(s.k.read(s.t, s.p[1].r, 100).ret == 1);
    CHECK(wait_data(s.k, s.t, s.ep).empty());
    CHECK(s.k.rdllist_items(s.eventpoll()).empty());
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("maxevents counts reported items only: stale ones before the limit do not count", "[model][order]") {
    ThreePipes s;
    s.ready(0), s.ready(1), s.ready(2);
    REQUIRE(s.k.read(s.t, s.p[0].r, 1).ret == 1);
    CHECK(wait_data(s.k, s.t, s.ep, 1) == std::vector<std::uint64_t>{11});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{12, 11});
}

TEST_CASE("ONESHOT: reported once, disarmed, re-armed by MOD and queued at once if still ready", "[model][order]") {
    ThreePipes s(1, EPOLLIN | EPOLLONESHOT);
    s.ready(0);
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{10});
    s.ready(0);
    CHECK(wait_data(s.k, s.t, s.ep).empty());
    auto info = s.k.fdinfo(s.t, s.ep);
    REQUIRE(info);
    CHECK(info->find("events: 40000000") != std::string::npos);
    mod(s.k, s.t, s.ep, s.p[0].r, EPOLLIN | EPOLLONESHOT, 20);
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{20});
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{20});
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("MOD of an item already on the ready list keeps its position", "[model][order]") {
    ThreePipes s;
    s.ready(0), s.ready(1), s.ready(2);
    mod(s.k, s.t, s.ep, s.p[0].r, EPOLLIN, 99);
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{99, 11, 12});
}

TEST_CASE("dup registrations: wait-queue order when not ready at ADD, ADD order when ready", "[model][order]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    SECTION("not ready at ADD: the newest hook is called first, so fd 6's item comes first") {
        Pipe p = make_pipe(k, t);
        int d = static_cast<int>(k.dup(t, p.r).ret);
        add(k, t, ep, p.r, EPOLLIN, static_cast<std::uint64_t>(p.r));
        add(k, t, ep, d, EPOLLIN, static_cast<std::uint64_t>(d));
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(wait_data(k, t, ep) == std::vector<std::uint64_t>{static_cast<std::uint64_t>(d),
                                                                static_cast<std::uint64_t>(p.r)});
    }
    SECTION("ready at ADD: ep_insert appends each item in ADD order") {
        Pipe p = make_pipe(k, t);
        int d = static_cast<int>(k.dup(t, p.r).ret);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        add(k, t, ep, p.r, EPOLLIN, static_cast<std::uint64_t>(p.r));
        add(k, t, ep, d, EPOLLIN, static_cast<std::uint64_t>(d));
        CHECK(wait_data(k, t, ep) == std::vector<std::uint64_t>{static_cast<std::uint64_t>(p.r),
                                                                static_cast<std::uint64_t>(d)});
    }
    SECTION("three dups: reverse registration order") {
        Pipe p = make_pipe(k, t);
        int d1 = static_cast<int>(k.dup(t, p.r).ret), d2 = static_cast<int>(k.dup(t, p.r).ret);
        add(k, t, ep, p.r, EPOLLIN, 1);
        add(k, t, ep, d1, EPOLLIN, 2);
        add(k, t, ep, d2, EPOLLIN, 3);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(wait_data(k, t, ep) == std::vector<std::uint64_t>{3, 2, 1});
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("ovflist: [A,B,C] LT, D and E arrive while the harvest is paused -> next order D,E,A,B,C",
          "[model][order][ovflist]") {
    ThreePipes s(5);  // A..E = 10..14
    ObjId t2 = s.k.spawn_thread(s.t);
    s.ready(0), s.ready(1), s.ready(2);
    s.k.pause_harvest(t2, 0);  // right after ep_start_scan
    SysResult r = s.k.epoll_wait(t2, s.ep, 3, 0);
    REQUIRE(r.blocked);
    REQUIRE(s.k.task(t2).state == TaskState::Paused);
    CHECK(data_of(s.k.txlist_items(s.eventpoll())) == std::vector<std::uint64_t>{10, 11, 12});
    CHECK(s.eventpoll().ovflist == nullptr);  // active, empty chain
    EPSIM_CHECK_INVARIANTS(s.k);
    s.ready(3);
    s.ready(4);
    CHECK(data_of(s.k.ovflist_items(s.eventpoll())) == std::vector<std::uint64_t>{14, 13});  // LIFO chain
    CHECK(s.k.rdllist_items(s.eventpoll()).empty());  // callbacks do not touch rdllist mid-scan
    EPSIM_CHECK_INVARIANTS(s.k);
    s.k.resume(t2);
    CHECK(s.k.task(t2).result.ret == 3);
    std::vector<std::uint64_t> got;
    for (auto& e : s.k.task(t2).events) got.push_back(e.data);
    CHECK(got == std::vector<std::uint64_t>{10, 11, 12});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{13, 14, 10, 11, 12});
    CHECK(s.eventpoll().ovflist == EP_UNACTIVE_PTR);
    CHECK(wait_data(s.k, s.t, s.ep) == std::vector<std::uint64_t>{13, 14, 10, 11, 12});
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("ovflist worked example: D,E,A,C wake while B is polled -> [D,E,A,B,C]", "[model][order][ovflist]") {
    ThreePipes s(5);
    ObjId t2 = s.k.spawn_thread(s.t);
    s.ready(0), s.ready(1), s.ready(2);
    s.k.pause_harvest(t2, 2);  // A and B examined (and requeued), C still on the txlist
    REQUIRE(s.k.epoll_wait(t2, s.ep, 3, 0).blocked);
    CHECK(data_of(s.k.txlist_items(s.eventpoll())) == std::vector<std::uint64_t>{12});
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{10, 11});
    s.ready(3), s.ready(4), s.ready(0), s.ready(2);
    // Chained even when linked (A on rdllist, C on the txlist): chain = C->A->E->D.
    CHECK(data_of(s.k.ovflist_items(s.eventpoll())) == std::vector<std::uint64_t>{12, 10, 14, 13});
    EPSIM_CHECK_INVARIANTS(s.k);
    s.k.resume(t2);
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{13, 14, 10, 11, 12});
    EPSIM_CHECK_INVARIANTS(s.k);
}

TEST_CASE("unconsumed leftovers go before ovflist arrivals and LT requeues", "[model][order][ovflist]") {
    ThreePipes s(4);
    ObjId t2 = s.k.spawn_thread(s.t);
    s.ready(0), s.ready(1), s.ready(2);
    s.k.pause_harvest(t2, 0);
    REQUIRE(s.k.epoll_wait(t2, s.ep, 1, 0).blocked);  // maxevents 1: B and C stay on the txlist
    s.ready(3);
    s.k.resume(t2);
    // leftovers B, C -> arrivals D -> LT requeue A
    CHECK(data_of(s.k.rdllist_items(s.eventpoll())) == std::vector<std::uint64_t>{11, 12, 13, 10});
    EPSIM_CHECK_INVARIANTS(s.k);
}
