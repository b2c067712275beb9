// `epsim grade` end to end: each lab's handout builds and scores strictly between 0 and full
// marks, its solution gets full marks, results.json has Gradescope's shape, and a planted bug,
// an endless loop and a compile error are graded, not fatal. One build per lab: the solution
// and the planted trees are re-made into the same directory and rebuild incrementally.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <map>
#include <memory>

#include "runner/lab_files.h"
#include "runner/lab_grade.h"
#include "runner/lab_make.h"

namespace fs = std::filesystem;
using namespace epsim::lab;

namespace {

// ---- a minimal JSON reader, enough to check results.json's shape --------------------------
struct Json {
    enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
    double num = 0;
    std::string str;
    std::vector<Json> items;
    std::map<std::string, Json> fields;
    bool has(const std::string& k) const { return fields.count(k) != 0; }
    const Json& at(const std::string& k) const { return fields.at(k); }
};

struct JsonReader {
    const std::string& s;
    std::size_t i = 0;
    void ws() {
        while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    }
    bool lit(const char* w) {
        const std::string t(w);
        if (s.compare(i, t.size(), t) != 0) return false;
        i += t.size();
        return true;
    }
    std::string string() {
        std::string o;
        if (s.at(i++) != '"') throw std::runtime_error("expected a string");
        while (s.at(i) != '"') {
            char c = s[i++];
            if (static_cast<unsigned char>(c) < 0x20) throw std::runtime_error("raw control character in a string");
            if (c == '\\') {
                char e = s.at(i++);
                if (e == 'u') {
                    o += '?';
                    i += 4;
                } else {
                    o += e == 'n' ? '\n' : e == 't' ? '\t' : e;
                }
            } else {
                o += c;
            }
        }
        ++i;
        return o;
    }
    Json value() {
        ws();
        Json v;
        const char c = s.at(i);
        if (c == '{') {
            v.kind = Json::Object;
            ++i;
            ws();
            if (s.at(i) == '}') return ++i, v;
            for (;;) {
                ws();
                std::string k = string();
                ws();
                if (s.at(i++) != ':') throw std::runtime_error("expected ':'");
                v.fields[k] = value();
                ws();
                if (s.at(i) == ',') {
                    ++i;
                    continue;
                }
                if (s.at(i++) != '}') throw std::runtime_error("expected '}'");
                return v;
            }
        }
        if (c == '[') {
            v.kind = Json::Array;
            ++i;
            ws();
            if (s.at(i) == ']') return ++i, v;
            for (;;) {
                v.items.push_back(value());
                ws();
                if (s.at(i) == ',') {
                    ++i;
                    continue;
                }
                if (s.at(i++) != ']') throw std::runtime_error("expected ']'");
                return v;
            }
        }
        if (c == '"') {
            v.kind = Json::String;
            v.str = string();
            return v;
        }
        if (lit("true") || lit("false")) {
            v.kind = Json::Bool;
            return v;
        }
        if (lit("null")) return v;
        std::size_t used = 0;
        v.num = std::stod(s.substr(i), &used);
        v.kind = Json::Number;
        i += used;
        return v;
    }
};

Json parse_json(const std::string& text) {
    JsonReader r{text};
    Json v = r.value();
    r.ws();
    if (r.i != text.size()) throw std::runtime_error("trailing characters");
    return v;
}

// Checks Gradescope's shape and that the totals add up; returns the parsed document.
Json check_results_shape(const GradeReport& rep) {
    Json j;
    REQUIRE_NOTHROW(j = parse_json(results_json(rep)));
    REQUIRE(j.kind == Json::Object);
    for (const char* k : {"score", "execution_time"}) {
        INFO(k);
        REQUIRE(j.has(k));
        CHECK(j.at(k).kind == Json::Number);
    }
    REQUIRE(j.has("output"));
    CHECK(j.at("output").kind == Json::String);
    REQUIRE(j.has("tests"));
    REQUIRE(j.at("tests").kind == Json::Array);
    REQUIRE(j.at("extra_data").at("schema").str == "epsim.grade");
    double sum = 0, max = 0;
    for (const Json& t : j.at("tests").items) {
        for (const char* k : {"name", "output", "visibility", "status"}) {
            INFO(k);
            REQUIRE(t.has(k));
            CHECK(t.at(k).kind == Json::String);
        }
        for (const char* k : {"score", "max_score", "execution_time"}) {
            INFO(k);
            REQUIRE(t.has(k));
            CHECK(t.at(k).kind == Json::Number);
        }
        CHECK((t.at("visibility").str == "visible" || t.at("visibility").str == "after_due_date"));
        CHECK((t.at("status").str == "passed" || t.at("status").str == "failed"));
        CHECK(t.at("score").num <= t.at("max_score").num);
        sum += t.at("score").num;
        max += t.at("max_score").num;
    }
    CHECK(j.at("score").num == Approx(sum));
    CHECK(j.at("extra_data").at("max_score").num == Approx(max));
    return j;
}

struct Scratch {
    fs::path root;
    explicit Scratch(const std::string& lab)
        : root(fs::temp_directory_path() / ("epsim-lab-test-" + lab + "-" + std::to_string(::getpid()))) {
        fs::remove_all(root);
    }
    ~Scratch() { fs::remove_all(root); }
    std::string tree() const { return (root / "tree").string(); }
    std::string work() const { return (root / "work").string(); }
};

GradeReport grade_tree(const std::string& lab, const Scratch& s, double test_timeout = 10) {
    GradeOptions g;
    g.src = EPSIM_SOURCE_DIR;
    g.lab = lab;
    g.dir = s.tree();
    g.work_dir = s.work();
    g.test_timeout = test_timeout;
    GradeReport r = grade(g);
    INFO(r.infra_error);
    REQUIRE(r.infra_error.empty());
    return r;
}

void make(const std::string& lab, const Scratch& s, bool solution) {
    REQUIRE(make_tree(MakeOptions{EPSIM_SOURCE_DIR, lab, s.tree(), solution, true}) == "");
}

// Replaces `from` by `to` in a file of the tree (the file must contain it).
void plant(const Scratch& s, const std::string& file, const std::string& from, const std::string& to) {
    const std::string path = s.tree() + "/" + file;
    std::string text;
    REQUIRE(read_text(path, text));
    const std::size_t at = text.find(from);
    INFO("anchor not found in " << file << ": " << from);
    REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), to);
    REQUIRE(write_if_changed(path, text) == "");
}

