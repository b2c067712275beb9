// layout.cpp - pure layout and interpolation (see layout.h).
#include "viz/core/layout.h"

#include <algorithm>
#include <utility>

namespace epsim::viz {

const Box* Layout::find(std::uint64_t key) const {
    auto it = std::lower_bound(boxes.begin(), boxes.end(), key,
                               [](const Box& b, std::uint64_t k) { return b.key < k; });
    return it != boxes.end() && it->key == key ? &*it : nullptr;
}

static void finish(Layout& l) {
    std::sort(l.boxes.begin(), l.boxes.end(), [](const Box& a, const Box& b) { return a.key < b.key; });
    std::sort(l.edges.begin(), l.edges.end(),
              [](const Edge& a, const Edge& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; });
    l.extent = {};
    for (const Box& b : l.boxes) {
        l.extent.x = std::max(l.extent.x, b.pos.x + b.size.x);
        l.extent.y = std::max(l.extent.y, b.pos.y + b.size.y);
    }
}

Layout layout_tree(const TreeIn& tree, const LayoutMetrics& m) {
    Layout l;
    const int n = static_cast<int>(tree.nodes.size());
    if (tree.root < 0 || tree.root >= n) return l;
    // Iterative in-order walk with an explicit stack; `seen` cuts cycles in malformed input.
    std::vector<char> seen(static_cast<std::size_t>(n), 0);
    std::vector<std::pair<int, int>> stack;  // (node, depth)
    int rank = 0;
    int cur = tree.root, depth = 0;
    auto valid = [&](int i) { return i >= 0 && i < n && !seen[static_cast<std::size_t>(i)]; };
    while (valid(cur) || !stack.empty()) {
        while (valid(cur)) {
            seen[static_cast<std::size_t>(cur)] = 1;
            stack.emplace_back(cur, depth);
            cur = tree.nodes[static_cast<std::size_t>(cur)].left;
            ++depth;
        }
        auto [i, d] = stack.back();
        stack.pop_back();
        const TreeNodeIn& node = tree.nodes[static_cast<std::size_t>(i)];
        Box b;
        b.key = node.key;
        b.pos = {static_cast<float>(rank) * (m.node_w + m.gap_x), static_cast<float>(d) * m.level_h};
        b.size = {m.node_w, m.node_h};
        b.red = node.red ? 1.f : 0.f;
        b.depth = d;
        l.boxes.push_back(b);
        ++rank;
        for (int c : {node.left, node.right})
            if (c >= 0 && c < n) l.edges.push_back({node.key, tree.nodes[static_cast<std::size_t>(c)].key, 1.f});
        cur = node.right;
        depth = d + 1;
    }
    // Drop edges to nodes the walk cut off (malformed input only).
    std::sort(l.boxes.begin(), l.boxes.end(), [](const Box& a, const Box& b) { return a.key < b.key; });
    std::erase_if(l.edges, [&](const Edge& e) { return !l.find(e.to) || !l.find(e.from); });
    finish(l);
    return l;
}

Layout layout_lists(const std::vector<std::vector<std::uint64_t>>& rows, const LayoutMetrics& m) {
    Layout l;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t i = 0; i < rows[r].size(); ++i) {
            Box b;
            b.key = rows[r][i];
            b.pos = {m.row_label_w + static_cast<float>(i) * (m.item_w + m.item_gap), static_cast<float>(r) * m.row_h};
            b.size = {m.item_w, m.item_h};
            b.depth = static_cast<int>(r);
            l.boxes.push_back(b);
            if (i) l.edges.push_back({rows[r][i - 1], rows[r][i], 1.f});
        }
    }
    finish(l);
    return l;
}

float ease(float t) {
    t = std::clamp(t, 0.f, 1.f);
    return t * t * (3.f - 2.f * t);
}

static float lerp(float a, float b, float t) { return a + (b - a) * t; }
static Vec2 lerp(Vec2 a, Vec2 b, float t) { return {lerp(a.x, b.x, t), lerp(a.y, b.y, t)}; }

