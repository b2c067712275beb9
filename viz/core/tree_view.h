// tree_view.h - drawing big interest trees fast: an index over a tree Layout, the pan/zoom
// transform of the tree panel, and the level-of-detail decision. Pure: no ImGui, no GL.
//
// A frame must cost O(what is on screen), not O(n): with 1,000,000 epitems the tree is
// 6,000,000 em wide. So, once per step (when the layout changes):
//   TreeIndex  boxes in x order (= key order), each box's parent, and per depth the sorted x
//              of its boxes with a prefix count of red ones,
// and per frame:
//   visible_range()   the run of boxes (in x order) whose column meets [x0, x1]  O(log n)
//   crossing_chain()  the ancestors of the nodes just outside that run: every edge that
//                     crosses the screen with both ends off it is between two of them
//                     (an edge p-c spans the ranks between p and c, all in c's subtree)
//   depth_bins()      per depth, how many nodes (and red ones) fall in each on-screen bin,
//                     for the aggregated view                               O(bins log n)
//
// PanZoom maps layout units (em) to panel pixels. x and y scale apart: zoomed out, a wide
// tree keeps its depth readable (y never shrinks below "the tree's height fits the panel",
// capped at 1 em per em). zoom_at() keeps the layout point under the cursor where it is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "viz/core/layout.h"

namespace epsim::viz {

struct TreeIndex {
    std::vector<std::uint32_t> by_x;   // box indices of the layout, by pos.x
    std::vector<std::int32_t> parent;  // per box index: its parent's box index, -1 for the root
    std::vector<std::vector<float>> depth_x;            // per depth: sorted pos.x of its boxes
    std::vector<std::vector<std::uint32_t>> depth_red;  // per depth: red boxes among the first k
    std::size_t size() const { return by_x.size(); }
};

// Built from a layout_tree() result (or an interpolation of two). O(n log n).
TreeIndex index_tree(const Layout& l);

// [first, last) in by_x order: the boxes whose x extent meets [x0, x1] (layout units).
std::pair<std::size_t, std::size_t> visible_range(const Layout& l, const TreeIndex& ix, float x0, float x1);

// Box indices: the ancestors (root-ward, each once) of the boxes just left and right of the
// visible run [first, last); with the run they hold both ends of every edge that crosses it.
std::vector<std::uint32_t> crossing_chain(const TreeIndex& ix, std::size_t first, std::size_t last);

struct DepthBin {
    std::uint32_t count = 0, red = 0;
};
// For one depth: `bins` equal bins over [x0, x1) (layout units); a box counts in the bin of
// its left edge.
std::vector<DepthBin> depth_bins(const TreeIndex& ix, int depth, float x0, float x1, int bins);

// ---- pan and zoom -------------------------------------------------------------------------
struct PanZoom {
    double sx = 1, sy = 1;  // pixels per layout unit
    double x = 0, y = 0;    // the layout point at the panel's top-left
    double to_px_x(double lx) const { return (lx - x) * sx; }
    double to_px_y(double ly) const { return (ly - y) * sy; }
    double to_lx(double px) const { return x + px / sx; }
    double to_ly(double py) const { return y + py / sy; }
};

struct PanZoomLimits {
    Vec2 extent;          // the tree's size, layout units
    Vec2 view;            // the panel's size, pixels
    float em = 15;        // pixels per em at zoom 1
    double min_sx() const;  // the whole width fits, or a bit less than 1 em per em
    double max_sx() const { return 3.0 * em; }
    // y follows x, but never below "the height fits" (capped at 1 em per em).
    double sy_for(double sx) const;
};

// The view that shows the whole tree: one scale for both axes while that scale is legible
// (>= 0.45 em per em: the look of small trees), else x fitted to the width and y to the
// height; centred horizontally when narrower than the panel.
PanZoom fit_view(const PanZoomLimits& lim);

// Scale x by `factor` about the panel point (px, py), clamped to the limits; the layout point
// under (px, py) stays under it.
void zoom_at(PanZoom& v, const PanZoomLimits& lim, double px, double py, double factor);
// Move the picture by (dx, dy) pixels (a drag), keeping a quarter of the tree's visible
// width and height on screen.
void pan_by(PanZoom& v, const PanZoomLimits& lim, double dx, double dy);
void clamp_pan(PanZoom& v, const PanZoomLimits& lim);

// ---- level of detail ------------------------------------------------------------------------
enum class TreeLod : std::uint8_t {
    Labels,  // boxes with "fd N d=DATA" and the mask
    FdOnly,  // boxes with the fd
    Boxes,   // coloured boxes and edges, no text
    Bands,   // too small for boxes: per depth, density bands coloured by the share of red
};
const char* tree_lod_name(TreeLod);
// node_px: a node box's width on screen; em: the font size in pixels.
TreeLod tree_lod(double node_px, double em);

}  // namespace epsim::viz