const GradedTest* find_test(const GradeReport& r, const std::string& name) {
    for (const GradedTest& t : r.tests)
        if (t.name == name) return &t;
    return nullptr;
}

// The common part: the handout scores strictly between 0 and full marks, the solution full.
void handout_then_solution(const std::string& lab, const Scratch& s) {
    make(lab, s, false);
    GradeReport h = grade_tree(lab, s);
    INFO(summary_text(h));
    REQUIRE(h.built);
    check_results_shape(h);
    CHECK(h.score > 0);
    CHECK(h.score < h.max_score);
    CHECK(h.max_score >= 9);
    for (const GradedTest& t : h.tests)
        if (t.name.find("structure") != std::string::npos) CHECK(t.status == "passed");

    make(lab, s, true);
    GradeReport sol = grade_tree(lab, s);
    INFO(summary_text(sol));
    REQUIRE(sol.built);
    check_results_shape(sol);
    CHECK(sol.score == sol.max_score);
    CHECK(sol.max_score == h.max_score);
}

}  // namespace

TEST_CASE("lab grade: the JSON reader of these tests rejects what it should", "[cli][lab]") {
    CHECK(parse_json("{\"a\": [1, 2.5, \"x\\n\"], \"b\": {}}").at("a").items.size() == 3);
    CHECK_THROWS(parse_json("{\"a\": 1"));
    CHECK_THROWS(parse_json("{\"a\": \"raw\nnewline\"}"));
    CHECK_THROWS(parse_json("[1] x"));
}

