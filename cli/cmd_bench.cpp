// cmd_bench.cpp - `epsim bench`: the model against the real kernel on the same work, the
// poll/select/epoll growth curves, the model up to a million watched fds, memory, seek; each
// target of the performance issue as a bar with a verdict. The work is in perf/.
#include <fstream>
#include <iostream>

#include "commands.h"
#include "options.h"
#include "perf/plot.h"
#include "perf/suite.h"

namespace epsim::cli {

static const char* const kBenchUsage =
    "usage: epsim bench [--quick] [--max-n N] [--format text|json] [-o FILE] [--plot DIR] [--progress]\n"
    "  Measures the model against the real kernel in one run and checks the performance bars.\n"
    "  --quick             small sizes and few repetitions (seconds; for CI and tests)\n"
    "  --max-n N           the model growth curve's largest N (default 1000000; quick 10000)\n"
    "  --format text|json  a table with verdicts (default) or JSON (schema epsim.bench)\n"
    "  -o FILE             write the report there instead of stdout\n"
    "  --plot DIR          also write the curves' data and a gnuplot PNG into DIR\n"
    "  --progress          say on stderr which phase is running\n"
    "  exit: 0 every bar passes, 1 a bar fails (named on stderr), 2 usage error\n";

int cmd_bench(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kBenchUsage;
        return 0;
    }
    std::string format = "text", out_path, plot_dir, max_n;
    a.value("--format", format);
    a.value("-o", out_path);
    a.value("--plot", plot_dir);
    a.value("--max-n", max_n);
    perf::SuiteOptions opt;
    opt.quick = a.flag("--quick");
    const bool progress = a.flag("--progress");
    std::string unknown, bad;
    if (!max_n.empty()) {
        try {
            std::size_t used = 0;
            opt.max_n = std::stol(max_n, &used);
            if (used != max_n.size() || opt.max_n < 1000 || opt.max_n > 10000000) bad = "--max-n must be 1000..10000000";
        } catch (const std::exception&) {
            bad = "--max-n must be a number";
        }
    }
    if (format != "text" && format != "json") bad = "bad --format (text or json)";
    if (!a.error.empty()) bad = a.error;
    if (a.unknown_options(unknown)) bad = "unknown option " + unknown;
    if (!a.positional().empty()) bad = "bench takes no file arguments";
    if (!bad.empty()) {
        std::cerr << "epsim bench: " << bad << "\n" << kBenchUsage;
        return 2;
    }
    std::ofstream file_out;
    if (!out_path.empty()) {
        file_out.open(out_path);
        if (!file_out) {
            std::cerr << "epsim bench: cannot write " << out_path << "\n";
            return 2;
        }
    }
    if (progress) opt.progress = [](const std::string& s) { std::cerr << "epsim bench: " << s << "\n"; };
    const perf::Report r = perf::run_suite(opt);
    std::ostream& out = out_path.empty() ? std::cout : file_out;
    out << (format == "json" ? perf::render_json(r) : perf::render_text(r));
    if (!plot_dir.empty()) {
        std::string err = perf::write_plot(r, plot_dir);
        if (!err.empty()) std::cerr << "epsim bench: plot: " << err << "\n";
    }
    for (const perf::Bar& b : r.bars)
        if (!b.pass()) std::cerr << "epsim bench: bar failed: " << b.name << " (" << b.detail << ")\n";
    return r.all_pass() ? 0 : 1;
}

}  // namespace epsim::cli
