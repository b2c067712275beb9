// cmd_grade.cpp - `epsim grade LAB DIR`: build a student's tree with the lab's tests, run every
// test case with a time limit, print a summary and write Gradescope's results.json.
#include <fstream>
#include <cmath>
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "options.h"
#include "runner/lab_grade.h"

namespace epsim::cli {

std::string lab_source_dir(Args& a);  // cmd_lab.cpp

static const char* const kGradeUsage =
    "usage: epsim grade LAB DIR [-o FILE] [--test-timeout S] [--build-timeout S] [--jobs N]\n"
    "                           [--work DIR] [--src DIR] [--quiet]\n"
    "  Builds DIR/sim (a tree from `epsim lab make`) with the lab's own build file and tests, runs\n"
    "  each test case in its own process (a timeout or a crash scores 0, with the output so far),\n"
    "  prints a summary and writes Gradescope's results.json (default DIR/results.json).\n"
    "  --test-timeout S   per test case (default 10)      --build-timeout S  configure, build (600)\n"
    "  --jobs N           parallel compile jobs (2)       --work DIR  build there and keep it (faster\n"
    "                                                     regrading); default a temporary directory\n"
    "  --src DIR          the epsim source (default: the one epsim was built from)\n"
    "  exit: 0 graded (whatever the score; a student build failure scores 0),\n"
    "        2 usage error or the grader itself could not run (no cmake, no Catch2, bad paths)\n";

int cmd_grade(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kGradeUsage;
        return 0;
    }
    lab::GradeOptions opt;
    std::string out, tt = "10", bt = "600", jobs = "2";
    a.value("-o", out);
    a.value("--test-timeout", tt);
    a.value("--build-timeout", bt);
    a.value("--jobs", jobs);
    a.value("--work", opt.work_dir);
    const bool quiet = a.flag("--quiet");
    opt.src = lab_source_dir(a);
    std::string unknown;
    const std::vector<std::string> pos = a.positional();
    // Whole-string numbers in range: "10s", "nan" and "inf" are refused, not half-read.
    auto seconds = [](const std::string& t, double& out) {
        char* end = nullptr;
        out = std::strtod(t.c_str(), &end);
        return !t.empty() && *end == '\0' && std::isfinite(out) && out > 0 && out <= 86400;
    };
    char* jobs_end = nullptr;
    const long n_jobs = std::strtol(jobs.c_str(), &jobs_end, 10);
    if (!seconds(tt, opt.test_timeout) || !seconds(bt, opt.build_timeout) || jobs.empty() || *jobs_end != '\0' ||
        n_jobs < 1 || n_jobs > 256)
        a.error = "--test-timeout and --build-timeout take seconds (0 < S <= 86400), --jobs a count (1 to 256)";
    opt.jobs = static_cast<int>(n_jobs);
    if (!a.error.empty() || a.unknown_options(unknown) || pos.size() != 2) {
        std::cerr << "epsim grade: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown : "bad arguments")
                  << "\n" << kGradeUsage;
        return 2;
    }
    opt.lab = pos[0];
    opt.dir = pos[1];
    if (out.empty()) out = opt.dir + "/results.json";
    if (!quiet) opt.progress = &std::cerr;
    lab::GradeReport r = lab::grade(opt);
    if (!r.infra_error.empty()) {
        std::cerr << "epsim grade: " << r.infra_error << "\n";
        return 2;
    }
    std::ofstream f(out);
    f << lab::results_json(r);
    f.close();
    if (!f) {
        std::cerr << "epsim grade: cannot write " << out << "\n";
        return 2;
    }
    std::cout << lab::summary_text(r) << "results: " << out << "\n";
    return 0;
}

}  // namespace epsim::cli
