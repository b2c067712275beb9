// timing.cpp - see timing.h.
#include "timing.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace epsim::perf {

double now_ns() {
    return static_cast<double>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

Sample measure(int warmups, int reps, const std::function<double()>& once) {
    for (int i = 0; i < warmups; ++i) once();
    std::vector<double> v;
    for (int i = 0; i < std::max(reps, 1); ++i) v.push_back(once());
    std::sort(v.begin(), v.end());
    Sample s;
    s.reps = static_cast<int>(v.size());
    s.min = v.front();
    s.max = v.back();
    const std::size_t m = v.size() / 2;
    s.median = v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
    return s;
}

}  // namespace epsim::perf
