// ui_timeline.cpp - the timeline: transport buttons, a scrubber across the whole run with
// markers (syscalls, wake-ups, rotations, ovflist activity, divergences) and the cursor.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "sim/kernel.h"
#include "viz/app/ui.h"
#include "viz/app/ui_style.h"

namespace epsim::viz {

using namespace style;

static ImU32 marker_color(MarkerKind k) {
    switch (k) {
        case MarkerKind::Syscall: return rgba(120, 150, 200);
        case MarkerKind::Wakeup: return rgba(240, 200, 60);
        case MarkerKind::Rotation: return rgba(220, 90, 220);
        case MarkerKind::Ovflist: return rgba(240, 140, 40);
        case MarkerKind::Divergence: return rgba(255, 60, 60);
        default: return kDim;
    }
}

void App::draw_timeline(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin("##timeline", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    const float e = em();
    const Timeline& tl = session.timeline;
    const std::size_t n = tl.size();

    // ---- transport ----
    auto button = [&](const char* label, const char* tip) {
        bool b = ImGui::Button(label);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
        ImGui::SameLine();
        return b;
    };
    if (button("|<", "first event (Home)")) cursor.home();
    if (button("<<", "previous syscall (Shift+Left)")) cursor.step_syscall(-1);
    if (button(" < ", "previous event (Left)")) cursor.step(-1);
    if (button(player.playing ? "Pause" : "Play ", "play / pause (Space)")) {
        if (cursor.at_end() && !player.playing) cursor.home();
        player.toggle();
    }
    if (button(" > ", "next event (Right)")) cursor.step(1);
    if (button(">>", "next syscall (Shift+Right)")) step_syscall_forward();
    if (button(">|", "last event (End)")) cursor.end();
    if (button("[", "previous marker ([)")) cursor.marker(-1);
    if (button("]", "next marker (])")) cursor.marker(1);
    ImGui::SetNextItemWidth(7.f * e);
    char speed[32];
    std::snprintf(speed, sizeof speed, "%g ev/s", player.speed);
    if (ImGui::BeginCombo("speed", speed)) {
        for (double s : Player::speeds()) {
            char b[32];
            std::snprintf(b, sizeof b, "%g events/s", s);
            if (ImGui::Selectable(b, s == player.speed)) player.speed = s;
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (n) {
        const int reached = tl.step_reached(cursor.pos());
        std::string where;
        if (reached >= 0) {
            const scn::Step& st = session.trace.steps[static_cast<std::size_t>(reached)];
            where = "line " + std::to_string(st.line) + ": " + st.call + " " + st.result_text();
        }
        ImGui::Text("event %zu / %zu", cursor.pos() + 1, n);
        ImGui::SameLine();
        ImGui::TextColored(vec(kDim), "%s", where.c_str());
    }

    // ---- scrubber ----
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float bar_w = ImGui::GetContentRegionAvail().x, bar_h = 1.7f * e;
    const ImVec2 p1(p0.x + bar_w, p0.y + bar_h);
    ImGui::InvisibleButton("##scrub", ImVec2(bar_w, bar_h));
    scrub_rect = {p0.x, p0.y, p1.x, p1.y};
    const bool active = ImGui::IsItemActive();
    dl->AddRectFilled(p0, p1, rgba(35, 35, 42), e * 0.2f);
    if (n) {
        auto x_of = [&](std::size_t i) {
            return p0.x + (n > 1 ? static_cast<float>(i) / static_cast<float>(n - 1) : 0.5f) * (bar_w - 2) + 1;
        };
        // Per pixel column (computed when the run or the width changes): step bands and one
        // tick per marker kind, drawn as runs of plain rectangles (no anti-aliased lines: a
        // 100,000-event run would otherwise cost tens of thousands of vertices a frame).
        const int width = std::max(1, static_cast<int>(bar_w - 2));
        if (scrub_cols_.size() != static_cast<std::size_t>(width) || scrub_markers_ != tl.markers().size() ||
            scrub_events_ != n) {
            scrub_cols_ = scrub_columns(tl, width);
            scrub_markers_ = tl.markers().size();
            scrub_events_ = n;
        }
        auto runs = [&](std::uint8_t bit, float top, float bottom, ImU32 col, float widen) {
            for (int c = 0; c < width;) {
                if (!(scrub_cols_[static_cast<std::size_t>(c)] & bit)) {
                    ++c;
                    continue;
                }
                int d = c;
                while (d < width && (scrub_cols_[static_cast<std::size_t>(d)] & bit)) ++d;
                const float x0 = p0.x + 1 + static_cast<float>(c), x1 = p0.x + 1 + static_cast<float>(d);
                dl->AddRectFilled(ImVec2(x0 - widen, top), ImVec2(x1 + widen, bottom), col);
                c = d;
            }
        };
        runs(kOddStepBit, p0.y, p1.y, rgba(50, 50, 62), 0.f);
        for (int k = 0; k < static_cast<int>(MarkerKind::Count_); ++k) {
            const auto kind = static_cast<MarkerKind>(k);
            const float top = kind == MarkerKind::Syscall ? p0.y + bar_h * 0.55f
                              : kind == MarkerKind::Divergence ? p0.y
                                                               : p0.y + bar_h * 0.2f;
            runs(static_cast<std::uint8_t>(marker_bit(kind)), top, p1.y, marker_color(kind),
                 kind == MarkerKind::Divergence ? 1.f : 0.25f);
        }
        const float cx = x_of(cursor.pos());
        dl->AddRectFilled(ImVec2(cx - e * 0.2f, p0.y - 2), ImVec2(cx + e * 0.2f, p1.y + 2), kText, e * 0.1f);
        if (active || (ImGui::IsItemHovered() && ImGui::IsMouseClicked(0))) {
            const float f = std::clamp((ImGui::GetIO().MousePos.x - p0.x) / bar_w, 0.f, 1.f);
            seek(static_cast<std::size_t>(f * static_cast<float>(n - 1) + 0.5f));
        } else if (ImGui::IsItemHovered()) {
            const float f = std::clamp((ImGui::GetIO().MousePos.x - p0.x) / bar_w, 0.f, 1.f);
            const auto i = static_cast<std::size_t>(f * static_cast<float>(n - 1) + 0.5f);
            if (const Kernel* k = session.kernel())
                ImGui::SetTooltip("event %zu: %s", i + 1, k->describe(k->log.events[i]).c_str());
        }
    }
    // ---- legend ----
    for (int k = 0; k < static_cast<int>(MarkerKind::Count_); ++k) {
        const auto kind = static_cast<MarkerKind>(k);
        ImVec2 p = ImGui::GetCursorScreenPos();
        dl->AddRectFilled(ImVec2(p.x, p.y + e * 0.3f), ImVec2(p.x + e * 0.6f, p.y + e * 0.9f), marker_color(kind));
        ImGui::Dummy(ImVec2(e * 0.7f, e));
        ImGui::SameLine();
        ImGui::TextColored(vec(kDim), "%s", marker_kind_name(kind));
        ImGui::SameLine(0, e);
    }
    ImGui::TextColored(vec(kDim), "| shaded bands = scenario steps");
    ImGui::End();
}

}  // namespace epsim::viz
