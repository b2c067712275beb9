// Lab loop-check: ep_loop_check (cycles and depth: ELOOP) and reverse_path_check (too many
// wake-up paths: EINVAL), run by EPOLL_CTL_ADD in "full check" mode (reference §3.3).
// Each TEST_CASE is one point. "structure" tests pass with the stubs: keep them passing.
#include "lab_helpers.h"

using namespace lab;

namespace {

// epoll_ctl(outer, ADD, inner, EPOLLIN): the errno, 0 on success.
int nest(Kernel& k, ObjId t, int outer, int inner) { return add(k, t, outer, inner, EPOLLIN, static_cast<std::uint64_t>(inner)); }

}  // namespace

TEST_CASE("loop-check structure: an epoll cannot watch itself", "[loop-check][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int ep = make_epoll(k, t);
    CHECK(nest(k, t, ep, ep) == EINVAL);  // do_epoll_ctl refuses this before any loop check
}

TEST_CASE("loop-check structure: one level of nesting reports readiness", "[loop-check][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int inner = make_epoll(k, t), outer = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, inner, p.r, EPOLLIN, 1) == 0);
    REQUIRE(add(k, t, outer, inner, EPOLLIN, 2) == 0);
    REQUIRE(k.write(t, p.w, 1).ret == 1);
    CHECK(wait_data(k, t, outer) == Data{2});
    CHECK(k.check_invariants() == "");
}

TEST_CASE("loop-check structure: a diamond is not a loop", "[loop-check][structure]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int bottom = make_epoll(k, t), left = make_epoll(k, t), right = make_epoll(k, t), top = make_epoll(k, t);
    CHECK(nest(k, t, left, bottom) == 0);
    CHECK(nest(k, t, right, bottom) == 0);
    CHECK(nest(k, t, top, left) == 0);
    CHECK(nest(k, t, top, right) == 0);
}

TEST_CASE("loop-check: a cycle of two is ELOOP", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int a = make_epoll(k, t), b = make_epoll(k, t);
    REQUIRE(nest(k, t, a, b) == 0);
    CHECK(nest(k, t, b, a) == ELOOP);
    CHECK(k.rb_items(*k.ep_of_fd(t, b)).empty());
}

TEST_CASE("loop-check: a cycle of three is ELOOP", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int a = make_epoll(k, t), b = make_epoll(k, t), c = make_epoll(k, t);
    REQUIRE(nest(k, t, a, b) == 0);
    REQUIRE(nest(k, t, b, c) == 0);
    CHECK(nest(k, t, c, a) == ELOOP);
}

TEST_CASE("loop-check: five instances stack, a sixth level is ELOOP", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    std::vector<int> e;
    for (int i = 0; i < 6; ++i) e.push_back(make_epoll(k, t));
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, e[0], p.r, EPOLLIN, 1) == 0);
    for (int i = 1; i < 5; ++i) REQUIRE(nest(k, t, e[i], e[i - 1]) == 0);  // bottom-up
    CHECK(nest(k, t, e[5], e[4]) == ELOOP);
    REQUIRE(k.write(t, p.w, 1).ret == 1);  // and readiness still climbs the four levels
    CHECK(wait_data(k, t, e[4]) == Data{static_cast<std::uint64_t>(e[3])});
}

TEST_CASE("loop-check: stacking top-down is measured upwards", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    std::vector<int> e;
    for (int i = 0; i < 6; ++i) e.push_back(make_epoll(k, t));
    for (int i = 0; i < 4; ++i) REQUIRE(nest(k, t, e[i], e[i + 1]) == 0);  // e0 > e1 > ... > e4
    CHECK(nest(k, t, e[4], e[5]) == ELOOP);
}

TEST_CASE("loop-check: joining two stacks counts both", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    std::vector<int> top, bottom;
    for (int i = 0; i < 5; ++i) top.push_back(make_epoll(k, t));
    for (int i = 0; i < 2; ++i) bottom.push_back(make_epoll(k, t));
    for (int i = 0; i < 4; ++i) REQUIRE(nest(k, t, top[i], top[i + 1]) == 0);
    REQUIRE(nest(k, t, bottom[0], bottom[1]) == 0);
    CHECK(nest(k, t, top[3], bottom[0]) == ELOOP);  // 3 above + 1 + 1 below
    CHECK(nest(k, t, top[3], bottom[1]) == 0);      // 3 above + 1
    CHECK(nest(k, t, top[4], bottom[1]) == ELOOP);  // 4 above + 1
}

TEST_CASE("loop-check: the check logs the depth below and above the new edge", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    std::vector<int> e;
    for (int i = 0; i < 5; ++i) e.push_back(make_epoll(k, t));
    REQUIRE(nest(k, t, e[1], e[0]) == 0);
    REQUIRE(nest(k, t, e[2], e[1]) == 0);
    REQUIRE(nest(k, t, e[4], e[3]) == 0);
    const std::size_t from = k.log.events.size();
    REQUIRE(nest(k, t, e[3], e[2]) == 0);  // two levels below e2, one above e3
    std::vector<const Event*> checks;
    for (std::size_t i = from; i < k.log.events.size(); ++i)
        if (k.log.events[i].type == EventType::LoopCheck) checks.push_back(&k.log.events[i]);
    REQUIRE(checks.size() == 1);
    CHECK(checks[0]->x == 2);
    CHECK(checks[0]->y == 1);
}

TEST_CASE("loop-check: more than 10 wake-up paths at depth 4 is EINVAL", "[loop-check]") {
    Kernel k;
    const ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    std::vector<int> chain;
    for (int i = 0; i < 4; ++i) chain.push_back(make_epoll(k, t));
    REQUIRE(add(k, t, chain[0], p.r, EPOLLIN, 1) == 0);
    for (int i = 1; i < 4; ++i) REQUIRE(nest(k, t, chain[i], chain[i - 1]) == 0);
    // Each new top adds one path p -> chain[0] -> ... -> chain[3] -> top: the limit at depth 4 is 10.
    for (int i = 0; i < 10; ++i) {
        const int top = make_epoll(k, t);
        INFO("top " << i);
        REQUIRE(nest(k, t, top, chain[3]) == 0);
    }
    const int last = make_epoll(k, t);
    CHECK(nest(k, t, last, chain[3]) == EINVAL);
    CHECK(k.check_invariants() == "");
}
