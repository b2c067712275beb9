// main.cpp - the `epsim` command line: subcommands, usage, exit codes
// (0 ok, 1 check failed, 2 usage or input error).
#include <cstring>
#include <iostream>
#include <string>

#include "commands.h"
#include "demo.h"
#include "runner/log_memory.h"

namespace {

const char* const kUsage =
    "usage: epsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  demo [--quiet] [--all-events]   the 2 KB pipe example on the model, LT then ET,\n"
    "                                  with the kernel's internal steps under each call\n"
    "  run FILE...                     run scenarios, check their expectations\n"
    "  mirror FILE...                  run scenarios on the model and the real kernel, side by side\n"
    "  trace FILE                      export the model's event log (json, chrome, dot)\n"
    "  fuzz --seed S --count N         random differential testing, model vs kernel\n"
    "  quiz FILE                       predict each `== ?` result, then see it revealed and why\n"
    "  check ANSWERS --against FILE    grade a copy of FILE whose `?`s were answered\n"
    "  exercise --topic T --seed S     generate a fresh exercise (questions); --solve for answers\n"
    "  bench [--quick]                 model vs kernel speed, poll/select/epoll scaling, bars\n"
    "  lab list | make LAB --out DIR   labs: implement parts of the model from a handout\n"
    "  grade LAB DIR                   build and grade a lab tree, write Gradescope results.json\n"
    "  help                            this text\n"
    "\n"
    "Run `epsim <command> --help` for a command's options.\n";

}  // namespace

int epsim::cli::cmd_demo(int argc, char** argv) {
    epsim::cli::DemoOptions opt;
    for (int i = 0; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--quiet") {
            opt.show_events = false;
        } else if (a == "--all-events") {
            opt.all_events = true;
        } else if (a == "--help" || a == "-h") {
            std::cout << "usage: epsim demo [--quiet] [--all-events]\n"
                         "  --quiet       print only the calls and their results\n"
                         "  --all-events  also print rb-tree comparisons and file reference counts\n";
            return 0;
        } else {
            std::cerr << "epsim demo: unknown option '" << a << "'\n";
            return 2;
        }
    }
    return epsim::cli::run_demo(std::cout, opt);
}

int main(int argc, char** argv) {
    epsim::install_log_memory();  // event logs of millions of events on huge pages
    if (argc < 2) {
        std::cerr << kUsage;
        return 2;
    }
    std::string cmd = argv[1];
    using namespace epsim::cli;
    if (cmd == "demo") return cmd_demo(argc - 2, argv + 2);
    if (cmd == "run") return cmd_run(argc - 2, argv + 2);
    if (cmd == "mirror") return cmd_mirror(argc - 2, argv + 2);
    if (cmd == "trace") return cmd_trace(argc - 2, argv + 2);
    if (cmd == "fuzz") return cmd_fuzz(argc - 2, argv + 2);
    if (cmd == "quiz") return cmd_quiz(argc - 2, argv + 2);
    if (cmd == "check") return cmd_check(argc - 2, argv + 2);
    if (cmd == "exercise") return cmd_exercise(argc - 2, argv + 2);
    if (cmd == "bench") return cmd_bench(argc - 2, argv + 2);
    if (cmd == "lab") return cmd_lab(argc - 2, argv + 2);
    if (cmd == "grade") return cmd_grade(argc - 2, argv + 2);
    if (cmd == "help" || cmd == "--help" || cmd == "-h") {
        std::cout << kUsage;
        return 0;
    }
    std::cerr << "epsim: unknown command '" << cmd << "'\n" << kUsage;
    return 2;
}
