// The interpreter, traces, mirror alignment and exports, on the model backend.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>

#include "runner/exports.h"
#include "runner/fuzz_gen.h"
#include "runner/interp.h"
#include "runner/mirror.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"

using namespace epsim;
using namespace epsim::scn;

namespace {
Trace run_text(const std::string& text, RunOptions opt = {}) {
    ParseResult p = parse_scenario("t.scn", text);
    INFO((p.error ? p.error->render() : std::string()));
    REQUIRE(p.script);
    SimBackend sim;
    return run_script(*p.script, sim, opt);
}
const Step& step_at_line(const Trace& t, int line) {
    for (const Step& s : t.steps)
        if (s.line == line && s.kind != StepKind::Say) return s;
    FAIL("no step at line " << line);
    return t.steps.front();
}
}  // namespace

TEST_CASE("interpreter: expectations hold or fail with a reason", "[scenario][interp]") {
    Trace t = run_text(
        "ep = epoll_create1(0)\n"                              // 1
        "p = pipe(O_NONBLOCK)\n"                               // 2
        "epoll_ctl(ep, ADD, p.r, EPOLLIN, data=9) == 0\n"      // 3
        "write(p.w, 10) == 10\n"                               // 4
        "epoll_wait(ep, 8, 0) == 1 [p.r: EPOLLIN]\n"           // 5
        "epoll_wait(ep, 8, 0) == 1 [9: EPOLLIN]\n"             // 6: data given as a number
        "epoll_wait(ep, 8, 0) == 1 [p.r: EPOLLOUT]\n"          // 7: wrong mask
        "epoll_ctl(ep, ADD, p.r, EPOLLIN) == -1 EEXIST\n"      // 8
        "epoll_ctl(ep, ADD, p.r, EPOLLIN) == -1 ENOENT\n"      // 9: wrong errno
        "read(p.r, 100) == ?\n");                              // 10: a prediction
    CHECK(t.error.empty());
    CHECK(step_at_line(t, 5).ok);
    CHECK(step_at_line(t, 6).ok);
    CHECK_FALSE(step_at_line(t, 7).ok);
    CHECK(step_at_line(t, 7).failure == "expected 1 [p.r: EPOLLOUT], got 1 [p.r: EPOLLIN] (in order)");
    CHECK(step_at_line(t, 8).ok);
    CHECK_FALSE(step_at_line(t, 9).ok);
    CHECK(step_at_line(t, 9).failure == "expected -1 ENOENT, got -1 EEXIST");
    CHECK(step_at_line(t, 10).question);
    CHECK_FALSE(step_at_line(t, 10).checked);
    CHECK(step_at_line(t, 10).ret == 10);
    CHECK(t.failures() == 2);
    CHECK(t.questions() == 1);
}

TEST_CASE("interpreter: ordered and unordered event lists", "[scenario][interp]") {
    const std::string base =
        "ep = epoll_create1(0)\n"
        "a = pipe(O_NONBLOCK)\n"
        "b = pipe(O_NONBLOCK)\n"
        "epoll_ctl(ep, ADD, a.r, EPOLLIN) == 0\n"
        "epoll_ctl(ep, ADD, b.r, EPOLLIN) == 0\n"
        "write(b.w, 1) == 1\n"
        "write(a.w, 1) == 1\n";
    CHECK(run_text(base + "epoll_wait(ep, 8, 0) == 2 [b.r: EPOLLIN, a.r: EPOLLIN]\n").failures() == 0);
    CHECK(run_text(base + "epoll_wait(ep, 8, 0) == 2 [a.r: EPOLLIN, b.r: EPOLLIN]\n").failures() == 1);
    CHECK(run_text(base + "epoll_wait(ep, 8, 0) == 2 {a.r: EPOLLIN, b.r: EPOLLIN}\n").failures() == 0);
}

