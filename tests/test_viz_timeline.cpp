// Tests for viz/core/timeline and session: the cursor over the event log (events, syscall
// boundaries, markers, Home/End), the player, and exact backward seeking by replay.
#include <catch2/catch.hpp>

#include "sim/kernel.h"
#include "viz/core/explain.h"
#include "viz/core/model_view.h"
#include "viz/core/pseudo.h"
#include "viz/core/session.h"
#include "viz/core/timeline.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

Event ev(EventType t) { return Event{t, KFn::none}; }

// 0 enter, 1 alloc, 2 exit | 3 enter, 4 wake, 5 ovf push, 6 exit | 7 enter, 8 rotate, 9 block
std::vector<Event> sample() {
    return {ev(EventType::SyscallEnter), ev(EventType::EpAlloc),    ev(EventType::SyscallExit),
            ev(EventType::SyscallEnter), ev(EventType::WakeBegin),  ev(EventType::OvfPush),
            ev(EventType::SyscallExit),  ev(EventType::SyscallEnter), ev(EventType::RbInsertCase2Left),
            ev(EventType::SyscallBlock)};
}

std::string scenario(const char* rel) { return std::string(EPSIM_SOURCE_DIR) + "/scenarios/" + rel; }

}  // namespace

TEST_CASE("viz timeline: one event at a time and Home End clamp", "[gui]") {
    Timeline tl(sample(), {});
    Cursor c(&tl);
    REQUIRE(c.pos() == 0);
    c.step(-1);
    REQUIRE(c.pos() == 0);
    c.step(1);
    c.step(1);
    REQUIRE(c.pos() == 2);
    c.end();
    REQUIRE(c.pos() == 9);
    REQUIRE(c.at_end());
    c.step(1);
    REQUIRE(c.pos() == 9);
    c.home();
    REQUIRE(c.pos() == 0);
    c.seek(1000);
    REQUIRE(c.pos() == 9);
}

TEST_CASE("viz timeline: a syscall step lands on exits blocks and step ends", "[gui]") {
    Timeline tl(sample(), {{3, 5, 12}});  // a scenario step ending at event 4
    REQUIRE(tl.boundaries() == std::vector<std::size_t>{2, 4, 6, 9});
    Cursor c(&tl);
    c.step_syscall(1);
    REQUIRE(c.pos() == 2);
    c.step_syscall(1);
    REQUIRE(c.pos() == 4);
    c.step_syscall(1);
    REQUIRE(c.pos() == 6);
    c.step_syscall(1);
    REQUIRE(c.pos() == 9);
    c.step_syscall(1);
    REQUIRE(c.pos() == 9);
    c.step_syscall(-1);
    REQUIRE(c.pos() == 6);
    c.seek(5);
    c.step_syscall(-1);
    REQUIRE(c.pos() == 4);
    c.seek(1);
    c.step_syscall(-1);
    REQUIRE(c.pos() == 0);
}

TEST_CASE("viz timeline: markers for syscalls wake-ups rotations and ovflist", "[gui]") {
    Timeline tl(sample(), {});
    std::vector<Marker> want{{0, MarkerKind::Syscall}, {3, MarkerKind::Syscall}, {4, MarkerKind::Wakeup},
                             {5, MarkerKind::Ovflist}, {7, MarkerKind::Syscall}, {8, MarkerKind::Rotation}};
    REQUIRE(tl.markers() == want);
    Cursor c(&tl);
    c.marker(1);
    REQUIRE(c.pos() == 3);
    c.marker(1);
    REQUIRE(c.pos() == 4);
    c.marker(1, marker_bit(MarkerKind::Rotation));
    REQUIRE(c.pos() == 8);
    c.marker(1);
    REQUIRE(c.pos() == 8);  // no marker after: stays
    c.marker(-1, marker_bit(MarkerKind::Ovflist));
    REQUIRE(c.pos() == 5);
    c.marker(-1);
    REQUIRE(c.pos() == 4);
    tl.add_marker(6, MarkerKind::Divergence);
    c.marker(1);
    REQUIRE(c.pos() == 5);
    c.marker(1);
    REQUIRE(c.pos() == 6);
}

TEST_CASE("viz timeline: an empty log keeps the cursor at 0", "[gui]") {
    Timeline tl;
    Cursor c(&tl);
    c.step(1);
    c.end();
    c.step_syscall(1);
    c.marker(1);
    REQUIRE(c.pos() == 0);
    REQUIRE_FALSE(c.valid());
}

TEST_CASE("viz timeline: the player turns time into events", "[gui]") {
    Player p;
    p.speed = 4;
    REQUIRE(p.tick(1.0) == 0);  // paused
    p.toggle();
    REQUIRE(p.tick(0.5) == 2);
    REQUIRE(p.tick(0.1) == 0);
    REQUIRE(p.tick(0.15) == 1);  // 0.4 + 0.6 accumulated
    p.faster();
    REQUIRE(p.speed == 8);
    p.slower();
    p.slower();
    REQUIRE(p.speed == 2);
}

