// Tests for the scenario language front end: lexer, parser, static checks, diagnostics.
//
// - the malformed corpus (tests/malformed/*.scn): each file names the exact error it must
//   produce on its first line, "# expect: LINE:COL: error: MESSAGE";
// - the AST of representative scenarios;
// - Diagnostic::render();
// - robustness: random mutations of a valid scenario never crash the parser;
// - every ```scn block of docs/scenario-language.md parses.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "runner/parser.h"

using namespace epsim::scn;

namespace {

std::string read_text(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    return lines;
}

// Parses a scenario that must be valid; shows the diagnostic if it is not.
Script parse_ok(const std::string& text) {
    ParseResult r = parse_scenario("t.scn", text);
    INFO((r.error ? r.error->render() : std::string()));
    REQUIRE(r.script);
    REQUIRE_FALSE(r.error);
    return std::move(*r.script);
}

Diagnostic parse_bad(const std::string& text) {
    ParseResult r = parse_scenario("t.scn", text);
    REQUIRE(r.error);
    REQUIRE_FALSE(r.script);
    return *r.error;
}

const Expr& arg(const Stmt& s, std::size_t i) {
    REQUIRE(s.call.args.size() > i);
    return *s.call.args[i];
}

}  // namespace

// ---- the malformed corpus ---------------------------------------------------------------

TEST_CASE("parser: every malformed file gives its expected error", "[scenario][parser]") {
    const std::filesystem::path dir = std::filesystem::path(EPSIM_SOURCE_DIR) / "tests" / "malformed";
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        if (entry.path().extension() == ".scn") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 32);

    const std::string prefix = "# expect: ";
    for (const auto& path : files) {
        INFO(path.filename().string());
        const std::vector<std::string> src = split(read_text(path));
        REQUIRE_FALSE(src.empty());
        REQUIRE(src[0].rfind(prefix, 0) == 0);
        const std::string expect = src[0].substr(prefix.size());

        ParseResult r = parse_scenario_file(path.string());
        REQUIRE(r.error);
        CHECK_FALSE(r.script);
        const std::vector<std::string> out = split(r.error->render());
        REQUIRE(out.size() >= 3);
        CHECK(out[0] == path.string() + ":" + expect);

        // The source line and the caret under the column named in the expectation.
        int line = 0, col = 0;
        REQUIRE(std::sscanf(expect.c_str(), "%d:%d:", &line, &col) == 2);
        REQUIRE(line >= 2);  // line 1 is the expectation itself
        REQUIRE(static_cast<std::size_t>(line) <= src.size() + 1);
        const std::string source = static_cast<std::size_t>(line) <= src.size() ? src[static_cast<std::size_t>(line) - 1] : "";
        CHECK(out[1] == "  " + source);
        CHECK(out[2] == "  " + std::string(static_cast<std::size_t>(col - 1), ' ') + "^");
        // Every mistake in the corpus comes with a hint.
        CHECK_FALSE(r.error->hint.empty());
    }
}

// ---- the AST ------------------------------------------------------------------------------