TEST_CASE("interpreter: loops, indexed names and fdinfo as a set", "[scenario][interp]") {
    Trace t = run_text(
        "ep = epoll_create1(0)\n"
        "repeat 3 as i {\n"
        "  e[i] = eventfd(0, EFD_NONBLOCK)\n"
        "  epoll_ctl(ep, ADD, e[i], EPOLLIN, data=i + 100) == 0\n"
        "}\n"
        "fdinfo(ep) == {e[2]: EPOLLIN|EPOLLERR|EPOLLHUP data=102, e[0]: EPOLLIN|EPOLLERR|EPOLLHUP, "
        "e[1]: EPOLLIN|EPOLLERR|EPOLLHUP data=101}\n"
        "write(e[1], 8, value=5) == 8\n"
        "epoll_wait(ep, 8, 0) == 1 [e[1]: EPOLLIN]\n");
    CHECK(t.error.empty());
    CHECK(t.failures() == 0);
    const Step& fi = step_at_line(t, 6);
    REQUIRE(fi.interest.size() == 3);
    CHECK(fi.interest[0].fd == "e[0]");
    CHECK(fi.interest[0].data == "100");
    // The loop's steps carry the iteration in their alignment key.
    int keyed = 0;
    for (const Step& s : t.steps) keyed += s.key == "3#2" ? 1 : 0;
    CHECK(keyed == 1);
}

TEST_CASE("interpreter: threads block, join collects, the call's expectation is checked at join",
          "[scenario][interp]") {
    Trace t = run_text(
        "ep = epoll_create1(0)\n"
        "p = pipe(O_NONBLOCK)\n"
        "epoll_ctl(ep, ADD, p.r, EPOLLIN) == 0\n"
        "thread t1\n"
        "t1: epoll_wait(ep, 8, -1) == 1 [p.r: EPOLLOUT]\n"  // wrong: fails at the join
        "wait_blocked t1\n"
        "write(p.w, 1) == 1\n"
        "join t1\n"
        "thread t2\n"
        "t2: epoll_wait(ep, 8, 50)\n"
        "join t2 == 1 [p.r: EPOLLIN]\n");
    CHECK(t.error.empty());
    CHECK(step_at_line(t, 5).blocked);
    CHECK(step_at_line(t, 6).ok);
    CHECK_FALSE(step_at_line(t, 8).ok);
    CHECK(step_at_line(t, 11).ok);
    CHECK(t.failures() == 1);
}

TEST_CASE("interpreter: a call the model cannot run is a runtime error with file:line:col", "[scenario][interp]") {
    Trace t = run_text("p = pipe()\nread(p.r, 10)\nclose(p.r)\n");
    CHECK(t.error.rfind("t.scn:2:1: error: read from an empty blocking pipe would sleep", 0) == 0);
    // A thread sleeping with nothing to wake it cannot be joined.
    Trace u = run_text("ep = epoll_create1(0)\nthread t1\nt1: epoll_wait(ep, 1, -1)\njoin t1\n");
    CHECK(u.error.find("t.scn:4:1: error: the thread sleeps in epoll_wait with no timeout") == 0);
}

TEST_CASE("model_only blocks run on the model - host blocks are skipped there", "[scenario][interp]") {
    Trace t = run_text(
        "ep = epoll_create1(0)\n"
        "a = pipe(O_NONBLOCK)\n"
        "epoll_ctl(ep, ADD, a.r, EPOLLIN) == 0\n"
        "write(a.w, 1) == 1\n"
        "thread t1\n"
        "model_only \"stop t1 inside the harvest\" {\n"
        "  pause t1 after 0\n"
        "  t1: epoll_wait(ep, 8, 0)\n"
        "  resume t1\n"
        "  join t1 == 1 [a.r: EPOLLIN]\n"
        "} host {\n"
        "  t1: epoll_wait(ep, 8, 0) == 1 [a.r: EPOLLIN]\n"
        "}\n");
    CHECK(t.error.empty());
    CHECK(t.failures() == 0);
    for (const Step& s : t.steps)
        if (s.line >= 7 && s.line <= 10) CHECK(s.model_only);
    for (const Step& s : t.steps) CHECK(s.line != 12);
}

