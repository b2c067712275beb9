// The event log: exact sequences for rb insert cases, an ET harvest, ovflist activity and
// callback decisions; deterministic replay to any event; recording off.
#include "helpers.h"

using namespace epsim;
using namespace epsim::test;

namespace {

// (type name, subject epitem's data, other epitem's data) for every rb.* event from `from`.
struct RbStepSeen {
    std::string name;
    std::uint64_t subject = 0, other = 0;
    bool operator==(const RbStepSeen&) const = default;
};
std::ostream& operator<<(std::ostream& os, const RbStepSeen& s) {
    return os << "{" << s.name << " " << s.subject << " " << s.other << "}";
}

std::vector<RbStepSeen> rb_steps(const Kernel& k, std::size_t from) {
    std::vector<RbStepSeen> v;
    for (std::size_t i = from; i < k.log.events.size(); ++i) {
        const Event& e = k.log.events[i];
        std::string n = event_type_name(e.type);
        if (n.rfind("rb.", 0) != 0 || e.type == EventType::RbFindVisit) continue;
        auto data = [&](ObjId id) -> std::uint64_t {
            const Epitem* epi = k.epitem(id);
            return epi ? epi->data : 0;
        };
        v.push_back({n, data(e.b), e.type == EventType::RbLink ? data(e.c) : data(e.c)});
    }
    return v;
}

// One open file registered under several fds: same file address, so the rb key order is the
// fd order and the test controls which fix-up case each insert triggers.
struct DupTree {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    std::vector<int> fds;  // fds[i] registered with data i + 1; fds ascending
    explicit DupTree(int n) {
        Pipe p = make_pipe(k, t);
        fds.push_back(p.r);
        for (int i = 1; i < n; ++i) fds.push_back(static_cast<int>(k.dup(t, p.r).ret));
    }
    std::size_t add_key(int key) {  // key 1..n
        std::size_t mark = k.log.size();
        add(k, t, ep, fds[key - 1], EPOLLIN, static_cast<std::uint64_t>(key));
        return mark;
    }
};

}  // namespace

TEST_CASE("rb insert: ascending keys give root_black, parent_black, then case 3 rotate left",
          "[model][log][rb]") {
    DupTree d(3);
    CHECK(rb_steps(d.k, d.add_key(1)) == std::vector<RbStepSeen>{{"rb.link", 1, 0}, {"rb.insert.root_black", 1, 0}});
    CHECK(rb_steps(d.k, d.add_key(2)) ==
          std::vector<RbStepSeen>{{"rb.link", 2, 1}, {"rb.insert.parent_black", 2, 0}});
    // 3 under 2 under 1: uncle black, outer child -> rotate left at the grandparent (1).
    CHECK(rb_steps(d.k, d.add_key(3)) ==
          std::vector<RbStepSeen>{{"rb.link", 3, 2}, {"rb.insert.case3.rotate_left", 1, 2}});
    CHECK(d.k.ep_of_fd(d.t, d.ep)->rbr.root == &d.k.rb_items(*d.k.ep_of_fd(d.t, d.ep))[1]->rbn);
    EPSIM_CHECK_INVARIANTS(d.k);
}

TEST_CASE("rb insert: an inner child triggers case 2 (rotate at parent) then case 3", "[model][log][rb]") {
    DupTree d(3);
    d.add_key(1);
    d.add_key(3);
    // 2 goes left of 3, which is right of 1: rotate right at 3, then left at 1.
    CHECK(rb_steps(d.k, d.add_key(2)) == std::vector<RbStepSeen>{{"rb.link", 2, 3},
                                                                 {"rb.insert.case2.rotate_right", 3, 2},
                                                                 {"rb.insert.case3.rotate_left", 1, 2}});
    EPSIM_CHECK_INVARIANTS(d.k);
}

TEST_CASE("rb insert: a red uncle triggers case 1 (colour flip) and the root is painted black",
          "[model][log][rb]") {
    DupTree d(4);
    d.add_key(2);
    d.add_key(1);
    d.add_key(3);
    CHECK(rb_steps(d.k, d.add_key(4)) ==
          std::vector<RbStepSeen>{{"rb.link", 4, 3}, {"rb.insert.case1.recolor", 2, 0}, {"rb.insert.root_black", 2, 0}});
    EPSIM_CHECK_INVARIANTS(d.k);
}

TEST_CASE("rb insert: mirrored cases rotate the other way", "[model][log][rb]") {
    DupTree d(3);
    d.add_key(3);
    d.add_key(2);
    CHECK(rb_steps(d.k, d.add_key(1)) ==
          std::vector<RbStepSeen>{{"rb.link", 1, 2}, {"rb.insert.case3.rotate_right", 3, 2}});
    DupTree e(3);
    e.add_key(3);
    e.add_key(1);
    CHECK(rb_steps(e.k, e.add_key(2)) == std::vector<RbStepSeen>{{"rb.link", 2, 1},
                                                                 {"rb.insert.case2.rotate_left", 1, 2},
                                                                 {"rb.insert.case3.rotate_right", 3, 2}});
}

