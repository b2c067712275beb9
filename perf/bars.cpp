// bars.cpp - the performance issue's targets, computed from the rows and figures of one run.
// A bar whose inputs are missing (fd limit, failed child) is "not measured" and fails.
#include <cstdio>

#include "suite.h"

namespace epsim::perf {

namespace {

const Figure* figure(const Report& r, const std::string& name) {
    for (const Figure& f : r.figures)
        if (f.name == name) return &f;
    return nullptr;
}

std::string num(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%.3g", v);
    return b;
}

// model time / kernel time for the same op at the same size.
Bar ratio_bar(const Report& r, const std::string& name, const std::string& side, const std::string& op, long n, int k,
              double limit) {
    Bar b{name, 0, limit, "x kernel", "", false};
    const Row* m = r.find("compare", side, op, n, k);
    const Row* h = r.find("compare", "kernel", op, n, k);
    b.detail = side + " / kernel, " + op + ", N=" + std::to_string(n) + (k ? ", k=" + std::to_string(k) : "");
    if (m && h && h->ns.median > 0 && m->ns.median > 0) {
        b.value = m->ns.median / h->ns.median;
        b.measured = true;
        b.detail += " (" + num(m->ns.median) + " ns vs " + num(h->ns.median) + " ns)";
    }
    return b;
}

}  // namespace

void add_bars(Report& r, const Plan& p) {
    const long n = p.compare_n.back();
    const int k = p.harvest_k;
    r.bars.push_back(ratio_bar(r, "model.add_del.recording_off", "model-off", "add+del", n, 0, 0.25));
    r.bars.push_back(ratio_bar(r, "model.add_del.recording_on", "model-on", "add+del", n, 0, 1.0));
    r.bars.push_back(ratio_bar(r, "model.harvest.recording_off", "model-off", "harvest", n, k, 0.25));
    r.bars.push_back(ratio_bar(r, "model.harvest.recording_on", "model-on", "harvest", n, k, 1.0));
    {  // no bar: the same harvest with the log on 4 KiB pages, to show what huge pages save
        const Bar b = ratio_bar(r, "", "model-on-4k", "harvest", n, k, 1.0);
        if (b.measured)
            r.figures.push_back(Figure{"harvest.recording_on.4k_pages", b.value, "x kernel",
                                       "the recording-on harvest with the event log on 4 KiB pages: " + b.detail});
    }

    {  // flat: the model's epoll_wait at the largest N vs at N = 1,000, same k (run_flat)
        Bar b{"model.epoll_wait.flat", 0, 1.2, "x", "", false};
        if (const Figure* f = figure(r, "flat.median_ratio")) {
            b.value = f->value;
            b.measured = true;
            b.detail = "median over ready sets, recording off: " + f->detail;
        } else {
            b.detail = "not measured: needs a growth curve past N=" + std::to_string(p.flat_small_n);
        }
        r.bars.push_back(b);
    }
    {  // memory: 1,000,000 watched eventfds, recording off
        Bar b{"model.memory.1M_watched", 0, 512, "MiB", "", false};
        const Figure* per_fd = figure(r, "memory.bytes_per_watched_fd");
        if (per_fd) {
            b.value = per_fd->value * 1e6 / (1024.0 * 1024.0);
            b.measured = true;
            b.detail = "peak RSS for 1,000,000 watched fds" +
                       (p.memory_n == 1000000 ? std::string(", measured")
                                              : ", extrapolated from N=" + std::to_string(p.memory_n)) +
                       " (" + num(per_fd->value) + " B per watched fd)";
        }
        r.bars.push_back(b);
    }
    {  // the event log stays compact
        Bar b{"model.log.bytes_per_event", 0, 64, "B/event", "", false};
        if (const Figure* f = figure(r, "log.bytes_per_event")) {
            b.value = f->value;
            b.measured = true;
            const Figure* ev = figure(r, "log.events");
            b.detail = "(RSS on - RSS off) / events, " + std::to_string(p.log_ops) + " syscalls" +
                       (ev ? ", " + num(ev->value) + " events" : "");
        }
        r.bars.push_back(b);
    }
    {  // seeking to any event
        Bar b{"model.seek.worst", 0, 50, "ms", "", false};
        if (const Figure* f = figure(r, "seek.worst_ms")) {
            b.value = f->value;
            b.measured = true;
            const Figure* ev = figure(r, "seek.run_events");
            b.detail = "slowest seek in a run of " + (ev ? num(ev->value) : std::string("?")) + " events (snapshots: sim/checkpoints.h)";
        }
        r.bars.push_back(b);
    }
}

}  // namespace epsim::perf
