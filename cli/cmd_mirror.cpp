// cmd_mirror.cpp - `epsim mirror FILE...`: each scenario on the model and on the real kernel,
// side by side, every divergence marked. Exit 1 on any divergence.
#include <unistd.h>

#include <iostream>
#include <memory>

#include "commands.h"
#include "options.h"
#include "runner/host_backend.h"
#include "runner/interp.h"
#include "runner/mirror.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

namespace epsim::cli {

static const char* const kMirrorUsage =
    "usage: epsim mirror FILE... [--format text|json] [--watchdog MS] [--quiet]\n"
    "  Runs each scenario on the model and on the real kernel and prints the two traces side by\n"
    "  side; after each epoll_ctl the interest lists (fdinfo) are compared as sets.\n"
    "  exit: 0 no divergence, 1 a divergence, 2 usage or input error\n";

int cmd_mirror(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kMirrorUsage;
        return 0;
    }
    std::string format = "text", wd = "5000";
    a.value("--format", format);
    a.value("--watchdog", wd);
    const bool quiet = a.flag("--quiet") || a.flag("-q");
    auto files = a.positional();
    std::string unknown;
    if (!a.error.empty() || a.unknown_options(unknown) || files.empty() || (format != "text" && format != "json")) {
        std::cerr << "epsim mirror: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown
                                                                       : files.empty() ? "no scenario file given"
                                                                                       : "bad --format")
                  << "\n" << kMirrorUsage;
        return 2;
    }
    int divergences = 0, compared = 0, errors = 0;
    const bool color = format == "text" && isatty(1);
    if (format == "json") std::cout << "[";
    for (std::size_t i = 0; i < files.size(); ++i) {
        scn::ParseResult p = scn::parse_scenario_file(files[i]);
        if (!p.script) {
            std::cerr << p.error->render() << "\n";
            ++errors;
            continue;
        }
        if (p.script->scale) {  // the host cannot hold its fds: nothing to compare
            std::cout << "== " << files[i] << ": not mirrored: a scale scenario runs on the model only ("
                      << p.script->scale_reason << "); try epsim run " << files[i] << "\n";
            continue;
        }
        scn::RunOptions opt;
        opt.capture_fdinfo = true;
        scn::Mirror m;
        {
            scn::SimBackend sim;
            m.model = scn::run_script(*p.script, sim, opt);
        }
        {
            scn::HostOptions ho;
            ho.watchdog_ms = std::stoi(wd);
            scn::HostBackend host(ho);
            m.host = scn::run_script(*p.script, host, opt);
        }
        m.rows = scn::align(m.model, m.host);
        divergences += m.divergences();
        compared += m.compared();
        if (!m.model.error.empty() || !m.host.error.empty()) ++errors;
        if (format == "json")
            std::cout << (i ? "," : "") << scn::render_mirror_json(m);
        else if (!quiet || m.divergences() || !m.model.error.empty() || !m.host.error.empty())
            std::cout << scn::render_mirror_text(m, color);
    }
    if (format == "json") std::cout << "]\n";
    std::cerr << "mirror: " << files.size() << " scenario(s), " << compared << " steps compared, " << divergences
              << " divergence(s)" << (errors ? ", " + std::to_string(errors) + " error(s)" : "") << "\n";
    if (errors) return 2;
    return divergences ? 1 : 0;
}

}  // namespace epsim::cli