TEST_CASE("rb erase is logged with its cases on EPOLL_CTL_DEL", "[model][log][rb]") {
    DupTree d(4);
    for (int key : {2, 1, 3, 4}) d.add_key(key);
    // Tree: 2B(1B, 3B(-, 4R)). Deleting 4 (red leaf) needs no rebalance.
    std::size_t mark = d.k.log.size();
    REQUIRE(d.k.epoll_ctl(d.t, d.ep, EPOLL_CTL_DEL, d.fds[3], nullptr).ret == 0);
    CHECK(rb_steps(d.k, mark) == std::vector<RbStepSeen>{{"rb.erase.unlink", 0, 0}});
    // Deleting 1 (black leaf, sibling 3 black with black children): case 2, then the red...
    // here parent 2 is black and the root, so the loop ends at the root.
    mark = d.k.log.size();
    REQUIRE(d.k.epoll_ctl(d.t, d.ep, EPOLL_CTL_DEL, d.fds[0], nullptr).ret == 0);
    auto steps = rb_steps(d.k, mark);
    REQUIRE(steps.size() == 2);
    CHECK(steps[0].name == "rb.erase.unlink");
    CHECK(steps[1] == RbStepSeen{"rb.erase.case2.recolor", 3, 0});
    EPSIM_CHECK_INVARIANTS(d.k);
}

TEST_CASE("an ET harvest logs start_scan, take, poll, report, et_done, done_scan in order", "[model][log]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN | EPOLLET, 1);
    REQUIRE(k.write(t, p.w, 2048).ret == 2048);
    std::size_t mark = k.log.size();
    REQUIRE(k.epoll_wait(t, ep, 8, 0).ret == 1);
    CHECK(event_names(k, mark) ==
          std::vector<std::string>{"syscall.enter", "file.get", "txlist.start_scan", "ovflist.activate", "txlist.take",
                                   "poll.result", "harvest.report", "harvest.et_done", "ovflist.deactivate",
                                   "txlist.splice_back", "file.put", "syscall.exit"});
    const Event& report = k.log.events[mark + 6];
    CHECK(report.x == EPOLLIN);
    CHECK(report.fn == KFn::ep_send_events);
}

TEST_CASE("a write logs the wake walk and the callback's decision", "[model][log]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN, 1);
    std::size_t mark = k.log.size();
    REQUIRE(k.write(t, p.w, 10).ret == 10);
    CHECK(event_names(k, mark) == std::vector<std::string>{"syscall.enter", "file.state", "wq.wake", "ep.callback",
                                                           "rdllist.add_tail", "wq.wake.entry", "syscall.exit"});
    const Event& cb = k.log.events[mark + 3];
    CHECK(cb.x == (EPOLLIN | EPOLLRDNORM));
    CHECK(static_cast<CallbackDecision>(cb.y) == CallbackDecision::Queued);
    CHECK(cb.fn == KFn::ep_poll_callback);
}

TEST_CASE("callback decisions: ignored-mask, ignored-disarmed, already-linked, chained", "[model][log]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    auto decisions = [&](std::size_t from) {
        std::vector<CallbackDecision> v;
        for (std::size_t i = from; i < k.log.size(); ++i)
            if (k.log.events[i].type == EventType::Callback) v.push_back(static_cast<CallbackDecision>(k.log.events[i].y));
        return v;
    };
    int efd = static_cast<int>(k.eventfd(t, 5, EFD_NONBLOCK).ret);
    add(k, t, ep, efd, EPOLLIN, 1);
    REQUIRE(wait_data(k, t, ep).size() == 1);  // queued by ep_insert; LT requeue keeps it linked
    std::size_t mark = k.log.size();
    REQUIRE(k.write(t, efd, 8, 1).ret == 8);   // key EPOLLIN, item already linked
    REQUIRE(k.read(t, efd, 8).ret == 8);       // key EPOLLOUT, item wants only IN
    CHECK(decisions(mark) == std::vector<CallbackDecision>{CallbackDecision::AlreadyLinked, CallbackDecision::IgnoredMask});
    Pipe p = make_pipe(k, t);
    add(k, t, ep, p.r, EPOLLIN | EPOLLONESHOT, 2);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    REQUIRE(wait_data(k, t, ep) == std::vector<std::uint64_t>{2});
    mark = k.log.size();
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(decisions(mark) == std::vector<CallbackDecision>{CallbackDecision::IgnoredDisarmed});
}

