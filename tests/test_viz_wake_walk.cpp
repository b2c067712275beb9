// Tests for viz/core/wake_walk: which hooks a wake-up has called so far, with its key and each
// callback's decision, read from the event log (nested walks included).
#include <catch2/catch.hpp>

#include <string>

#include "sim/kernel.h"
#include "viz/core/session.h"
#include "viz/core/wake_walk.h"

using namespace epsim;
using namespace epsim::viz;

TEST_CASE("wake walk: each called hook with the key and its decision, nested walks apart", "[gui][wake_walk]") {
    Session s;
    REQUIRE(s.load(std::string(EPSIM_SOURCE_DIR) + "/scenarios/threads/exclusive-herd.scn"));
    const auto& ev = s.kernel()->log.events;
    std::size_t begin = 0;
    while (ev[begin].type != EventType::WakeBegin) ++begin;  // pipe_write wakes rd_wait
    const ObjId rd_wait = ev[begin].a;
    std::size_t cb1 = begin;
    while (ev[cb1].type != EventType::Callback) ++cb1;
    std::size_t cb2 = cb1 + 1;
    while (ev[cb2].type != EventType::Callback) ++cb2;

    // At the first callback: one walk, running, its first hook being called, decision known.
    auto w = wake_walks_at(ev, cb1);
    REQUIRE(w.size() == 1);
    REQUIRE(w[0].queue == rd_wait);
    REQUIRE(w[0].running);
    REQUIRE(w[0].key == static_cast<std::uint32_t>(ev[begin].x));
    REQUIRE(w[0].steps.size() == 1);
    REQUIRE(w[0].steps[0].owner == ev[cb1].b);
    REQUIRE(w[0].steps[0].has_decision);
    REQUIRE(w[0].steps[0].decision == CallbackDecision::Queued);
    REQUIRE_FALSE(w[0].steps[0].done);

    // At the second callback: the first hook returned 1 (after its callback woke ep->wq: a
    // walk of its own, over now), the second is being called.
    w = wake_walks_at(ev, cb2);
    REQUIRE(w.size() == 2);  // rd_wait, and the ep->wq the first callback woke
    REQUIRE(w[0].queue == rd_wait);
    REQUIRE(w[0].running);
    REQUIRE(w[0].steps.size() == 2);
    REQUIRE(w[0].steps[0].done);
    REQUIRE(w[0].steps[0].ret == 1);
    REQUIRE(w[0].steps[0].entry != 0);
    REQUIRE(w[0].steps[1].owner == ev[cb2].b);
    REQUIRE_FALSE(w[0].steps[1].done);
    REQUIRE_FALSE(w[1].running);
    REQUIRE(w[1].steps.size() == 1);  // the sleeping task's entry
    REQUIRE_FALSE(w[1].steps[0].has_decision);
    // The second callback wakes its instance's wq in turn: a third walk, under the first.
    std::size_t nested = cb2;
    while (ev[nested].type != EventType::WakeBegin) ++nested;
    w = wake_walks_at(ev, nested);
    REQUIRE(w.size() == 3);
    REQUIRE(w[2].running);
    REQUIRE(w[2].queue != rd_wait);
    REQUIRE(w[0].running);
    REQUIRE(std::string(decision_words(CallbackDecision::IgnoredMask)) == "ignored: mask");

    // After the syscall returns, nothing of it is walking.
    std::size_t exit = cb2;
    while (ev[exit].type != EventType::SyscallExit) ++exit;
    for (const WakeWalk& x : wake_walks_at(ev, exit)) REQUIRE_FALSE(x.running);
}
