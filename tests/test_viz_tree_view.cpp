// Tests for viz/core/tree_view: the index that lets a frame draw only what is on screen
// (visible runs, the edges that cross the screen, per-depth counts), the pan/zoom math and the
// level-of-detail decision. Pure: no ImGui, no GL.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>
#include <set>
#include <vector>

#include "sim/kernel.h"
#include "viz/core/big_model.h"
#include "viz/core/layout.h"
#include "viz/core/model_view.h"
#include "viz/core/tree_view.h"

using namespace epsim;
using namespace epsim::viz;

namespace {

// A plain BST from keys in the given order; key % 3 == 0 is "red".
TreeIn bst(const std::vector<std::uint64_t>& keys) {
    TreeIn t;
    for (std::uint64_t k : keys) {
        const int idx = static_cast<int>(t.nodes.size());
        t.nodes.push_back({k, -1, -1, (k % 3) == 0});
        if (t.root < 0) {
            t.root = idx;
            continue;
        }
        for (int cur = t.root;;) {
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

std::vector<std::uint64_t> shuffled(std::size_t n, unsigned seed) {
    std::vector<std::uint64_t> keys(n);
    for (std::size_t i = 0; i < n; ++i) keys[i] = i + 1;
    std::mt19937 rng(seed);
    std::shuffle(keys.begin(), keys.end(), rng);
    return keys;
}

}  // namespace

TEST_CASE("tree index: x order, parents and per-depth red counts match the layout", "[gui][tree_view]") {
    const Layout l = layout_tree(bst(shuffled(300, 7)));
    const TreeIndex ix = index_tree(l);
    REQUIRE(ix.size() == 300);
    for (std::size_t p = 1; p < ix.size(); ++p) REQUIRE(l.boxes[ix.by_x[p - 1]].pos.x < l.boxes[ix.by_x[p]].pos.x);
    // Every edge of the layout is a parent link, and only the root has no parent.
    int roots = 0;
    for (std::size_t i = 0; i < ix.size(); ++i) {
        if (ix.parent[i] < 0) {
            ++roots;
            continue;
        }
        const Box& p = l.boxes[static_cast<std::size_t>(ix.parent[i])];
        REQUIRE(p.depth + 1 == l.boxes[i].depth);
        REQUIRE(std::binary_search(l.edges.begin(), l.edges.end(), Edge{p.key, l.boxes[i].key, 1.f},
                                   [](const Edge& a, const Edge& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; }));
    }
    REQUIRE(roots == 1);
    std::size_t total = 0;
    for (std::size_t d = 0; d < ix.depth_x.size(); ++d) {
        std::size_t n = 0, red = 0;
        for (const Box& b : l.boxes)
            if (b.depth == static_cast<int>(d)) ++n, red += b.red >= 0.5f;
        REQUIRE(ix.depth_x[d].size() == n);
        REQUIRE(ix.depth_red[d].back() == red);
        total += n;
    }
    REQUIRE(total == 300);
}

TEST_CASE("tree index: the visible run is exactly the boxes meeting the x range", "[gui][tree_view]") {
    const Layout l = layout_tree(bst(shuffled(500, 3)));
    const TreeIndex ix = index_tree(l);
    for (float x0 : {-50.f, 0.f, 33.3f, 700.f, 2990.f}) {
        const float x1 = x0 + 97.f;
        auto [first, last] = visible_range(l, ix, x0, x1);
        std::set<std::uint64_t> got, want;
        for (std::size_t p = first; p < last; ++p) got.insert(l.boxes[ix.by_x[p]].key);
        for (const Box& b : l.boxes)
            if (b.pos.x + b.size.x >= x0 && b.pos.x <= x1) want.insert(b.key);
        INFO("x0 = " << x0);
        REQUIRE(got == want);
    }
}

TEST_CASE("tree index: every edge that meets the screen has both ends drawn", "[gui][tree_view]") {
    // The claim the tree panel relies on: the visible run plus crossing_chain() hold both ends
    // of every edge whose x span meets the screen, though the chain is only O(height).
    const Layout l = layout_tree(bst(shuffled(2000, 11)));
    const TreeIndex ix = index_tree(l);
    for (float x0 : {10.f, 1234.f, 5000.f, 11000.f}) {
        const float x1 = x0 + 40.f;  // narrower than most edges near the root
        auto [first, last] = visible_range(l, ix, x0, x1);
        std::set<std::uint64_t> drawn;
        for (std::size_t p = first; p < last; ++p) drawn.insert(l.boxes[ix.by_x[p]].key);
        const std::vector<std::uint32_t> chain = crossing_chain(ix, first, last);
        REQUIRE(chain.size() <= 2 * ix.depth_x.size());
        for (std::uint32_t i : chain) drawn.insert(l.boxes[i].key);
        for (const Edge& e : l.edges) {
            const Box* a = l.find(e.from);
            const Box* b = l.find(e.to);
            const float lo = std::min(a->pos.x, b->pos.x), hi = std::max(a->pos.x, b->pos.x) + a->size.x;
            if (hi < x0 || lo > x1) continue;
            INFO("edge " << e.from << " -> " << e.to << " at x0 = " << x0);
            REQUIRE(drawn.count(e.from) == 1);
            REQUIRE(drawn.count(e.to) == 1);
        }
    }
}

TEST_CASE("tree index: depth bins count every node of a depth once", "[gui][tree_view]") {
    const Layout l = layout_tree(bst(shuffled(1000, 5)));
    const TreeIndex ix = index_tree(l);
    for (std::size_t d = 0; d < ix.depth_x.size(); ++d) {
        const std::vector<DepthBin> bins = depth_bins(ix, static_cast<int>(d), -1.f, l.extent.x + 1.f, 37);
        std::uint32_t n = 0, red = 0;
        for (const DepthBin& b : bins) n += b.count, red += b.red;
        REQUIRE(n == ix.depth_x[d].size());
        REQUIRE(red == ix.depth_red[d].back());
    }
    // A bin holds exactly the nodes whose left edge falls in it.
    const Box& some = l.boxes[ix.by_x[ix.size() / 2]];
    const std::vector<DepthBin> one = depth_bins(ix, some.depth, some.pos.x, some.pos.x + 0.1f, 1);
    REQUIRE(one[0].count == 1);
    REQUIRE(one[0].red == (some.red >= 0.5f ? 1u : 0u));
    REQUIRE(depth_bins(ix, 999, 0, 10, 4)[0].count == 0);  // no such depth: empty, no crash
}

TEST_CASE("pan/zoom: zooming about the cursor keeps the point under it", "[gui][tree_view]") {
    PanZoomLimits lim;
    lim.extent = {60000.f, 40.f};  // 10,000 columns
    lim.view = {800.f, 500.f};
    lim.em = 15.f;
    PanZoom v = fit_view(lim);
    // A tree this wide fits its width (far below legible) and keeps its depth readable.
    REQUIRE(v.sx == Approx(800.0 / 60000.0));
    REQUIRE(v.sy == Approx(std::min(15.0, 500.0 / 40.0)));
    REQUIRE(v.to_px_x(0) == Approx(0));
    REQUIRE(v.to_px_x(60000) == Approx(800));
    for (auto [px, py, f] : {std::tuple{400.0, 250.0, 2.0}, {123.0, 80.0, 1.25}, {790.0, 10.0, 30.0}, {5.0, 499.0, 0.5}}) {
        PanZoom z = v;
        zoom_at(z, lim, 400, 250, 8.0);  // somewhere in the middle first
        const double lx = z.to_lx(px), ly = z.to_ly(py);
        zoom_at(z, lim, px, py, f);
        INFO("at " << px << "," << py << " by " << f);
        REQUIRE(z.to_px_x(lx) == Approx(px).margin(1e-6));
        REQUIRE(z.to_px_y(ly) == Approx(py).margin(1e-6));
    }
    // Zoom is bounded both ways, and y never shrinks below "the height fits".
    PanZoom z = v;
    for (int i = 0; i < 100; ++i) zoom_at(z, lim, 400, 250, 2.0);
    REQUIRE(z.sx == Approx(lim.max_sx()));
    REQUIRE(z.sy == Approx(z.sx));
    for (int i = 0; i < 100; ++i) zoom_at(z, lim, 400, 250, 0.5);
    REQUIRE(z.sx == Approx(lim.min_sx()));
    REQUIRE(z.sy == Approx(500.0 / 40.0));
}

TEST_CASE("pan/zoom: a small tree fits at one scale, centred, and panning keeps it on screen", "[gui][tree_view]") {
    PanZoomLimits lim;
    lim.extent = {30.f, 10.f};
    lim.view = {800.f, 500.f};
    lim.em = 15.f;
    const PanZoom v = fit_view(lim);
    REQUIRE(v.sx == Approx(15.0));  // capped at 1 em per em
    REQUIRE(v.sy == Approx(15.0));
    REQUIRE(v.to_px_x(15.0) == Approx(400.0));  // centred
    PanZoom p = v;
    pan_by(p, lim, 30, -20);  // a drag moves the picture with the mouse
    REQUIRE(p.to_px_x(15.0) == Approx(430.0));
    pan_by(p, lim, -1e7, 1e7);  // far away: clamped, a quarter of the tree still in view
    REQUIRE(p.to_px_x(lim.extent.x) == Approx(0.25 * lim.extent.x * 15.0));
    REQUIRE(p.to_px_y(0) == Approx(lim.view.y - 0.25 * lim.extent.y * 15.0));
}

TEST_CASE("level of detail: labels, fd only, boxes, then density bands as nodes shrink", "[gui][tree_view]") {
    const double em = 15;
    const LayoutMetrics m;
    REQUIRE(tree_lod(m.node_w * em, em) == TreeLod::Labels);        // 1 em per em
    REQUIRE(tree_lod(m.node_w * em * 0.6, em) == TreeLod::Labels);  // the old minimum for labels
    REQUIRE(tree_lod(m.node_w * em * 0.45, em) == TreeLod::FdOnly);
    REQUIRE(tree_lod(10.0, em) == TreeLod::Boxes);
    REQUIRE(tree_lod(4.0, em) == TreeLod::Boxes);
    REQUIRE(tree_lod(3.9, em) == TreeLod::Bands);
    // 10,000 epitems fitted to 800 px: bands; zoomed in about 100x: boxes; more: labels.
    PanZoomLimits lim;
    lim.extent = {10000 * (m.node_w + m.gap_x), 60.f};
    lim.view = {800.f, 500.f};
    lim.em = static_cast<float>(em);
    PanZoom v = fit_view(lim);
    REQUIRE(tree_lod(m.node_w * v.sx, em) == TreeLod::Bands);
    zoom_at(v, lim, 400, 100, 100.0);
    REQUIRE(tree_lod(m.node_w * v.sx, em) == TreeLod::Boxes);
    zoom_at(v, lim, 400, 100, 10.0);
    REQUIRE(tree_lod(m.node_w * v.sx, em) == TreeLod::Labels);
}

TEST_CASE("big tree model: N epitems in one tree, every 97th ready, no event log", "[gui][tree_view]") {
    auto k = make_big_tree_model(2000);
    REQUIRE(k->log.events.empty());
    const ModelView v = build_view(*k);
    REQUIRE(v.eps.size() == 1);
    REQUIRE(v.eps[0].tree.nodes.size() == 2000);
    REQUIRE(v.epis.size() == 2000);
    REQUIRE(v.eps[0].rdllist.size() == (2000 + 96) / 97);
    const Layout l = layout_tree(v.eps[0].tree);
    REQUIRE_FALSE(has_overlap(l));
    // An rb tree: height <= 2 log2(n + 1).
    REQUIRE(index_tree(l).depth_x.size() <= 22);
}
