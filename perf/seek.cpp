// seek.cpp - see seek.h.
#include "seek.h"

namespace epsim::perf {

std::unique_ptr<Kernel> seek_model(const Kernel& k, std::uint64_t index) { return k.replay_to(index); }

}  // namespace epsim::perf
