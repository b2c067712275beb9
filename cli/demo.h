// demo.h - `epsim demo`: the seeds' 2 KB pipe example on the model, LT then ET.
#pragma once
#include <iosfwd>

namespace epsim::cli {
struct DemoOptions {
    bool show_events = true;  // print the model's internal events under each call
    bool all_events = false;  // include rb find visits and poll results too
};
int run_demo(std::ostream& out, const DemoOptions& opt);
}  // namespace epsim::cli