TEST_CASE("lab grade: ready-list handout, solution, a planted bug and hidden tests", "[cli][lab]") {
    Scratch s("ready-list");
    handout_then_solution("ready-list", s);
    // The classic mistake: treat level-triggered items like edge-triggered ones.
    plant(s, "sim/ep_wait.cpp", "list_add_tail(&epi->rdllink, &ep->rdllist);\n            emit(EventType::LtRequeue",
          "(void)0;\n            emit(EventType::LtRequeue");
    GradeReport r = grade_tree("ready-list", s);
    INFO(summary_text(r));
    Json j = check_results_shape(r);
    CHECK(r.score > 0);
    CHECK(r.score < r.max_score);
    const GradedTest* lt = find_test(r, "ready-list: level-triggered is reported while data remains");
    REQUIRE(lt != nullptr);
    CHECK(lt->status == "failed");
    CHECK(lt->output.find("FAILED") != std::string::npos);
    const GradedTest* et = find_test(r, "ready-list: edge-triggered is reported once per write");
    REQUIRE(et != nullptr);
    CHECK(et->status == "passed");
    const GradedTest* hidden = find_test(r, "ready-list hidden: an outer epoll sees the inner one's ready list");
    REQUIRE(hidden != nullptr);
    CHECK(hidden->visibility == "after_due_date");
}

TEST_CASE("lab grade: rbtree handout, solution, and an endless loop is a timeout", "[cli][lab]") {
    Scratch s("rbtree");
    handout_then_solution("rbtree", s);
    plant(s, "sim/rbtree.cpp", "void erase_rebalance(RbNode* parent, Side side, RbRoot* root, RbTracer* tracer) {\n",
          "void erase_rebalance(RbNode* parent, Side side, RbRoot* root, RbTracer* tracer) {\n"
          "    std::printf(\"spinning\\n\");\n    std::fflush(stdout);\n    for (volatile int spin = 1; spin;) {\n    }\n");
    plant(s, "sim/rbtree.cpp", "#include <vector>\n", "#include <vector>\n#include <cstdio>\n");
    GradeReport r = grade_tree("rbtree", s, 2);
    INFO(summary_text(r));
    check_results_shape(r);
    CHECK(r.score > 0);
    CHECK(r.score < r.max_score);
    const GradedTest* t = find_test(r, "rbtree: erasing a black leaf with a red far nephew is case 4");
    REQUIRE(t != nullptr);
    CHECK(t->status == "timeout");
    CHECK(t->output.find("TIMEOUT") != std::string::npos);
    CHECK(t->output.find("spinning") != std::string::npos);  // the partial output is kept
    CHECK(t->seconds < 10);
    CHECK(find_test(r, "rbtree: 1000 inserts keep every red-black property")->status == "passed");
}

TEST_CASE("lab grade: loop-check handout and solution", "[cli][lab]") {
    Scratch s("loop-check");
    handout_then_solution("loop-check", s);
}

TEST_CASE("lab grade: wakeup handout, solution, and a compile error scores 0", "[cli][lab]") {
    Scratch s("wakeup");
    handout_then_solution("wakeup", s);
    plant(s, "sim/waitqueue.cpp", "void Kernel::wake_up(", "void Kernel::wake_up(this does not compile ");
    GradeReport r = grade_tree("wakeup", s);
    Json j = check_results_shape(r);
    CHECK_FALSE(r.built);
    CHECK(r.score == 0);
    CHECK(r.max_score == 9);
    REQUIRE(!r.tests.empty());
    CHECK(r.tests[0].name == "build");
    CHECK(r.tests[0].output.find("waitqueue.cpp") != std::string::npos);
    CHECK(r.tests[0].output.find("error") != std::string::npos);
    CHECK(r.tests.size() == 10);  // build + the 9 tests, not run
}
