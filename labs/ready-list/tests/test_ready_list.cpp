// Lab ready-list: ep_poll_callback queues, ep_send_events reports, the ovflist splice.
// Each TEST_CASE is one point. "structure" tests pass with the stubs: keep them passing.
#include "lab_helpers.h"

using namespace lab;

TEST_CASE("ready-list structure: epoll_ctl keeps the interest list", "[ready-list][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 1) == 0);
    CHECK(add(k, t, ep, p.r, EPOLLIN, 1) == EEXIST);
    CHECK(data_of(k.rb_items(*k.ep_of_fd(t, ep))) == Data{1});
    REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_DEL, p.r, nullptr).ret == 0);
    CHECK(k.epoll_ctl(t, ep, EPOLL_CTL_DEL, p.r, nullptr).err == ENOENT);
}

TEST_CASE("ready-list structure: a file ready at ADD is queued by ep_insert", "[ready-list][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(k.write(t, p.w, 10).ret == 10);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 7) == 0);
    CHECK(data_of(k.rdllist_items(*k.ep_of_fd(t, ep))) == Data{7});
}

TEST_CASE("ready-list structure: an idle epoll reports nothing", "[ready-list][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 1) == 0);
    CHECK(wait_data(k, t, ep).empty());
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: a write queues the item on rdllist once", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 1) == 0);
    const std::size_t from = k.log.events.size();
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(data_of(k.rdllist_items(*k.ep_of_fd(t, ep))) == Data{1});
    // The second wake-up finds the item linked: it coalesces (CallbackDecision::AlreadyLinked).
    CHECK(event_names(k, from, {"ep.callback", "rdllist.add_tail"}) ==
          std::vector<std::string>{"ep.callback", "rdllist.add_tail", "ep.callback"});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: level-triggered is reported while data remains", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN, 1) == 0);
    REQUIRE(k.write(t, p.w, 2048).ret == 2048);
    CHECK(wait_data(k, t, ep) == Data{1});
    CHECK(k.task(t).events.at(0).events == EPOLLIN);
    CHECK(wait_data(k, t, ep) == Data{1});
    REQUIRE(k.read(t, p.r, 2048).ret == 2048);
    CHECK(wait_data(k, t, ep).empty());
    CHECK(k.rdllist_items(*k.ep_of_fd(t, ep)).empty());  // the stale item was dropped
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: edge-triggered is reported once per write", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLET, 1) == 0);
    REQUIRE(k.write(t, p.w, 2048).ret == 2048);
    CHECK(wait_data(k, t, ep) == Data{1});
    CHECK(wait_data(k, t, ep).empty());  // 1 KB still unread, but no new edge
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(wait_data(k, t, ep) == Data{1});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: ONESHOT reports once until MOD re-arms it", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLONESHOT, 1) == 0);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(wait_data(k, t, ep) == Data{1});
    REQUIRE(k.write(t, p.w, 1).ret == 1);  // a disarmed item ignores the wake-up
    CHECK(wait_data(k, t, ep).empty());
    EpollEvent ev{EPOLLIN | EPOLLONESHOT, 2};
    REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_MOD, p.r, &ev).ret == 0);
    CHECK(wait_data(k, t, ep) == Data{2});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: maxevents takes turns among level-triggered items", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    for (std::uint64_t d = 1; d <= 3; ++d) {
        Pipe p = make_pipe(k, t);
        REQUIRE(add(k, t, ep, p.r, EPOLLIN, d) == 0);
        REQUIRE(k.write(t, p.w, 1).ret == 1);
    }
    // Reported items go to the tail; the unread rest of the txlist goes back in front.
    CHECK(wait_data(k, t, ep, 2) == Data{1, 2});
    CHECK(wait_data(k, t, ep, 2) == Data{3, 1});
    CHECK(wait_data(k, t, ep, 2) == Data{2, 3});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: wake-ups during a harvest go through ovflist", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    std::vector<Pipe> p;
    for (std::uint64_t d = 1; d <= 4; ++d) {
        p.push_back(make_pipe(k, t));
        REQUIRE(add(k, t, ep, p.back().r, EPOLLIN, d) == 0);
    }
    REQUIRE(k.write(t, p[0].w, 1).ret == 1);
    REQUIRE(k.write(t, p[1].w, 1).ret == 1);
    const ObjId t2 = k.spawn_thread(t);
    k.pause_harvest(t2, 0);  // stop right after ep_start_scan
    REQUIRE(k.epoll_wait(t2, ep, 8, 0).blocked);
    const Eventpoll& e = *k.ep_of_fd(t, ep);
    CHECK(data_of(k.txlist_items(e)) == Data{1, 2});
    REQUIRE(k.write(t, p[3].w, 1).ret == 1);
    REQUIRE(k.write(t, p[2].w, 1).ret == 1);
    CHECK(k.rdllist_items(e).empty());
    CHECK(data_of(k.ovflist_items(e)) == Data{3, 4});  // newest first
    k.resume(t2);
    REQUIRE(k.task(t2).done);
    REQUIRE(k.task(t2).result.ret == 2);
    // ep_done_scan: the chain goes back at the head in arrival order, before the LT requeues.
    CHECK(data_of(k.rdllist_items(e)) == Data{4, 3, 1, 2});
    CHECK(wait_data(k, t, ep) == Data{4, 3, 1, 2});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: a write wakes a sleeping epoll_wait", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, ep, p.r, EPOLLIN | EPOLLET, 5) == 0);
    const ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, -1).blocked);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(k.task(t2).done);
    CHECK(k.task(t2).result.ret == 1);
    REQUIRE(k.task(t2).events.size() == 1);
    CHECK(k.task(t2).events[0].data == 5);
    CHECK(k.check_invariants() == "");
}

TEST_CASE("ready-list: the harvest logs the kernel's steps in order", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    Pipe a = make_pipe(k, t), b = make_pipe(k, t);
    REQUIRE(add(k, t, ep, a.r, EPOLLIN, 1) == 0);
    REQUIRE(add(k, t, ep, b.r, EPOLLIN | EPOLLET, 2) == 0);
    REQUIRE(k.write(t, a.w, 1).ret == 1);
    REQUIRE(k.write(t, b.w, 1).ret == 1);
    REQUIRE(k.read(t, a.r, 1).ret == 1);  // a is stale now
    const std::size_t from = k.log.events.size();
    CHECK(wait_data(k, t, ep) == Data{2});
    CHECK(event_names(k, from,
                      {"txlist.start_scan", "ovflist.activate", "txlist.take", "harvest.report", "harvest.stale_drop",
                       "harvest.lt_requeue", "harvest.et_done", "ovflist.deactivate", "txlist.splice_back"}) ==
          std::vector<std::string>{"txlist.start_scan", "ovflist.activate", "txlist.take", "harvest.stale_drop",
                                   "txlist.take", "harvest.report", "harvest.et_done", "ovflist.deactivate",
                                   "txlist.splice_back"});
    CHECK(k.check_invariants() == "");
}
