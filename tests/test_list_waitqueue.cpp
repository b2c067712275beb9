// list_head and wait-queue mechanics: list operations, where entries go in a wait queue, and
// how __wake_up_common walks it (reference §2.2, §2.3, §4.1 rule 5).
#include "helpers.h"

using namespace epsim;
using namespace epsim::test;

namespace {
struct Item {
    ListHead link;
    int v = 0;
};
std::vector<int> values(ListHead& h) {
    std::vector<int> v;
    for (ListHead* p = h.next; p != &h; p = p->next) v.push_back(EPSIM_CONTAINER_OF(p, Item, link)->v);
    return v;
}
}  // namespace

TEST_CASE("list_head: add is LIFO, add_tail FIFO, del_init leaves the entry self-linked", "[model][list]") {
    ListHead h;
    Item a, b, c;
    a.v = 1, b.v = 2, c.v = 3;
    CHECK(list_empty(&h));
    CHECK_FALSE(list_is_linked(&a.link));
    list_add_tail(&a.link, &h);
    list_add_tail(&b.link, &h);
    list_add(&c.link, &h);
    CHECK(values(h) == std::vector<int>{3, 1, 2});
    CHECK(list_check(&h) == nullptr);
    list_del_init(&a.link);
    CHECK_FALSE(list_is_linked(&a.link));
    CHECK(values(h) == std::vector<int>{3, 2});
    CHECK(list_count(&h) == 2);
}

TEST_CASE("list_splice_init keeps order and empties the source - splice_tail appends", "[model][list]") {
    ListHead from, to;
    Item it[5];
    for (int i = 0; i < 5; ++i) it[i].v = i;
    list_add_tail(&it[0].link, &from);
    list_add_tail(&it[1].link, &from);
    list_add_tail(&it[2].link, &to);
    list_splice_init(&from, &to);
    CHECK(values(to) == std::vector<int>{0, 1, 2});
    CHECK(list_empty(&from));
    list_add_tail(&it[3].link, &from);
    list_add_tail(&it[4].link, &from);
    list_splice_tail_init(&from, &to);
    CHECK(values(to) == std::vector<int>{0, 1, 2, 3, 4});
    list_splice_init(&from, &to);  // empty source: no change
    CHECK(values(to) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(list_check(&to) == nullptr);
}

TEST_CASE("list_check finds a broken back link", "[model][list]") {
    ListHead h;
    Item a, b;
    list_add_tail(&a.link, &h);
    list_add_tail(&b.link, &h);
    b.link.prev = &h;  // corrupt
    CHECK(list_check(&h) != nullptr);
    b.link.prev = &a.link;
    CHECK(list_check(&h) == nullptr);
}

TEST_CASE("a file's wait queue: plain hooks newest first, EXCLUSIVE hooks after them in FIFO order",
          "[model][waitqueue]") {
    Kernel k;
    ObjId t = k.init_task();
    Pipe p = make_pipe(k, t);
    std::vector<int> eps;
    for (int i = 0; i < 4; ++i) eps.push_back(make_epoll(k, t));
    add(k, t, eps[0], p.r, EPOLLIN, 1);                   // head
    add(k, t, eps[1], p.r, EPOLLIN | EPOLLEXCLUSIVE, 2);  // tail
    add(k, t, eps[2], p.r, EPOLLIN, 3);                   // head
    add(k, t, eps[3], p.r, EPOLLIN | EPOLLEXCLUSIVE, 4);  // tail
    auto walk_order = [&](std::size_t from) {
        std::vector<std::uint64_t> v;
        for (std::size_t i = from; i < k.log.size(); ++i)
            if (k.log.events[i].type == EventType::Callback) v.push_back(k.epitem(k.log.events[i].b)->data);
        return v;
    };
    SECTION("nobody sleeps: every hook is called (an exclusive hook without a waiter returns 0)") {
        std::size_t mark = k.log.size();
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(walk_order(mark) == std::vector<std::uint64_t>{3, 1, 2, 4});
    }
    SECTION("a sleeper on the first exclusive instance ends the walk there") {
        ObjId t2 = k.spawn_thread(t), t3 = k.spawn_thread(t);
        REQUIRE(k.epoll_wait(t2, eps[1], 8, -1).blocked);
        REQUIRE(k.epoll_wait(t3, eps[3], 8, -1).blocked);
        std::size_t mark = k.log.size();
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        CHECK(walk_order(mark) == std::vector<std::uint64_t>{3, 1, 2});
        CHECK(k.task(t2).result.ret == 1);
        CHECK(k.task(t3).state == TaskState::Sleeping);
    }
    SECTION("an exclusive hook filtered out by the key returns 0: the walk goes on to the next one") {
        int efd = static_cast<int>(k.eventfd(t, 0, EFD_NONBLOCK).ret);
        add(k, t, eps[1], efd, EPOLLOUT | EPOLLET | EPOLLEXCLUSIVE, 20);  // first exclusive hook
        add(k, t, eps[3], efd, EPOLLIN | EPOLLEXCLUSIVE, 40);
        REQUIRE(wait_data(k, t, eps[1]) == std::vector<std::uint64_t>{20});  // OUT edge from ADD, consumed
        ObjId t2 = k.spawn_thread(t), t3 = k.spawn_thread(t);
        REQUIRE(k.epoll_wait(t2, eps[1], 8, -1).blocked);
        REQUIRE(k.epoll_wait(t3, eps[3], 8, -1).blocked);
        std::size_t mark = k.log.size();
        REQUIRE(k.write(t, efd, 8, 1).ret == 8);  // key EPOLLIN
        CHECK(walk_order(mark) == std::vector<std::uint64_t>{20, 40});
        CHECK(k.task(t2).state == TaskState::Sleeping);
        CHECK(k.task(t3).result.ret == 1);
        CHECK(k.task(t3).events == std::vector<EpollEvent>{{EPOLLIN, 40}});
    }
    EPSIM_CHECK_INVARIANTS(k);
}

TEST_CASE("wait-queue entries of sleeping tasks are exclusive and head-inserted", "[model][waitqueue]") {
    Kernel k;
    ObjId t = k.init_task();
    int ep = make_epoll(k, t);
    std::vector<ObjId> ts;
    for (int i = 0; i < 3; ++i) {
        ts.push_back(k.spawn_thread(t));
        REQUIRE(k.epoll_wait(ts.back(), ep, 1, -1).blocked);
    }
    CHECK(k.wq_tasks(k.ep_of_fd(t, ep)->wq) == std::vector<ObjId>{ts[2], ts[1], ts[0]});
    const WaitQueueHead& wq = k.ep_of_fd(t, ep)->wq;
    for (const ListHead* l = wq.head.next; l != &wq.head; l = l->next)
        CHECK(wait_entry_of(const_cast<ListHead*>(l))->flags == WQ_FLAG_EXCLUSIVE);
    // Three writes to three ET pipes wake the three sleepers, newest first.
    std::vector<ObjId> woken;
    for (int i = 0; i < 3; ++i) {
        Pipe p = make_pipe(k, t);
        add(k, t, ep, p.r, EPOLLIN | EPOLLET, static_cast<std::uint64_t>(i));
        REQUIRE(k.write(t, p.w, 1).ret == 1);
        for (ObjId x : ts)
            if (k.task(x).state == TaskState::Running && std::find(woken.begin(), woken.end(), x) == woken.end())
                woken.push_back(x);
    }
    CHECK(woken == std::vector<ObjId>{ts[2], ts[1], ts[0]});
    EPSIM_CHECK_INVARIANTS(k);
}
