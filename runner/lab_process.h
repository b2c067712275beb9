// lab_process.h - run a command with a time limit and capture what it prints (the grader's
// builds and test runs). A timed-out command's whole process group is killed.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace epsim::lab {

struct ProcResult {
    bool started = false;     // false: the program could not be run (output says why)
    bool timed_out = false;   // killed at the time limit
    int exit_code = -1;       // when it exited
    int signal = 0;           // when a signal ended it (SIGSEGV, SIGABRT, ...)
    std::string output;       // stdout and stderr, interleaved, cut at max_output bytes
    double seconds = 0;
    bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
    std::string verdict() const;  // "exit 0", "exit 1", "killed by SIGSEGV", "timed out after 2 s", ...
};

// Runs argv[0] (searched in PATH) in `cwd` with LC_ALL=C, stdin from /dev/null.
ProcResult run_process(const std::vector<std::string>& argv, const std::string& cwd, double timeout_s,
                       std::size_t max_output = 64 * 1024);

}  // namespace epsim::lab
