// call_path.h - the kernel functions the running call is inside at one event: the kernel
// panel's "epoll_ctl() > do_epoll_ctl > ep_insert > ep_item_poll > pipe_poll >
// ep_ptable_queue_proc". Pure, no GUI.
//
// Every event names the function it happened in (Event::fn), but not the callers. They are
// rebuilt with the known call structure (kCalls in call_path.cpp: who calls whom in Linux
// 6.18's fs/eventpoll.c, fs/pipe.c, fs/eventfd.c, net/unix, kernel/sched/wait.c) and a stack:
//   - a function called directly by a frame on the stack (the innermost such) was called from
//     there: what ran above that frame has returned (recursion, as in nested walks, is a new
//     frame);
//   - else a function already on the stack is running again: pop to it;
//   - else it was reached through callers that logged nothing yet (events are logged after
//     their mutation, so ep_item_poll's own event comes after pipe_poll's): the shortest chain
//     of calls from the deepest frame that has one is pushed;
//   - wq.wake is logged by the caller of __wake_up_common: the caller, then a new
//     __wake_up_common frame for that queue; wq.wake.entry returns to the walk of its queue;
//   - the running context starts at syscall.enter (the root is the syscall: "write()"), at a
//     paused harvest that resumes, at epoll_wait's task running again after a sleep, at a
//     timer that expires (clock.advance in hrtimer_wakeup) or a signal the scenario sends; it
//     ends at its syscall.exit (after it, nothing runs: the path is empty).
// A function the table does not place (it should not happen) is pushed on top, as before.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/event_log.h"

namespace epsim::viz {

// Oldest first; the first entry is the context ("write()", "epoll_wait() woken").
// `unplaced` (optional) counts the functions the table could not place under a caller.
std::vector<std::string> call_path(EventSpan events, std::size_t index, int* unplaced = nullptr);

// True for the events that begin a running context (see above).
bool starts_context(const Event& e);

// True if the table says `caller` calls `callee` directly (for tests and the docs).
bool calls(KFn caller, KFn callee);

}  // namespace epsim::viz