TEST_CASE("parser: a level-triggered pipe scenario", "[scenario][parser]") {
    Script s = parse_ok(R"(title "Level-triggered pipe"
tags pipe, lt-et
say "an empty pipe is not readable"
ep = epoll_create1(0)
p = pipe(O_NONBLOCK)
epoll_ctl(ep, ADD, p.r, EPOLLIN|EPOLLET, data=7)
epoll_wait(ep, 8, 0) == 0
write(p.w, 100) == 100
epoll_wait(ep, 8, 0) == 1 [7: EPOLLIN]
read(p.r, 10) == ?
epoll_ctl(ep, ADD, p.r, EPOLLIN) == -1 EEXIST
fdinfo(ep) == {p.r: EPOLLIN|EPOLLET data=7}
)");
    REQUIRE(s.stmts.size() == 12);
    CHECK(s.file == "t.scn");
    CHECK(s.title == "Level-triggered pipe");
    CHECK(s.tags == std::vector<std::string>{"pipe", "lt-et"});
    CHECK(s.lines.size() >= 12);
    CHECK(s.lines[3] == "ep = epoll_create1(0)");

    CHECK(s.stmts[0].kind == Stmt::Kind::Title);
    CHECK(s.stmts[0].text == "Level-triggered pipe");
    CHECK(s.stmts[1].kind == Stmt::Kind::Tags);
    CHECK(s.stmts[1].tags == std::vector<std::string>{"pipe", "lt-et"});
    CHECK(s.stmts[2].kind == Stmt::Kind::Say);
    CHECK(s.stmts[2].text == "an empty pipe is not readable");

    const Stmt& create = s.stmts[3];
    CHECK(create.kind == Stmt::Kind::Call);
    CHECK(create.target == "ep");
    CHECK_FALSE(create.target_index);
    CHECK(create.thread.empty());
    CHECK(create.call.fn == "epoll_create1");
    CHECK(arg(create, 0).kind == Expr::Kind::Int);
    CHECK(arg(create, 0).value == 0);
    CHECK(create.expect.kind == Expectation::Kind::None);

    const Stmt& ctl = s.stmts[5];
    CHECK(ctl.call.fn == "epoll_ctl");
    REQUIRE(ctl.call.args.size() == 5);
    CHECK(arg(ctl, 0).kind == Expr::Kind::Ident);
    CHECK(arg(ctl, 0).name == "ep");
    CHECK(arg(ctl, 1).name == "ADD");
    CHECK(arg(ctl, 2).kind == Expr::Kind::Member);
    CHECK(arg(ctl, 2).name == "r");
    CHECK(arg(ctl, 2).kids[0]->name == "p");
    CHECK(arg(ctl, 3).kind == Expr::Kind::BitOr);
    REQUIRE(arg(ctl, 3).kids.size() == 2);
    CHECK(arg(ctl, 3).kids[1]->name == "EPOLLET");
    CHECK(arg(ctl, 4).kind == Expr::Kind::Keyed);
    CHECK(arg(ctl, 4).name == "data");
    CHECK(arg(ctl, 4).kids[0]->value == 7);
    // Locations: the statement, the call, an argument.
    CHECK(ctl.loc.line == 6);
    CHECK(ctl.loc.col == 1);
    CHECK(ctl.call.loc.line == 6);
    CHECK(arg(ctl, 2).loc.col == 20);

    const Stmt& none = s.stmts[6];
    CHECK(none.expect.kind == Expectation::Kind::Value);
    CHECK(none.expect.value->value == 0);
    CHECK_FALSE(none.expect.has_events);

    const Stmt& one = s.stmts[8];
    CHECK(one.expect.kind == Expectation::Kind::Value);
    CHECK(one.expect.value->value == 1);
    CHECK(one.expect.has_events);
    CHECK_FALSE(one.expect.unordered);
    REQUIRE(one.expect.events.size() == 1);
    CHECK(one.expect.events[0].who->kind == Expr::Kind::Int);
    CHECK(one.expect.events[0].who->value == 7);
    CHECK(one.expect.events[0].mask->name == "EPOLLIN");
    CHECK_FALSE(one.expect.events[0].data);
    CHECK(one.expect.loc.line == 9);
    CHECK(one.expect.loc.col == 25);
    CHECK(one.expect.events[0].loc.col == 28);

    CHECK(s.stmts[9].expect.kind == Expectation::Kind::Question);
    CHECK(s.stmts[10].expect.kind == Expectation::Kind::Error);
    CHECK(s.stmts[10].expect.errno_name == "EEXIST");

    const Expectation& fi = s.stmts[11].expect;
    CHECK(s.stmts[11].call.fn == "fdinfo");
    CHECK(fi.kind == Expectation::Kind::Value);
    CHECK_FALSE(fi.value);
    CHECK(fi.has_events);
    CHECK(fi.unordered);
    REQUIRE(fi.events.size() == 1);
    CHECK(fi.events[0].who->kind == Expr::Kind::Member);
    CHECK(fi.events[0].mask->kind == Expr::Kind::BitOr);
    REQUIRE(fi.events[0].data);
    CHECK(fi.events[0].data->value == 7);
}

