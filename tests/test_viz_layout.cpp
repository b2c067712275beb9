// Tests for viz/core/layout: the tree and list layouts are pure functions (no overlap, in-order
// x, deterministic) and interpolation starts and ends exactly on the two layouts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <vector>

#include "sim/kernel.h"
#include "viz/core/layout.h"
#include "viz/core/model_view.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

// A plain BST (not balanced: deeper trees are a harder layout case) from keys in given order.
TreeIn bst(const std::vector<std::uint64_t>& keys) {
    TreeIn t;
    for (std::uint64_t k : keys) {
        int idx = static_cast<int>(t.nodes.size());
        t.nodes.push_back({k, -1, -1, (k % 3) == 0});
        if (t.root < 0) {
            t.root = idx;
            continue;
        }
        int cur = t.root;
        for (;;) {
            TreeNodeIn& n = t.nodes[static_cast<std::size_t>(cur)];
            int& next = k < n.key ? n.left : n.right;
            if (next < 0) {
                next = idx;
                break;
            }
            cur = next;
        }
    }
    return t;
}

void inorder(const TreeIn& t, int i, std::vector<std::uint64_t>& out) {
    if (i < 0) return;
    inorder(t, t.nodes[static_cast<std::size_t>(i)].left, out);
    out.push_back(t.nodes[static_cast<std::size_t>(i)].key);
    inorder(t, t.nodes[static_cast<std::size_t>(i)].right, out);
}

std::vector<Box> visible(const Layout& l) {
    std::vector<Box> v;
    for (const Box& b : l.boxes)
        if (b.alpha > 0) v.push_back(b);
    return v;
}

std::vector<Edge> visible_edges(const Layout& l) {
    std::vector<Edge> v;
    for (const Edge& e : l.edges)
        if (e.alpha > 0) v.push_back(e);
    return v;
}

// A kernel with one epoll watching n pipes' read ends: a real rb tree.
std::unique_ptr<Kernel> kernel_with_items(int n, std::uint64_t seed = 1) {
    KernelConfig cfg;
    cfg.seed = seed;
    auto k = std::make_unique<Kernel>(cfg);
    ObjId t = k->init_task();
    int ep = static_cast<int>(k->epoll_create1(t, 0).ret);
    for (int i = 0; i < n; ++i) {
        int p[2];
        REQUIRE(k->pipe2(t, p, O_NONBLOCK).ret == 0);
        EpollEvent ev{EPOLLIN, static_cast<std::uint64_t>(i)};
        REQUIRE(k->epoll_ctl(t, ep, EPOLL_CTL_ADD, p[0], &ev).ret == 0);
    }
    return k;
}

}  // namespace

TEST_CASE("viz layout: tree nodes never overlap and x follows in-order", "[gui]") {
    std::mt19937_64 rng(42);
    for (int round = 0; round < 50; ++round) {
        std::vector<std::uint64_t> keys(static_cast<std::size_t>(1 + round * 3));
        for (std::size_t i = 0; i < keys.size(); ++i) keys[i] = i + 1;
        std::shuffle(keys.begin(), keys.end(), rng);
        TreeIn t = bst(keys);
        Layout l = layout_tree(t);
        REQUIRE(l.boxes.size() == keys.size());
        REQUIRE_FALSE(has_overlap(l));
        std::vector<std::uint64_t> order;
        inorder(t, t.root, order);
        for (std::size_t i = 1; i < order.size(); ++i)
            REQUIRE(l.find(order[i - 1])->pos.x < l.find(order[i])->pos.x);
        // A child is one level below its parent.
        for (const Edge& e : l.edges) REQUIRE(l.find(e.to)->depth == l.find(e.from)->depth + 1);
        REQUIRE(l.edges.size() == keys.size() - 1);
    }
}

TEST_CASE("viz layout: the model's rb tree lays out in key order without overlap", "[gui]") {
    auto k = kernel_with_items(40);
    ModelView v = build_view(*k);
    REQUIRE(v.eps.size() == 1);
    Layout l = layout_tree(v.eps[0].tree);
    REQUIRE(l.boxes.size() == 40);
    REQUIRE_FALSE(has_overlap(l));
    // In-order x = the tree's key order (file address, fd): Kernel::rb_items.
    std::vector<const Epitem*> items = k->rb_items(*k->eventpolls()[0]);
    for (std::size_t i = 1; i < items.size(); ++i)
        REQUIRE(l.find(items[i - 1]->id)->pos.x < l.find(items[i]->id)->pos.x);
    // Colours come from the tree.
    for (const Epitem* e : items) REQUIRE((l.find(e->id)->red == 1.f) == (e->rbn.color == RbColor::Red));
}

