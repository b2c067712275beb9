// seek.h - bringing the model to the state right after any event of a recorded run.
//
// The one place the bench (and anything else timing it) seeks: snapshots of the run
// (sim/checkpoints.h), built once, then each seek clones the nearest snapshot at or before
// the event and re-runs only the calls after it. The seek is state-only
// (Checkpoints::seek_state): the log before the snapshot stays in the recorded kernel, so a
// seek costs one clone and at most one spacing of events, not the run's length.
#pragma once
#include <cstdint>
#include <memory>

#include "sim/checkpoints.h"
#include "sim/kernel.h"

namespace epsim::perf {

class ModelSeeker {
public:
    explicit ModelSeeker(const Kernel& recorded) : points_(recorded) {}
    // The state right after event `index`: recorded.replay_to(index)'s state, log.size()
    // included; its log holds only the events since the snapshot, and no commands.
    std::unique_ptr<Kernel> seek(std::uint64_t index) const { return points_.seek_state(index); }
    const Checkpoints& checkpoints() const { return points_; }

private:
    Checkpoints points_;
};

}  // namespace epsim::perf
