// suite_compare.cpp - model vs kernel on the same work, side by side: ADD+DEL churn, MOD, and
// readiness storms (k written, one epoll_wait drains them), at N = 1,000 and 10,000.
#include "host_work.h"
#include "model_work.h"
#include "runner/log_memory.h"
#include "suite.h"

namespace epsim::perf {

namespace {
Row row(const std::string& side, const std::string& op, long n, int k, Sample s, std::map<std::string, double> w = {}) {
    return Row{"compare", side, op, n, k, s, std::move(w)};
}
}  // namespace

void run_compare(Report& r, const Plan& p) {
    const int k = p.harvest_k;
    for (long n : p.compare_n) {
        p.say("compare: kernel, N=" + std::to_string(n));
        {  // one set at a time: two sets of 10,000 would not fit under RLIMIT_NOFILE
            HostWatchSet churn(static_cast<int>(n), false);
            if (!churn.ok()) continue;  // the fd limit: the bars say "n/a"
            r.rows.push_back(row("kernel", "add+del", n, 0,
                                 measure(p.warmups, p.reps, [&] { return host_add_del(churn, p.churn_ops); })));
            r.rows.push_back(row("kernel", "mod", n, 0,
                                 measure(p.warmups, p.reps, [&] { return host_mod(churn, p.churn_ops); })));
        }
        {
            HostWatchSet storm(static_cast<int>(n), true);
            if (!storm.ok()) continue;
            r.rows.push_back(row("kernel", "harvest", n, k,
                                 measure(p.warmups, p.reps, [&, set = 0]() mutable {
                                     return host_harvest(storm, k, p.harvest_rounds, p.ready_set(set++));
                                 })));
        }
        for (bool record : {false, true}) {
            const std::string side = record ? "model-on" : "model-off";
            p.say("compare: " + side + ", N=" + std::to_string(n));
            ModelWatchSet churn(static_cast<int>(n), false, record);
            ModelWatchSet storm(static_cast<int>(n), true, record);
            std::map<std::string, double> w_churn, w_mod, w_storm;
            Sample s_churn = measure(p.warmups, p.reps, [&] { return model_add_del(churn, p.churn_ops, &w_churn); });
            Sample s_mod = measure(p.warmups, p.reps, [&] { return model_mod(churn, p.churn_ops, &w_mod); });
            Sample s_storm =
                measure(p.warmups, p.reps, [&, set = 0]() mutable {
                    return model_harvest(storm, k, p.harvest_rounds, &w_storm, p.ready_set(set++));
                });
            r.rows.push_back(row(side, "add+del", n, 0, s_churn, w_churn));
            r.rows.push_back(row(side, "mod", n, 0, s_mod, w_mod));
            r.rows.push_back(row(side, "harvest", n, k, s_storm, w_storm));
        }
        {  // the same harvest with the log on fresh 4 KiB pages: what huge pages save (a figure)
            HugePageResource small_pages(std::pmr::new_delete_resource(), HugePageResource::Advice::NoHugePages);
            DefaultResourceScope scope(&small_pages);
            ModelWatchSet storm(static_cast<int>(n), true, true);
            std::map<std::string, double> w;
            const Sample s = measure(p.warmups, p.reps, [&, set = 0]() mutable {
                return model_harvest(storm, k, p.harvest_rounds, &w, p.ready_set(set++));
            });
            r.rows.push_back(row("model-on-4k", "harvest", n, k, s, w));
        }
    }
}

}  // namespace epsim::perf