TEST_CASE("parser: threads and forked processes", "[scenario][parser]") {
    Script s = parse_ok(R"(ep = epoll_create1(0)
p = pipe()
epoll_ctl(ep, ADD, p.r, EPOLLIN)
thread t1
child = fork()
thread t2 in child
t1: epoll_wait(ep, 8, -1)
wait_blocked t1
child: close(p.w) == 0
write(p.w, 1) == 1
join t1 == 1 [p.r: EPOLLIN]
signal t2
sleep 10
join t2
)");
    REQUIRE(s.stmts.size() == 14);
    CHECK(s.stmts[3].kind == Stmt::Kind::Thread);
    CHECK(s.stmts[3].thread == "t1");
    CHECK(s.stmts[3].process.empty());
    CHECK(s.stmts[4].target == "child");
    CHECK(s.stmts[4].call.fn == "fork");
    CHECK(s.stmts[5].thread == "t2");
    CHECK(s.stmts[5].process == "child");

    const Stmt& wait = s.stmts[6];
    CHECK(wait.thread == "t1");
    CHECK(wait.call.fn == "epoll_wait");
    CHECK(wait.loc.col == 1);
    CHECK(wait.call.loc.col == 5);
    CHECK(arg(wait, 2).kind == Expr::Kind::Int);  // -1 is a number, not a negation
    CHECK(arg(wait, 2).value == -1);

    CHECK(s.stmts[7].kind == Stmt::Kind::WaitBlocked);
    CHECK(s.stmts[7].thread == "t1");
    CHECK(s.stmts[8].thread == "child");
    CHECK(s.stmts[8].expect.kind == Expectation::Kind::Value);

    const Stmt& join = s.stmts[10];
    CHECK(join.kind == Stmt::Kind::Join);
    CHECK(join.thread == "t1");
    CHECK(join.expect.kind == Expectation::Kind::Value);
    REQUIRE(join.expect.events.size() == 1);
    CHECK(join.expect.events[0].who->kind == Expr::Kind::Member);

    CHECK(s.stmts[11].kind == Stmt::Kind::Signal);
    CHECK(s.stmts[12].kind == Stmt::Kind::Sleep);
    CHECK(s.stmts[12].count->value == 10);
    CHECK(s.stmts[13].expect.kind == Expectation::Kind::None);
}

TEST_CASE("parser: repeat with indexed names and keyed arguments", "[scenario][parser]") {
    Script s = parse_ok(R"(ep = epoll_create1(0)
repeat 4 as i {
    e[i] = eventfd(0, EFD_NONBLOCK)
    epoll_ctl(ep, ADD, e[i], EPOLLIN, data=i * 2 + 1 | 0x10)
}
write(e[3], 8, value=1) == 8
epoll_wait(ep, 8, 0) == 1 {23: EPOLLIN}
repeat 2 as i { close(e[i + 2]) }
)");
    REQUIRE(s.stmts.size() == 5);
    const Stmt& rep = s.stmts[1];
    CHECK(rep.kind == Stmt::Kind::Repeat);
    CHECK(rep.count->value == 4);
    CHECK(rep.loop_var == "i");
    REQUIRE(rep.body.size() == 2);

    const Stmt& bind = rep.body[0];
    CHECK(bind.target == "e");
    REQUIRE(bind.target_index);
    CHECK(bind.target_index->kind == Expr::Kind::Ident);
    CHECK(bind.target_index->name == "i");
    CHECK(bind.loc.line == 3);
    CHECK(bind.loc.col == 5);

    const Stmt& ctl = rep.body[1];
    CHECK(arg(ctl, 2).kind == Expr::Kind::Index);
    CHECK(arg(ctl, 2).kids[0]->name == "e");
    CHECK(arg(ctl, 2).kids[1]->name == "i");
    // data=i * 2 + 1 | 0x10: '|' binds loosest, '*' tightest.
    const Expr& data = *arg(ctl, 4).kids[0];
    REQUIRE(data.kind == Expr::Kind::BitOr);
    REQUIRE(data.kids.size() == 2);
    CHECK(data.kids[1]->value == 0x10);
    const Expr& sum = *data.kids[0];
    REQUIRE(sum.kind == Expr::Kind::Add);
    CHECK(sum.kids[0]->kind == Expr::Kind::Mul);
    CHECK(sum.kids[1]->value == 1);

    const Stmt& write = s.stmts[2];
    CHECK(arg(write, 2).kind == Expr::Kind::Keyed);
    CHECK(arg(write, 2).name == "value");
    CHECK(s.stmts[3].expect.unordered);
    CHECK(s.stmts[3].expect.events[0].who->value == 23);

    const Stmt& one_line = s.stmts[4];
    REQUIRE(one_line.body.size() == 1);
    CHECK(arg(one_line.body[0], 0).kids[1]->kind == Expr::Kind::Add);
}

