// tree_view.cpp - the tree index, pan/zoom and level of detail (see tree_view.h).
#include "viz/core/tree_view.h"

#include <algorithm>
#include <numeric>

namespace epsim::viz {

TreeIndex index_tree(const Layout& l) {
    TreeIndex ix;
    const std::size_t n = l.boxes.size();
    ix.by_x.resize(n);
    std::iota(ix.by_x.begin(), ix.by_x.end(), 0u);
    std::stable_sort(ix.by_x.begin(), ix.by_x.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return l.boxes[a].pos.x < l.boxes[b].pos.x; });
    auto index_of = [&](std::uint64_t key) -> std::int32_t {
        const Box* b = l.find(key);
        return b ? static_cast<std::int32_t>(b - l.boxes.data()) : -1;
    };
    ix.parent.assign(n, -1);
    for (const Edge& e : l.edges) {
        const std::int32_t c = index_of(e.to), p = index_of(e.from);
        // An interpolated layout holds old and new edges: the visible (newer) parent wins.
        if (c >= 0 && p >= 0 && (ix.parent[static_cast<std::size_t>(c)] < 0 || e.alpha >= 0.5f))
            ix.parent[static_cast<std::size_t>(c)] = p;
    }
    int max_depth = -1;
    for (const Box& b : l.boxes) max_depth = std::max(max_depth, b.depth);
    ix.depth_x.assign(static_cast<std::size_t>(max_depth + 1), {});
    ix.depth_red.assign(static_cast<std::size_t>(max_depth + 1), {0u});
    for (std::uint32_t i : ix.by_x) {  // x order, so each depth's xs come out sorted
        const Box& b = l.boxes[i];
        if (b.depth < 0 || b.alpha <= 0.f) continue;
        const auto d = static_cast<std::size_t>(b.depth);
        ix.depth_x[d].push_back(b.pos.x);
        ix.depth_red[d].push_back(ix.depth_red[d].back() + (b.red >= 0.5f ? 1u : 0u));
    }
    return ix;
}

std::pair<std::size_t, std::size_t> visible_range(const Layout& l, const TreeIndex& ix, float x0, float x1) {
    // Every box of a tree layout has the same width, so "right edge >= x0" is monotonic in x.
    const float w = l.boxes.empty() ? 0.f : l.boxes.front().size.x;
    auto first = std::lower_bound(ix.by_x.begin(), ix.by_x.end(), x0 - w,
                                  [&](std::uint32_t i, float x) { return l.boxes[i].pos.x < x; });
    auto last = std::upper_bound(first, ix.by_x.end(), x1,
                                 [&](float x, std::uint32_t i) { return x < l.boxes[i].pos.x; });
    return {static_cast<std::size_t>(first - ix.by_x.begin()), static_cast<std::size_t>(last - ix.by_x.begin())};
}

std::vector<std::uint32_t> crossing_chain(const TreeIndex& ix, std::size_t first, std::size_t last) {
    std::vector<std::uint32_t> out;
    auto walk = [&](std::size_t pos) {
        for (std::int32_t i = static_cast<std::int32_t>(ix.by_x[pos]); i >= 0; i = ix.parent[static_cast<std::size_t>(i)]) {
            const auto u = static_cast<std::uint32_t>(i);
            if (std::find(out.begin(), out.end(), u) != out.end()) break;  // the rest is shared
            out.push_back(u);
        }
    };
    if (first > 0 && first <= ix.size()) walk(first - 1);
    if (last < ix.size()) walk(last);
    return out;
}

