// cmd_check.cpp - `epsim check ANSWERS --against QUESTIONS`: grades a student's copy of a
// question file in which each `?` was replaced by an answer, without asking anything.
// Every question gets a verdict; a wrong or unreadable answer does not stop the others.
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"
#include "options.h"
#include "runner/parser.h"
#include "runner/quiz.h"
#include "runner/trace.h"

namespace epsim::cli {

static const char* const kCheckUsage =
    "usage: epsim check ANSWERS.scn --against QUESTIONS.scn [--format text|json]\n"
    "  Grades ANSWERS.scn, a copy of QUESTIONS.scn where each `== ?` was replaced by an answer\n"
    "  (`== 1 [p.r: EPOLLIN]`, `== -1 EEXIST`, ...), on the same line. The questions are the `?`s\n"
    "  of QUESTIONS.scn; every other line must be unchanged (comments may differ).\n"
    "  The correct answers come from the model (the question files are mirrored against Linux).\n"
    "  exit: 0 all answers right, 1 one is wrong or missing, 2 usage or input error\n";

static bool slurp(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream s;
    s << in.rdbuf();
    out = s.str();
    return true;
}

int cmd_check(int argc, char** argv) {
    Args a(argc, argv);
    if (a.flag("--help") || a.flag("-h")) {
        std::cout << kCheckUsage;
        return 0;
    }
    std::string against, format = "text";
    a.value("--against", against);
    a.value("--format", format);
    auto files = a.positional();
    std::string unknown;
    if (!a.error.empty() || a.unknown_options(unknown) || files.size() != 1 || against.empty() ||
        (format != "text" && format != "json")) {
        std::cerr << "epsim check: "
                  << (!a.error.empty() ? a.error
                      : !unknown.empty() ? "unknown option " + unknown
                      : files.size() != 1 ? "give one answer file"
                      : against.empty() ? "--against QUESTIONS.scn is required: it says which results are questions"
                                        : "bad --format")
                  << "\n" << kCheckUsage;
        return 2;
    }
    std::string original, student;
    if (!slurp(against, original)) {
        std::cerr << against << ":0:0: error: cannot read file\n";
        return 2;
    }
    if (!slurp(files[0], student)) {
        std::cerr << files[0] << ":0:0: error: cannot read file\n";
        return 2;
    }
    scn::ParseResult p = scn::parse_scenario(against, original);
    if (!p.script) {
        std::cerr << p.error->render() << "\n";
        return 2;
    }
    quiz::QuizOptions opt;
    opt.host = false;
    quiz::QuizRun run = quiz::run_quiz(*p.script, opt);
    if (!run.model.error.empty()) {
        std::cerr << run.model.error << "\n";
        return 2;
    }
    if (run.questions.empty()) {
        std::cerr << "epsim check: " << against << " has no question (`== ?`)\n";
        return 2;
    }
    quiz::CheckResult res = quiz::grade_answers(original, student, files[0], run.questions);
    if (!res.error.empty()) {
        std::cerr << res.error << "\n";
        return 2;
    }
    if (format == "json") {
        std::cout << "{\"schema\":\"epsim.check\",\"version\":1,\"file\":\"" << scn::json_escape(files[0])
                  << "\",\"against\":\"" << scn::json_escape(against) << "\",\"questions\":[";
        for (std::size_t i = 0; i < res.entries.size(); ++i) {
            const quiz::CheckEntry& e = res.entries[i];
            std::cout << (i ? "," : "") << "{\"number\":" << e.q->number << ",\"line\":" << e.q->line << ",\"call\":\""
                      << scn::json_escape(e.q->call) << "\",\"given\":\"" << scn::json_escape(e.given)
                      << "\",\"correct\":" << (e.verdict.correct ? "true" : "false") << ",\"why\":\""
                      << scn::json_escape(e.verdict.why) << "\"}";
        }
        std::cout << "],\"correct\":" << res.correct() << ",\"total\":" << res.entries.size() << "}\n";
    } else {
        for (const quiz::CheckEntry& e : res.entries)
            std::cout << files[0] << ":" << e.q->line << ": Q" << e.q->number << " "
                      << (e.q->thread.empty() ? "" : e.q->thread + ": ") << e.q->call << " == " << e.given << "  "
                      << (e.verdict.correct ? "ok" : "WRONG: " + e.verdict.why) << "\n";
        std::cout << "check: " << res.correct() << "/" << res.entries.size() << " correct\n";
    }
    return res.correct() == static_cast<int>(res.entries.size()) ? 0 : 1;
}

}  // namespace epsim::cli