TEST_CASE("viz layout: same input gives the same output", "[gui]") {
    auto a = kernel_with_items(25, 7);
    auto b = kernel_with_items(25, 7);
    Layout la = layout_tree(build_view(*a).eps[0].tree);
    Layout lb = layout_tree(build_view(*b).eps[0].tree);
    REQUIRE(la == lb);
    REQUIRE(layout_tree(build_view(*a).eps[0].tree) == la);
    std::vector<std::vector<std::uint64_t>> rows{{3, 1, 2}, {}, {key_ovf(9)}};
    REQUIRE(layout_lists(rows) == layout_lists(rows));
}

TEST_CASE("viz layout: empty and malformed trees", "[gui]") {
    REQUIRE(layout_tree(TreeIn{}).boxes.empty());
    TreeIn cyc;
    cyc.nodes = {{1, 1, -1, false}, {2, 0, -1, true}};  // 0 -> 1 -> 0
    cyc.root = 0;
    Layout l = layout_tree(cyc);
    REQUIRE(l.boxes.size() == 2);
    REQUIRE_FALSE(has_overlap(l));
}

TEST_CASE("viz layout: list rows keep list order and do not overlap", "[gui]") {
    std::vector<std::vector<std::uint64_t>> rows{{5, 2, 9}, {4}, {key_ovf(5), key_ovf(7)}};
    Layout l = layout_lists(rows);
    REQUIRE(l.boxes.size() == 6);
    REQUIRE_FALSE(has_overlap(l));
    REQUIRE(l.find(5)->pos.x < l.find(2)->pos.x);
    REQUIRE(l.find(2)->pos.x < l.find(9)->pos.x);
    REQUIRE(l.find(5)->pos.y == l.find(9)->pos.y);
    REQUIRE(l.find(4)->pos.y > l.find(5)->pos.y);
    REQUIRE(l.find(key_ovf(5))->depth == 2);
    // Chain arrows between neighbours only.
    REQUIRE(l.edges.size() == 3);
}

TEST_CASE("viz layout: interpolation endpoints equal the two layouts", "[gui]") {
    auto before = kernel_with_items(6);
    auto after = kernel_with_items(9);  // same seed: the first 6 files are the same
    Layout a = layout_tree(build_view(*before).eps[0].tree);
    Layout b = layout_tree(build_view(*after).eps[0].tree);
    REQUIRE(visible(interpolate(a, b, 0.f)) == a.boxes);
    REQUIRE(visible(interpolate(a, b, 1.f)) == b.boxes);
    REQUIRE(visible_edges(interpolate(a, b, 0.f)) == a.edges);
    REQUIRE(visible_edges(interpolate(a, b, 1.f)) == b.edges);
    REQUIRE(interpolate(a, b, 0.f).extent == a.extent);
    REQUIRE(interpolate(a, b, 1.f).extent == b.extent);
}

TEST_CASE("viz layout: in between shared boxes move and the others fade", "[gui]") {
    Layout a = layout_lists({{1, 2}, {}, {}});
    Layout b = layout_lists({{2}, {1, 3}, {}});
    Layout m = interpolate(a, b, 0.5f);
    const Box* one = m.find(1);
    REQUIRE(one);
    REQUIRE(one->pos.y == Approx((a.find(1)->pos.y + b.find(1)->pos.y) / 2));
    REQUIRE(one->alpha == Approx(1));
    REQUIRE(m.find(3)->alpha == Approx(0.5));        // appearing
    REQUIRE(m.find(3)->pos == b.find(3)->pos);        // where it will be
    Layout gone = interpolate(b, a, 0.25f);
    REQUIRE(gone.find(3)->alpha == Approx(0.75));     // disappearing, where it was
    REQUIRE(gone.find(3)->pos == b.find(3)->pos);
    // Recolouring blends.
    TreeIn red, black;
    red.nodes = {{1, -1, -1, true}};
    red.root = 0;
    black.nodes = {{1, -1, -1, false}};
    black.root = 0;
    REQUIRE(interpolate(layout_tree(red), layout_tree(black), 0.5f).find(1)->red == Approx(0.5));
    REQUIRE(ease(0.f) == 0.f);
    REQUIRE(ease(1.f) == 1.f);
    REQUIRE(ease(0.5f) == Approx(0.5f));
}
