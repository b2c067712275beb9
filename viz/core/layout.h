// layout.h - where epviz draws things, as a pure function of the model's shape.
//
// No ImGui, no GL: positions are in font units ("em"), so the GUI multiplies by the font size
// and a presentation zoom scales everything at once. The same input gives the same output.
//
// Tree layout (the rb tree of one eventpoll):
//   x = in-order rank * (node_w + gap_x)    every node has its own column, so no two nodes
//   y = depth * level_h                     overlap and x order is the tree's (key) order
//
// List layout (rdllist / txlist / ovflist): one row per list, items left to right in list order.
//
// Interpolation between two layouts (an animation beat from step i to step j): boxes are
// matched by key; a box in both moves along a straight line and blends its colour; a box only
// in `from` fades out where it was; a box only in `to` fades in where it will be.
// interpolate(a, b, 0) shows exactly a, interpolate(a, b, 1) exactly b.
#pragma once
#include <cstdint>
#include <vector>

namespace epsim::viz {

struct Vec2 {
    float x = 0, y = 0;
    bool operator==(const Vec2&) const = default;
};

// ---- inputs --------------------------------------------------------------------------------
struct TreeNodeIn {
    std::uint64_t key = 0;  // stable id (the epitem id)
    int left = -1, right = -1;  // indices into TreeIn::nodes, -1 = NIL
    bool red = false;
};
struct TreeIn {
    std::vector<TreeNodeIn> nodes;
    int root = -1;
};

// Sizes in em (1 em = the font size).
struct LayoutMetrics {
    float node_w = 5.5f;   // tree node box
    float node_h = 2.7f;
    float gap_x = 0.5f;    // between two in-order neighbours
    float level_h = 3.6f;  // from one depth to the next
    float item_w = 5.5f;   // list item box
    float item_h = 2.4f;
    float item_gap = 1.2f; // room for the arrow between two list items
    float row_h = 3.0f;    // from one list row to the next
    float row_label_w = 0.0f;  // space on the left of each list row (the list's name)
};

// ---- outputs -------------------------------------------------------------------------------
struct Box {
    std::uint64_t key = 0;
    Vec2 pos;              // top-left, em
    Vec2 size;             // em
    float red = 0;         // 1 red, 0 black (interpolated while recolouring)
    float alpha = 1;       // 0 invisible .. 1 opaque
    int depth = 0;         // tree depth or list row
    bool operator==(const Box&) const = default;
};

struct Edge {
    std::uint64_t from = 0, to = 0;  // box keys
    float alpha = 1;
    bool operator==(const Edge&) const = default;
};

struct Layout {
    std::vector<Box> boxes;  // sorted by key
    std::vector<Edge> edges; // sorted by (from, to)
    Vec2 extent;             // bounding size, em
    const Box* find(std::uint64_t key) const;
    bool operator==(const Layout&) const = default;
};

// In-order x, depth y. Malformed input (a cycle, an index out of range) is cut off, never
// followed forever.
Layout layout_tree(const TreeIn& tree, const LayoutMetrics& m = {});

// Rows of keys (each row one list, in list order). Keys must be unique across rows: the GUI
// gives an epitem on ovflist a different key than the same epitem on rdllist/txlist.
Layout layout_lists(const std::vector<std::vector<std::uint64_t>>& rows, const LayoutMetrics& m = {});

// t in [0,1]. Unmatched boxes fade (see the top of this file). Edges match by (from, to).
Layout interpolate(const Layout& from, const Layout& to, float t);

// One box of interpolate(from, to, t), for a key with box `a` in `from` and `c` in `to`
// (either may be null: it fades). Lets a big tree interpolate only the boxes on screen.
Box blend_box(const Box* a, const Box* c, float t);

// The animation curve: smoothstep, 0 -> 0, 1 -> 1, clamped.
float ease(float t);

// True if two boxes of `l` with alpha > 0 overlap (touching edges do not count).
bool has_overlap(const Layout& l);

}  // namespace epsim::viz
