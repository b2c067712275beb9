// ui_structs.cpp - the kernel's structures drawn with ImDrawList: the ready lists, the wait
// queues, the files and fd tables (see ui.h; the interest tree is ui_tree.cpp).
#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <set>

#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/core/explain.h"
#include "viz/core/wake_walk.h"
#include "viz/app/ui.h"
#include "viz/app/ui_draw.h"
#include "viz/app/ui_style.h"

namespace epsim::viz {

using namespace style;
using namespace draw;


// A clickable epitem button used by the text panels; lit like the boxes.
void App::epi_chip(const char* panel, ObjId epi, const char* label) {
    const bool lit = is_highlighted(epi);
    const bool subj = epi && epi == subject();
    ImGui::PushID(static_cast<int>(epi));
    ImGui::PushID(label);
    ImGui::PushStyleColor(ImGuiCol_Button, vec(kItem));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, vec(mix(kItem, kHighlight, 0.3f)));
    ImGui::PushStyleColor(ImGuiCol_Border, vec(lit ? kHighlight : subj ? kSubject : kItem));
    ImGui::PushStyleVar(ImGuiStyleVar_FrameBorderSize, lit || subj ? std::max(2.f, em() * 0.15f) : 0.f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(em() * 0.35f, em() * 0.1f));
    if (ImGui::Button(label)) click_epi(epi);
    if (ImGui::IsItemHovered()) hover_epi(epi);
    ImGui::PopStyleVar(2);
    ImGui::PopStyleColor(3);
    ImGui::PopID();
    ImGui::PopID();
    if (lit) mark(panel, epi);
}

// ---------------------------------------------------------------------------------------
// [SECTION] ready lists: rdllist, the harvest's txlist, ovflist

