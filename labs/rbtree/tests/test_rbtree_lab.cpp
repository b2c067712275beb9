// Lab rbtree: the insert fix-up and the erase rebalance of sim/rbtree.cpp.
// Each TEST_CASE is one point. "structure" tests pass with the stubs: keep them passing.
#include <cmath>
#include <deque>
#include <random>
#include <set>

#include "lab_helpers.h"
#include "sim/rbtree.h"

using namespace lab;

namespace {

struct Item {
    RbNode node;  // first member: an RbNode* is the Item*
    int key = 0;
};

struct Steps : RbTracer {
    std::vector<std::string> names;
    void rb_step(RbStep s, const RbNode*, const RbNode*) override { names.push_back(rb_step_name(s)); }
};

// A tree of ints, inserted and erased the way ep_rbtree_insert and ep_remove do it.
struct Tree {
    RbRoot root;
    std::deque<Item> items;  // stable addresses

    static int key_of(const RbNode* n) { return reinterpret_cast<const Item*>(n)->key; }

    void insert(int key, RbTracer* tr = nullptr) {
        items.push_back(Item{{}, key});
        Item* it = &items.back();
        RbNode** link = &root.root;
        RbNode* parent = nullptr;
        bool leftmost = true;
        while (*link) {
            parent = *link;
            if (key < key_of(parent)) {
                link = &parent->left;
            } else {
                link = &parent->right;
                leftmost = false;
            }
        }
        rb_link_node(&it->node, parent, link, tr);
        rb_insert_color(&it->node, &root, leftmost, tr);
    }
    RbNode* find(int key) {
        RbNode* n = root.root;
        while (n && key_of(n) != key) n = key < key_of(n) ? n->left : n->right;
        return n;
    }
    void erase(int key, RbTracer* tr = nullptr) {
        RbNode* n = find(key);
        REQUIRE(n != nullptr);
        rb_erase(n, &root, tr);
    }
    std::vector<int> in_order() const {
        std::vector<int> v;
        for (RbNode* n = rb_first(&root); n; n = rb_next(n)) v.push_back(key_of(n));
        return v;
    }
    std::size_t height(const RbNode* n) const { return n ? 1 + std::max(height(n->left), height(n->right)) : 0; }
};

std::vector<std::string> without_links(const std::vector<std::string>& v) {
    std::vector<std::string> o;
    for (const std::string& s : v)
        if (s != "rb.link") o.push_back(s);
    return o;
}

}  // namespace

TEST_CASE("rbtree structure: rb_link_node places a red leaf", "[rbtree][structure]") {
    Tree t;
    Item a{{}, 5}, b{{}, 3};
    rb_link_node(&a.node, nullptr, &t.root.root, nullptr);
    CHECK(t.root.root == &a.node);
    CHECK(a.node.color == RbColor::Red);
    rb_link_node(&b.node, &a.node, &a.node.left, nullptr);
    CHECK(a.node.left == &b.node);
    CHECK(b.node.parent == &a.node);
    CHECK(b.node.color == RbColor::Red);
}

TEST_CASE("rbtree structure: the tree stays a search tree", "[rbtree][structure]") {
    Tree t;
    std::vector<int> keys;
    for (int i = 0; i < 60; ++i) keys.push_back((i * 37) % 60);
    for (int k : keys) t.insert(k);
    std::vector<int> want(60);
    for (int i = 0; i < 60; ++i) want[i] = i;
    CHECK(t.in_order() == want);
    CHECK(Tree::key_of(rb_first(&t.root)) == 0);
    CHECK(Tree::key_of(rb_last(&t.root)) == 59);
    CHECK(t.root.root->color == RbColor::Black);
}

TEST_CASE("rbtree structure: epoll_ctl finds what it registered", "[rbtree][structure]") {
    Kernel k;
    const ObjId task = k.init_task();
    const int ep = make_epoll(k, task);
    std::vector<int> fds;
    for (int i = 0; i < 16; ++i) {
        Pipe p = make_pipe(k, task);
        fds.push_back(p.r);
        REQUIRE(add(k, task, ep, p.r, EPOLLIN, static_cast<std::uint64_t>(i)) == 0);
    }
    for (int fd : fds) CHECK(add(k, task, ep, fd, EPOLLIN, 0) == EEXIST);
    CHECK(k.rb_items(*k.ep_of_fd(task, ep)).size() == 16);
}

TEST_CASE("rbtree: 1 2 3 is fixed by a left rotation at the root (case 3)", "[rbtree]") {
    Tree t;
    Steps s;
    for (int k : {1, 2, 3}) t.insert(k, &s);
    CHECK(without_links(s.names) ==
          std::vector<std::string>{"rb.insert.root_black", "rb.insert.parent_black", "rb.insert.case3.rotate_left"});
    REQUIRE(t.root.root != nullptr);
    CHECK(Tree::key_of(t.root.root) == 2);
    CHECK(t.root.root->color == RbColor::Black);
    REQUIRE(t.root.root->left != nullptr);
    REQUIRE(t.root.root->right != nullptr);
    CHECK(t.root.root->left->color == RbColor::Red);
    CHECK(t.root.root->right->color == RbColor::Red);
    CHECK(rb_check(t.root) == "");
}

