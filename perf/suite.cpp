// suite.cpp - see suite.h: the plan and the order of the parts.
#include "suite.h"

#include <sys/utsname.h>

#include <algorithm>
#include <fstream>
#include <thread>

#include "host_work.h"
#include "runner/log_memory.h"

namespace epsim::perf {

Plan make_plan(const SuiteOptions& o) {
    Plan p;
    p.quick = o.quick;
    p.progress = o.progress;
    const long max_n = o.max_n > 0 ? o.max_n : (o.quick ? 10000 : 1000000);
    const long budget = std::max(10, host_fd_budget() - 16);
    p.compare_n = {1000, std::min(10000L, budget)};
    for (long n : {10L, 30L, 100L, 300L, 1000L, 3000L, 10000L})
        if (n < budget && (!o.quick || n <= 1000)) p.kernel_growth_n.push_back(n);
    if (!o.quick) p.kernel_growth_n.push_back(budget);
    for (long n = 10; n <= max_n; n *= 10) p.model_growth_n.push_back(n);
    if (p.model_growth_n.empty() || p.model_growth_n.back() != max_n) p.model_growth_n.push_back(max_n);
    p.flat_small_n = std::min(1000L, max_n);
    if (o.quick) {
        p.warmups = 1;
        p.reps = 5;
        p.churn_ops = 500;
        p.harvest_rounds = 20;
        p.memory_n = 10000;
        p.log_ops = 40000;
        p.seek_events = 20000;
        p.seek_long_events = 0;
    } else {
        p.memory_n = std::min(1000000L, std::max(max_n, 1000L));
    }
    return p;
}

std::string machine_description() {
    std::string cpu;
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) {
            cpu = line.substr(line.find(':') + 2);
            break;
        }
    utsname u{};
    uname(&u);
    return std::string("Linux ") + u.release + ", " + (cpu.empty() ? "unknown CPU" : cpu) + ", " +
           std::to_string(std::thread::hardware_concurrency()) + " CPUs, model event log on " + log_memory_description();
}

Report run_suite(const SuiteOptions& o) {
    const Plan p = make_plan(o);
    Report r;
    r.quick = o.quick;
    r.machine = machine_description();
    run_memory(r, p);  // first: forked children must not inherit a large heap
    run_compare(r, p);
    run_kernel_growth(r, p);
    run_model_growth(r, p);
    run_seek(r, p);
    add_bars(r, p);
    return r;
}

}  // namespace epsim::perf