TEST_CASE("trace JSON carries its schema and version", "[scenario][trace]") {
    Trace t = run_text("ep = epoll_create1(0)\nepoll_ctl(ep, ADD, ep, EPOLLIN) == -1 EINVAL\n");
    std::string j = render_json(t);
    CHECK(j.rfind("{\"schema\":\"epsim.trace\",\"version\":1,", 0) == 0);
    CHECK(j.find("\"errno\":\"EINVAL\"") != std::string::npos);
    CHECK(j.find("\"failures\":0") != std::string::npos);
    std::string txt = render_text(t);
    CHECK(txt.find("epoll_ctl(ep, ADD, ep, EPOLLIN) = -1 EINVAL") != std::string::npos);
}

TEST_CASE("mirror: equal traces align with no divergence - a changed result is one", "[scenario][mirror]") {
    const std::string text =
        "ep = epoll_create1(0)\np = pipe(O_NONBLOCK)\nepoll_ctl(ep, ADD, p.r, EPOLLIN) == 0\n"
        "write(p.w, 3) == 3\nepoll_wait(ep, 8, 0) == 1 [p.r: EPOLLIN]\n";
    RunOptions opt;
    opt.capture_fdinfo = true;
    Trace a = run_text(text, opt), b = run_text(text, opt);
    CHECK(a.steps[2].has_interest);
    auto rows = align(a, b);
    CHECK(std::count_if(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.diverged; }) == 0);
    b.steps[4].events[0].events = EPOLLIN | EPOLLHUP;
    rows = align(a, b);
    REQUIRE(std::count_if(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.diverged; }) == 1);
    b.steps[4].events[0].events = EPOLLIN;
    b.steps[2].interest[0].events = 0x19 | EPOLLET;
    rows = align(a, b);
    auto it = std::find_if(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.diverged; });
    REQUIRE(it != rows.end());
    CHECK(it->why == "interest list");
    // fd results compare by success: different fd numbers are not a divergence.
    b = run_text(text, opt);
    b.steps[0].ret = 7;
    rows = align(a, b);
    CHECK(std::none_of(rows.begin(), rows.end(), [](const MirrorRow& r) { return r.diverged; }));
}

TEST_CASE("exports: events JSON, Chrome trace and DOT", "[scenario][trace]") {
    ParseResult p = parse_scenario("x.scn",
                                   "ep = epoll_create1(0)\np = pipe(O_NONBLOCK)\nq = pipe(O_NONBLOCK)\n"
                                   "epoll_ctl(ep, ADD, p.r, EPOLLIN) == 0\nepoll_ctl(ep, ADD, q.r, EPOLLIN) == 0\n"
                                   "write(p.w, 1) == 1\n");
    REQUIRE(p.script);
    SimBackend sim;
    run_script(*p.script, sim);
    const Kernel& k = sim.kernel();
    std::string ev = export_events_json(k);
    CHECK(ev.rfind("{\"schema\":\"epsim.events\",\"version\":1,\"events\":[", 0) == 0);
    CHECK(ev.find("\"type\":\"rdllist.add_tail\",\"fn\":\"ep_poll_callback\"") != std::string::npos);
    std::string chrome = export_chrome_trace(k);
    CHECK(chrome.find("\"ph\":\"B\"") != std::string::npos);
    CHECK(chrome.find("\"ph\":\"E\"") != std::string::npos);
    CHECK(chrome.find("\"name\":\"ep.callback\",\"cat\":\"callback\",\"ph\":\"i\"") != std::string::npos);
    std::string dot = export_dot(k);
    CHECK(dot.find("ordering=out") != std::string::npos);
    CHECK(dot.find("fillcolor=\"#222222\"") != std::string::npos);  // a black root
    CHECK(dot.find("ep1rdllist -> ep1rdllist") != std::string::npos);
    CHECK(dot.find("ovflist = EP_UNACTIVE_PTR") != std::string::npos);
}

