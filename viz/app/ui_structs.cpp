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
    for (const Edge& ed : l.edges) {
        const Box* f = l.find(ed.from);
        const Box* t = l.find(ed.to);
        if (!f || !t) continue;
        const float al = ed.alpha * std::min(f->alpha, t->alpha);
        if (al <= 0.01f) continue;
        auto [fa, fb] = rect_of(*f);
        auto [ta, tb] = rect_of(*t);
        if (!visible(fa, tb)) continue;
        arrow(dl, ImVec2(fb.x, (fa.y + fb.y) * 0.5f), ImVec2(ta.x, (ta.y + tb.y) * 0.5f), with_alpha(kEdge, al), e);
    }
    const ObjId subj = subject();
    const bool window_hovered = ImGui::IsWindowHovered();
    float max_x = origin.x + label_w;
    for (const Box& b : l.boxes) {
        if (b.alpha <= 0.01f) continue;
        auto [mn, mx] = rect_of(b);
        max_x = std::max(max_x, mx.x);
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
            text_centered(dl, font, font->FontSize * std::max(fit, 0.85f), ImVec2(cx, mn.y + (mx.y - mn.y) * 0.3f),
                          with_alpha(kText, b.alpha), fmt("fd %d", ev->fd));
            text_centered(dl, font, font->FontSize * 0.85f * fit, ImVec2(cx, mn.y + (mx.y - mn.y) * 0.72f),
                          with_alpha(kDim, b.alpha), fmt("epitem#%u", id));
            if (window_hovered && ImGui::IsMouseHoveringRect(mn, mx)) {
                hover_epi(id);
                if (ImGui::IsMouseClicked(0)) click_epi(id);
                ImGui::SetTooltip("epitem#%u: fd %d, %s, data %" PRIu64, id, ev->fd, epoll_mask_str(ev->events).c_str(),
                                  ev->data);
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
            max_x = std::max(max_x, mx.x + e * 4.f);
        }
    }
    if (ep.mtx_holder) {
        dl->AddText(ImVec2(origin.x, origin.y + 3.f * m.row_h * e), kHighlight,
                    fmt("ep->mtx held by task#%u across a paused harvest (ep_send_events)", ep.mtx_holder).c_str());
    }
    ImGui::Dummy(ImVec2(max_x - ImGui::GetCursorScreenPos().x + e, 3.f * m.row_h * e + (ep.mtx_holder ? 1.5f * e : 0)));
    end_panel(child);
}

// ---------------------------------------------------------------------------------------
// [SECTION] wait queues

