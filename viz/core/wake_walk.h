// wake_walk.h - which wait-queue entries a wake-up has called so far, and what each decided,
// read from the event log (pure, no GUI).
//
// __wake_up_common logs wq.wake (the queue, the key), then for each entry it calls: the
// entry's own events (ep_poll_callback logs ep.callback with its decision, before it touches
// a list), then wq.wake.entry (the entry, its owner, the return value). A callback can wake
// another queue (ep->wq, ep->poll_wait): walks nest, so the log is read with a stack.
//
// wake_walks_at(events, i) gives the walks of the running context (since the syscall, resume
// or wake-up that started it) as they stand right after event i: the wait-queue panel lights
// each called hook with the key and the decision, and marks the one being called.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/event_log.h"

namespace epsim::viz {

struct WalkStep {
    ObjId entry = 0;      // the wait entry (0 while its call runs and logged nothing of it yet)
    ObjId owner = 0;      // the epitem (ep_poll_callback) or the task it wakes
    bool done = false;    // wq.wake.entry logged: the call returned
    int ret = 0;          // its return value (counts for exclusive entries)
    bool has_decision = false;
    CallbackDecision decision = CallbackDecision::Queued;  // ep_poll_callback's
};

struct WakeWalk {
    ObjId queue = 0;
    std::uint32_t key = 0;        // 0 = no key: every entry is called
    std::size_t begin = 0;        // the wq.wake event
    bool running = false;         // still walking at the index asked for
    std::vector<WalkStep> steps;  // in call order
};

// Walks begun in the running context up to `index`, oldest first.
std::vector<WakeWalk> wake_walks_at(EventSpan events, std::size_t index);

// Short words for a hook box: "queued on rdllist", "ignored: mask", "coalesced: linked", ...
const char* decision_words(CallbackDecision d);

}  // namespace epsim::viz