std::vector<DepthBin> depth_bins(const TreeIndex& ix, int depth, float x0, float x1, int bins) {
    std::vector<DepthBin> out(static_cast<std::size_t>(std::max(0, bins)));
    if (depth < 0 || static_cast<std::size_t>(depth) >= ix.depth_x.size() || bins <= 0 || !(x1 > x0)) return out;
    const std::vector<float>& xs = ix.depth_x[static_cast<std::size_t>(depth)];
    const std::vector<std::uint32_t>& red = ix.depth_red[static_cast<std::size_t>(depth)];
    const double step = (static_cast<double>(x1) - x0) / bins;
    auto at = [&](double x) {
        return static_cast<std::size_t>(std::lower_bound(xs.begin(), xs.end(), static_cast<float>(x)) - xs.begin());
    };
    std::size_t lo = at(x0);
    for (int b = 0; b < bins; ++b) {
        const std::size_t hi = b + 1 == bins ? at(x1) : at(x0 + step * (b + 1));
        out[static_cast<std::size_t>(b)] = {static_cast<std::uint32_t>(hi - lo), red[hi] - red[lo]};
        lo = hi;
    }
    return out;
}

// ---- pan and zoom ---------------------------------------------------------------------------

double PanZoomLimits::min_sx() const {
    return 0.5 * std::min<double>(em, view.x / std::max(1e-3f, extent.x));
}

double PanZoomLimits::sy_for(double sx) const {
    const double fit_y = std::min<double>(em, view.y / std::max(1e-3f, extent.y));
    return std::max(sx, fit_y);
}

PanZoom fit_view(const PanZoomLimits& lim) {
    PanZoom v;
    const double fx = lim.view.x / std::max(1e-3f, lim.extent.x);
    const double fy = lim.view.y / std::max(1e-3f, lim.extent.y);
    const double u = std::min<double>({lim.em, fx, fy});
    if (u >= 0.45 * lim.em) {
        v.sx = v.sy = u;
    } else {
        v.sx = std::min<double>(lim.em, fx);
        v.sy = lim.sy_for(v.sx);
    }
    const double w = lim.extent.x * v.sx;
    v.x = w < lim.view.x ? -(lim.view.x - w) * 0.5 / v.sx : 0.0;
    v.y = 0;
    return v;
}

void clamp_pan(PanZoom& v, const PanZoomLimits& lim) {
    // The view keeps a quarter of what of the tree fits in it: never lost off screen, and the
    // fitted view (and anything zoomed about a point of the tree) is always allowed.
    auto clamp_axis = [](double& pos, double extent, double view_units) {
        const double keep = 0.25 * std::min(extent, view_units);
        pos = std::clamp(pos, keep - view_units, std::max(keep - view_units, extent - keep));
    };
    clamp_axis(v.x, lim.extent.x, lim.view.x / v.sx);
    clamp_axis(v.y, lim.extent.y, lim.view.y / v.sy);
}

void zoom_at(PanZoom& v, const PanZoomLimits& lim, double px, double py, double factor) {
    const double lx = v.to_lx(px), ly = v.to_ly(py);
    v.sx = std::clamp(v.sx * factor, lim.min_sx(), lim.max_sx());
    v.sy = lim.sy_for(v.sx);
    v.x = lx - px / v.sx;
    v.y = ly - py / v.sy;
    clamp_pan(v, lim);
}

void pan_by(PanZoom& v, const PanZoomLimits& lim, double dx, double dy) {
    v.x -= dx / v.sx;
    v.y -= dy / v.sy;
    clamp_pan(v, lim);
}

// ---- level of detail --------------------------------------------------------------------------

const char* tree_lod_name(TreeLod l) {
    switch (l) {
        case TreeLod::Labels: return "labels";
        case TreeLod::FdOnly: return "fd only";
        case TreeLod::Boxes: return "boxes";
        case TreeLod::Bands: return "density bands";
    }
    return "?";
}

TreeLod tree_lod(double node_px, double em) {
    if (node_px >= 3.3 * em) return TreeLod::Labels;  // 0.6 of a node at 1 em per em
    if (node_px >= 1.5 * em) return TreeLod::FdOnly;  // room for "1234"
    if (node_px >= 4.0) return TreeLod::Boxes;        // a box still reads as a box
    return TreeLod::Bands;
}

}  // namespace epsim::viz
