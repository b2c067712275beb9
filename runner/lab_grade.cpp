// lab_grade.cpp - see lab_grade.h.
#include "runner/lab_grade.h"

#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <ostream>
#include <set>
#include <sstream>

#include "runner/lab_catalog.h"
#include "runner/lab_files.h"
#include "runner/lab_make.h"
#include "runner/lab_process.h"
#include "runner/trace.h"

namespace fs = std::filesystem;

namespace epsim::lab {

namespace {

constexpr std::size_t kTestOutputCap = 16 * 1024;

// Catch2 reads a test spec: ',' separates, '[' starts a tag, '*' is a wildcard, '\' escapes.
std::string catch_spec(const std::string& name) {
    std::string s;
    for (char c : name) {
        if (c == ',' || c == '[' || c == ']' || c == '*' || c == '\\') s += '\\';
        s += c;
    }
    return s;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> v;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (!l.empty() && l.back() == '\r') l.pop_back();
        if (!l.empty()) v.push_back(l);
    }
    return v;
}

// Gradescope needs valid UTF-8: anything else (a crashed test's garbage) becomes '?'.
std::string utf8_clean(const std::string& s) {
    std::string o;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = n > 0 && i + n <= s.size();
        for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
        if (ok) {
            o.append(s, i, n);
            i += n;
        } else {
            o += '?';
            ++i;
        }
    }
    return o;
}

std::string fmt_seconds(double s) {
    char b[32];
    std::snprintf(b, sizeof b, "%.2f", s);
    return b;
}

void say(const GradeOptions& opt, const std::string& line) {
    if (opt.progress) *opt.progress << line << "\n" << std::flush;
}

// The items of an ungraded build: one that carries the compiler's output, then every test at 0.
void fail_build(GradeReport& r, const std::string& what, const std::string& output,
                const std::vector<std::string>& names, const std::set<std::string>& hidden) {
    r.tests.push_back({"build", "failed", 0, 0, "visible", what + "\n\n" + output, 0});
    for (const std::string& n : names)
        r.tests.push_back({n, "not run", 0, 1, hidden.count(n) ? "after_due_date" : "visible",
                           "not run: " + what, 0});
}

}  // namespace

GradeReport grade(const GradeOptions& opt) {
    GradeReport r;
    r.lab = opt.lab;
    const auto t0 = std::chrono::steady_clock::now();
    auto finish = [&]() -> GradeReport {
        for (const GradedTest& t : r.tests) {
            r.score += t.score;
            r.max_score += t.max_score;
        }
        r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        return r;
    };
    if (std::string e = check_source_dir(opt.src); !e.empty()) {
        r.infra_error = e;
        return r;
    }
    if (!find_lab(opt.lab)) {
        r.infra_error = "unknown lab '" + opt.lab + "' (epsim lab list)";
        return r;
    }
    std::error_code ec;
    const fs::path student_sim = fs::path(opt.dir) / "sim";
    if (!fs::is_directory(student_sim, ec)) {
        r.infra_error = "'" + opt.dir + "' has no sim/ directory: is it a tree from `epsim lab make`?";
        return r;
    }

    // The tests and their visibility come from the project, never from the student.
    std::string err;
    std::vector<NamedText> tests = lab_test_files(opt.src, opt.lab, true, err);
    if (!err.empty()) {
        r.infra_error = err;
        return r;
    }
    std::vector<std::string> expected;
    for (const NamedText& t : tests)
        for (const std::string& n : test_case_names(t.text)) expected.push_back(n);
    std::set<std::string> hidden;
    for (const std::string& f : files_in((fs::path(opt.src) / "labs" / opt.lab / "hidden").string(), {".cpp"})) {
        std::string text;
        if (read_text((fs::path(opt.src) / "labs" / opt.lab / "hidden" / f).string(), text))
            for (const std::string& n : test_case_names(text)) hidden.insert(n);
    }

    std::vector<NamedText> sim;
    for (const std::string& n : files_in(student_sim.string(), {".h", ".cpp"})) {
        NamedText f{n, ""};
        if (!read_text((student_sim / n).string(), f.text)) {
            r.infra_error = "cannot read " + (student_sim / n).string();
            return r;
        }
        sim.push_back(f);
    }

    // Assemble: WORK/src (sim + tests + build file), WORK/build.
    std::string work = opt.work_dir;
    const bool temporary = work.empty();
    if (temporary) {
        std::string tmpl = (fs::temp_directory_path(ec) / "epsim-grade-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            r.infra_error = "cannot create a temporary directory";
            return r;
        }
        work = tmpl;
    }
    struct Cleanup {
        std::string dir;
        ~Cleanup() {
            std::error_code e;
            if (!dir.empty()) fs::remove_all(dir, e);
        }
    } cleanup{temporary ? work : ""};
    const fs::path src = fs::path(work) / "src", build = fs::path(work) / "build";
    std::string cmake_text;
    if (!read_text((fs::path(opt.src) / "labs" / "common" / "CMakeLists.txt").string(), cmake_text)) {
        r.infra_error = "cannot read labs/common/CMakeLists.txt";
        return r;
    }
    for (const std::string& e : {sync_dir((src / "sim").string(), sim), sync_dir((src / "tests").string(), tests),
                                 write_if_changed((src / "CMakeLists.txt").string(), cmake_text)})
        if (!e.empty()) {
            r.infra_error = e;
            return r;
        }

    say(opt, "grade " + opt.lab + ": configuring in " + build.string());
    ProcResult conf = run_process({"cmake", "-S", src.string(), "-B", build.string(), "-DCMAKE_BUILD_TYPE="}, "",
                                  opt.build_timeout);
    if (!conf.ok()) {
        r.infra_error = "cmake configure failed (" + conf.verdict() + "): is cmake with Catch2 2.x installed?\n" + conf.output;
        return r;
    }
    say(opt, "grade " + opt.lab + ": building");
    ProcResult b = run_process({"cmake", "--build", build.string(), "-j", std::to_string(std::max(1, opt.jobs))}, "",
                               opt.build_timeout);
    r.build_seconds = b.seconds;
    if (!b.started) {
        r.infra_error = "cannot run cmake --build: " + b.output;
        return r;
    }
    if (!b.ok()) {
        fail_build(r, "the build failed (" + b.verdict() + "): score 0", b.output, expected, hidden);
        r.output = "Build failed: every test scores 0. The compiler's output is under \"build\".\n";
        return finish();
    }
    r.built = true;
    const std::string exe = (build / "lab_tests").string();
    // Catch2 2.x exits with the number of tests listed: any exit is fine, a crash is not.
    ProcResult list = run_process({exe, "--list-test-names-only"}, "", 60);
    if (!list.started || list.timed_out || list.signal != 0 || lines_of(list.output).empty()) {
        fail_build(r, "the test binary does not start (" + list.verdict() + ")", list.output, expected, hidden);
        r.output = "The test binary did not start: every test scores 0.\n";
        return finish();
    }
    r.output = "Build: ok (" + fmt_seconds(b.seconds) + " s).\n";
    if (b.output.find("warning:") != std::string::npos) r.output += "Compiler warnings:\n" + b.output + "\n";

    for (const std::string& name : lines_of(list.output)) {
        say(opt, "grade " + opt.lab + ": " + name);
        // -w NoTests: a name that matches nothing fails instead of passing vacuously.
        ProcResult p = run_process({exe, catch_spec(name), "-w", "NoTests"}, build.string(), opt.test_timeout,
                                   kTestOutputCap);
        GradedTest t;
        t.name = name;
        t.visibility = hidden.count(name) ? "after_due_date" : "visible";
        t.seconds = p.seconds;
        t.output = p.output;
        if (p.ok()) {
            t.status = "passed";
            t.score = 1;
        } else if (p.timed_out) {
            t.status = "timeout";
            t.output = "TIMEOUT: killed after " + fmt_seconds(opt.test_timeout) +
                       " s (an endless loop, or a list that became a cycle?). Output so far:\n" + p.output;
        } else if (p.signal) {
            t.status = "crashed";
            t.output = "CRASHED: " + p.verdict() + ". Output so far:\n" + p.output;
        } else {
            t.status = p.started ? "failed" : "not run";
        }
        r.tests.push_back(std::move(t));
    }
    return finish();
}