TEST_CASE("parser: model_only blocks with and without a host block", "[scenario][parser]") {
    Script s = parse_ok(R"(ep = epoll_create1(0)
p = pipe()
epoll_ctl(ep, ADD, p.r, EPOLLIN)
write(p.w, 1)
thread t1
model_only "the model stops t1 inside ep_send_events" {
    pause t1 after 0
    t1: epoll_wait(ep, 8, 0)
    resume t1
    join t1 == 1 [p.r: EPOLLIN]
}
host {
    t1: epoll_wait(ep, 8, 0) == 1 [p.r: EPOLLIN]
}
model_only "only the model logs this" {
    n = epoll_wait(ep, 8, 0)
} host {
    n = epoll_wait(ep, 8, 0)
}
close(n)
model_only "no host side" { sleep 1 }
)");
    REQUIRE(s.stmts.size() == 9);
    const Stmt& mo = s.stmts[5];
    CHECK(mo.kind == Stmt::Kind::ModelOnly);
    CHECK(mo.text == "the model stops t1 inside ep_send_events");
    REQUIRE(mo.body.size() == 4);
    CHECK(mo.body[0].kind == Stmt::Kind::Pause);
    CHECK(mo.body[0].thread == "t1");
    CHECK(mo.body[0].count->value == 0);
    CHECK(mo.body[2].kind == Stmt::Kind::Resume);
    REQUIRE(mo.host_body.size() == 1);
    CHECK(mo.host_body[0].thread == "t1");

    CHECK(s.stmts[6].body.size() == 1);
    CHECK(s.stmts[6].host_body.size() == 1);
    CHECK(s.stmts[7].call.fn == "close");  // n is bound on both sides
    CHECK(s.stmts[8].host_body.empty());
}

TEST_CASE("parser: poll lists and timespecs and NULL and strings", "[scenario][parser]") {
    Script s = parse_ok(R"(p = pipe()
poll([p.r: POLLIN, p.w: POLLOUT], 0) == 1 [p.w: POLLOUT]
ep = epoll_create1(0)
epoll_pwait2(ep, 8, {0, 1000000}) == 0
epoll_ctl(ep, ADD, p.r, NULL) == -1 EFAULT
srv = socket()
bind(srv, "epsim \"demo\" \\ x\n") == 0
say ""
)");
    const Expr& list = arg(s.stmts[1], 0);
    REQUIRE(list.kind == Expr::Kind::List);
    REQUIRE(list.kids.size() == 2);
    CHECK(list.kids[0]->kind == Expr::Kind::PollItem);
    CHECK(list.kids[0]->kids[0]->kind == Expr::Kind::Member);
    CHECK(list.kids[1]->kids[1]->name == "POLLOUT");
    CHECK(list.loc.col == 6);
    CHECK(s.stmts[1].expect.events.size() == 1);

    const Expr& ts = arg(s.stmts[3], 2);
    REQUIRE(ts.kind == Expr::Kind::Pair);
    CHECK(ts.kids[0]->value == 0);
    CHECK(ts.kids[1]->value == 1000000);

    CHECK(arg(s.stmts[4], 3).kind == Expr::Kind::Null);
    CHECK(s.stmts[4].expect.errno_name == "EFAULT");

    CHECK(arg(s.stmts[6], 1).kind == Expr::Kind::Str);
    CHECK(arg(s.stmts[6], 1).name == "epsim \"demo\" \\ x\n");
    CHECK(s.stmts[7].text.empty());
}

TEST_CASE("parser: newlines inside brackets and comments", "[scenario][parser]") {
    Script s = parse_ok("# a comment line\n"
                        "\n"
                        "ep = epoll_create1(0)   # trailing comment\n"
                        "epoll_wait(ep,\n"
                        "           8,   # maxevents\n"
                        "           0) == 0\r\n"
                        "p = pipe()\n"
                        "epoll_ctl(ep, ADD, p.r, EPOLLIN)\n"
                        "poll([\n  p.r: POLLIN,\n  p.w: POLLOUT\n], 0) == ?");
    REQUIRE(s.stmts.size() == 5);
    CHECK(s.stmts[1].call.args.size() == 3);
    CHECK(s.stmts[1].expect.value->value == 0);
    CHECK(s.stmts[1].loc.line == 4);
    CHECK(s.lines[5] == "           0) == 0");  // the CR of CRLF is not part of the line
    CHECK(arg(s.stmts[4], 0).kids.size() == 2);
}

