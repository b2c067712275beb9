// cmd_lab.cpp - `epsim lab list` and `epsim lab make LAB --out DIR`: the labs where students
// implement parts of the model (docs/coursework/labs.md).
#include <iostream>

#include "commands.h"
#include "options.h"
#include "runner/lab_catalog.h"
#include "runner/lab_make.h"

#ifndef EPSIM_SOURCE_DIR
#define EPSIM_SOURCE_DIR ""
#endif

namespace epsim::cli {

static const char* const kLabUsage =
    "usage: epsim lab list\n"
    "       epsim lab make LAB --out DIR [--solution] [--force] [--src DIR]\n"
    "  list   the labs: name, expected time, goal\n"
    "  make   write a buildable student tree for LAB into DIR: the model with the lab's regions\n"
    "         replaced by TODO stubs, the lab's tests, a CMakeLists.txt and a README.md handout.\n"
    "         --solution keeps the reference code (the instructor's copy; it gets full marks).\n"
    "         --force writes into a non-empty DIR (files of the tree are replaced).\n"
    "         --src DIR: the epsim source to read (default: the one epsim was built from)\n"
    "  exit: 0 ok, 2 usage or input error\n";

// The project source: --src, else the directory this binary was built from.
std::string lab_source_dir(Args& a) {
    std::string src = EPSIM_SOURCE_DIR;
    a.value("--src", src);
    return src;
}

int cmd_lab(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kLabUsage;
        return 0;
    }
    std::string out;
    const bool have_out = a.value("--out", out);
    const bool solution = a.flag("--solution"), force = a.flag("--force");
    const std::string src = lab_source_dir(a);
    std::string unknown;
    const std::vector<std::string> pos = a.positional();
    if (!a.error.empty() || a.unknown_options(unknown) || pos.empty()) {
        std::cerr << "epsim lab: " << (!a.error.empty() ? a.error : !unknown.empty() ? "unknown option " + unknown : "which subcommand?")
                  << "\n" << kLabUsage;
        return 2;
    }
    if (pos[0] == "list" && pos.size() == 1) {
        for (const lab::LabInfo& l : lab::all_labs())
            std::cout << l.name << std::string(l.name.size() < 12 ? 12 - l.name.size() : 1, ' ') << "~"
                      << (l.minutes + 30) / 60 << " h  " << l.goal << "\n";
        return 0;
    }
    if (pos[0] == "make" && pos.size() == 2 && have_out) {
        lab::MakeOptions opt{src, pos[1], out, solution, force};
        if (std::string e = lab::make_tree(opt); !e.empty()) {
            std::cerr << "epsim lab make: " << e << "\n";
            if (e.find("epsim source") != std::string::npos) std::cerr << "  (pass the project source with --src DIR)\n";
            return 2;
        }
        std::cerr << "epsim lab make: wrote the " << (solution ? "solution" : "handout") << " of lab " << pos[1]
                  << " to " << out << " (see " << out << "/README.md)\n";
        return 0;
    }
    std::cerr << "epsim lab: bad arguments\n" << kLabUsage;
    return 2;
}

}  // namespace epsim::cli