Box blend_box(const Box* a, const Box* c, float t) {
    t = std::clamp(t, 0.f, 1.f);
    if (!a && !c) return {};
    if (!a || !c) {
        Box b = a ? *a : *c;
        b.alpha *= a ? 1.f - t : t;
        return b;
    }
    Box b = *c;
    b.pos = lerp(a->pos, c->pos, t);
    b.size = lerp(a->size, c->size, t);
    b.red = lerp(a->red, c->red, t);
    b.alpha = lerp(a->alpha, c->alpha, t);
    b.depth = t < 0.5f ? a->depth : c->depth;
    return b;
}

Layout interpolate(const Layout& from, const Layout& to, float t) {
    t = std::clamp(t, 0.f, 1.f);
    if (t == 0.f || t == 1.f) {
        // Exact endpoints: the other side's unmatched boxes are present but invisible.
        const Layout& shown = t == 0.f ? from : to;
        const Layout& hidden = t == 0.f ? to : from;
        Layout l = shown;
        for (const Box& b : hidden.boxes)
            if (!shown.find(b.key)) {
                Box h = b;
                h.alpha = 0;
                l.boxes.push_back(h);
            }
        auto less = [](const Edge& a, const Edge& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; };
        for (const Edge& e : hidden.edges)  // both sorted: binary search
            if (!std::binary_search(shown.edges.begin(), shown.edges.end(), e, less)) l.edges.push_back({e.from, e.to, 0.f});
        Vec2 ext = shown.extent;
        finish(l);
        l.extent = ext;
        return l;
    }
    Layout l;
    std::size_t i = 0, j = 0;
    while (i < from.boxes.size() || j < to.boxes.size()) {
        if (j == to.boxes.size() || (i < from.boxes.size() && from.boxes[i].key < to.boxes[j].key)) {
            Box b = from.boxes[i++];
            b.alpha *= 1.f - t;
            l.boxes.push_back(b);
        } else if (i == from.boxes.size() || to.boxes[j].key < from.boxes[i].key) {
            Box b = to.boxes[j++];
            b.alpha *= t;
            l.boxes.push_back(b);
        } else {
            const Box* a = &from.boxes[i++];
            l.boxes.push_back(blend_box(a, &to.boxes[j++], t));
        }
    }
    auto less = [](const Edge& a, const Edge& b) { return a.from != b.from ? a.from < b.from : a.to < b.to; };
    i = j = 0;
    while (i < from.edges.size() || j < to.edges.size()) {
        if (j == to.edges.size() || (i < from.edges.size() && less(from.edges[i], to.edges[j]))) {
            Edge e = from.edges[i++];
            e.alpha *= 1.f - t;
            l.edges.push_back(e);
        } else if (i == from.edges.size() || less(to.edges[j], from.edges[i])) {
            Edge e = to.edges[j++];
            e.alpha *= t;
            l.edges.push_back(e);
        } else {
            Edge e = to.edges[j];
            e.alpha = lerp(from.edges[i].alpha, to.edges[j].alpha, t);
            ++i, ++j;
            l.edges.push_back(e);
        }
    }
    l.extent = lerp(from.extent, to.extent, t);
    return l;
}

bool has_overlap(const Layout& l) {
    std::vector<const Box*> v;
    for (const Box& b : l.boxes)
        if (b.alpha > 0) v.push_back(&b);
    std::sort(v.begin(), v.end(), [](const Box* a, const Box* b) { return a->pos.x < b->pos.x; });
    for (std::size_t i = 0; i < v.size(); ++i)
        for (std::size_t j = i + 1; j < v.size() && v[j]->pos.x < v[i]->pos.x + v[i]->size.x; ++j) {
            const Box& a = *v[i];
            const Box& b = *v[j];
            if (a.pos.y < b.pos.y + b.size.y && b.pos.y < a.pos.y + a.size.y) return true;
        }
    return false;
}

}  // namespace epsim::viz
