// exports.h - the model's event log in formats people already use:
//   JSON (schema "epsim.events"), Chrome Trace Event JSON (opens in Perfetto / chrome://tracing),
//   and Graphviz DOT of each epoll instance's rb tree with rdllist and ovflist.
#pragma once
#include <string>

#include "sim/kernel.h"

namespace epsim::scn {

std::string export_events_json(const Kernel& k);
// Syscalls become slices on their task's track; callbacks, wake-ups and list moves instants.
// Time is the event's sequence number in microseconds (deterministic).
std::string export_chrome_trace(const Kernel& k);
// The state of `k` (replay_to a step first): red and black nodes, ordering=out.
std::string export_dot(const Kernel& k);

}  // namespace epsim::scn