TEST_CASE("viz session: the LT scenario loads and steps map to lines", "[gui]") {
    Session s;
    REQUIRE(s.load(scenario("basics/lt-2kb.scn")));
    REQUIRE(s.error.empty());
    REQUIRE(s.kernel());
    REQUIRE(s.timeline.size() == s.kernel()->log.events.size());
    REQUIRE(s.timeline.size() > 20);
    // The first event belongs to `ep = epoll_create1(0)` (line 5), whose narration is the
    // opening say.
    int st = s.timeline.step_at(0);
    REQUIRE(st >= 0);
    REQUIRE(s.trace.steps[static_cast<std::size_t>(st)].line == 5);
    REQUIRE(s.narration_at(0).find("level-triggered") != std::string::npos);
    // The last event: the narration is the last say.
    REQUIRE(s.narration_at(s.timeline.size() - 1).find("Drain it") != std::string::npos);
}

TEST_CASE("viz session: a missing or broken file reports an error", "[gui]") {
    Session s;
    REQUIRE_FALSE(s.load("/nonexistent/file.scn"));
    REQUIRE_FALSE(s.error.empty());
    REQUIRE_FALSE(s.loaded());
}

TEST_CASE("viz session: seeking backward restores the earlier state exactly", "[gui]") {
    Session s;
    REQUIRE(s.load(scenario("basics/lt-2kb.scn")));
    const auto& events = s.kernel()->log.events;
    // The first rdllist.add_tail: the write queued the epitem.
    std::size_t queued = 0;
    while (events[queued].type != EventType::RdlAddTail) ++queued;
    StateCache cache(s.kernel());
    ModelView at_queue = build_view(*cache.at(queued));
    REQUIRE(at_queue.eps.size() == 1);
    REQUIRE(at_queue.eps[0].rdllist.size() == 1);
    ModelView before = build_view(*cache.at(queued - 1));
    REQUIRE(before.eps[0].rdllist.empty());
    ModelView end = build_view(*cache.at(events.size() - 1));
    REQUIRE(end.eps[0].tree.nodes.size() == 1);
    // Back again: the same state as the first visit.
    ModelView again = build_view(*cache.at(queued));
    REQUIRE(again.eps[0].rdllist == at_queue.eps[0].rdllist);
    REQUIRE(again.epis.size() == at_queue.epis.size());
    REQUIRE(again.files.size() == at_queue.files.size());
    // Asking twice for the same index replays once.
    std::size_t n = cache.replays();
    cache.at(queued);
    REQUIRE(cache.replays() == n);
    // The state at the last event is the run's final state.
    REQUIRE(build_view(*cache.at(events.size() - 1)).epis.size() == build_view(*s.kernel()).epis.size());
}

TEST_CASE("viz session: the ovflist scenario shows a chain during the scan", "[gui]") {
    Session s;
    REQUIRE(s.load(scenario("ordering/ovflist-window.scn")));
    const auto& events = s.kernel()->log.events;
    std::size_t push = 0;
    while (push < events.size() && events[push].type != EventType::OvfPush) ++push;
    REQUIRE(push < events.size());
    StateCache cache(s.kernel());
    ModelView v = build_view(*cache.at(push));
    REQUIRE(v.eps[0].scanning);
    REQUIRE(v.eps[0].ovflist.size() == 1);
    REQUIRE(v.eps[0].txlist.size() == 3);
    REQUIRE(list_rows(v.eps[0])[2].front() == key_ovf(v.eps[0].ovflist.front()));
    REQUIRE(subject_epitem(events[push]) == v.eps[0].ovflist.front());
    REQUIRE_FALSE(std::string(event_type_explanation(EventType::OvfPush)).empty());
    // ep_poll_callback's path within the write() call.
    auto path = kfn_path(events, push);
    REQUIRE(path.front() == "write()");
    REQUIRE(std::find(path.begin(), path.end(), "ep_poll_callback") != path.end());
}

TEST_CASE("viz session: list_scenarios groups the library by topic", "[gui]") {
    auto all = list_scenarios(std::string(EPSIM_SOURCE_DIR) + "/scenarios");
    REQUIRE(all.size() > 20);
    bool basics = false;
    for (const auto& [topic, path] : all)
        if (topic == "basics" && path.find("lt-2kb.scn") != std::string::npos) basics = true;
    REQUIRE(basics);
}

TEST_CASE("viz kernel panel: the call path and the pseudo-code line of a callback", "[gui]") {
    Session s;
    REQUIRE(s.load(scenario("basics/lt-2kb.scn")));
    const auto& events = s.kernel()->log.events;
    std::size_t cb = 0;
    while (events[cb].type != EventType::RdlAddTail || events[cb].fn != KFn::ep_poll_callback) ++cb;
    // write() -> pipe_write -> __wake_up_common -> ep_poll_callback, in call order.
    auto path = kfn_path(events, cb);
    REQUIRE(path == std::vector<std::string>{"write()", "pipe_write", "__wake_up_common", "ep_poll_callback"});
    int line = -1;
    const PseudoCode* pc = pseudo_code_for(events[cb], line);
    REQUIRE(pc);
    REQUIRE(std::string(pc->function) == "ep_poll_callback");
    REQUIRE(line >= 0);
    REQUIRE(std::string(pc->lines[static_cast<std::size_t>(line)]).find("list_add_tail") != std::string::npos);
    for (const PseudoCode& c : all_pseudo_code()) REQUIRE_FALSE(c.lines.empty());
}
