// wake_walk.cpp - wake-up walks read from the event log (see wake_walk.h).
#include "viz/core/wake_walk.h"

#include "viz/core/call_path.h"

namespace epsim::viz {

const char* decision_words(CallbackDecision d) {
    switch (d) {
        case CallbackDecision::IgnoredDisarmed: return "ignored: disarmed";
        case CallbackDecision::IgnoredMask: return "ignored: mask";
        case CallbackDecision::Queued: return "queued on rdllist";
        case CallbackDecision::AlreadyLinked: return "coalesced: linked";
        case CallbackDecision::Chained: return "chained: ovflist";
        case CallbackDecision::AlreadyChained: return "coalesced: chained";
    }
    return "?";
}


std::vector<WakeWalk> wake_walks_at(EventSpan events, std::size_t index) {
    std::vector<WakeWalk> walks;
    if (index >= events.size()) return walks;
    std::size_t start = index;
    while (start > 0 && !starts_context(events[start])) --start;
    std::vector<std::size_t> stack;  // indices into walks of the walks in progress, innermost last
    // The step being called now in walk w: its last one if not done, else a new one.
    auto current = [&](std::size_t w) -> WalkStep& {
        std::vector<WalkStep>& s = walks[w].steps;
        if (s.empty() || s.back().done) s.emplace_back();
        return s.back();
    };
    for (std::size_t i = start; i <= index; ++i) {
        const Event& e = events[i];
        if (e.type == EventType::WakeBegin) {
            WakeWalk w;
            w.queue = e.a;
            w.key = static_cast<std::uint32_t>(e.x);
            w.begin = i;
            w.running = true;
            // A walk begun from inside a callback is called by the entry being called.
            walks.push_back(w);
            stack.push_back(walks.size() - 1);
        } else if (e.type == EventType::WakeEntry) {
            // The entry returned: walks begun inside its call are over.
            while (!stack.empty() && walks[stack.back()].queue != e.a) {
                walks[stack.back()].running = false;
                stack.pop_back();
            }
            if (stack.empty()) continue;
            WalkStep& s = current(stack.back());
            s.entry = e.b;
            s.owner = e.c;
            s.ret = static_cast<int>(static_cast<std::int64_t>(e.x));
            s.done = true;
        } else if (e.type == EventType::Callback && !stack.empty()) {
            // The callback of the entry the innermost walk is calling (a nested walk it starts
            // comes after this event).
            WalkStep& s = current(stack.back());
            s.owner = e.b;
            s.has_decision = true;
            s.decision = static_cast<CallbackDecision>(e.y);
        } else if (e.type == EventType::SyscallExit || e.type == EventType::SyscallBlock) {
            for (std::size_t w : stack) walks[w].running = false;
            stack.clear();
        }
    }
    return walks;
}

}  // namespace epsim::viz