TEST_CASE("a harvest with ovflist activity logs push and drain", "[model][log][ovflist]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe a = make_pipe(k, t), b = make_pipe(k, t);
    add(k, t, ep, a.r, EPOLLIN, 1);
    add(k, t, ep, b.r, EPOLLIN, 2);
    REQUIRE(k.write(t, a.w, 1).ret == 1);
    ObjId t2 = k.spawn_thread(t);
    k.pause_harvest(t2, 1);
    REQUIRE(k.epoll_wait(t2, ep, 8, 0).blocked);
    std::size_t mark = k.log.size();
    REQUIRE(k.write(t, b.w, 1).ret == 1);  // not linked: chained
    REQUIRE(k.write(t, a.w, 1).ret == 1);  // linked (LT requeue): chained anyway
    CHECK(event_names(k, mark, {"ep.callback", "ovflist.push"}) ==
          std::vector<std::string>{"ep.callback", "ovflist.push", "ep.callback", "ovflist.push"});
    mark = k.log.size();
    k.resume(t2);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> drains;  // (data, relinked)
    for (std::size_t i = mark; i < k.log.size(); ++i)
        if (k.log.events[i].type == EventType::OvfDrain)
            drains.emplace_back(k.epitem(k.log.events[i].b)->data, k.log.events[i].x);
    // Newest first: A (already linked by its LT requeue: skipped), then B (linked at the head).
    CHECK(drains == std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 0}, {2, 1}});
    CHECK(data_of(k.rdllist_items(*k.ep_of_fd(t, ep))) == std::vector<std::uint64_t>{2, 1});
    EPSIM_CHECK_INVARIANTS(k);
}

namespace {
void busy_scenario(Kernel& k) {
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    Pipe a = make_pipe(k, t), b = make_pipe(k, t);
    add(k, t, ep, a.r, EPOLLIN, 1);
    add(k, t, ep, b.r, EPOLLIN | EPOLLET, 2);
    ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 8, 50).blocked);
    REQUIRE(k.write(t, a.w, 100).ret == 100);
    REQUIRE(k.write(t, b.w, 100).ret == 100);
    REQUIRE(k.epoll_wait(t, ep, 1, 0).ret == 1);
    REQUIRE(k.epoll_wait(t2, ep, 8, 50).ret == 2);
    k.advance(10000000);
    REQUIRE(k.close(t, a.w).ret == 0);
    REQUIRE(k.epoll_ctl(t, ep, EPOLL_CTL_DEL, b.r, nullptr).ret == 0);
}
std::vector<std::string> render(const Kernel& k) {
    std::vector<std::string> v;
    for (const Event& e : k.log.events) v.push_back(k.describe(e));
    return v;
}
}  // namespace

TEST_CASE("same calls, same seed: the same log, event for event", "[model][log][determinism]") {
    Kernel k1, k2;
    busy_scenario(k1);
    busy_scenario(k2);
    CHECK(render(k1) == render(k2));
    Kernel k3(KernelConfig{.seed = 99});
    busy_scenario(k3);
    CHECK(render(k1) != render(k3));  // other file addresses
    CHECK(k1.log.size() == k3.log.size());
}

TEST_CASE("replay_to(i) rebuilds the model state at event i", "[model][log][replay]") {
    Kernel k;
    busy_scenario(k);
    const auto full = render(k);
    // The whole run replays to the same log and the same final state.
    auto all = k.replay_to(UINT64_MAX);
    CHECK(render(*all) == full);
    CHECK(all->fdinfo(1, 3) == k.fdinfo(1, 3));
    // At each rdllist.add_tail, the item is on the ready list at i and not at i - 1.
    int checked = 0;
    for (std::size_t i = 1; i < k.log.size(); ++i) {
        const Event& e = k.log.events[i];
        if (e.type != EventType::RdlAddTail) continue;
        auto at = k.replay_to(i);
        auto before = k.replay_to(i - 1);
        REQUIRE(at->log.size() == i + 1);
        CHECK(render(*at) == std::vector<std::string>(full.begin(), full.begin() + static_cast<long>(i) + 1));
        auto on_rdllist = [&](const Kernel& kk) {
            const Eventpoll* ep = kk.eventpolls()[e.a - 1].get();
            for (const Epitem* epi : kk.rdllist_items(*ep))
                if (epi->id == e.b) return true;
            return false;
        };
        CHECK(on_rdllist(*at));
        CHECK_FALSE(on_rdllist(*before));
        ++checked;
    }
    CHECK(checked >= 2);
}

