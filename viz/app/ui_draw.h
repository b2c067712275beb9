// ui_draw.h - small drawing helpers shared by the panel files (ImGui, no GL).
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "viz/app/ui_style.h"
#include "viz/core/model_view.h"
#include "viz/core/names.h"

namespace epsim::viz::draw {

template <class... Args>
std::string fmt(const char* f, Args... args) {
    char buf[256];
    std::snprintf(buf, sizeof buf, f, args...);
    return buf;
}

// The fds (in any process) that point at `file`: "fd 3", "fd 3, 7", with the scenario's name
// first when it has one ("ep, fd 3"). O(all fds): call it once per step, not per frame.
inline std::string fds_of(const ModelView& v, ObjId file, const FdNames* names = nullptr) {
    std::string s, named;
    for (const ProcView& p : v.procs)
        for (const FdView& f : p.fds)
            if (f.file == file) {
                s += (s.empty() ? "fd " : ", ") + std::to_string(f.fd) + (v.procs.size() > 1 ? fmt("@%d", p.pid) : "");
                if (named.empty() && names) named = names->of(f.fd, f.file, p.id);
            }
    return named.empty() || s.empty() ? s : named + ", " + s;
}

inline void text_centered(ImDrawList* dl, ImFont* font, float size, ImVec2 center, ImU32 col, const char* s) {
    ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0.f, s);
    dl->AddText(font, size, ImVec2(center.x - ts.x * 0.5f, center.y - ts.y * 0.5f), col, s);
}
inline void text_centered(ImDrawList* dl, ImFont* font, float size, ImVec2 center, ImU32 col, const std::string& s) {
    text_centered(dl, font, size, center, col, s.c_str());
}
// Centred, and shrunk (to no less than 70%) to fit `max_w` pixels: names can be long ("inner").
inline void text_centered_fit(ImDrawList* dl, ImFont* font, float size, ImVec2 center, ImU32 col, const std::string& s,
                              float max_w) {
    const float w = font->CalcTextSizeA(size, 1e9f, 0.f, s.c_str()).x;
    if (w > max_w && w > 0) size = std::max(size * 0.7f, size * max_w / w);
    text_centered(dl, font, size, center, col, s.c_str());
}

// `s` shortened to fit `max_w` pixels in the current font: the longest prefix (cut between
// UTF-8 characters) with "..." after it; `s` itself if it fits; "" if not even "..." does.
inline std::string fit_text(const std::string& s, float max_w) {
    if (ImGui::CalcTextSize(s.c_str()).x <= max_w) return s;
    std::size_t lo = 0, hi = s.size();  // the longest prefix that fits is in [lo, hi)
    while (lo + 1 < hi) {
        const std::size_t mid = (lo + hi) / 2;
        const std::string t = s.substr(0, mid) + "...";
        (ImGui::CalcTextSize(t.c_str()).x <= max_w ? lo : hi) = mid;
    }
    while (lo > 0 && (static_cast<unsigned char>(s[lo]) & 0xC0) == 0x80) --lo;  // not inside a character
    const std::string t = s.substr(0, lo) + "...";
    return ImGui::CalcTextSize(t.c_str()).x <= max_w ? t : "";
}

// Wrapped text that stays inside the visible width of a panel that also scrolls sideways.
// ImGui's TextWrapped wraps at the window's work rect, which a horizontal scrollbar widens to
// the widest content (a row of hooks), so a note would run off the panel's right edge.
inline void text_wrapped_visible(ImU32 col, const std::string& s) {
    ImGui::PushTextWrapPos(ImGui::GetWindowContentRegionMax().x + ImGui::GetScrollX());
    ImGui::PushStyleColor(ImGuiCol_Text, style::vec(col));
    ImGui::TextUnformatted(s.c_str());
    ImGui::PopStyleColor();
    ImGui::PopTextWrapPos();
}

inline void text_wrapped_visible(const std::string& s) { text_wrapped_visible(ImGui::GetColorU32(ImGuiCol_Text), s); }

// A line from a to b with a head at b, pointing along a->b.
inline void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float e) {
    dl->AddLine(a, b, col, std::max(1.f, e * 0.09f));
    const float h = e * 0.35f;
    float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
    dx /= len, dy /= len;
    dl->AddTriangleFilled(b, ImVec2(b.x - dx * h - dy * h * 0.6f, b.y - dy * h + dx * h * 0.6f),
                          ImVec2(b.x - dx * h + dy * h * 0.6f, b.y - dy * h - dx * h * 0.6f), col);
}

// A panel as a fixed window, or as a bordered child region with its title as a first line.
inline void begin_panel(const std::string& title, const ImVec2& pos, const ImVec2& size, bool child,
                        ImGuiWindowFlags extra = ImGuiWindowFlags_HorizontalScrollbar) {
    const ImGuiWindowFlags flags = style::kPanelFlags | extra;
    if (child) {
        ImGui::BeginChild(title.c_str(), size, true, flags);
        const std::size_t cut = title.find("###");
        ImGui::TextUnformatted(title.substr(0, cut).c_str());
        return;
    }
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    ImGui::Begin(title.c_str(), nullptr, flags);
}

inline void end_panel(bool child) {
    if (child) ImGui::EndChild();
    else ImGui::End();
}

}  // namespace epsim::viz::draw
