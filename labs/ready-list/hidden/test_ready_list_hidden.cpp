// Lab ready-list, hidden tests (graded, shown after the due date; not in the handout).
#include "lab_helpers.h"

using namespace lab;

TEST_CASE("ready-list hidden: an outer epoll sees the inner one's ready list", "[ready-list]") {
    Kernel k;
    const ObjId t = k.init_task();
    const int inner = make_epoll(k, t), outer = make_epoll(k, t);
    Pipe p = make_pipe(k, t);
    REQUIRE(add(k, t, inner, p.r, EPOLLIN | EPOLLET, 1) == 0);
    REQUIRE(add(k, t, outer, inner, EPOLLIN | EPOLLET, 9) == 0);
    CHECK(wait_data(k, t, outer).empty());
    REQUIRE(k.write(t, p.w, 1).ret == 1);  // inner's callback, then ep_poll_safewake up to outer
    CHECK(wait_data(k, t, outer) == Data{9});
    CHECK(wait_data(k, t, inner) == Data{1});
    CHECK(k.check_invariants() == "");
}