TEST_CASE("parser: rebinding and case-sensitive names", "[scenario][parser]") {
    Script s = parse_ok("x = dup(0)\nclose(x)\nx = pipe()\nclose(x.r)\n");
    CHECK(s.stmts.size() == 4);
    Diagnostic d = parse_bad("x = dup(0)\nclose(X)\n");
    CHECK(d.message == "unknown name 'X'");
    CHECK(d.hint == "did you mean 'x'?");
    // After rebinding to a pipe, the plain name is a pair again.
    d = parse_bad("x = dup(0)\nx = pipe()\nclose(x)\n");
    CHECK(d.message == "'x' is a pair of fds");
    CHECK(d.hint == "x is a pipe: use x.r or x.w");
}

TEST_CASE("parser: the first error in the file wins", "[scenario][parser]") {
    Diagnostic d = parse_bad("close(nope)\nsay \"unterminated\n");
    CHECK(d.loc.line == 1);
    CHECK(d.message == "unknown name 'nope'");
    d = parse_bad("say \"unterminated\nclose(nope)\n");
    CHECK(d.loc.line == 1);
    CHECK(d.message == "unterminated string");
    // The unknown function comes before the missing ')'.
    d = parse_bad("epol_wait(3, 8, 0\n");
    CHECK(d.message == "unknown function 'epol_wait'");
}

TEST_CASE("parser: an unreadable file", "[scenario][parser]") {
    const std::string path = std::string(EPSIM_SOURCE_DIR) + "/tests/malformed/no-such-file.scn";
    ParseResult r = parse_scenario_file(path);
    REQUIRE(r.error);
    CHECK_FALSE(r.script);
    CHECK(r.error->loc.line == 0);
    CHECK(r.error->loc.col == 0);
    CHECK(r.error->message == "cannot read file");
    CHECK(r.error->render() == path + ":0:0: error: cannot read file");
    // A directory is not a scenario either.
    CHECK(parse_scenario_file(EPSIM_SOURCE_DIR).error);
}

// ---- render() -----------------------------------------------------------------------------

TEST_CASE("parser: render places the caret and the hint", "[scenario][parser]") {
    Diagnostic d;
    d.file = "demo.scn";
    d.loc = {3, 19};
    d.message = "unknown name 'epfd'";
    d.hint = "did you mean 'ep'?";
    d.source_line = "epoll_ctl(ep, ADD, epfd, EPOLLIN)";
    CHECK(d.render() ==
          "demo.scn:3:19: error: unknown name 'epfd'\n"
          "  epoll_ctl(ep, ADD, epfd, EPOLLIN)\n"
          "                    ^\n"
          "hint: did you mean 'ep'?");
    d.hint.clear();
    CHECK(d.render() ==
          "demo.scn:3:19: error: unknown name 'epfd'\n"
          "  epoll_ctl(ep, ADD, epfd, EPOLLIN)\n"
          "                    ^");
    // Line 0: no place in the file, only the first line (the hint too is left out).
    d.loc = {0, 0};
    d.hint = "ignored";
    CHECK(d.render() == "demo.scn:0:0: error: unknown name 'epfd'");

    // From the parser: a tab counts as one column, and the source line is kept verbatim.
    ParseResult r = parse_scenario("tab.scn", "p = pipe()\n\tclose(p)\n");
    REQUIRE(r.error);
    CHECK(r.error->source_line == "\tclose(p)");
    CHECK(r.error->render() ==
          "tab.scn:2:8: error: 'p' is a pair of fds\n"
          "  \tclose(p)\n"
          "         ^\n"
          "hint: p is a pipe: use p.r or p.w");
}

// ---- robustness ---------------------------------------------------------------------------

