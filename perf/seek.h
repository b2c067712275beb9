// seek.h - bringing the model to the state right after any event of a recorded run.
//
// The one place the bench (and anything else timing it) seeks: snapshots of the run
// (sim/checkpoints.h), built once, then each seek clones the nearest snapshot at or before
// the event and re-runs only the calls after it.
#pragma once
#include <cstdint>
#include <memory>

#include "sim/checkpoints.h"
#include "sim/kernel.h"

namespace epsim::perf {

class ModelSeeker {
public:
    explicit ModelSeeker(const Kernel& recorded) : points_(recorded) {}
    // The state right after event `index`; equal to recorded.replay_to(index).
    std::unique_ptr<Kernel> seek(std::uint64_t index) const { return points_.seek(index); }
    const Checkpoints& checkpoints() const { return points_; }

private:
    Checkpoints points_;
};

}  // namespace epsim::perf
