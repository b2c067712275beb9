// explain.h - the words of the kernel panel: what the current event means, in one paragraph.
//
// The text reads the event's operands and the model state the event left; it never decides
// anything the model did not log. Pure: no GUI.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "sim/event_log.h"

namespace epsim {
class Kernel;
}

namespace epsim::viz {

// A general paragraph for the event's type ("ep_poll_callback found the epitem ...").
const char* event_type_explanation(EventType t);

// The paragraph for this event: Kernel::describe's facts plus the type's explanation and, where
// the operands say more (a callback's decision, a wake-up's key), the specific case.
// `k` is the kernel whose log holds the event (names of syscalls come from it).
std::string explain_event(const Kernel& k, const Event& e);

// The kernel functions the running call is inside at event `index`, callers first:
// "epoll_ctl()", "do_epoll_ctl", "ep_insert", "ep_item_poll", ... (call_path.h: rebuilt from
// each event's function and the known call structure). Empty before any syscall.
std::vector<std::string> kfn_path(EventSpan events, std::size_t index);

// A short title for an event's type: "rb insert, case 2: rotate left at the parent".
std::string event_title(const Event& e);

}  // namespace epsim::viz

namespace epsim::viz {
// The epitem an event is about (0 if none): what the GUI lights up in every panel.
ObjId subject_epitem(const Event& e);
}  // namespace epsim::viz