TEST_CASE("rbtree: 3 1 2 needs case 2 then case 3", "[rbtree]") {
    Tree t;
    Steps s;
    for (int k : {3, 1, 2}) t.insert(k, &s);
    CHECK(without_links(s.names) ==
          std::vector<std::string>{"rb.insert.root_black", "rb.insert.parent_black", "rb.insert.case2.rotate_left",
                                   "rb.insert.case3.rotate_right"});
    CHECK(Tree::key_of(t.root.root) == 2);
    CHECK(rb_check(t.root) == "");
}

TEST_CASE("rbtree: a red uncle is recoloured and the fix-up moves up (case 1)", "[rbtree]") {
    Tree t;
    for (int k : {2, 1, 3}) t.insert(k);
    Steps s;
    t.insert(4, &s);
    CHECK(without_links(s.names) == std::vector<std::string>{"rb.insert.case1.recolor", "rb.insert.root_black"});
    CHECK(t.root.root->color == RbColor::Black);
    CHECK(t.root.root->left->color == RbColor::Black);
    CHECK(t.root.root->right->color == RbColor::Black);
    CHECK(t.find(4)->color == RbColor::Red);
    CHECK(rb_check(t.root) == "");
}

TEST_CASE("rbtree: 1000 inserts keep every red-black property", "[rbtree]") {
    Tree t;
    std::mt19937 rng(7);
    std::set<int> used;
    while (used.size() < 1000) {
        int k = static_cast<int>(rng() % 100000);
        if (!used.insert(k).second) continue;
        t.insert(k);
        if (used.size() % 50 == 0) REQUIRE(rb_check(t.root) == "");
    }
    REQUIRE(rb_check(t.root) == "");
    CHECK(t.height(t.root.root) <= static_cast<std::size_t>(2 * std::log2(1001.0)));
    CHECK(t.in_order() == std::vector<int>(used.begin(), used.end()));
}

TEST_CASE("rbtree: erasing a black leaf with a red far nephew is case 4", "[rbtree]") {
    Tree t;
    for (int k : {2, 1, 3, 4}) t.insert(k);
    REQUIRE(rb_check(t.root) == "");
    Steps s;
    t.erase(1, &s);
    CHECK(s.names == std::vector<std::string>{"rb.erase.unlink", "rb.erase.case4.rotate_left"});
    CHECK(Tree::key_of(t.root.root) == 3);
    CHECK(rb_check(t.root) == "");
}

TEST_CASE("rbtree: erase meets cases 1 to 4 and keeps the tree valid", "[rbtree]") {
    Tree t;
    Steps s;
    std::mt19937 rng(11);
    std::vector<int> live;
    for (int i = 0; i < 400; ++i) {
        t.insert(i);
        live.push_back(i);
    }
    std::shuffle(live.begin(), live.end(), rng);
    for (std::size_t i = 0; i < live.size(); ++i) {
        t.erase(live[i], &s);
        INFO("after erasing " << live[i]);
        REQUIRE(rb_check(t.root) == "");
    }
    CHECK(t.root.root == nullptr);
    std::set<std::string> seen(s.names.begin(), s.names.end());
    for (const char* c : {"rb.erase.case1.rotate_left", "rb.erase.case2.recolor", "rb.erase.case3.rotate_right",
                          "rb.erase.case4.rotate_left", "rb.erase.case1.rotate_right", "rb.erase.case4.rotate_right"}) {
        INFO(c);
        CHECK(seen.count(c) == 1);
    }
}

TEST_CASE("rbtree: the model's interest tree stays red-black under ADD and DEL", "[rbtree]") {
    Kernel k;
    const ObjId task = k.init_task();
    const int ep = make_epoll(k, task);
    std::vector<int> fds;
    for (int i = 0; i < 48; ++i) {
        Pipe p = make_pipe(k, task);
        fds.push_back(p.r);
        REQUIRE(add(k, task, ep, p.r, EPOLLIN, static_cast<std::uint64_t>(i)) == 0);
        REQUIRE(k.check_invariants() == "");
    }
    for (std::size_t i = 0; i < fds.size(); i += 2) {
        REQUIRE(k.epoll_ctl(task, ep, EPOLL_CTL_DEL, fds[i], nullptr).ret == 0);
        REQUIRE(k.check_invariants() == "");
    }
    CHECK(k.rb_items(*k.ep_of_fd(task, ep)).size() == 24);
}
