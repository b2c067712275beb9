// cmd_trace.cpp - `epsim trace FILE [--step N] --format json|chrome|dot`: the model's event log.
#include <iostream>

#include "commands.h"
#include "options.h"
#include "runner/exports.h"
#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

namespace epsim::cli {

static const char* const kTraceUsage =
    "usage: epsim trace FILE [--format json|chrome|dot|text] [--step N]\n"
    "  Runs FILE on the model and exports its event log.\n"
    "  json    every event (schema epsim.events)\n"
    "  chrome  Chrome Trace Event JSON (open in https://ui.perfetto.dev or chrome://tracing)\n"
    "  dot     Graphviz: each epoll's rb tree with rdllist and ovflist, at event N (default: the end)\n"
    "  text    one line per event\n";

int cmd_trace(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kTraceUsage;
        return 0;
    }
    std::string format = "text", step;
    a.value("--format", format);
    bool has_step = a.value("--step", step);
    auto files = a.positional();
    std::string unknown;
    if (!a.error.empty() || a.unknown_options(unknown) || files.size() != 1 ||
        (format != "json" && format != "chrome" && format != "dot" && format != "text")) {
        std::cerr << "epsim trace: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown
                                                                      : files.size() != 1 ? "give exactly one scenario"
                                                                                          : "bad --format")
                  << "\n" << kTraceUsage;
        return 2;
    }
    scn::ParseResult p = scn::parse_scenario_file(files[0]);
    if (!p.script) {
        std::cerr << p.error->render() << "\n";
        return 2;
    }
    scn::SimBackend sim;
    scn::Trace t = scn::run_script(*p.script, sim);
    if (!t.error.empty()) {
        std::cerr << t.error << "\n";
        return 2;
    }
    const Kernel* k = &sim.kernel();
    std::unique_ptr<Kernel> at;
    if (has_step) {
        std::uint64_t n = 0;
        try {
            n = std::stoull(step);
        } catch (...) {
            std::cerr << "epsim trace: --step takes an event number\n";
            return 2;
        }
        if (n >= k->log.size()) {
            std::cerr << "epsim trace: --step " << n << " is past the last event (" << k->log.size() - 1 << ")\n";
            return 2;
        }
        at = k->replay_to(n);
        k = at.get();
    }
    if (format == "json") std::cout << scn::export_events_json(*k) << "\n";
    else if (format == "chrome") std::cout << scn::export_chrome_trace(*k) << "\n";
    else if (format == "dot") std::cout << scn::export_dot(*k);
    else
        for (std::size_t i = 0; i < k->log.size(); ++i) std::cout << i << "  " << k->describe(k->log.events[i]) << "\n";
    return 0;
}

}  // namespace epsim::cli
