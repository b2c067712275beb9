// commands.h - the epsim subcommands. Each returns the process exit code:
// 0 ok, 1 a check failed (or a divergence), 2 usage or input error.
#pragma once

namespace epsim::cli {
int cmd_demo(int argc, char** argv);
int cmd_run(int argc, char** argv);
int cmd_mirror(int argc, char** argv);
int cmd_trace(int argc, char** argv);
int cmd_fuzz(int argc, char** argv);
int cmd_quiz(int argc, char** argv);
int cmd_check(int argc, char** argv);
int cmd_exercise(int argc, char** argv);
int cmd_bench(int argc, char** argv);
int cmd_lab(int argc, char** argv);
int cmd_grade(int argc, char** argv);
}  // namespace epsim::cli
