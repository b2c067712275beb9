// plot.cpp - see plot.h. Left panel: the real kernel (poll, select, epoll_wait); right panel:
// the model (epoll_wait for several k, its poll for contrast, rb nodes visited per insert).
#include "plot.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace epsim::perf {

namespace {

struct Series {
    std::string file, title, style;
    std::string study, side, op;
    enum class K { One, OnePercent, Fixed100 } k;
    std::string value = "ns";  // or a work counter's name
};

bool k_matches(Series::K want, const Row& r) {
    switch (want) {
        case Series::K::One: return r.k == 1;
        case Series::K::OnePercent: return r.k == std::max(1L, r.n / 100);
        case Series::K::Fixed100: return r.k == 100;
    }
    return false;
}

std::string shell_quote(const std::string& s) {
    std::string o = "'";
    for (char c : s) o += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return o + "'";
}

}  // namespace

std::string write_plot(const Report& r, const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return "cannot create " + dir + ": " + ec.message();
    const std::string kernel_style = "lw 2 pt 7 ps 0.8", model_style = "lw 2 dt 2 pt 5 ps 0.8";
    const std::vector<Series> left = {
        {"perf-kernel-poll.dat", "poll(2), k = 1 %", "lc rgb '#d62728' " + kernel_style, "kernel-growth", "kernel", "poll", Series::K::OnePercent},
        {"perf-kernel-select.dat", "select(2), k = 1 %", "lc rgb '#ff7f0e' " + kernel_style, "kernel-growth", "kernel", "select", Series::K::OnePercent},
        {"perf-kernel-epoll-k1pct.dat", "epoll_wait(2), k = 1 %", "lc rgb '#1f77b4' " + kernel_style, "kernel-growth", "kernel", "epoll_wait", Series::K::OnePercent},
        {"perf-kernel-epoll-k1.dat", "epoll_wait(2), k = 1", "lc rgb '#2ca02c' " + kernel_style, "kernel-growth", "kernel", "epoll_wait", Series::K::One},
    };
    const std::vector<Series> right = {
        {"perf-model-poll.dat", "model poll, k = 1 %", "lc rgb '#d62728' " + model_style, "model-growth", "model-off", "poll", Series::K::OnePercent},
        {"perf-model-epoll-k1pct.dat", "model epoll_wait, k = 1 %", "lc rgb '#1f77b4' " + model_style, "model-growth", "model-off", "epoll_wait", Series::K::OnePercent},
        {"perf-model-epoll-k100.dat", "model epoll_wait, k = 100", "lc rgb '#9467bd' " + model_style, "model-growth", "model-off", "epoll_wait", Series::K::Fixed100},
        {"perf-model-epoll-k1.dat", "model epoll_wait, k = 1", "lc rgb '#2ca02c' " + model_style, "model-growth", "model-off", "epoll_wait", Series::K::One},
        {"perf-model-adddel.dat", "model ADD+DEL (one pair)", "lc rgb '#7f7f7f' " + model_style, "model-growth", "model-off", "add+del", Series::K::One},
    };
    auto write_series = [&](const Series& s) -> bool {
        std::ofstream f(fs::path(dir) / s.file);
        f << "# " << s.title << ": N  median_ns  min_ns  max_ns\n";
        int points = 0;
        for (const Row& row : r.rows) {
            if (row.study != s.study || row.side != s.side || row.op != s.op) continue;
            if (s.op != "add+del" && !k_matches(s.k, row)) continue;
            f << row.n << " " << row.ns.median << " " << row.ns.min << " " << row.ns.max << "\n";
            ++points;
        }
        return points > 0;
    };
    auto plot_cmd = [&](const std::vector<Series>& v) {
        std::string cmd;
        for (const Series& s : v) {
            if (!write_series(s)) continue;
            cmd += (cmd.empty() ? "plot " : ", \\\n     ") + std::string("'") + (fs::path(dir) / s.file).string() +
                   "' using 1:2 with linespoints " + s.style + " title \"" + s.title + "\" noenhanced";
        }
        return cmd.empty() ? std::string("plot NaN notitle") : cmd;
    };
    const std::string png = (fs::path(dir) / "perf-growth.png").string();
    std::ostringstream gp;
    gp << "# Written by `epsim bench --plot`. Run: gnuplot perf-growth.gp\n"
       << "set terminal pngcairo size 1500,620 font 'DejaVu Sans,12'\n"
       << "set output '" << png << "'\n"
       << "set multiplot layout 1,2 title 'Cost of one readiness check with N watched eventfds, k of them ready (log-log)'\n"
       << "set logscale xy\nset grid xtics ytics mxtics mytics lc rgb '#dddddd'\n"
       << "set xlabel 'N watched fds'\nset ylabel 'nanoseconds per call (median of the runs)'\n"
       << "set format x '10^{%L}'\nset format y '10^{%L}'\nset key top left box opaque\n"
       << "set title 'Real kernel: poll and select scan all N, epoll_wait costs O(ready)' noenhanced\n"
       << plot_cmd(left) << "\n"
       << "set title 'Model: epoll_wait stays flat up to 1,000,000 fds, poll grows with N' noenhanced\n"
       << plot_cmd(right) << "\n"
       << "unset multiplot\n";
    const std::string gp_path = (fs::path(dir) / "perf-growth.gp").string();
    std::ofstream(gp_path) << gp.str();
    if (std::system("command -v gnuplot >/dev/null 2>&1") != 0)
        return "gnuplot not found (apt-get install gnuplot-nox); data and script are in " + dir;
    if (std::system(("gnuplot " + shell_quote(gp_path)).c_str()) != 0) return "gnuplot failed on " + gp_path;
    return "";
}

}  // namespace epsim::perf