TEST_CASE("parser: random mutations never crash the parser", "[scenario][parser]") {
    const std::string seed_text = R"(title "fuzz seed"
tags pipe, lt-et
ep = epoll_create1(0)
p = pipe(O_NONBLOCK)
s = socketpair()
epoll_ctl(ep, ADD, p.r, EPOLLIN|EPOLLET, data=7)
thread t1
child = fork()
thread t2 in child
t1: epoll_wait(ep, 8, -1)
wait_blocked t1
write(p.w, 100) == 100
join t1 == 1 [7: EPOLLIN]
repeat 3 as i {
    e[i] = eventfd(0, 0)
    epoll_ctl(ep, ADD, e[i], EPOLLIN, data=i * 2 + 1)
}
poll([p.r: POLLIN, s.a: POLLOUT], 0) == ?
epoll_pwait2(ep, 8, {0, 1000}) == 2 {1: EPOLLIN, 7: EPOLLIN}
model_only "pauses inside ep_send_events" {
    pause t1 after 1
    resume t1
} host {
    sleep 5
}
fdinfo(ep) == {p.r: EPOLLIN|EPOLLET data=7}
read(p.r, 10) == -1 EAGAIN
say "done \"ok\""
)";
    REQUIRE(parse_scenario("seed.scn", seed_text).script);

    const std::string alphabet = "abcdefghijklmnopqrstuvwxyz_ABEIKLNOPRSTW0123456789 \t\n#\"\\()[]{},:.=|+-*?;@&!'x";
    std::mt19937 rng(20240607);  // fixed: the same mutations every run
    auto pick = [&](std::size_t n) { return n ? static_cast<std::size_t>(rng() % n) : 0; };
    int scripts = 0, errors = 0;
    for (int round = 0; round < 2000; ++round) {
        std::string text = seed_text;
        const std::size_t edits = 1 + pick(4);
        for (std::size_t k = 0; k < edits; ++k) {
            switch (pick(3)) {
            case 0:
                if (!text.empty()) text.erase(pick(text.size()), 1);
                break;
            case 1: {
                // Two statements: argument evaluation order differs between compilers.
                std::size_t at = pick(text.size() + 1);
                text.insert(at, 1, alphabet[pick(alphabet.size())]);
                break;
            }
            default:
                if (!text.empty()) {
                    std::size_t at = pick(text.size());
                    std::size_t len = 1 + pick(12);
                    text.erase(at, len);
                }
                break;
            }
        }
        ParseResult r = parse_scenario("fuzz.scn", text);
        INFO("round " << round << "\n" << text);
        REQUIRE(r.script.has_value() != r.error.has_value());
        if (r.error) {
            ++errors;
            CHECK(r.error->loc.line >= 1);
            CHECK(r.error->loc.col >= 1);
            CHECK_FALSE(r.error->message.empty());
            CHECK(r.error->render().rfind("fuzz.scn:", 0) == 0);
        } else {
            ++scripts;
        }
    }
    // Most mutations break the file, a few do not: both paths were exercised.
    CHECK(errors > 1000);
    CHECK(scripts > 0);
}

TEST_CASE("parser: deep nesting is refused instead of overflowing the stack", "[scenario][parser]") {
    const std::string parens = "close(" + std::string(5000, '(') + "1" + std::string(5000, ')') + ")\n";
    Diagnostic d = parse_bad(parens);
    CHECK(d.message == "nesting too deep");
    d = parse_bad("sleep " + std::string(5000, '-') + "1\n");
    CHECK(d.message == "nesting too deep");
    std::string blocks;
    for (int i = 0; i < 500; ++i) blocks += "repeat 1 as i" + std::to_string(i) + " {\n";
    d = parse_bad(blocks);
    CHECK(d.message == "nesting too deep");
    // A few levels are fine.
    parse_ok("close(((1 + 2) * (3 - 1)) | 4)\nsleep --5\n");
}

// ---- the language reference -----------------------------------------------------------------

TEST_CASE("parser: every scn block of the language reference parses", "[scenario][parser]") {
    const std::string doc = read_text(std::filesystem::path(EPSIM_SOURCE_DIR) / "docs" / "scenario-language.md");
    REQUIRE_FALSE(doc.empty());
    std::vector<std::pair<int, std::string>> blocks;  // (line of the fence, text)
    std::istringstream in(doc);
    std::string line, block;
    int n = 0, start = 0;
    bool inside = false;
    while (std::getline(in, line)) {
        ++n;
        if (!inside && line == "```scn") {
            inside = true;
            start = n;
            block.clear();
        } else if (inside && line.rfind("```", 0) == 0) {
            inside = false;
            blocks.emplace_back(start, block);
        } else if (inside) {
            block += line + "\n";
        }
    }
    CHECK_FALSE(inside);
    REQUIRE(blocks.size() >= 8);
    for (const auto& [at, text] : blocks) {
        ParseResult r = parse_scenario("scenario-language.md:" + std::to_string(at), text);
        INFO("the ```scn block at line " << at << " of docs/scenario-language.md\n"
                                         << (r.error ? r.error->render() : std::string()));
        CHECK(r.script);
    }
}
