// lab_grade.h - `epsim grade LAB DIR`: build a student's sim/ with the lab's own tests, run each
// Catch2 test case in its own process with a time limit, and report Gradescope results.
//
// The grader never trusts the student's CMakeLists.txt or tests: it assembles a tree from the
// student's DIR/sim (*.h, *.cpp) and the project's labs/common + labs/LAB/{tests,hidden}.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

namespace epsim::lab {

struct GradeOptions {
    std::string src;        // the project source (tests, build file)
    std::string lab;
    std::string dir;        // the student's tree (needs DIR/sim)
    std::string work_dir;   // where to assemble and build; "" = a temporary directory, removed after
    double build_timeout = 600;  // seconds, configure and build each
    double test_timeout = 10;    // seconds per test case
    int jobs = 2;
    std::ostream* progress = nullptr;  // one line per step, if set
};

struct GradedTest {
    std::string name;
    std::string status;      // passed, failed, timeout, crashed, not run
    double score = 0;
    double max_score = 1;
    std::string visibility;  // visible, after_due_date ([hidden] tests)
    std::string output;
    double seconds = 0;
};

struct GradeReport {
    std::string lab;
    std::string infra_error;  // set: nothing was graded (exit 2)
    bool built = false;
    std::vector<GradedTest> tests;
    double score = 0;
    double max_score = 0;
    double seconds = 0;
    double build_seconds = 0;
    std::string output;  // the overall text Gradescope shows above the tests
};

GradeReport grade(const GradeOptions& opt);

// Gradescope's results.json (score, execution_time, output, tests[] with name, score, max_score,
// status, output, visibility, execution_time), plus extra_data {schema, version, lab, max_score}.
std::string results_json(const GradeReport& r);
// The terminal summary: one line per test and the total.
std::string summary_text(const GradeReport& r);

}  // namespace epsim::lab
