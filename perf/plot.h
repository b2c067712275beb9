// plot.h - the growth curves as data files and a gnuplot script, rendered to PNG.
#pragma once
#include <string>

#include "report.h"

namespace epsim::perf {

// Writes DIR/perf-*.dat (one series each: N, median, min, max ns), DIR/perf-growth.gp, and runs
// gnuplot to make DIR/perf-growth.png. Returns "" or what went wrong.
std::string write_plot(const Report& r, const std::string& dir);

}  // namespace epsim::perf
