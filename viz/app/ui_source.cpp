// ui_source.cpp - toolbar, scenario panel, kernel panel, help overlay, scenario picker and the
// real-vs-model window (see ui.h).
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cstdio>

#include "runner/mirror.h"
#include "sim/kernel.h"
#include "viz/app/ui.h"
#include "viz/app/ui_draw.h"
#include "viz/app/ui_style.h"
#include "viz/core/explain.h"
#include "viz/core/pseudo.h"

namespace epsim::viz {

using namespace style;

// ---------------------------------------------------------------------------------------
// [SECTION] toolbar

void App::draw_toolbar(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("##toolbar", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    const float e = em();
    const ImGuiStyle& st = ImGui::GetStyle();
    if (ImGui::Button("Open... (o)")) show_picker = !show_picker;
    ImGui::SameLine();
    draw_course_menu();  // ui_predict.cpp
    ImGui::SameLine();
    ImGui::TextUnformatted("epviz");
    ImGui::SameLine();

    // The right-hand group, measured first, so the middle never runs under it (or off the
    // window): at the window's right edge, or right after the left group if space is short.
    const std::string zoom_text = draw::fmt("zoom %d%%", static_cast<int>(zoom * 100 + 0.5f));
    const auto button_w = [&](const char* s) { return ImGui::CalcTextSize(s).x + 2 * st.FramePadding.x; };
    const float right_w = button_w("Real vs model (m)") + ImGui::CalcTextSize(zoom_text.c_str()).x + button_w(" - ") +
                          button_w(" + ") + button_w("Help (?)") + 4 * st.ItemSpacing.x;
    const float mid_x = ImGui::GetCursorPosX();
    const float right_x = std::max(mid_x + e, size.x - st.WindowPadding.x - right_w);

    // The middle: the title, then the status line. What does not fit is shortened with "..."
    // (the whole text in a tooltip); the title gives way first, down to 40% of the room.
    const float room = right_x - mid_x - e;
    const std::string title = session.title.empty() ? (session.path.empty() ? "no scenario" : session.path) : session.title;
    const float gap = 1.5f * e;
    const float status_w = status.empty() ? 0.f : ImGui::CalcTextSize(status.c_str()).x + gap;
    const float title_room = status.empty() ? room : std::max(room * 0.4f, room - status_w);
    const std::string shown_title = draw::fit_text(title, title_room);
    if (session.title.empty()) ImGui::TextDisabled("%s", shown_title.c_str());
    else ImGui::TextUnformatted(shown_title.c_str());
    text_rects["toolbar:title"] = item_rect();
    if (ImGui::IsItemHovered()) {  // the whole title if shortened, and the file
        std::string tip = shown_title != title ? title : "";
        if (!session.path.empty() && session.path != title) tip += (tip.empty() ? "" : "\n") + session.path;
        if (!tip.empty()) ImGui::SetTooltip("%s", tip.c_str());
    }
    if (!status.empty()) {
        const float used = ImGui::CalcTextSize(shown_title.c_str()).x + gap;
        const std::string shown_status = draw::fit_text(status, room - used);
        if (!shown_status.empty()) {
            ImGui::SameLine(0, gap);
            ImGui::TextDisabled("%s", shown_status.c_str());
            text_rects["toolbar:status"] = item_rect();
            if (shown_status != status && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", status.c_str());
        }
    }

    ImGui::SameLine(right_x);
    const float right_from = ImGui::GetCursorScreenPos().x;
    if (ImGui::Button("Real vs model (m)")) show_mirror = !show_mirror;
    ImGui::SameLine();
    ImGui::TextUnformatted(zoom_text.c_str());
    ImGui::SameLine();
    if (ImGui::Button(" - ")) zoom = std::max(0.6f, zoom / 1.15f), zoom_changed = true;
    ImGui::SameLine();
    if (ImGui::Button(" + ")) zoom = std::min(3.0f, zoom * 1.15f), zoom_changed = true;
    ImGui::SameLine();
    if (ImGui::Button("Help (?)")) show_help = !show_help;
    const std::array<float, 4> help = item_rect();
    text_rects["toolbar:right"] = {right_from, help[1], help[2], help[3]};
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] scenario panel: source with the current line, narration, results so far

void App::draw_source(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("Scenario", nullptr, kPanelFlags);
    const float e = em();
    if (!session.loaded()) {
        if (!session.error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, vec(kBad));
            ImGui::TextWrapped("%s", session.error.c_str());
            ImGui::PopStyleColor();
        } else {
            ImGui::TextWrapped("Open a scenario (o) to begin.");
        }
        ImGui::End();
        return;
    }
    const std::size_t pos_i = cursor.pos();
    const int reached = session.timeline.step_reached(pos_i);
    const int current_line = reached >= 0 ? session.trace.steps[static_cast<std::size_t>(reached)].line : 0;

    // Narration: the `say` in force, in a tinted box.
    std::string narr = session.narration_at(pos_i);
    if (!narr.empty()) {
        const float wrap = ImGui::GetContentRegionAvail().x - e;
        const float h = ImGui::CalcTextSize(narr.c_str(), nullptr, false, wrap).y + e;
        ImGui::PushStyleColor(ImGuiCol_ChildBg, vec(kNarration));
        ImGui::BeginChild("##narration", ImVec2(0, std::min(h, size.y * 0.4f)), false);
        ImGui::SetCursorPos(ImVec2(e * 0.5f, e * 0.5f));
        ImGui::PushTextWrapPos(wrap + e * 0.5f);
        ImGui::TextUnformatted(narr.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }
    if (!session.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, vec(kBad));
        ImGui::TextWrapped("%s", session.error.c_str());
        ImGui::PopStyleColor();
    }

    // Per line: the last step on it that has run (for its result), and whether it is current.
    std::vector<int> last_done(session.lines.size() + 1, -1);
    for (std::size_t s = 0; s < session.trace.steps.size(); ++s) {
        const scn::Step& st = session.trace.steps[s];
        if (st.line <= 0 || static_cast<std::size_t>(st.line) >= last_done.size()) continue;
        // A step has run once the cursor passed its last event (or, without events, once a
        // later step was reached).
        const bool ran = static_cast<int>(s) < reached ||
                         (static_cast<int>(s) == reached && st.end_event > 0 && pos_i + 1 >= st.end_event);
        if (ran) last_done[static_cast<std::size_t>(st.line)] = static_cast<int>(s);
    }

    ImGui::BeginChild("##source", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
    if (mono) ImGui::PushFont(mono);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float line_h = ImGui::GetTextLineHeightWithSpacing();
    for (std::size_t i = 0; i < session.lines.size(); ++i) {
        const int line = static_cast<int>(i) + 1;
        ImVec2 p = ImGui::GetCursorScreenPos();
        const bool is_current = line == current_line;
        if (is_current) {
            dl->AddRectFilled(ImVec2(p.x, p.y), ImVec2(p.x + ImGui::GetWindowWidth() + ImGui::GetScrollX(), p.y + line_h),
                              kCurrentLine);
            if (last_scrolled_line != line) {
                ImGui::SetScrollHereY(0.35f);
                last_scrolled_line = line;
            }
        }
        ImGui::TextColored(vec(kDim), "%3d", line);
        ImGui::SameLine();
        const std::string& text = session.lines[i];
        const bool comment_or_say = text.rfind("say", 0) == 0 || text.rfind("#", 0) == 0 || text.rfind("title", 0) == 0;
        if (comment_or_say) ImGui::TextColored(vec(rgba(150, 180, 210)), "%s", text.c_str());
        else ImGui::TextUnformatted(text.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("click: go to the end of this line's step");
        if (ImGui::IsItemClicked()) {
            // Seek to the end of the first step on this line after the cursor (else the first).
            long target = -1, first = -1;
            for (std::size_t s = 0; s < session.trace.steps.size(); ++s) {
                if (session.trace.steps[s].line != line) continue;
                long ev = session.timeline.step_end_event(static_cast<int>(s));
                if (ev < 0) continue;
                if (first < 0) first = ev;
                if (target < 0 && static_cast<std::size_t>(ev) > pos_i) target = ev;
            }
            if (target < 0) target = first;
            if (target >= 0) seek(static_cast<std::size_t>(target));
        }
        const int done = last_done[static_cast<std::size_t>(line)];
        if (done >= 0) {
            const scn::Step& st = session.trace.steps[static_cast<std::size_t>(done)];
            std::string r = st.result_text();
            if (!r.empty()) {
                ImGui::SameLine();
                const bool bad = st.checked && !st.ok;
                ImGui::TextColored(vec(bad ? kBad : kOk), "%s%s", r.c_str(), bad ? "  (expectation failed)" : "");
            }
        }
    }
    if (mono) ImGui::PopFont();
    ImGui::EndChild();
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] kernel panel: the current event, its kernel function, the path, the explanation

void App::draw_kernel(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("Kernel", nullptr, kPanelFlags);
    const Kernel* k = session.kernel();
    if (!k || k->log.events.empty()) {
        ImGui::TextWrapped("No events.");
        ImGui::End();
        return;
    }
    const std::size_t i = cursor.pos();
    const Event& ev = k->log.events[i];
    ImGui::TextColored(vec(kDim), "event %zu of %zu", i + 1, k->log.events.size());
    ImGui::PushStyleColor(ImGuiCol_Text, vec(kSubject));
    ImGui::TextWrapped("%s", event_title(ev).c_str());
    ImGui::PopStyleColor();
    if (ev.fn != KFn::none) {
        ImGui::TextUnformatted("in");
        ImGui::SameLine();
        ImGui::TextColored(vec(kHighlight), "%s()", kfn_name(ev.fn));
    }
    // The path through the kernel within this syscall, from the log.
    auto path = kfn_path(k->log.events, i);
    if (!path.empty()) {
        std::string p;
        for (std::size_t j = 0; j < path.size(); ++j) p += (j ? " > " : "") + path[j];
        ImGui::PushStyleColor(ImGuiCol_Text, vec(kDim));
        ImGui::TextWrapped("path: %s", p.c_str());
        ImGui::PopStyleColor();
    }
    ImGui::Separator();
    ImGui::PushStyleColor(ImGuiCol_Text, vec(rgba(200, 220, 255)));
    ImGui::TextWrapped("%s", k->describe(ev).c_str());
    ImGui::PopStyleColor();
    ImGui::Spacing();
    ImGui::TextWrapped("%s", explain_event(*k, ev).c_str());
    if (ObjId s = subject()) {
        ImGui::Spacing();
        if (const EpiView* e = find_epi(s)) {
            char buf[96];
            std::snprintf(buf, sizeof buf, "epitem#%u  %s", s, session.names.label(e->fd, e->file).c_str());
            ImGui::TextColored(vec(kDim), "about:");
            ImGui::SameLine();
            epi_chip("kernel", s, buf);
        }
    }
    int line = -1;
    if (const PseudoCode* pc = pseudo_code_for(ev, line)) {
        ImGui::Spacing();
        ImGui::TextColored(vec(kDim), "pseudo-code (ours, annotated):");
        ImFont* mono = ImGui::GetIO().Fonts->Fonts.Size > 1 ? ImGui::GetIO().Fonts->Fonts[1] : nullptr;
        if (mono) ImGui::PushFont(mono);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        for (int j = 0; j < static_cast<int>(pc->lines.size()); ++j) {
            const ImVec2 p = ImGui::GetCursorScreenPos();
            if (j == line)
                dl->AddRectFilled(p, ImVec2(p.x + ImGui::GetContentRegionAvail().x, p.y + ImGui::GetTextLineHeight()),
                                  kCurrentLine);
            ImGui::TextUnformatted(pc->lines[static_cast<std::size_t>(j)]);
            // Bring the current line into view once per event (the student may scroll after).
            if (j == line && kernel_scrolled_ != i) {
                kernel_scrolled_ = i;
                if (!ImGui::IsItemVisible()) ImGui::SetScrollHereY(0.8f);
            }
        }
        if (mono) ImGui::PopFont();
    }
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] help overlay

void App::draw_help() {
    ImGuiIO& io = ImGui::GetIO();
    const float e = em();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(io.DisplaySize.x - 2 * e, 46.f * e), 0));
    ImGui::SetNextWindowBgAlpha(0.96f);
    ImGui::Begin("Help: keys and mouse (? or Esc closes)", &show_help,
                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize);
    if (ImGui::BeginTable("##bindings", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("key", ImGuiTableColumnFlags_WidthFixed, 13.f * e);
        ImGui::TableSetupColumn("does", ImGuiTableColumnFlags_WidthStretch);
        for (const Binding& b : bindings()) {
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::TextColored(vec(kHighlight), "%s", b.keys);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextWrapped("%s", b.what);
        }
        ImGui::EndTable();
    }
    ImGui::Spacing();
    ImGui::TextWrapped("Colours: red/black = rb-tree node colour; yellow outline = the epitem you hover or "
                       "selected; blue outline = the epitem the current event is about. Stepping backward is "
                       "exact: the state at event i is the model replayed up to event i.");
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] scenario picker

void App::draw_picker() {
    const float e = em();
    ImGui::SetNextWindowSize(ImVec2(30.f * e, 30.f * e), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(ImVec2(2.f * e, 3.f * e), ImGuiCond_FirstUseEver);
    ImGui::Begin("Open a scenario", &show_picker);
    static std::string typed;
    ImGui::SetNextItemWidth(-6.f * e);
    bool go = ImGui::InputText("##path", &typed, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    go |= ImGui::Button("Open");
    if (go && !typed.empty()) {
        open(typed);
        show_picker = !session.loaded();
    }
    if (library_.empty()) ImGui::TextDisabled("no scenario library found");
    std::string topic = "\x01";
    bool open_node = false;
    for (const auto& [t, path] : library_) {
        if (t != topic) {
            if (open_node && topic != "\x01") ImGui::TreePop();
            topic = t;
            open_node = ImGui::TreeNodeEx(t.empty() ? "(top)" : t.c_str(), t == "basics" ? ImGuiTreeNodeFlags_DefaultOpen : 0);
        }
        if (!open_node) continue;
        std::string name = path.substr(path.find_last_of('/') + 1);
        if (ImGui::Selectable(name.c_str(), path == session.path)) {
            open(path);
            show_picker = false;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", path.c_str());
    }
    if (open_node && topic != "\x01") ImGui::TreePop();
    ImGui::End();
}

// ---------------------------------------------------------------------------------------
// [SECTION] real vs model

void App::draw_mirror() {
    const float e = em();
    ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowSize(ImVec2(std::min(io.DisplaySize.x - 2 * e, 60.f * e), 26.f * e), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y * 0.5f), ImGuiCond_FirstUseEver,
                            ImVec2(0.5f, 0.5f));
    ImGui::Begin("Real vs model", &show_mirror);
    if (ImGui::Button("Run on this machine's kernel")) {
        if (!session.run_mirror()) status = "mirror: " + session.mirror_error;
    }
    ImGui::SameLine();
    ImGui::TextWrapped("The same scenario runs with real syscalls in this process; each step's result is "
                       "compared with the model's.");
    const scn::Mirror* m = session.mirror();
    if (!session.mirror_error.empty()) ImGui::TextColored(vec(kBad), "%s", session.mirror_error.c_str());
    if (!m) {
        ImGui::End();
        return;
    }
    ImGui::Text("%d steps compared, %d divergence(s)", m->compared(), m->divergences());
    if (ImGui::BeginTable("##mirror", 5,
                          ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_BordersInnerV |
                              ImGuiTableFlags_Resizable)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("line", ImGuiTableColumnFlags_WidthFixed, 3.f * e);
        ImGui::TableSetupColumn("call");
        ImGui::TableSetupColumn("model");
        ImGui::TableSetupColumn("real kernel");
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 8.f * e);
        ImGui::TableHeadersRow();
        for (std::size_t r = 0; r < m->rows.size(); ++r) {
            const scn::MirrorRow& row = m->rows[r];
            const scn::Step* s = row.model ? row.model : row.host;
            if (!s || s->kind == scn::StepKind::Say) continue;
            ImGui::TableNextRow();
            ImGui::PushID(static_cast<int>(r));
            ImGui::TableSetColumnIndex(0);
            ImGui::Text("%d", s->line);
            ImGui::TableSetColumnIndex(1);
            if (ImGui::Selectable(s->call.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
                for (std::size_t j = 0; j < session.trace.steps.size(); ++j)
                    if (session.trace.steps[j].key == s->key) {
                        long ev = session.timeline.step_end_event(static_cast<int>(j));
                        if (ev >= 0) seek(static_cast<std::size_t>(ev));
                    }
            }
            ImGui::TableSetColumnIndex(2);
            ImGui::TextUnformatted(row.model ? row.model->result_text().c_str() : "-");
            ImGui::TableSetColumnIndex(3);
            ImGui::TextUnformatted(row.host ? row.host->result_text().c_str() : "-");
            ImGui::TableSetColumnIndex(4);
            if (row.diverged) ImGui::TextColored(vec(kBad), "DIFFERS: %s", row.why.c_str());
            else if (row.compared) ImGui::TextColored(vec(kOk), "same");
            else ImGui::TextDisabled(row.model ? "model only" : "host only");
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace epsim::viz
