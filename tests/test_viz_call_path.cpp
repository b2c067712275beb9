// Tests for viz/core/call_path: the kernel panel's caller path, rebuilt exactly from each
// event's function and the known call structure, including the cases a simple stack gets
// wrong (callees logged before their callers, nested wake-up walks, nested epoll harvests,
// timer and signal contexts).
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "sim/kernel.h"
#include "viz/core/call_path.h"
#include "viz/core/session.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

std::string scenario(const char* rel) { return std::string(EPSIM_SOURCE_DIR) + "/scenarios/" + rel; }

using Path = std::vector<std::string>;

// The first event at or after `from` with this type (and function, if given).
std::size_t find(EventSpan ev, EventType t, std::size_t from = 0, KFn fn = KFn::Count_) {
    for (std::size_t i = from; i < ev.size(); ++i)
        if (ev[i].type == t && (fn == KFn::Count_ || ev[i].fn == fn)) return i;
    FAIL("no such event");
    return 0;
}

}  // namespace

TEST_CASE("call path: epoll_ctl ADD of a pipe, callees logged before their callers", "[gui][call_path]") {
    Session s;
    REQUIRE(s.load(scenario("basics/lt-2kb.scn")));
    const auto& ev = s.kernel()->log.events;
    const std::size_t link = find(ev, EventType::RbLink);
    REQUIRE(call_path(ev, link) == Path{"epoll_ctl()", "do_epoll_ctl", "ep_insert", "ep_rbtree_insert"});
    // pipe_poll logs before ep_item_poll, which logs its result after: ep_item_poll is put
    // back between ep_insert and pipe_poll.
    const std::size_t hook = find(ev, EventType::WqAdd, link);
    REQUIRE(call_path(ev, hook) ==
            Path{"epoll_ctl()", "do_epoll_ctl", "ep_insert", "ep_item_poll", "pipe_poll", "ep_ptable_queue_proc"});
    const std::size_t poll = find(ev, EventType::Poll, hook);
    REQUIRE(call_path(ev, poll) == Path{"epoll_ctl()", "do_epoll_ctl", "ep_insert", "ep_item_poll"});
    // At its exit only the syscall is left (returning); after it nothing runs.
    const std::size_t exit = find(ev, EventType::SyscallExit, poll);
    REQUIRE(call_path(ev, exit) == Path{"epoll_ctl()"});
    if (ev[exit + 1].type != EventType::SyscallEnter) REQUIRE(call_path(ev, exit + 1).empty());
}

TEST_CASE("call path: a wake-up that wakes a sleeper is a walk inside a walk", "[gui][call_path]") {
    Session s;
    REQUIRE(s.load(scenario("threads/exclusive-herd.scn")));
    const auto& ev = s.kernel()->log.events;
    const std::size_t cb = find(ev, EventType::Callback);
    REQUIRE(call_path(ev, cb) == Path{"write()", "pipe_write", "__wake_up_common", "ep_poll_callback"});
    // ep_poll_callback wakes ep->wq: a second __wake_up_common under it, whose entry is the
    // sleeping task's ep_autoremove_wake_function (try_to_wake_up logs first).
    const std::size_t ttwu = find(ev, EventType::TaskState, cb, KFn::try_to_wake_up);
    REQUIRE(call_path(ev, ttwu) == Path{"write()", "pipe_write", "__wake_up_common", "ep_poll_callback", "__wake_up_common",
                                        "ep_autoremove_wake_function", "try_to_wake_up"});
    // The inner walk's entry returns to the inner walk; the outer one's to the outer.
    const std::size_t inner_done = find(ev, EventType::WakeEntry, ttwu);
    REQUIRE(call_path(ev, inner_done) == Path{"write()", "pipe_write", "__wake_up_common", "ep_poll_callback", "__wake_up_common"});
    REQUIRE(call_path(ev, inner_done + 1) == Path{"write()", "pipe_write", "__wake_up_common"});
    // The next hook of the outer walk: a new ep_poll_callback under the outer walk.
    const std::size_t cb2 = find(ev, EventType::Callback, inner_done);
    REQUIRE(call_path(ev, cb2) == Path{"write()", "pipe_write", "__wake_up_common", "ep_poll_callback"});
    // The woken sleeper goes on inside ep_poll.
    const std::size_t woken = find(ev, EventType::TxStart, cb2);
    REQUIRE(call_path(ev, woken) == Path{"epoll_wait() woken", "ep_poll", "ep_send_events", "ep_start_scan"});
}