void App::draw_waitqueues(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("Wait queues (walked head first = wake order)", nullptr, kPanelFlags);
    const float e = em();
    auto task_chip = [&](ObjId t) {
        std::string st = "?";
        for (const TaskView& tv : view.tasks)
            if (tv.id == t) st = tv.state;
        ImGui::PushStyleColor(ImGuiCol_Button, vec(kTask));
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(e * 0.35f, e * 0.1f));
        ImGui::PushID(static_cast<int>(t));
        ImGui::Button(fmt("task#%u %s", t, st.c_str()).c_str());
        ImGui::PopID();
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    };
    // Chips left to right in walk order, wrapping at the panel's edge.
    auto entries = [&](const WqView& q) {
        const ImGuiStyle& st = ImGui::GetStyle();
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        for (const WqEntryView& en : q.entries) {
            std::string label;
            if (en.is_task) {
                std::string state = "?";
                for (const TaskView& tv : view.tasks)
                    if (tv.id == en.owner) state = tv.state;
                label = fmt("task#%u %s", en.owner, state.c_str());
            } else {
                const EpiView* ev = find_epi(en.owner);
                label = fmt("epitem#%u fd %d%s", en.owner, ev ? ev->fd : -1, en.exclusive ? " EXCL" : "");
            }
            const float w = ImGui::CalcTextSize(label.c_str()).x + e * 0.7f + ImGui::CalcTextSize(" > ").x;
            if (ImGui::GetItemRectMax().x + st.ItemSpacing.x + w < right) ImGui::SameLine();
            if (en.is_task) task_chip(en.owner);
            else epi_chip("waitqueues", en.owner, label.c_str());
            if (ImGui::IsItemHovered()) {
                if (en.is_task) ImGui::SetTooltip("a task asleep in epoll_wait (entry: ep_autoremove_wake_function)");
                else ImGui::SetTooltip("hook#%u: an eppoll_entry; its function is ep_poll_callback", en.entry);
            }
        }
    };
    // The queue __wake_up_common is walking right now, if any.
    ObjId walked = 0;
    std::uint64_t walk_key = 0;
    if (const Kernel* k = session.kernel(); k && cursor.pos() < k->log.events.size()) {
        const Event& ev = k->log.events[cursor.pos()];
        if (ev.type == EventType::WakeBegin || ev.type == EventType::WakeEntry) walked = ev.a;
        for (std::size_t j = cursor.pos() + 1; walked && j-- > 0;)
            if (k->log.events[j].type == EventType::WakeBegin && k->log.events[j].a == walked) {
                walk_key = k->log.events[j].x;
                break;
            }
    }
    auto walk_note = [&](ObjId q) {
        if (!walked || q != walked) return;
        ImGui::TextColored(vec(kSubject), "  ^ being walked by __wake_up_common, key %s",
                           walk_key ? epoll_mask_str(static_cast<std::uint32_t>(walk_key)).c_str() : "none (wake all)");
    };
    for (const EpView& ep : view.eps) {
        ImGui::TextColored(vec(ep.wq.id == walked ? kSubject : kHighlight), "ep#%u->wq", ep.id);
        ImGui::SameLine();
        if (ep.wq.entries.empty()) ImGui::TextDisabled("(tasks asleep in epoll_wait): none");
        else entries(ep.wq);
        walk_note(ep.wq.id);
        if (!ep.poll_wait.entries.empty()) {
            ImGui::TextColored(vec(ep.poll_wait.id == walked ? kSubject : kHighlight), "ep#%u->poll_wait", ep.id);
            entries(ep.poll_wait);
            walk_note(ep.poll_wait.id);
        }
    }
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, vec(kDim));
    ImGui::TextWrapped("File wait queues: each chip is an eppoll_entry hook (its function is ep_poll_callback) "
                       "and names the epitem it feeds.");
    ImGui::PopStyleColor();
    std::set<ObjId> seen;
    bool any = false;
    for (const FileView& f : view.files) {
        for (const WqView& q : f.queues) {
            if (q.entries.empty() || !seen.insert(q.id).second) continue;
            if (f.kind == "epoll") continue;  // shown above as ep->poll_wait
            any = true;
            const float cy = ImGui::GetCursorScreenPos().y;
            const float lh = ImGui::GetFrameHeightWithSpacing();
            if (cy > ImGui::GetWindowPos().y + ImGui::GetWindowHeight() || cy + 3 * lh < ImGui::GetWindowPos().y) {
                for (const WqEntryView& en : q.entries)
                    if (!en.is_task && is_highlighted(en.owner)) mark("waitqueues", en.owner);
                ImGui::Dummy(ImVec2(1, 2 * lh));
                continue;
            }
            ImGui::TextColored(vec(q.id == walked ? kSubject : kText), "%s", fmt("file#%u %s:", f.id, q.name.c_str()).c_str());
            entries(q);
            walk_note(q.id);
        }
    }
    if (!any) {
        ImGui::PushStyleColor(ImGuiCol_Text, vec(kDim));
        ImGui::TextWrapped("No hooks yet: EPOLL_CTL_ADD's first poll (ep_ptable_queue_proc) registers them.");
        ImGui::PopStyleColor();
    }
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
    const float fd_w = 3.6f * e, gap = 2.4f * e;
    const float row = 1.9f * e, file_row = 2.5f * e;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    const float file_x = origin.x + fd_w + gap;
    const float file_w = std::max(8.f * e, ImGui::GetContentRegionAvail().x - fd_w - gap - e * 0.2f);
    auto is_std = [](const FileView& f) { return f.kind == "regular" && f.id <= 3; };

    // Files (right column), in id order.
    std::map<ObjId, float> file_y;
    float y = origin.y;
    const bool hovered_window = ImGui::IsWindowHovered();
    const float clip_top = dl->GetClipRectMin().y, clip_bottom = dl->GetClipRectMax().y;
    for (const FileView& f : view.files) {
        if (is_std(f)) continue;
        file_y[f.id] = y + file_row * 0.4f;
        ImVec2 mn(file_x, y), mx(file_x + file_w, y + file_row - e * 0.3f);
        bool lit = false;
        for (ObjId w : f.watched_by)
            if (is_highlighted(w)) lit = true, mark("files", w);
        if (mx.y < clip_top || mn.y > clip_bottom) {  // out of view: nothing to draw
            y += file_row;
            continue;
        }
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
        y += file_row;
    }
    const float files_end = y;

    // fd tables (left column) with an arrow from each fd to its file.
    y = origin.y;
    for (const ProcView& p : view.procs) {
        dl->AddText(font, font->FontSize * 0.85f, ImVec2(origin.x, y), kDim, fmt("pid %d", p.pid).c_str());
        y += e * 1.2f;
        int hidden = 0;
        for (const FdView& fd : p.fds) {
            const FileView* f = view.file(fd.file);
            if (f && is_std(*f)) {
                ++hidden;
                continue;
            }
            ImVec2 mn(origin.x, y), mx(origin.x + fd_w, y + row - e * 0.3f);
            auto it = file_y.find(fd.file);
            const float fy = it != file_y.end() ? it->second : mn.y;
            if (std::max(mx.y, fy) < clip_top || std::min(mn.y, fy) > clip_bottom) {
                y += row;
                continue;
            }
            dl->AddRectFilled(mn, mx, rgba(60, 60, 70), e * 0.2f);
            dl->AddText(ImVec2(mn.x + e * 0.3f, mn.y + e * 0.15f), kText, fmt("fd %d", fd.fd).c_str());
            if (it != file_y.end())
                arrow(dl, ImVec2(mx.x, (mn.y + mx.y) * 0.5f), ImVec2(file_x - 2, it->second), with_alpha(kEdge, 0.8f), e);
            y += row;
        }
        if (hidden) {
            dl->AddText(font, font->FontSize * 0.8f, ImVec2(origin.x, y), kDim, "0-2 std");
            y += e * 1.1f;
        }
        y += e * 0.4f;
    }
    ImGui::Dummy(ImVec2(fd_w + gap + file_w, std::max(y, files_end) - origin.y));
    ImGui::End();
}

}  // namespace epsim::viz
