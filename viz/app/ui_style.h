// ui_style.h - colours and small drawing helpers shared by the panels.
#pragma once
#include <imgui.h>

namespace epsim::viz::style {

inline constexpr ImU32 rgba(int r, int g, int b, int a = 255) {
    return static_cast<ImU32>(r) | (static_cast<ImU32>(g) << 8) | (static_cast<ImU32>(b) << 16) |
           (static_cast<ImU32>(a) << 24);
}
inline ImU32 with_alpha(ImU32 c, float a) {
    const unsigned base = (c >> 24) & 0xff;
    const auto na = static_cast<unsigned>(static_cast<float>(base) * (a < 0 ? 0 : a > 1 ? 1 : a));
    return (c & 0x00ffffffu) | (na << 24);
}
inline ImU32 mix(ImU32 a, ImU32 b, float t) {
    auto ch = [&](int s) {
        const float x = static_cast<float>((a >> s) & 0xff), y = static_cast<float>((b >> s) & 0xff);
        return static_cast<ImU32>(x + (y - x) * t + 0.5f) << s;
    };
    return ch(0) | ch(8) | ch(16) | ch(24);
}

inline constexpr ImU32 kRedNode = rgba(196, 48, 48);
inline constexpr ImU32 kBlackNode = rgba(28, 28, 32);
inline constexpr ImU32 kNodeBorder = rgba(150, 150, 160);
inline constexpr ImU32 kEdge = rgba(140, 140, 150);
inline constexpr ImU32 kText = rgba(235, 235, 235);
inline constexpr ImU32 kDim = rgba(140, 140, 150);
inline constexpr ImU32 kHighlight = rgba(255, 214, 64);    // hovered / selected epitem
inline constexpr ImU32 kSubject = rgba(64, 200, 255);      // the epitem the current event is about
inline constexpr ImU32 kName = rgba(150, 205, 255);        // a scenario name next to an fd ("p.r")
inline constexpr ImU32 kItem = rgba(52, 84, 130);          // a list item box
inline constexpr ImU32 kOvfItem = rgba(150, 90, 30);       // an ovflist item box
inline constexpr ImU32 kTask = rgba(60, 120, 70);
inline constexpr ImU32 kFile = rgba(70, 70, 90);
inline constexpr ImU32 kCurrentLine = rgba(90, 80, 20);
inline constexpr ImU32 kNarration = rgba(40, 55, 75);
inline constexpr ImU32 kOk = rgba(120, 200, 120);
inline constexpr ImU32 kBad = rgba(240, 90, 90);

inline ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

inline constexpr ImGuiWindowFlags kPanelFlags =
    ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings;

}  // namespace epsim::viz::style