void App::draw_lists(const EpView& ep, const ImVec2& pos, const ImVec2& size, bool child) {
    std::string title = fmt("Ready lists of ep#%u###lists%u", ep.id, ep.id);
    begin_panel(title, pos, size, child);
    const float e = em();
    const EpAnim& a = anims[ep.id];
    const float at = anim_t();
    Layout moving;
    if (at < 1.f) moving = interpolate(a.lists_from, a.lists_to, at);
    const Layout& l = at < 1.f ? moving : a.lists_to;
    LayoutMetrics m;
    const float label_w = 7.5f * e;
    // Shrink long lists to fit (down to 60%), scroll beyond that.
    const float need = l.extent.x * e + 4.5f * e;
    const float fit = std::clamp((ImGui::GetContentRegionAvail().x - label_w) / std::max(1.f, need), 0.6f, 1.f);
    ImVec2 origin = ImGui::GetCursorScreenPos();
    origin.y += e * 0.3f;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float item_h = m.item_h * e;
    struct Row {
        const char* name;
        const char* sub;
        std::string empty;
    };
    const Row rows[3] = {
        {"rdllist", "ready list", "empty"},
        {"txlist", "harvest's", ep.scanning ? "empty (the harvest took every item)" : "none: no harvest running"},
        {"ovflist", "newest first",
         ep.scanning ? "= NULL: a scan runs, callbacks chain here" : "= EP_UNACTIVE_PTR: no scan, callbacks use rdllist"},
    };
    const std::size_t counts[3] = {ep.rdllist.size(), ep.txlist.size(), ep.ovflist.size()};
    for (int r = 0; r < 3; ++r) {
        const float y = origin.y + static_cast<float>(r) * m.row_h * e;
        const float ty = y + (item_h - font->FontSize * 2.1f) * 0.5f;
        dl->AddText(ImVec2(origin.x, ty), r == 2 && !ep.scanning ? kDim : kText, rows[r].name);
        dl->AddText(font, font->FontSize * 0.85f, ImVec2(origin.x, ty + font->FontSize * 1.1f), kDim, rows[r].sub);
        if (counts[r] == 0) {
            dl->AddText(ImVec2(origin.x + label_w, y + (item_h - font->FontSize) * 0.5f),
                        r == 2 && ep.scanning ? kHighlight : kDim, rows[r].empty.c_str());
        }
    }
    auto rect_of = [&](const Box& b) {
        ImVec2 mn(origin.x + label_w + b.pos.x * e * fit, origin.y + b.pos.y * e);
        return std::make_pair(mn, ImVec2(mn.x + b.size.x * e * fit, mn.y + b.size.y * e));
    };
    const ImVec2 clip0 = dl->GetClipRectMin(), clip1 = dl->GetClipRectMax();
    auto visible = [&](ImVec2 a, ImVec2 b) { return b.x >= clip0.x && a.x <= clip1.x && b.y >= clip0.y && a.y <= clip1.y; };
    // What to look at: every box while moving (lists are short then); at rest only the visible
    // run of each row, so a 10,000-item rdllist costs what is on screen.
    auto link = [&](const Box* f, const Box* t, float alpha) {
        if (!f || !t) return;
        const float al = alpha * std::min(f->alpha, t->alpha);
        if (al <= 0.01f) return;
        auto [fa, fb] = rect_of(*f);
        auto [ta, tb] = rect_of(*t);
        if (!visible(fa, tb)) return;
        arrow(dl, ImVec2(fb.x, (fa.y + fb.y) * 0.5f), ImVec2(ta.x, (ta.y + tb.y) * 0.5f), with_alpha(kEdge, al), e);
    };
    std::vector<const Box*> todo;
    if (at < 1.f) {
        for (const Edge& ed : l.edges) link(l.find(ed.from), l.find(ed.to), ed.alpha);
        for (const Box& b : l.boxes) todo.push_back(&b);
    } else {
        const float pitch = (m.item_w + m.item_gap) * e * fit;
        for (const std::vector<std::uint64_t>& row : a.rows) {
            const auto n = static_cast<long>(row.size());
            const long i0 = std::clamp(static_cast<long>((clip0.x - origin.x - label_w) / pitch) - 1, 0L, n);
            const long i1 = std::clamp(static_cast<long>((clip1.x - origin.x - label_w) / pitch) + 2, 0L, n);
            for (long i = i0; i < i1; ++i) {
                const Box* b = l.find(row[static_cast<std::size_t>(i)]);
                todo.push_back(b);
                if (i + 1 < n) link(b, l.find(row[static_cast<std::size_t>(i + 1)]), 1.f);
            }
        }
        for (ObjId id : {selected, hovered})  // lit, though scrolled out of view
            if (id && (l.find(key_ready(id)) || l.find(key_ovf(id)))) mark("lists", id);
    }
    const ObjId subj = subject();
    const bool window_hovered = ImGui::IsWindowHovered();
    const float max_x = origin.x + label_w + l.extent.x * e * fit;
    for (const Box* bp : todo) {
        if (!bp || bp->alpha <= 0.01f) continue;
        const Box& b = *bp;
        auto [mn, mx] = rect_of(b);
        const ObjId id = epi_of_key(b.key);
        if (!visible(mn, mx)) {
            if (is_highlighted(id)) mark("lists", id);
            continue;
        }
        const bool ovf = (b.key >> 32) != 0;
        dl->AddRectFilled(mn, mx, with_alpha(ovf ? kOvfItem : kItem, b.alpha), e * 0.3f);
        const bool lit = is_highlighted(id);
        if (lit) mark("lists", id);
        const ImU32 border = lit ? kHighlight : id == subj ? kSubject : kNodeBorder;
        dl->AddRect(mn, mx, with_alpha(border, b.alpha), e * 0.3f, 0, lit || id == subj ? std::max(2.f, e * 0.18f) : 1.f);
        if (const EpiView* ev = find_epi(id)) {
            const float cx = (mn.x + mx.x) * 0.5f;
            const std::string name = epi_name(*ev);
            text_centered_fit(dl, font, font->FontSize * std::max(fit, 0.85f), ImVec2(cx, mn.y + (mx.y - mn.y) * 0.3f),
                              with_alpha(kText, b.alpha), name.empty() ? fmt("fd %d", ev->fd) : name + fmt("  fd %d", ev->fd),
                              (mx.x - mn.x) * 0.92f);
            text_centered(dl, font, font->FontSize * 0.85f * fit, ImVec2(cx, mn.y + (mx.y - mn.y) * 0.72f),
                          with_alpha(kDim, b.alpha), fmt("epitem#%u", id));
            if (window_hovered && ImGui::IsMouseHoveringRect(mn, mx)) {
                hover_epi(id);
                if (ImGui::IsMouseClicked(0)) click_epi(id);
                ImGui::SetTooltip("epitem#%u: %s, %s, data %" PRIu64, id, session.names.label(ev->fd, ev->file).c_str(),
                                  epoll_mask_str(ev->events).c_str(), ev->data);
            }
        }
    }
    // The end of the ovflist chain.
    if (!ep.ovflist.empty()) {
        const Box* last = l.find(key_ovf(ep.ovflist.back()));
        if (last) {
            auto [mn, mx] = rect_of(*last);
            arrow(dl, ImVec2(mx.x, (mn.y + mx.y) * 0.5f), ImVec2(mx.x + e * 1.0f, (mn.y + mx.y) * 0.5f), kEdge, e);
            dl->AddText(ImVec2(mx.x + e * 1.2f, (mn.y + mx.y) * 0.5f - font->FontSize * 0.5f), kDim, "NULL");
        }
    }
    if (ep.mtx_holder) {
        dl->AddText(ImVec2(origin.x, origin.y + 3.f * m.row_h * e), kHighlight,
                    fmt("ep->mtx held by task#%u across a paused harvest (ep_send_events)", ep.mtx_holder).c_str());
    }
    ImGui::Dummy(ImVec2(max_x + (ep.ovflist.empty() ? 0.f : 4.f * e) - ImGui::GetCursorScreenPos().x + e, 3.f * m.row_h * e + (ep.mtx_holder ? 1.5f * e : 0)));
    end_panel(child);
}