TEST_CASE("fuzz: the same seed gives the same scenario, and every one parses", "[scenario][fuzz]") {
    for (int i = 0; i < 50; ++i) {
        std::string a = generate_scenario(7, i), b = generate_scenario(7, i);
        CHECK(a == b);
        ParseResult p = parse_scenario("f.scn", a);
        INFO(a);
        CHECK(p.script);
    }
    CHECK(generate_scenario(7, 0) != generate_scenario(8, 0));
    // Shrinking keeps only what the predicate needs.
    std::string small = minimize_lines("title \"t\"\na\nb\nc\nd\n", [](const std::string& t) {
        return t.find("b\n") != std::string::npos && t.find("d\n") != std::string::npos;
    });
    CHECK(small == "title \"t\"\nb\nd\n");
}

TEST_CASE("every scn example in the language reference runs on the model with its expectations holding",
          "[scenario][docs]") {
    std::ifstream in(std::string(EPSIM_SOURCE_DIR) + "/docs/scenario-language.md");
    REQUIRE(in);
    std::string line, block;
    bool inside = false;
    int examples = 0, n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!inside && line == "```scn") {
            inside = true;
            block.clear();
        } else if (inside && line == "```") {
            inside = false;
            ++examples;
            ParseResult p = parse_scenario("example-before-line-" + std::to_string(n), block);
            INFO(block);
            REQUIRE(p.script);
            SimBackend sim;
            Trace t = run_script(*p.script, sim);
            CHECK(t.error == "");
            CHECK(t.failures() == 0);
        } else if (inside) {
            block += line + "\n";
        }
    }
    CHECK(examples >= 10);
}

TEST_CASE("chrome trace: every syscall slice opens and closes once per task, also across a sleep",
          "[scenario][trace]") {
    ParseResult p = parse_scenario("c.scn",
                                   "ep = epoll_create1(0)\np = pipe(O_NONBLOCK)\nepoll_ctl(ep, ADD, p.r, EPOLLIN) == 0\n"
                                   "thread t1\nt1: epoll_wait(ep, 8, -1)\nwrite(p.w, 1) == 1\njoin t1 == 1 [p.r: EPOLLIN]\n");
    REQUIRE(p.script);
    SimBackend sim;
    REQUIRE(run_script(*p.script, sim).failures() == 0);
    std::string chrome = export_chrome_trace(sim.kernel());
    std::map<std::string, int> depth;  // tid -> open slices
    std::size_t pos = 0;
    int sleeps = 0;
    while ((pos = chrome.find("\"ph\":\"", pos)) != std::string::npos) {
        char ph = chrome[pos + 6];
        std::size_t t = chrome.find("\"tid\":", pos);
        std::string tid = chrome.substr(t + 6, chrome.find_first_of(",}", t) - t - 6);
        if (ph == 'B') ++depth[tid];
        if (ph == 'E') CHECK(--depth[tid] >= 0);
        pos += 6;
    }
    for (const auto& [tid, d] : depth) CHECK(d == 0);
    for (pos = 0; (pos = chrome.find("\"name\":\"sleeps\"", pos)) != std::string::npos; ++pos) ++sleeps;
    CHECK(sleeps == 1);
}

TEST_CASE("join after a loop evaluates the call and its expectation in the call's loop scope",
          "[scenario][interp]") {
    Trace t = run_text(
        "ep = epoll_create1(0)\n"
        "thread t1\n"
        "repeat 2 as i {\n"
        "  e[i] = eventfd(0, EFD_NONBLOCK)\n"
        "  epoll_ctl(ep, ADD, e[i], EPOLLIN, data=i + 10) == 0\n"
        "}\n"
        "repeat 1 as j {\n"
        "  t1: epoll_wait(e[j] - e[j] + ep, 8, -1) == 1 [e[j + 1]: EPOLLIN]\n"  // j is out of scope at the join
        "}\n"
        "write(e[1], 8, value=1) == 8\n"
        "join t1\n");
    INFO(t.error);
    CHECK(t.error.empty());
    CHECK(t.failures() == 0);
    CHECK(step_at_line(t, 11).call == "join t1 (epoll_wait(e[0] - e[0] + ep, 8, -1))");
    CHECK(step_at_line(t, 11).checked);
}
