// timing.h - repeated measurements: warm-ups, then the median of several runs and its spread.
#pragma once
#include <functional>

namespace epsim::perf {

// One measured quantity (nanoseconds per operation) over `reps` runs.
struct Sample {
    double median = 0, min = 0, max = 0;
    int reps = 0;
    // (max - min) / median: how much the runs disagree (0.1 = 10 %).
    double spread() const { return median > 0 ? (max - min) / median : 0; }
};

double now_ns();  // a monotonic clock (steady_clock)

// Runs `once` `warmups` times unmeasured, then `reps` times; `once` returns ns per operation.
Sample measure(int warmups, int reps, const std::function<double()>& once);

}  // namespace epsim::perf
