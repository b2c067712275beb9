// suite_growth.cpp - how the cost of one readiness check grows with N watched fds, k ready:
// poll(2), select(2) and epoll_wait(2) on the kernel up to its fd limit, and the model's
// epoll_wait (and poll) up to max_n, with its work counters.
#include <algorithm>
#include <cstdio>
#include <set>

#include "host_work.h"
#include "model_work.h"
#include "suite.h"

namespace epsim::perf {

namespace {
// k = 1, k = 1 % of N, and (for the flat bar) the bar's k where N allows it.
std::vector<int> ready_counts(long n, long flat_k) {
    std::set<int> ks{1, static_cast<int>(std::max(1L, n / 100))};
    if (flat_k <= n) ks.insert(static_cast<int>(flat_k));
    return {ks.begin(), ks.end()};
}
// Short runs (about 20,000 items examined, some 0.1 to 5 ms): on a shared machine most runs
// then escape preemption, and the median of many runs is the undisturbed cost.
int rounds_for(long n, int k, bool scans_all) {
    const long per_round = scans_all ? n : k;
    return static_cast<int>(std::clamp(20000L / std::max(1L, per_round), 3L, 200L));
}
}  // namespace

void run_kernel_growth(Report& r, const Plan& p) {
    for (long n : p.kernel_growth_n) {
        p.say("kernel growth: N=" + std::to_string(n));
        HostWatchSet s(static_cast<int>(n), false);
        if (!s.ok()) continue;
        for (int k : ready_counts(n, 1)) {  // the kernel's curves: k = 1 and 1 %
            host_make_ready(s, k);
            const int er = rounds_for(n, k, false), sr = rounds_for(n, k, true);
            r.rows.push_back(Row{"kernel-growth", "kernel", "epoll_wait", n, k,
                                 measure(p.warmups, p.reps, [&] { return host_epoll_wait_scan(s, k, er); }), {}});
            r.rows.push_back(Row{"kernel-growth", "kernel", "poll", n, k,
                                 measure(p.warmups, p.reps, [&] { return host_poll_scan(s, sr); }), {}});
            if (host_select_scan(s, 1) >= 0)  // every fd below FD_SETSIZE
                r.rows.push_back(Row{"kernel-growth", "kernel", "select", n, k,
                                     measure(p.warmups, p.reps, [&] { return host_select_scan(s, sr); }), {}});
            host_make_unready(s, k);
        }
    }
}

namespace {
// The flat bar: epoll_wait with k ready at the largest N against N = flat_small_n, for several
// ready sets. One set can put its k items on memory that collides in the CPU caches (where the
// pages land physically), costing up to 1.8x in one run here while other sets cost 1.0x: that
// is placement, not the algorithm (items_scanned = k at every N). The bar takes the median
// ratio over the sets, each measured right after the small set so both see the same machine.
void run_flat(Report& r, const Plan& p, ModelWatchSet& big) {
    const int k = static_cast<int>(p.flat_k);
    ModelWatchSet small(static_cast<int>(p.flat_small_n), false, false);
    model_make_ready(small, k);
    const int rounds = rounds_for(static_cast<long>(big.fds.size()), k, false);
    std::vector<double> ratios;
    for (int set = 0; set < p.ready_sets; ++set) {
        const std::size_t offset = p.ready_set(set);
        model_make_ready(big, k, offset);
        const Sample hi = measure(p.warmups, p.reps, [&] { return model_epoll_wait_scan(big, k, rounds); });
        const Sample lo = measure(p.warmups, p.reps, [&] { return model_epoll_wait_scan(small, k, rounds); });
        model_make_unready(big, k, offset);
        if (hi.median > 0 && lo.median > 0) ratios.push_back(hi.median / lo.median);
    }
    if (ratios.empty()) return;
    std::sort(ratios.begin(), ratios.end());
    std::string each;
    for (double v : ratios) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%s%.3f", each.empty() ? "" : " ", v);
        each += buf;
    }
    const std::string what = "epoll_wait k=" + std::to_string(k) + ", N=" + std::to_string(big.fds.size()) +
                             " / N=" + std::to_string(p.flat_small_n) + ", " + std::to_string(ratios.size()) +
                             " ready sets, sorted: " + each;
    r.figures.push_back(Figure{"flat.median_ratio", ratios[ratios.size() / 2], "x", what});
    r.figures.push_back(Figure{"flat.worst_ratio", ratios.back(), "x", "the slowest ready set of the same"});
}
}  // namespace

void run_model_growth(Report& r, const Plan& p) {
    for (long n : p.model_growth_n) {
        p.say("model growth: N=" + std::to_string(n));
        ModelWatchSet s(static_cast<int>(n), false, false);
        {
            // Churn at this size: rb-tree nodes visited per insert grow with log N.
            std::map<std::string, double> w;
            const int ops = static_cast<int>(std::min<long>(p.churn_ops, n * 4));
            Sample t = measure(p.warmups, p.reps, [&] { return model_add_del(s, ops, &w); });
            r.rows.push_back(Row{"model-growth", "model-off", "add+del", n, 0, t, w});
        }
        for (int k : ready_counts(n, p.flat_k)) {
            model_make_ready(s, k);
            std::map<std::string, double> w;
            const int er = rounds_for(n, k, false);
            Sample t = measure(p.warmups, p.reps, [&] { return model_epoll_wait_scan(s, k, er, &w); });
            r.rows.push_back(Row{"model-growth", "model-off", "epoll_wait", n, k, t, w});
            if (n <= 100000 && k == std::max(1L, n / 100)) {  // the model's poll: O(N), for contrast
                std::map<std::string, double> pw;
                const int pr = rounds_for(n, k, true);
                Sample pt = measure(1, p.quick ? 3 : 7, [&] { return model_poll_scan(s, pr, &pw); });
                r.rows.push_back(Row{"model-growth", "model-off", "poll", n, k, pt, pw});
            }
            model_make_unready(s, k);
        }
        if (n == p.model_growth_n.back() && n > p.flat_small_n) run_flat(r, p, s);
    }
}

}  // namespace epsim::perf
