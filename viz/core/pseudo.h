// pseudo.h - our own annotated pseudo-code of the eventpoll functions the model logs, with the
// line each event stands for, for the kernel panel. Written for teaching from the documented
// behaviour (and the model's code); not kernel source.
#pragma once
#include <string>
#include <vector>

#include "sim/event_log.h"

namespace epsim::viz {

struct PseudoCode {
    const char* function = "";          // "ep_poll_callback"
    std::vector<const char*> lines;     // indented text
};

// The pseudo-code for the function this event happens in, and the 0-based line the event
// stands for (-1 if no line matches). Null if that function has no pseudo-code here.
const PseudoCode* pseudo_code_for(const Event& e, int& line);

// Every function with pseudo-code (for tests and docs).
const std::vector<PseudoCode>& all_pseudo_code();

}  // namespace epsim::viz
