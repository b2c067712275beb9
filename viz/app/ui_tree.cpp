// ui_tree.cpp - the interest tree panel (see ui.h): the rb tree of one eventpoll, with pan and
// zoom and a level of detail, so a frame costs O(what is on screen) for any tree size.
//
//   Labels / FdOnly / Boxes  the nodes in the visible x range (TreeIndex), plus the ancestors
//                            whose edges cross the screen; while animating, the nodes visible
//                            at either end of the move, each blended alone (blend_box)
//   Bands                    nodes narrower than 4 px: per depth, the visible x range in 3-px
//                            bins, each shaded by how full it is and coloured by its share of
//                            red nodes (depth_bins); the epitems lit elsewhere get a marker
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>

#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/app/ui.h"
#include "viz/app/ui_draw.h"
#include "viz/app/ui_style.h"
#include "viz/core/beats.h"
#include "viz/core/explain.h"

namespace epsim::viz {

using namespace style;
using namespace draw;

namespace {

// The boxes a frame draws: on screen at the start or at the end of the move, and the
// ancestors holding the edges that cross the screen.
std::vector<std::uint64_t> keys_to_draw(const Layout& l, const TreeIndex& ix, float x0, float x1) {
    std::vector<std::uint64_t> keys;
    if (ix.size() == 0) return keys;
    auto [first, last] = visible_range(l, ix, x0, x1);
    for (std::size_t p = first; p < last; ++p) keys.push_back(l.boxes[ix.by_x[p]].key);
    for (std::uint32_t i : crossing_chain(ix, first, last)) keys.push_back(l.boxes[i].key);
    return keys;
}

const Box* parent_box(const Layout& l, const TreeIndex& ix, const Box* b) {
    if (!b) return nullptr;
    const std::int32_t p = ix.parent[static_cast<std::size_t>(b - l.boxes.data())];
    return p >= 0 ? &l.boxes[static_cast<std::size_t>(p)] : nullptr;
}

}  // namespace

void App::draw_tree(const EpView& ep, const ImVec2& pos, const ImVec2& size, bool child) {
    const EpAnim& a = anims[ep.id];
    std::string title = fmt("Interest tree of ep#%u (%s): rb tree keyed by (file address, fd)###tree%u", ep.id,
                            a.fds.empty() ? "no fd" : a.fds.c_str(), ep.id);
    begin_panel(title, pos, size, child, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
    const float e = em();
    const float at = anim_t();
    const bool moving = at < 1.f;
    if (a.tree_to.boxes.empty() && (!moving || a.tree_from.boxes.empty())) {
        text_wrapped_visible(kDim, "Empty: no fd is registered. EPOLL_CTL_ADD inserts an epitem here.");
        end_panel(child);
        return;
    }
    TreeCam& cam = tree_cams[ep.id];
    ImGui::TextColored(vec(kDim), "%zu epitem(s); in-order = key order; wheel zooms, drag pans, f fits; %s",
                       ep.tree.nodes.size(), tree_lod_name(cam.lod));
    // The rb step being shown, named by its case.
    if (const Kernel* k = session.kernel(); k && cursor.pos() < k->log.events.size()) {
        const Event& ev = k->log.events[cursor.pos()];
        const char* tn = event_type_name(ev.type);
        if (tn[0] == 'r' && tn[1] == 'b' && tn[2] == '.' && ev.a == ep.id) {
            // Wrapped, never clipped: a case 1 caption with long names is wider than the panel.
            const std::string caption = beat_caption(ev, &session.names);
            text_wrapped_visible(kSubject, caption);
            text_rects["tree:caption"] = item_rect();
            if (beats.active()) {
                const std::string note = fmt("(tree step %zu of %zu of this syscall; any move stops)", beats.shown(), beats.beats());
                const float spacing = ImGui::GetStyle().ItemSpacing.x;
                if (ImGui::GetItemRectMax().x + spacing + ImGui::CalcTextSize(note.c_str()).x <=
                    ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
                    ImGui::SameLine();
                text_wrapped_visible(kDim, note);
            }
        }
    }

    // ---- the view: fitted, or where the mouse put it ----
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float pad = e * 0.5f;
    const ImVec2 origin(ImGui::GetCursorScreenPos().x + pad, ImGui::GetCursorScreenPos().y + pad);
    PanZoomLimits lim;
    lim.extent = {std::max(a.tree_to.extent.x, 1.f), std::max(a.tree_to.extent.y, 1.f)};
    lim.view = {std::max(1.f, avail.x - 2 * pad), std::max(1.f, avail.y - 2 * pad)};
    lim.em = e;
    ImGui::InvisibleButton("##treearea", ImVec2(std::max(1.f, avail.x), std::max(1.f, avail.y)));
    const bool area_hovered = ImGui::IsItemHovered();
    const ImGuiIO& io = ImGui::GetIO();
    if (area_hovered && io.MouseWheel != 0.f) {
        if (io.KeyShift) {
            pan_by(cam.pz, lim, io.MouseWheel * e * 4.f, 0);
        } else {
            zoom_at(cam.pz, lim, io.MousePos.x - origin.x, io.MousePos.y - origin.y, std::pow(1.25, io.MouseWheel));
        }
        cam.user = true;
    }
    if (ImGui::IsItemActivated()) tree_drag = ep.id;
    if (tree_drag == ep.id) {
        if (!ImGui::IsMouseDown(0)) {
            tree_drag = 0;
        } else if (io.MouseDelta.x != 0.f || io.MouseDelta.y != 0.f) {
            pan_by(cam.pz, lim, io.MouseDelta.x, io.MouseDelta.y);
            cam.user = true;
        }
    }
    if (!cam.user && opt.tree_zoom != 1.f && !cam.zoomed_at_start) {  // --tree-zoom
        cam.pz = fit_view(lim);
        zoom_at(cam.pz, lim, lim.view.x * 0.5, lim.view.y * 0.5, opt.tree_zoom);
        cam.user = cam.zoomed_at_start = true;
    }
    if (!cam.user) cam.pz = fit_view(lim);
    else clamp_pan(cam.pz, lim);
    const PanZoom& pz = cam.pz;
    const auto sx = static_cast<float>(pz.sx), sy = static_cast<float>(pz.sy);
    const LayoutMetrics m;
    cam.lod = tree_lod(m.node_w * pz.sx, e);
    const float x0 = static_cast<float>(pz.to_lx(-pad)), x1 = static_cast<float>(pz.to_lx(lim.view.x + pad));
    auto sx_of = [&](float lx) { return origin.x + static_cast<float>(pz.to_px_x(lx)); };
    auto sy_of = [&](float ly) { return origin.y + static_cast<float>(pz.to_px_y(ly)); };

    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const ObjId subj = subject();
    // The tree area is one button (for drag and wheel), active while the mouse is down on it.
    const bool window_hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
    const bool clicked = area_hovered && ImGui::IsMouseReleased(0) && io.MouseDragMaxDistanceSqr[0] < 16.f;

    // The epitems lit elsewhere are lit here too, on screen or not.
    for (ObjId id : {selected, hovered})
        if (id && a.tree_to.find(key_ready(id))) mark("tree", id);

    if (cam.lod == TreeLod::Bands) {
        // ---- aggregated: density bands per depth ----
        const float bin_px = 3.f;
        const int bins = std::max(1, static_cast<int>(lim.view.x / bin_px));
        const float col = m.node_w + m.gap_x;
        const float per_bin = (x1 - x0) / static_cast<float>(bins) / col;  // nodes a full bin holds
        const float band_h = std::max(2.f, m.node_h * sy);
        const float lx1 = static_cast<float>(pz.to_lx(lim.view.x));
        for (std::size_t d = 0; d < a.ix_to.depth_x.size(); ++d) {
            const float y = sy_of(static_cast<float>(d) * m.level_h);
            if (y > dl->GetClipRectMax().y || y + band_h < dl->GetClipRectMin().y) continue;
            const std::vector<DepthBin> bv = depth_bins(a.ix_to, static_cast<int>(d), static_cast<float>(pz.x), lx1, bins);
            // Runs of bins of one shade become one rectangle (fewer vertices, less to fill).
            int run_start = 0;
            ImU32 run_col = 0;
            auto flush = [&](int end) {
                if (run_col)
                    dl->AddRectFilled(ImVec2(origin.x + static_cast<float>(run_start) * bin_px, y),
                                      ImVec2(origin.x + static_cast<float>(end) * bin_px, y + band_h), run_col);
            };
            for (int b = 0; b < bins; ++b) {
                const DepthBin& db = bv[static_cast<std::size_t>(b)];
                ImU32 c = 0;
                if (db.count) {
                    const float fill = std::min(1.f, static_cast<float>(db.count) / std::max(1e-6f, per_bin));
                    const float redf = static_cast<float>(db.red) / static_cast<float>(db.count);
                    // Quantised, so neighbours share a shade and merge.
                    const float q_fill = std::ceil(fill * 3.f) / 3.f, q_red = std::round(redf * 4.f) / 4.f;
                    c = with_alpha(mix(rgba(90, 90, 104), kRedNode, q_red), 0.35f + 0.65f * q_fill);
                }
                if (c != run_col) {
                    flush(b);
                    run_start = b;
                    run_col = c;
                }
            }
            flush(bins);
            // Per-depth counts, when the band is tall enough to read.
            if (band_h >= font->FontSize * 0.8f) {
                const std::size_t n = a.ix_to.depth_x[d].size();
                const std::uint32_t r = a.ix_to.depth_red[d].back();
                const std::string t = fmt("depth %zu: %zu (%u red, %zu black)", d, n, r, n - r);
                const float fs = std::min(font->FontSize * 0.85f, band_h);
                dl->AddRectFilled(ImVec2(origin.x, y), ImVec2(origin.x + font->CalcTextSizeA(fs, 1e9f, 0, t.c_str()).x + e * 0.4f, y + fs),
                                  rgba(16, 16, 20, 200));
                dl->AddText(font, fs, ImVec2(origin.x + e * 0.2f, y), kText, t.c_str());
            }
            if (area_hovered && io.MousePos.y >= y && io.MousePos.y < y + band_h) {
                const int b = std::clamp(static_cast<int>((io.MousePos.x - origin.x) / bin_px), 0, bins - 1);
                const DepthBin& db = bv[static_cast<std::size_t>(b)];
                ImGui::SetTooltip("depth %zu: %u node(s) here, %u red, %u black\nwheel: zoom in to see them", d, db.count,
                                  db.red, db.count - db.red);
            }
        }
        // Markers for the epitems that matter now: where they sit, down to their depth.
        for (ObjId id : {subj, selected, hovered}) {
            const Box* b = id ? a.tree_to.find(key_ready(id)) : nullptr;
            if (!b) continue;
            const float cx = sx_of(b->pos.x + b->size.x * 0.5f);
            const float cy = sy_of(b->pos.y + b->size.y * 0.5f);
            const ImU32 c = is_highlighted(id) ? kHighlight : kSubject;
            dl->AddLine(ImVec2(cx, origin.y), ImVec2(cx, cy), with_alpha(c, 0.7f), 1.5f);
            dl->AddQuadFilled(ImVec2(cx, cy - e * 0.4f), ImVec2(cx + e * 0.4f, cy), ImVec2(cx, cy + e * 0.4f),
                              ImVec2(cx - e * 0.4f, cy), c);
        }
    } else {
        // ---- nodes: only those on screen ----
        std::vector<std::uint64_t> keys = keys_to_draw(a.tree_to, a.ix_to, x0, x1);
        if (moving) {
            std::vector<std::uint64_t> more = keys_to_draw(a.tree_from, a.ix_from, x0, x1);
            keys.insert(keys.end(), more.begin(), more.end());
        }
        std::sort(keys.begin(), keys.end());
        keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
        const float t = moving ? at : 1.f;
        auto shown = [&](std::uint64_t key) {
            return blend_box(moving ? a.tree_from.find(key) : nullptr, a.tree_to.find(key), t);
        };
        struct Drawn {
            Box box;
            ImVec2 mn, mx;
        };
        std::vector<Drawn> drawn;
        drawn.reserve(keys.size());
        // Boxes keep their shape (x and y scale alike) but stay tall enough to see.
        const float box_h_scale = std::min(sy, std::max(sx, 4.f / m.node_h));
        auto rect_of = [&](const Box& b) {
            const ImVec2 mn(sx_of(b.pos.x), sy_of(b.pos.y));
            return Drawn{b, mn, ImVec2(mn.x + b.size.x * sx, mn.y + std::max(2.f, b.size.y * box_h_scale))};
        };
        for (std::uint64_t key : keys) {
            const Box b = shown(key);
            if (b.alpha > 0.01f) drawn.push_back(rect_of(b));
        }
        // Edges: to the parent at the end of the move (fading in if new), and to the parent
        // at its start (fading out if it changed). Same as interpolate()'s edges.
        const float lw = std::max(1.f, sx * 0.1f);
        auto edge = [&](const Drawn& c, const Box* parent_key_box, float alpha) {
            if (!parent_key_box || alpha <= 0.01f) return;
            const Drawn p = rect_of(shown(parent_key_box->key));
            const float al = alpha * std::min(p.box.alpha, c.box.alpha);
            if (al <= 0.01f) return;
            dl->AddLine(ImVec2((p.mn.x + p.mx.x) * 0.5f, p.mx.y), ImVec2((c.mn.x + c.mx.x) * 0.5f, c.mn.y),
                        with_alpha(kEdge, al), lw);
        };
        for (const Drawn& d : drawn) {
            const Box* to_parent = parent_box(a.tree_to, a.ix_to, a.tree_to.find(d.box.key));
            const Box* from_parent = moving ? parent_box(a.tree_from, a.ix_from, a.tree_from.find(d.box.key)) : nullptr;
            const bool same = to_parent && from_parent && to_parent->key == from_parent->key;
            if (!moving || same) {
                edge(d, to_parent, 1.f);
            } else {
                edge(d, to_parent, t);
                edge(d, from_parent, 1.f - t);
            }
        }
        const ImVec2 clip0 = dl->GetClipRectMin(), clip1 = dl->GetClipRectMax();
        const float text_scale = std::min(1.f, sx / e);
        char buf[96];
        for (const Drawn& d : drawn) {
            const Box& b = d.box;
            const ImVec2 mn = d.mn, mx = d.mx;
            if (mx.x < clip0.x || mn.x > clip1.x || mx.y < clip0.y || mn.y > clip1.y) continue;
            const ObjId id = epi_of_key(b.key);
            if (b.alpha >= 0.5f) node_rects[id] = {mn.x, mn.y, mx.x, mx.y};
            const float round = std::min(sx, sy) * 0.5f;
            // Small borderless boxes: black nodes a shade lighter, to stand out from the panel.
            const ImU32 black = cam.lod == TreeLod::Boxes ? mix(kBlackNode, kNodeBorder, 0.4f) : kBlackNode;
            dl->AddRectFilled(mn, mx, with_alpha(mix(black, kRedNode, b.red), b.alpha), round);
            const bool lit = is_highlighted(id);
            const ImU32 border = lit ? kHighlight : id == subj ? kSubject : kNodeBorder;
            if (lit || id == subj || cam.lod != TreeLod::Boxes)
                dl->AddRect(mn, mx, with_alpha(border, b.alpha), round, 0, lit || id == subj ? std::max(2.f, sx * 0.2f) : 1.f);
            const EpiView* ev = cam.lod == TreeLod::Boxes ? view.epi(id) : find_epi(id);
            if (!ev) continue;
            const float fs = font->FontSize * text_scale;
            const float cx = (mn.x + mx.x) * 0.5f;
            if (cam.lod == TreeLod::Labels) {
                const FileView* tf = view.file(ev->file);
                // A nested epoll names the instance it watches.
                const std::string target = tf && tf->kind == "epoll" ? tf->desc.substr(6) + ": " : "";
                // Named by the scenario ("b  fd 4"): the narration's names; the data only when it
                // is not the fd (the scenario language's default). Unnamed: "fd 4 d=1".
                const std::string name = epi_name(*ev);
                const bool data_is_fd = ev->data == static_cast<std::uint64_t>(ev->fd);
                if (name.empty()) std::snprintf(buf, sizeof buf, "fd %d d=%" PRIu64, ev->fd, ev->data);
                else std::snprintf(buf, sizeof buf, "%s  fd %d", name.c_str(), ev->fd);
                std::string second = target + short_mask(ev->events);
                if (!name.empty() && !data_is_fd) second += fmt("  d=%" PRIu64, ev->data);
                const float inner_w = (mx.x - mn.x) * 0.92f;
                text_centered_fit(dl, font, fs, ImVec2(cx, mn.y + (mx.y - mn.y) * 0.3f), with_alpha(kText, b.alpha), buf, inner_w);
                text_centered_fit(dl, font, fs * 0.9f, ImVec2(cx, mn.y + (mx.y - mn.y) * 0.72f), with_alpha(kDim, b.alpha),
                                  second, inner_w);
            } else if (cam.lod == TreeLod::FdOnly) {
                // As large as the box allows (the box is small here), if still legible.
                const int len = std::snprintf(buf, sizeof buf, "%d", ev->fd);
                const float fit = std::min({font->FontSize, (mx.x - mn.x) / (0.62f * static_cast<float>(len) + 0.6f),
                                            (mx.y - mn.y) * 0.9f});
                if (fit >= 7.f) text_centered(dl, font, fit, ImVec2(cx, (mn.y + mx.y) * 0.5f), with_alpha(kText, b.alpha), buf);
            }
            if (window_hovered && ImGui::IsMouseHoveringRect(mn, mx)) {
                hover_epi(id);
                if (clicked) click_epi(id);
                ImGui::BeginTooltip();
                ImGui::Text("epitem#%u in ep#%u (%s node)", id, ev->ep, ev->red ? "red" : "black");
                if (const std::string n = epi_name(*ev); !n.empty()) ImGui::Text("watches %s (fd %d)", n.c_str(), ev->fd);
                ImGui::Text("key: file#%u at 0x%" PRIx64 ", fd %d", ev->file, ev->file_addr, ev->fd);
                ImGui::Text("events: %s", epoll_mask_str(ev->events).c_str());
                ImGui::Text("data: %" PRIu64, ev->data);
                ImGui::Text("ready: %s%s", ev->on_ready ? "linked on rdllist/txlist" : "not linked",
                            ev->on_ovflist ? ", chained on ovflist" : "");
                ImGui::TextDisabled("click to select (lights up in every panel)");
                ImGui::EndTooltip();
            }
        }
    }
    end_panel(child);
}

}  // namespace epsim::viz
