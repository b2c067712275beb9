// cmd_run.cpp - `epsim run FILE... [--backend sim|host] [--format text|json]`: run scenarios
// and check every expectation.
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.h"
#include "options.h"
#include "runner/host_backend.h"
#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

namespace epsim::cli {

static const char* const kRunUsage =
    "usage: epsim run FILE... [--backend sim|host] [--format text|json] [--watchdog MS] [-o FILE] [--quiet]\n"
    "  Runs each scenario and checks its expectations.\n"
    "  --backend sim|host  the model (default) or the real kernel\n"
    "  --format text|json  the trace as strace-like text (default) or JSON (schema epsim.trace)\n"
    "  --watchdog MS       host: how long a blocking step may take (default 5000)\n"
    "  -o FILE             write the trace there instead of stdout\n"
    "  --quiet             print only failures and the summary\n"
    "  exit: 0 all expectations hold, 1 one failed, 2 usage or input error\n";

std::unique_ptr<scn::Backend> make_backend(const std::string& which, int watchdog_ms) {
    if (which == "host") {
        scn::HostOptions o;
        o.watchdog_ms = watchdog_ms;
        return std::make_unique<scn::HostBackend>(o);
    }
    return std::make_unique<scn::SimBackend>();
}

int cmd_run(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kRunUsage;
        return 0;
    }
    std::string backend = "sim", format = "text", out_path, wd = "5000";
    a.value("--backend", backend);
    a.value("--format", format);
    a.value("-o", out_path);
    a.value("--watchdog", wd);
    const bool quiet = a.flag("--quiet") || a.flag("-q");
    auto files = a.positional();
    std::string unknown;
    if (!a.error.empty() || a.unknown_options(unknown) || files.empty() || (backend != "sim" && backend != "host") ||
        (format != "text" && format != "json")) {
        std::cerr << "epsim run: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown
                                                                    : files.empty() ? "no scenario file given"
                                                                                    : "bad --backend or --format")
                  << "\n" << kRunUsage;
        return 2;
    }
    std::ofstream file_out;
    if (!out_path.empty()) {
        file_out.open(out_path);
        if (!file_out) {
            std::cerr << "epsim run: cannot write " << out_path << "\n";
            return 2;
        }
    }
    std::ostream& out = out_path.empty() ? std::cout : file_out;
    int failed = 0, steps = 0, input_errors = 0;
    bool first_json = true;
    if (format == "json") out << "[";
    for (const std::string& f : files) {
        scn::ParseResult p = scn::parse_scenario_file(f);
        if (!p.script) {
            std::cerr << p.error->render() << "\n";
            ++input_errors;
            continue;
        }
        if (p.script->scale && backend == "host") {
            std::cerr << f << ": error: a scale scenario runs on the model only (" << p.script->scale_reason << ")\n";
            ++input_errors;
            continue;
        }
        std::unique_ptr<scn::Backend> be =
            p.script->scale ? std::make_unique<scn::SimBackend>(scn::SimBackend::scale_config())
                            : make_backend(backend, std::stoi(wd));
        scn::Trace t = scn::run_script(*p.script, *be);
        steps += static_cast<int>(t.steps.size());
        if (format == "json") {
            out << (first_json ? "" : ",") << scn::render_json(t);
            first_json = false;
        } else if (!quiet) {
            out << "== " << f << (t.title.empty() ? "" : ": " + t.title) << "  [" << be->name() << "]\n"
                << scn::render_text(t);
        }
        for (const scn::Step& s : t.steps)
            if (s.checked && !s.ok) {
                std::cerr << f << ":" << s.line << ": expectation failed: " << s.call << ": " << s.failure << "\n";
                ++failed;
            }
        if (!t.error.empty()) {
            std::cerr << t.error << "\n";
            ++input_errors;
        }
    }
    if (format == "json") out << "]\n";
    std::cerr << "epsim run: " << files.size() << " scenario(s), " << steps << " steps, " << failed
              << " failed expectation(s)" << (input_errors ? ", " + std::to_string(input_errors) + " error(s)" : "")
              << " [" << backend << "]\n";
    if (input_errors) return 2;
    return failed ? 1 : 0;
}

}  // namespace epsim::cli