// ---------------------------------------------------------------------------------------
// [SECTION] wait queues

void App::draw_waitqueues(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("Wait queues (walked head first = wake order)", nullptr, kPanelFlags | ImGuiWindowFlags_HorizontalScrollbar);
    const float e = em();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    const float fs = font->FontSize * 0.85f;
    // The walks of the running context, as they stand at the cursor (wake_walk.h).
    std::vector<WakeWalk> walks;
    if (const Kernel* k = session.kernel(); k && cursor.pos() < k->log.events.size())
        walks = wake_walks_at(k->log.events, cursor.pos());
    auto walk_of = [&](ObjId q) -> const WakeWalk* {
        for (auto it = walks.rbegin(); it != walks.rend(); ++it)
            if (it->queue == q) return &*it;
        return nullptr;
    };
    auto key_words = [](std::uint32_t key) { return key ? short_mask(key) : std::string("none (all called)"); };
    auto task_state = [&](ObjId t) {
        for (const TaskView& tv : view.tasks)
            if (tv.id == t) return tv.state;
        return std::string("?");
    };
    // Task entries of ep->wq and hooks of ep->poll_wait: chips in walk order, wrapping.
    auto entries = [&](const WqView& q) {
        const ImGuiStyle& st = ImGui::GetStyle();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        for (const WqEntryView& en : q.entries) {
            std::string label;
            if (en.is_task) {
                label = fmt("task#%u %s", en.owner, task_state(en.owner).c_str());
            } else {
                const EpiView* ev = find_epi(en.owner);
                label = fmt("epitem#%u %s%s", en.owner, ev ? epi_short(*ev).c_str() : "?", en.exclusive ? " EXCL" : "");
            }
            const float w = ImGui::CalcTextSize(label.c_str()).x + e * 0.7f + ImGui::CalcTextSize(" > ").x;
            if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + w < right) ImGui::SameLine();
            if (en.is_task) {
                ImGui::PushStyleColor(ImGuiCol_Button, vec(kTask));
                ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(e * 0.35f, e * 0.1f));
                ImGui::PushID(static_cast<int>(en.entry));
                ImGui::Button(label.c_str());
                ImGui::PopID();
                ImGui::PopStyleVar();
                ImGui::PopStyleColor();
            } else {
                epi_chip("waitqueues", en.owner, label.c_str());
            }
            if (ImGui::IsItemHovered()) {
                if (en.is_task) ImGui::SetTooltip("a task asleep in epoll_wait (entry: ep_autoremove_wake_function)");
                else ImGui::SetTooltip("hook#%u: an eppoll_entry; its function is ep_poll_callback", en.entry);
            }
        }
    };
    auto walk_note = [&](ObjId q) {
        const WakeWalk* w = walk_of(q);
        if (!w) return;
        ImGui::Indent(e);
        text_wrapped_visible(kSubject, fmt("^ %s by __wake_up_common, key %s", w->running ? "walking" : "walked",
                                           key_words(w->key).c_str()));
        ImGui::Unindent(e);
        text_rects["waitqueues:walk"] = item_rect();
    };
    for (const EpView& ep : view.eps) {
        ImGui::TextColored(vec(walk_of(ep.wq.id) ? kSubject : kHighlight), "ep#%u->wq", ep.id);
        ImGui::SameLine();
        if (ep.wq.entries.empty()) text_wrapped_visible(kDim, "(tasks asleep in epoll_wait): none");
        else entries(ep.wq);
        walk_note(ep.wq.id);
        if (!ep.poll_wait.entries.empty()) {
            ImGui::TextColored(vec(walk_of(ep.poll_wait.id) ? kSubject : kHighlight), "ep#%u->poll_wait", ep.id);
            entries(ep.poll_wait);
            walk_note(ep.poll_wait.id);
        }
    }
    ImGui::Separator();
    // The notes wrap at the panel's visible width: the hook rows below scroll sideways.
    text_wrapped_visible(kDim, "File wait queues, walked head first: each box is an eppoll_entry hook (its function is "
                               "ep_poll_callback), with an arrow to the epitem it serves.");
    text_rects["waitqueues:note"] = item_rect();
    if (panel_rows.queues.empty())
        text_wrapped_visible(kDim, "No hooks yet: EPOLL_CTL_ADD's first poll (ep_ptable_queue_proc) registers them.");
    // One row per queue, all the same height, so only the rows on screen are drawn:
    //   file#5 pipe rd_wait  (key IN: walked)
    //   [head] -> [hook#3       ] -> [hook#7       ]
    //             [IN: queued   ]    [ep_poll_cb   ]
    //                  |                  |
    //             [epi#1 fd 4]       [epi#2 fd 5]
    const float hook_w = 7.2f * e, hook_h = 2.3f * e, chip_h = 1.4f * e, link_w = 1.2f * e, head_w = 2.4f * e;
    const float label_h = 1.3f * e, drop = 0.9f * e;
    const float row_h = label_h + hook_h + drop + chip_h + 0.7f * e;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float clip_top = dl->GetClipRectMin().y, clip_bottom = dl->GetClipRectMax().y;
    const auto nq = static_cast<long>(panel_rows.queues.size());
    const long q0 = std::clamp(static_cast<long>((clip_top - origin.y) / row_h) - 1, 0L, nq);
    const long q1 = std::clamp(static_cast<long>((clip_bottom - origin.y) / row_h) + 1, 0L, nq);
    const bool hovered_window = ImGui::IsWindowHovered();
    const ObjId subj = subject();
    // Lit hooks, though scrolled out of view: an epitem with a hook on a listed queue.
    for (ObjId w : {selected, hovered})
        if (const EpiView* ev = w ? view.epi(w) : nullptr)
            for (ObjId q : ev->hook_queues)
                if (q < panel_rows.queue_listed.size() && panel_rows.queue_listed[q]) mark("waitqueues", w);
    std::size_t widest = 0;
    for (long r = q0; r < q1; ++r) {
        const auto [fi, qi] = panel_rows.queues[static_cast<std::size_t>(r)];
        const FileView& f = view.files[fi];
        const WqView& q = f.queues[qi];
        const WakeWalk* walk = walk_of(q.id);
        widest = std::max(widest, q.entries.size());
        const float y = origin.y + static_cast<float>(r) * row_h;
        std::string head = fmt("file#%u %s", f.id, q.name.c_str());
        if (walk) head += fmt(": %s, key %s", walk->running ? "walking" : "walked", key_words(walk->key).c_str());
        dl->AddText(ImVec2(origin.x, y), walk ? kSubject : kText, head.c_str());
        const float by = y + label_h;
        // The queue head, then its entries in walk order.
        ImVec2 hmn(origin.x, by + hook_h * 0.2f), hmx(origin.x + head_w, by + hook_h * 0.8f);
        dl->AddRect(hmn, hmx, kNodeBorder, e * 0.2f);
        text_centered(dl, font, fs, ImVec2((hmn.x + hmx.x) * 0.5f, (hmn.y + hmx.y) * 0.5f), kDim, "head");
        float x = hmx.x;
        for (std::size_t i = 0; i < q.entries.size(); ++i) {
            const WqEntryView& en = q.entries[i];
            arrow(dl, ImVec2(x, by + hook_h * 0.5f), ImVec2(x + link_w, by + hook_h * 0.5f), kEdge, e);
            const ImVec2 mn(x + link_w, by), mx(mn.x + hook_w, by + hook_h);
            x = mx.x;
            // What the walk did with this entry, if it reached it.
            const WalkStep* step = nullptr;
            bool calling = false;
            if (walk)
                for (std::size_t k = 0; k < walk->steps.size(); ++k) {
                    const WalkStep& s = walk->steps[k];
                    if ((s.entry && s.entry == en.entry) || (!s.entry && s.owner == en.owner && !en.is_task)) {
                        step = &s;
                        calling = walk->running && k + 1 == walk->steps.size();
                    }
                }
            const bool lit = !en.is_task && is_highlighted(en.owner);
            ImU32 fill = en.is_task ? kTask : kFile;
            std::string line2 = en.is_task ? "autoremove_wake" : "ep_poll_callback";
            ImU32 line2_col = kDim;
            if (step) {
                if (step->has_decision) {
                    line2 = decision_words(step->decision);
                    const bool took = step->decision == CallbackDecision::Queued || step->decision == CallbackDecision::Chained;
                    const bool ignored = step->decision == CallbackDecision::IgnoredMask ||
                                         step->decision == CallbackDecision::IgnoredDisarmed;
                    line2_col = took ? kOk : ignored ? kDim : kHighlight;
                    fill = mix(fill, took ? kOk : kSubject, 0.25f);
                } else if (step->done) {
                    line2 = fmt("returned %d", step->ret);
                }
            }
            dl->AddRectFilled(mn, mx, fill, e * 0.25f);
            const ImU32 border = lit ? kHighlight : calling || (step && !step->done) ? kSubject : step ? kSubject : kNodeBorder;
            const float bw = lit || calling ? std::max(2.f, e * 0.18f) : step ? 1.5f : 1.f;
            dl->AddRect(mn, mx, border, e * 0.25f, 0, bw);
            dl->AddText(font, fs, ImVec2(mn.x + e * 0.3f, mn.y + e * 0.15f), kText,
                        fmt("%s#%u%s%s", en.is_task ? "task entry" : "hook", en.entry, en.exclusive ? " EXCL" : "",
                            calling ? "  (now)" : "").c_str());
            dl->PushClipRect(mn, mx, true);
            dl->AddText(font, fs, ImVec2(mn.x + e * 0.3f, mn.y + e * 1.15f), line2_col, line2.c_str());
            dl->PopClipRect();
            if (hovered_window && ImGui::IsMouseHoveringRect(mn, mx)) {
                if (en.is_task) ImGui::SetTooltip("task#%u asleep in epoll_wait: ep_autoremove_wake_function wakes it", en.owner);
                else if (step && step->has_decision)
                    ImGui::SetTooltip("hook#%u: ep_poll_callback(epitem#%u, key %s): %s", en.entry, en.owner,
                                      walk->key ? epoll_mask_str(walk->key).c_str() : "none", callback_decision_name(step->decision));
                else ImGui::SetTooltip("hook#%u: an eppoll_entry; its function is ep_poll_callback(epitem#%u)", en.entry, en.owner);
            }
            // The arrow down to what the entry serves: the epitem (or the task).
            const float cx = (mn.x + mx.x) * 0.5f;
            const ImVec2 cmn(mn.x + e * 0.6f, mx.y + drop), cmx(mx.x - e * 0.6f, mx.y + drop + chip_h);
            arrow(dl, ImVec2(cx, mx.y), ImVec2(cx, cmn.y), lit ? kHighlight : kEdge, e);
            if (en.is_task) {
                dl->AddRectFilled(cmn, cmx, kTask, e * 0.2f);
                text_centered(dl, font, fs, ImVec2(cx, (cmn.y + cmx.y) * 0.5f), kText,
                              fmt("task#%u %s", en.owner, task_state(en.owner).c_str()));
                continue;
            }
            const EpiView* ev = find_epi(en.owner);
            const bool is_subj = en.owner == subj;
            dl->AddRectFilled(cmn, cmx, lit ? kHighlight : kItem, e * 0.2f);
            if (is_subj && !lit) dl->AddRect(cmn, cmx, kSubject, e * 0.2f, 0, 2.f);
            text_centered_fit(dl, font, fs, ImVec2(cx, (cmn.y + cmx.y) * 0.5f), lit ? kBlackNode : kText,
                              fmt("epitem#%u %s", en.owner, ev ? epi_short(*ev).c_str() : "?"), (cmx.x - cmn.x) * 0.95f);
            if (lit) mark("waitqueues", en.owner);
            if (hovered_window && ImGui::IsMouseHoveringRect(cmn, cmx)) {
                hover_epi(en.owner);
                if (ImGui::IsMouseClicked(0)) click_epi(en.owner);
            }
        }
    }
    const float max_hooks = static_cast<float>(std::max<std::size_t>(widest, 1));
    ImGui::Dummy(ImVec2(head_w + max_hooks * (link_w + hook_w) + e, static_cast<float>(nq) * row_h));
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] files and fd tables

