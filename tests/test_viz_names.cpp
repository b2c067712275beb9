// Tests for viz/core/names: the scenario's own names for fds and epitems, so the panels say
// "a.r" and "b" as the narration does, not only fd numbers.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "runner/interp.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"
#include "sim/kernel.h"
#include "viz/core/model_view.h"
#include "viz/core/names.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

struct Run {
    scn::SimBackend sim;
    scn::Trace trace;
    explicit Run(const std::string& text) {
        scn::ParseResult r = scn::parse_scenario("names.scn", text);
        REQUIRE(r.script);
        trace = scn::run_script(*r.script, sim);
        REQUIRE(trace.error.empty());
    }
    const Kernel& k() { return sim.kernel(); }
};

// The (fd -> file) of the main process's table.
ObjId file_of(const ModelView& v, int fd) {
    for (const FdView& f : v.procs.at(0).fds)
        if (f.fd == fd) return f.file;
    return 0;
}

}  // namespace

TEST_CASE("viz names: pipes, eventfds, indexed names, dup, and epitems by their key", "[gui][names]") {
    Run run(R"(ep = epoll_create1(0)
p = pipe(O_NONBLOCK)
repeat 2 as i {
  e[i] = eventfd(0, 0)
}
s = socketpair()
d = dup(p.r)
epoll_ctl(ep, ADD, e[1], EPOLLIN) == 0
epoll_ctl(ep, ADD, d, EPOLLIN, data=7) == 0
)");
    const FdNames names(run.trace, run.k().log.events);
    const ModelView v = build_view(run.k());
    // fds: ep 3, p.r 4, p.w 5, e[0] 6, e[1] 7, s.a 8, s.b 9, d 10 (dup of p.r: same file as 4)
    REQUIRE(names.of(3, file_of(v, 3)) == "ep");
    REQUIRE(names.of(4, file_of(v, 4)) == "p.r");
    REQUIRE(names.of(5, file_of(v, 5)) == "p.w");
    REQUIRE(names.of(6, file_of(v, 6)) == "e[0]");
    REQUIRE(names.of(7, file_of(v, 7)) == "e[1]");
    REQUIRE(names.of(8, file_of(v, 8)) == "s.a");
    REQUIRE(names.of(9, file_of(v, 9)) == "s.b");
    REQUIRE(file_of(v, 10) == file_of(v, 4));
    REQUIRE(names.of(10, file_of(v, 10)) == "d");
    REQUIRE(names.label(4, file_of(v, 4)) == "p.r (fd 4)");
    // A name belongs to the fd and its file: the same number on another file is unnamed.
    REQUIRE(names.of(4, file_of(v, 5)).empty());
    REQUIRE(names.label(4, file_of(v, 5)) == "fd 4");
    // Epitems are named by the fd they were added under, even when the file has two names.
    REQUIRE(v.epis.size() == 2);
    std::set<std::string> epi_names;
    for (const auto& [id, epi] : v.epis) epi_names.insert(names.of(epi.fd, epi.file));
    REQUIRE(epi_names == std::set<std::string>{"e[1]", "d"});
}

TEST_CASE("viz names: a reused fd number takes the new name, a forked child keeps the parent's", "[gui][names]") {
    Run run(R"(a = eventfd(0, 0)
close(a) == 0
b = eventfd(0, 0)
child = fork()
)");
    const FdNames names(run.trace, run.k().log.events);
    const ModelView v = build_view(run.k());
    REQUIRE(v.procs.size() == 2);
    // fd 3 was a, then (closed and reused) b: the current file is b's.
    const ObjId f3 = file_of(v, 3);
    REQUIRE(names.of(3, f3) == "b");
    // The child's fd 3 points at the same file: named b in the child's table too.
    const ProcView& child = v.procs.at(1);
    bool found = false;
    for (const FdView& f : child.fds)
        if (f.fd == 3) {
            found = true;
            REQUIRE(f.file == f3);
            REQUIRE(names.of(f.fd, f.file, child.id) == "b");
        }
    REQUIRE(found);
    // A call that names no fd (close) and a fork (a process, not an fd) name nothing else.
    REQUIRE(names.of(0, file_of(v, 0)).empty());
}
