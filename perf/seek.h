// seek.h - bringing the model to the state right after any event of a recorded run.
//
// The one place the bench (and anything else timing it) seeks: today a deterministic replay
// (Kernel::replay_to); when the model gains checkpoints, only this function changes.
#pragma once
#include <cstdint>
#include <memory>

#include "sim/kernel.h"

namespace epsim::perf {

std::unique_ptr<Kernel> seek_model(const Kernel& k, std::uint64_t index);

}  // namespace epsim::perf
