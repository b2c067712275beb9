// cmd_fuzz.cpp - `epsim fuzz --seed S --count N`: random differential testing. Each generated
// scenario runs on the model and on the real kernel; each divergence is shrunk to a minimal
// reproducer .scn file.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "commands.h"
#include "options.h"
#include "runner/fuzz_gen.h"
#include "runner/host_backend.h"
#include "runner/interp.h"
#include "runner/mirror.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

namespace epsim::cli {

static const char* const kFuzzUsage =
    "usage: epsim fuzz [--seed S] [--count N] [--out DIR] [--watchdog MS] [--print]\n"
    "  Generates N random scenarios from seed S (default 1, 100), runs each on the model and on\n"
    "  the real kernel, and writes every divergence as a minimized reproducer DIR/fuzz-S-I.scn\n"
    "  (default DIR: fuzz-repro). --print shows each generated scenario.\n"
    "  exit: 0 no divergence, 1 divergences found, 2 usage error\n";

namespace {

struct Outcome {
    bool parsed = false;
    scn::Mirror m;
    bool diverges() const { return parsed && m.model.error.empty() && m.host.error.empty() && m.divergences() > 0; }
};

Outcome mirror_text(const std::string& name, const std::string& text, int watchdog_ms) {
    Outcome o;
    scn::ParseResult p = scn::parse_scenario(name, text);
    if (!p.script) return o;
    o.parsed = true;
    scn::RunOptions opt;
    opt.capture_fdinfo = true;
    scn::SimBackend sim;
    o.m.model = scn::run_script(*p.script, sim, opt);
    scn::HostOptions ho;
    ho.watchdog_ms = watchdog_ms;
    scn::HostBackend host(ho);
    o.m.host = scn::run_script(*p.script, host, opt);
    o.m.rows = scn::align(o.m.model, o.m.host);
    return o;
}

}  // namespace

int cmd_fuzz(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kFuzzUsage;
        return 0;
    }
    std::string seed_s = "1", count_s = "100", out_dir = "fuzz-repro", wd = "5000";
    a.value("--seed", seed_s);
    a.value("--count", count_s);
    a.value("--out", out_dir);
    a.value("--watchdog", wd);
    const bool print = a.flag("--print");
    std::string unknown;
    std::uint64_t seed = 0;
    int count = 0;
    try {
        seed = std::stoull(seed_s);
        count = std::stoi(count_s);
    } catch (...) {
        a.error = "--seed and --count take numbers";
    }
    if (!a.error.empty() || a.unknown_options(unknown) || !a.positional().empty() || count < 0) {
        std::cerr << "epsim fuzz: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown : "bad arguments")
                  << "\n" << kFuzzUsage;
        return 2;
    }
    const int watchdog = std::stoi(wd);
    int divergent = 0, errors = 0, compared = 0;
    for (int i = 0; i < count; ++i) {
        const std::string name = "fuzz-" + std::to_string(seed) + "-" + std::to_string(i) + ".scn";
        const std::string text = scn::generate_scenario(seed, i);
        if (print) std::cout << "# ---- " << name << "\n" << text;
        Outcome o = mirror_text(name, text, watchdog);
        if (!o.parsed) {
            std::cerr << "epsim fuzz: the generator wrote a scenario that does not parse (" << name << "):\n"
                      << scn::parse_scenario(name, text).error->render() << "\n";
            return 2;
        }
        compared += o.m.compared();
        if (!o.m.model.error.empty() || !o.m.host.error.empty()) {
            ++errors;
            std::cerr << name << ": run error: " << o.m.model.error << o.m.host.error << "\n";
            continue;
        }
        if (!o.diverges()) continue;
        ++divergent;
        std::string small = scn::minimize_lines(text, [&](const std::string& t) { return mirror_text(name, t, watchdog).diverges(); });
        Outcome final = mirror_text(name, small, watchdog);
        std::filesystem::create_directories(out_dir);
        std::ofstream f(out_dir + "/" + name);
        f << "# epsim fuzz reproducer: model and kernel diverge (seed " << seed << ", scenario " << i << ")\n" << small;
        std::cout << scn::render_mirror_text(final.m, false);
        std::cerr << "epsim fuzz: divergence written to " << out_dir << "/" << name << "\n";
    }
    std::cerr << "fuzz: " << count << " scenario(s) from seed " << seed << ", " << compared << " steps compared, "
              << divergent << " divergent, " << errors << " error(s)\n";
    if (errors) return 2;
    return divergent ? 1 : 0;
}

}  // namespace epsim::cli