std::string results_json(const GradeReport& r) {
    using scn::json_escape;
    auto str = [](const std::string& s) { return "\"" + json_escape(utf8_clean(s)) + "\""; };
    std::string o = "{\n  \"score\": " + fmt_seconds(r.score) + ",\n  \"execution_time\": " + fmt_seconds(r.seconds) +
                    ",\n  \"output\": " + str(r.output) + ",\n  \"visibility\": \"visible\"" +
                    ",\n  \"extra_data\": {\"schema\": \"epsim.grade\", \"version\": 1, \"lab\": " + str(r.lab) +
                    ", \"max_score\": " + fmt_seconds(r.max_score) + ", \"built\": " + (r.built ? "true" : "false") +
                    "},\n  \"tests\": [";
    for (std::size_t i = 0; i < r.tests.size(); ++i) {
        const GradedTest& t = r.tests[i];
        o += i ? ",\n" : "\n";
        o += "    {\"name\": " + str(t.name) + ", \"score\": " + fmt_seconds(t.score) +
             ", \"max_score\": " + fmt_seconds(t.max_score) + ", \"status\": \"" +
             (t.status == "passed" ? "passed" : "failed") + "\", \"visibility\": \"" + t.visibility +
             "\", \"execution_time\": " + fmt_seconds(t.seconds) + ", \"output\": " + str(t.output) + "}";
    }
    o += "\n  ]\n}\n";
    return o;
}

std::string summary_text(const GradeReport& r) {
    std::ostringstream o;
    for (const GradedTest& t : r.tests) {
        if (t.max_score == 0 && t.status == "passed") continue;
        std::string tag = t.status == "passed" ? "PASS" : t.status == "timeout" ? "TIME" : t.status == "crashed" ? "CRSH"
                          : t.status == "not run" ? "----" : "FAIL";
        o << tag << "  " << fmt_seconds(t.seconds) << "s  " << t.name;
        if (t.visibility != "visible") o << "  (hidden until the due date)";
        o << "\n";
    }
    if (!r.built) o << "the build failed: see the \"build\" item in results.json, or build the tree yourself\n";
    o << "lab " << r.lab << ": " << fmt_seconds(r.score) << " / " << fmt_seconds(r.max_score) << " points, "
      << fmt_seconds(r.seconds) << " s (build " << fmt_seconds(r.build_seconds) << " s)\n";
    return o.str();
}

}  // namespace epsim::lab
