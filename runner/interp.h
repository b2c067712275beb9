// interp.h - runs a parsed scenario on a Backend and records a Trace.
#pragma once
#include "ast.h"
#include "backend.h"
#include "trace.h"

namespace epsim::scn {

struct RunOptions {
    bool capture_fdinfo = false;  // after each epoll_ctl, record the interest list (mirror)
};

// Runs `script` on `backend`. Expectations are checked as the run goes; a runtime problem
// (a watchdog, a call the model cannot run) stops the run and is reported in Trace::error.
Trace run_script(const Script& script, Backend& backend, const RunOptions& opt = {});

}  // namespace epsim::scn