TEST_CASE("recording off: same results, no events kept, work still counted", "[model][log]") {
    Kernel on;
    Kernel off(KernelConfig{.record = false});
    busy_scenario(on);
    busy_scenario(off);
    CHECK(off.log.events.empty());
    CHECK(off.log.total == on.log.total);
    CHECK(off.log.counts == on.log.counts);
    // The counters are the log, tallied by kind.
    std::array<std::uint64_t, static_cast<std::size_t>(EventType::Count_)> tally{};
    for (const Event& e : on.log.events) ++tally[static_cast<std::size_t>(e.type)];
    CHECK(on.log.counts == tally);
    CHECK(on.log.count(EventType::Callback) > 0);
    CHECK(on.log.count(EventType::RbFindVisit) > 0);
    CHECK(off.fdinfo(1, 3) == on.fdinfo(1, 3));
    EPSIM_CHECK_INVARIANTS(off);
}

TEST_CASE("a call the model refuses (it would sleep) leaves no trace and replay still works",
          "[model][log][replay]") {
    Kernel k;
    ObjId t = k.init_task();
    Pipe p = make_pipe(k, t, 0);  // blocking pipe
    REQUIRE(k.write(t, p.w, 10).ret == 10);
    const std::size_t events = k.log.size(), calls = k.command_count();
    const std::uint64_t total = k.log.total;
    CHECK_THROWS_AS(k.write(t, p.w, 70000), ModelError);  // would fill the pipe and sleep
    REQUIRE(k.read(t, p.r, 10).ret == 10);
    const std::size_t after_read = k.log.size();
    CHECK_THROWS_AS(k.read(t, p.r, 1), ModelError);  // empty blocking pipe
    CHECK(k.log.size() == after_read);
    CHECK(k.command_count() == calls + 1);
    CHECK(k.log.total == total + (after_read - events));
    std::array<std::uint64_t, static_cast<std::size_t>(EventType::Count_)> tally{};
    for (const Event& e : k.log.events) ++tally[static_cast<std::size_t>(e.type)];
    CHECK(k.log.counts == tally);
    auto r = k.replay_to(UINT64_MAX);
    CHECK(r->log.size() == k.log.size());
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("unknown task ids and calls from a sleeping task are ModelErrors with a message", "[model][log]") {
    Kernel k;
    CHECK_THROWS_WITH(k.close(42, 3), Catch::Contains("no task #42"));
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    ObjId t2 = k.spawn_thread(t);
    REQUIRE(k.epoll_wait(t2, ep, 1, -1).blocked);
    CHECK_THROWS_WITH(k.close(t2, ep), Catch::Contains("sleeping inside epoll_wait"));
    CHECK_THROWS_WITH(k.resume(t2), Catch::Contains("is not paused"));
}

TEST_CASE("syscall records read as strace-like text whether compact or not", "[model]") {
    Kernel k;
    int ep = make_epoll(k, 1);
    int efd = static_cast<int>(k.eventfd(1, 0, EFD_NONBLOCK).ret);
    Pipe p = make_pipe(k, 1);
    EpollEvent ev{EPOLLIN | EPOLLET, 42};
    k.epoll_ctl(1, ep, EPOLL_CTL_ADD, efd, &ev);
    k.epoll_ctl(1, ep, EPOLL_CTL_DEL, efd, nullptr);
    k.epoll_ctl(1, ep, 7, efd, &ev);
    k.write(1, efd, 8, 5);
    k.write(1, p.w, 100);
    k.read(1, p.r, 30);
    k.epoll_wait(1, ep, 16, 0);
    k.epoll_pwait(1, ep, 4, 0);
    k.close(1, p.r);
    std::vector<std::string> texts;
    for (std::size_t i = 0; i < k.log.syscalls.size(); ++i) texts.push_back(k.log.syscalls[i].text);
    REQUIRE(texts == std::vector<std::string>{
                         "epoll_create1(0)", "eventfd2(0, 2048)", "pipe2([...], O_NONBLOCK)",
                         "epoll_ctl(3, EPOLL_CTL_ADD, 4, {EPOLLIN|EPOLLET, data=0x2a})",
                         "epoll_ctl(3, EPOLL_CTL_DEL, 4, NULL)", "epoll_ctl(3, 7, 4, {EPOLLIN|EPOLLET, data=0x2a})",
                         "write(4, {5}, 8)", "write(6, [...], 100)", "read(5, [...], 30)",
                         "epoll_wait(3, [...], 16, 0)", "epoll_pwait(3, [...], 4, 0, NULL)", "close(5)"});
    // The trace line of a syscall.enter shows the same text; a replay records the same calls.
    auto again = k.replay_to(UINT64_MAX);
    for (std::size_t i = 0; i < k.log.events.size(); ++i) REQUIRE(again->describe(again->log.events[i]) == k.describe(k.log.events[i]));
    REQUIRE(k.describe(k.log.events[0]).find("epoll_create1(0)") != std::string::npos);
}
