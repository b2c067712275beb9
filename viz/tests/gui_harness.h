// gui_harness.h - drives epviz's App with simulated input in an ImGui context with no GL
// (the 1.86 input API: io.KeysDown[], io.MouseDown[], io.MousePos, characters). Shared by the
// panel tests (gui_panels.cpp) and the predict/drill tests (gui_predict.cpp).
#pragma once
#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <array>
#include <string>

#include "viz/app/ui.h"

namespace epsim::viz::test {

// An ImGui context with a built font atlas and a key map, but no renderer. One at a time.
struct Gui {
    Gui() {
        ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 800);
        io.DeltaTime = 1.f / 60.f;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the OpenGL3 renderer
        unsigned char* px = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
        const ImGuiKey keys[] = {ImGuiKey_LeftArrow, ImGuiKey_RightArrow, ImGuiKey_Home, ImGuiKey_End,
                                 ImGuiKey_Space,     ImGuiKey_Escape,     ImGuiKey_Enter};
        for (int i = 0; i < static_cast<int>(sizeof keys / sizeof keys[0]); ++i) io.KeyMap[keys[i]] = 100 + i;
    }
    ~Gui() { ImGui::DestroyContext(); }
    Gui(const Gui&) = delete;
    Gui& operator=(const Gui&) = delete;

    void frame(App& app, float dt = 1.f / 60.f) {
        ImGui::GetIO().DeltaTime = dt;
        ImGui::NewFrame();
        app.frame(dt);
        ImGui::Render();
    }
    // One key press: down for one frame, up for the next.
    void press(App& app, ImGuiKey key, bool shift = false) {
        ImGuiIO& io = ImGui::GetIO();
        io.KeyShift = shift;
        io.KeysDown[io.KeyMap[key]] = true;
        frame(app);
        io.KeysDown[io.KeyMap[key]] = false;
        io.KeyShift = false;
        frame(app);
    }
    void type(App& app, char c) {
        ImGui::GetIO().AddInputCharacter(static_cast<unsigned>(c));
        frame(app);
    }
    // Hover, press, release: three frames.
    void click(App& app, float x, float y) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = ImVec2(x, y);
        frame(app);  // hover first
        io.MouseDown[0] = true;
        frame(app);
        io.MouseDown[0] = false;
        frame(app);
    }
    // Clicks the middle of a course widget drawn in the last frame (App::course_rects).
    void click(App& app, const std::string& widget) {
        INFO("widget " << widget);
        REQUIRE(app.course_rects.count(widget) == 1);
        const auto r = app.course_rects.at(widget);
        click(app, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
    }
};

// The window drawn under `name` (its ImGui name, "###id" included) in the last frame:
// x0, y0, x1, y1 in pixels.
inline std::array<float, 4> window_rect(const char* name) {
    const ImGuiWindow* w = ImGui::FindWindowByName(name);
    REQUIRE(w);
    REQUIRE(w->Active);
    return {w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y};
}

inline bool overlap(const std::array<float, 4>& a, const std::array<float, 4>& b) {
    return a[0] < b[2] - 0.5f && b[0] < a[2] - 0.5f && a[1] < b[3] - 0.5f && b[1] < a[3] - 0.5f;
}

}  // namespace epsim::viz::test
