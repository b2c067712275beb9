// memory_probe.h - peak memory of a piece of work, measured in a child process so that the
// bench's own heap does not count: fork, run the work, read getrusage(RUSAGE_SELF).ru_maxrss.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>

namespace epsim::perf {

// The child's peak RSS in bytes, or nullopt if the child failed. The child reports through a
// pipe, then _exit()s; `work` may return a number (events logged, say) passed back in `value`.
std::optional<std::uint64_t> child_peak_rss(const std::function<std::uint64_t()>& work,
                                            std::uint64_t* value = nullptr);

// Peak RSS of `work` minus that of a child that does nothing (what fork itself maps).
std::optional<std::uint64_t> peak_rss_of(const std::function<std::uint64_t()>& work,
                                         std::uint64_t* value = nullptr);

}  // namespace epsim::perf