void App::draw_files(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("Files and fd tables", nullptr, kPanelFlags);
    const float e = em();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImFont* font = ImGui::GetFont();
    // Room for the scenario's names next to the fds ("fd 4 p.r") when it has any.
    const bool named = !session.names.empty();
    const float fd_w = (named ? 5.6f : 3.6f) * e, gap = (named ? 1.8f : 2.4f) * e;
    const float row = 1.9f * e, file_row = 2.5f * e;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    const float file_x = origin.x + fd_w + gap;
    const float file_w = std::max(8.f * e, ImGui::GetContentRegionAvail().x - fd_w - gap - e * 0.2f);
    // Files (right column), one row each, in id order: only the rows on screen are drawn.
    const bool hovered_window = ImGui::IsWindowHovered();
    const float clip_top = dl->GetClipRectMin().y, clip_bottom = dl->GetClipRectMax().y;
    auto file_row_y = [&](std::int32_t r) { return origin.y + static_cast<float>(r) * file_row; };
    for (ObjId w : {selected, hovered})  // lit, though scrolled out of view
        if (const EpiView* ev = w ? view.epi(w) : nullptr)
            if (ev->file < panel_rows.row_of_file.size() && panel_rows.row_of_file[ev->file] >= 0) mark("files", w);
    const auto nfiles = static_cast<long>(panel_rows.files.size());
    const long r0 = std::clamp(static_cast<long>((clip_top - origin.y) / file_row) - 1, 0L, nfiles);
    const long r1 = std::clamp(static_cast<long>((clip_bottom - origin.y) / file_row) + 1, 0L, nfiles);
    for (long r = r0; r < r1; ++r) {
        const FileView& f = view.files[panel_rows.files[static_cast<std::size_t>(r)]];
        const float y = file_row_y(static_cast<std::int32_t>(r));
        ImVec2 mn(file_x, y), mx(file_x + file_w, y + file_row - e * 0.3f);
        bool lit = false;
        for (ObjId w : f.watched_by)
            if (is_highlighted(w)) lit = true;
        dl->AddRectFilled(mn, mx, kFile, e * 0.25f);
        dl->AddRect(mn, mx, lit ? kHighlight : kNodeBorder, e * 0.25f, 0, lit ? std::max(2.f, e * 0.15f) : 1.f);
        std::string head = fmt("file#%u %s  f_count %ld", f.id, f.kind.c_str(), f.f_count);
        dl->AddText(ImVec2(mn.x + e * 0.3f, mn.y + e * 0.1f), kText, head.c_str());
        const float y2 = mn.y + e * 1.1f;
        const float fs = font->FontSize * 0.85f;
        float x2 = mn.x + e * 0.3f;
        if (f.slots_used >= 0) {  // pipe ring: one cell per slot
            const float cw = e * 0.45f;
            for (int s = 0; s < f.slots_max; ++s) {
                ImVec2 a(x2 + static_cast<float>(s) * cw, y2 + e * 0.15f), b(a.x + cw - 2, a.y + e * 0.7f);
                dl->AddRectFilled(a, b, s < f.slots_used ? kOk : rgba(50, 50, 60));
            }
            x2 += static_cast<float>(f.slots_max) * cw + e * 0.4f;
            std::string t = fmt("%" PRIu64 " B", f.bytes);
            dl->AddText(font, fs, ImVec2(x2, y2), kDim, t.c_str());
            x2 += font->CalcTextSizeA(fs, 1e9f, 0, t.c_str()).x + e * 0.4f;
        } else if (f.kind == "eventfd") {
            std::string t = fmt("count %" PRIu64, f.bytes);
            dl->AddText(font, fs, ImVec2(x2, y2), kDim, t.c_str());
            x2 += font->CalcTextSizeA(fs, 1e9f, 0, t.c_str()).x + e * 0.4f;
        } else {
            dl->AddText(font, fs, ImVec2(x2, y2), kDim, f.desc.c_str());
            x2 += font->CalcTextSizeA(fs, 1e9f, 0, f.desc.c_str()).x + e * 0.4f;
        }
        for (ObjId w : f.watched_by) {
            std::string t = fmt("epi#%u", w);
            ImVec2 ts = font->CalcTextSizeA(fs, 1e9f, 0, t.c_str());
            ImVec2 a(x2, y2), b(x2 + ts.x + e * 0.3f, y2 + ts.y + e * 0.1f);
            dl->AddRectFilled(a, b, is_highlighted(w) ? kHighlight : kItem, e * 0.2f);
            dl->AddText(font, fs, ImVec2(a.x + e * 0.15f, a.y + e * 0.05f), is_highlighted(w) ? kBlackNode : kText, t.c_str());
            if (hovered_window && ImGui::IsMouseHoveringRect(a, b)) {
                hover_epi(w);
                if (ImGui::IsMouseClicked(0)) click_epi(w);
            }
            x2 = b.x + e * 0.3f;
        }
        if (hovered_window && ImGui::IsMouseHoveringRect(mn, mx))
            ImGui::SetTooltip("file#%u at 0x%" PRIx64 ": %s", f.id, f.addr, f.desc.c_str());
    }
    const float files_end = origin.y + static_cast<float>(nfiles) * file_row;

    // fd tables (left column) with an arrow from each fd to its file. Every fd is a float
    // test (its arrow may cross the screen); only those on screen are drawn.
    float y = origin.y;
    for (std::size_t pi = 0; pi < view.procs.size(); ++pi) {
        const ProcView& p = view.procs[pi];
        const PanelRows::Proc& pr = panel_rows.procs[pi];
        if (y >= clip_top - e && y <= clip_bottom)
            dl->AddText(font, font->FontSize * 0.85f, ImVec2(origin.x, y), kDim, fmt("pid %d", p.pid).c_str());
        y += e * 1.2f;
        for (std::uint32_t fi : pr.fds) {
            const FdView& fd = p.fds[fi];
            ImVec2 mn(origin.x, y), mx(origin.x + fd_w, y + row - e * 0.3f);
            const std::int32_t fr = fd.file < panel_rows.row_of_file.size() ? panel_rows.row_of_file[fd.file] : -1;
            const float fy = fr >= 0 ? file_row_y(fr) + file_row * 0.4f : mn.y;
            y += row;
            if (std::max(mx.y, fy) < clip_top || std::min(mn.y, fy) > clip_bottom) continue;
            if (mx.y >= clip_top && mn.y <= clip_bottom) {
                dl->AddRectFilled(mn, mx, rgba(60, 60, 70), e * 0.2f);
                const std::string num = fmt("fd %d", fd.fd);
                dl->AddText(ImVec2(mn.x + e * 0.3f, mn.y + e * 0.15f), kText, num.c_str());
                if (const std::string n = session.names.of(fd.fd, fd.file, p.id); !n.empty()) {
                    const float x0 = mn.x + e * 0.3f + ImGui::CalcTextSize(num.c_str()).x + e * 0.4f;
                    const float room = mx.x - e * 0.2f - x0;
                    const float w = ImGui::CalcTextSize(n.c_str()).x;
                    const float fs = w > room ? std::max(font->FontSize * 0.7f, font->FontSize * room / w) : font->FontSize;
                    dl->AddText(font, fs, ImVec2(x0, mn.y + e * 0.15f + (font->FontSize - fs) * 0.5f), kName, n.c_str());
                }
            }
            if (fr >= 0) arrow(dl, ImVec2(mx.x, (mn.y + mx.y) * 0.5f), ImVec2(file_x - 2, fy), with_alpha(kEdge, 0.8f), e);
        }
        if (pr.hidden) {
            dl->AddText(font, font->FontSize * 0.8f, ImVec2(origin.x, y), kDim, "0-2 std");
            y += e * 1.1f;
        }
        y += e * 0.4f;
    }
    ImGui::Dummy(ImVec2(fd_w + gap + file_w, std::max(y, files_end) - origin.y));
    ImGui::End();
}

}  // namespace epsim::viz