TEST_CASE("call path: harvesting an outer epoll polls the inner one through ep_eventpoll_poll", "[gui][call_path]") {
    Session s;
    REQUIRE(s.load(scenario("nested/edges-through-levels.scn")));
    const auto& ev = s.kernel()->log.events;
    // The first harvest that takes an item whose scan of another instance follows.
    for (std::size_t i = 0; i + 1 < ev.size(); ++i) {
        if (ev[i].type != EventType::TxTake || ev[i + 1].type != EventType::TxStart || ev[i + 1].a == ev[i].a) continue;
        REQUIRE(call_path(ev, i) == Path{"epoll_wait()", "ep_poll", "ep_send_events"});
        REQUIRE(call_path(ev, i + 1) ==
                Path{"epoll_wait()", "ep_poll", "ep_send_events", "ep_item_poll", "ep_eventpoll_poll", "ep_start_scan"});
        const std::size_t inner_poll = find(ev, EventType::Poll, i + 1);
        REQUIRE(call_path(ev, inner_poll) ==
                Path{"epoll_wait()", "ep_poll", "ep_send_events", "ep_item_poll", "ep_eventpoll_poll", "ep_item_poll"});
        const std::size_t report = find(ev, EventType::Report, i + 1);
        REQUIRE(call_path(ev, report) == Path{"epoll_wait()", "ep_poll", "ep_send_events"});
        return;
    }
    FAIL("no nested harvest in the scenario");
}

TEST_CASE("call path: a timer and a signal start their own contexts", "[gui][call_path]") {
    Session s;
    REQUIRE(s.load(scenario("time/eintr.scn")));
    const auto& ev = s.kernel()->log.events;
    const std::size_t sig = find(ev, EventType::Signal);
    REQUIRE(call_path(ev, sig) == Path{"signal sent", "signal_wake_up"});
    REQUIRE(call_path(ev, sig + 1) == Path{"signal sent", "signal_wake_up", "try_to_wake_up"});
    Session t;
    REQUIRE(t.load(scenario("time/pwait2.scn")));
    const auto& tv = t.kernel()->log.events;
    const std::size_t timer = find(tv, EventType::Clock, 0, KFn::hrtimer_wakeup);
    REQUIRE(call_path(tv, timer) == Path{"timer expired", "hrtimer_wakeup"});
    REQUIRE(call_path(tv, timer + 1) == Path{"timer expired", "hrtimer_wakeup", "try_to_wake_up"});
}

TEST_CASE("call path: every event of the scenario library is placed by the call table", "[gui][call_path]") {
    int files = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(EPSIM_SOURCE_DIR) + "/scenarios")) {
        if (entry.path().extension() != ".scn" || entry.path().string().find("/scale/") != std::string::npos) continue;
        Session s;
        if (!s.load(entry.path().string())) continue;
        ++files;
        const auto& ev = s.kernel()->log.events;
        for (std::size_t i = 0; i < ev.size(); ++i) {
            int unplaced = 0;
            const Path p = call_path(ev, i, &unplaced);
            INFO(entry.path().filename().string() << " event " << i << " " << event_type_name(ev[i].type));
            REQUIRE(unplaced == 0);
            // A function an event names is the innermost frame (or the context, at its start).
            if (ev[i].fn != KFn::none && ev[i].type != EventType::WakeBegin && !p.empty() && p.size() > 1)
                REQUIRE(p.back() == kfn_name(ev[i].fn));
        }
    }
    REQUIRE(files > 40);
}
