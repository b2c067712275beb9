// Panel logic with an ImGui context and no GL: simulated keys and mouse drive the App (the
// 1.86 input API: io.KeysDown[], io.MouseDown[], io.MousePos, characters), stepping backward
// restores the earlier state, and one selection lights up the same epitem in every panel.
#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <array>
#include <filesystem>
#include <string>

#include "sim/kernel.h"
#include "viz/app/ui.h"
#include "viz/tests/gui_harness.h"

using namespace epsim;
using namespace epsim::viz;
using epsim::viz::test::Gui;

namespace {

std::string scenario(const char* rel) { return std::string(EPSIM_SOURCE_DIR) + "/scenarios/" + rel; }

#define MAKE_APP(app, rel) \
    App app(UiOptions{});   \
    REQUIRE(app.open(scenario(rel)))

}  // namespace

TEST_CASE("epviz panels: arrow keys step one event and Shift steps one syscall", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/lt-2kb.scn");
    g.frame(app);
    REQUIRE(app.cursor.pos() == 0);
    g.press(app, ImGuiKey_RightArrow);
    REQUIRE(app.cursor.pos() == 1);
    g.press(app, ImGuiKey_RightArrow);
    REQUIRE(app.cursor.pos() == 2);
    g.press(app, ImGuiKey_LeftArrow);
    REQUIRE(app.cursor.pos() == 1);
    g.press(app, ImGuiKey_RightArrow, true);
    const std::size_t b = app.cursor.pos();
    REQUIRE(b == app.session.timeline.next_boundary(1));
    const auto& events = app.session.kernel()->log.events;
    REQUIRE((events[b].type == EventType::SyscallExit || events[b].type == EventType::SyscallBlock ||
             app.session.timeline.step_at(b) != app.session.timeline.step_at(b + 1)));
    g.press(app, ImGuiKey_End);
    REQUIRE(app.cursor.pos() == events.size() - 1);
    g.press(app, ImGuiKey_Home);
    REQUIRE(app.cursor.pos() == 0);
    // ] jumps to the next marker: the next syscall.enter, wake-up, rotation or ovflist event.
    g.type(app, ']');
    REQUIRE(app.cursor.pos() == app.session.timeline.next_marker(0));
    g.type(app, '[');
    REQUIRE(app.cursor.pos() == app.session.timeline.prev_marker(app.session.timeline.next_marker(0)));
    // The view always shows the cursor's state.
    REQUIRE(app.shown_index == app.cursor.pos());
}

TEST_CASE("epviz panels: Space plays and stops at the end", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/et-2kb.scn");
    g.frame(app);
    app.player.speed = 32;
    g.press(app, ImGuiKey_Space);
    REQUIRE(app.player.playing);
    g.frame(app, 0.5f);  // 16 events
    REQUIRE(app.cursor.pos() >= 15);
    for (int i = 0; i < 200 && app.player.playing; ++i) g.frame(app, 0.5f);
    REQUIRE_FALSE(app.player.playing);
    REQUIRE(app.cursor.at_end());
    g.type(app, '.');
    REQUIRE(app.player.speed == 64);
    g.type(app, ',');
    g.type(app, ',');
    REQUIRE(app.player.speed == 16);
}

TEST_CASE("epviz panels: seeking backward restores the earlier state", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/lt-2kb.scn");
    const auto& events = app.session.kernel()->log.events;
    std::size_t queued = 0;
    while (events[queued].type != EventType::RdlAddTail) ++queued;
    app.seek(queued);
    g.frame(app);
    REQUIRE(app.view.eps.size() == 1);
    const std::vector<ObjId> rdl = app.view.eps[0].rdllist;
    const std::size_t nodes = app.view.eps[0].tree.nodes.size();
    REQUIRE(rdl.size() == 1);
    g.press(app, ImGuiKey_End);
    g.press(app, ImGuiKey_LeftArrow);
    // Back to `queued` by keys only.
    while (app.cursor.pos() > queued) g.press(app, ImGuiKey_LeftArrow, app.cursor.pos() > queued + 40);
    REQUIRE(app.cursor.pos() <= queued);
    app.seek(queued);
    g.frame(app);
    REQUIRE(app.view.eps[0].rdllist == rdl);
    REQUIRE(app.view.eps[0].tree.nodes.size() == nodes);
    // One event earlier the list was empty: exact, not approximate.
    g.press(app, ImGuiKey_LeftArrow);
    REQUIRE(app.view.eps[0].rdllist.empty());
}

TEST_CASE("epviz panels: a selection lights up the same epitem in every panel", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/lt-2kb.scn");
    const auto& events = app.session.kernel()->log.events;
    std::size_t queued = 0;
    while (events[queued].type != EventType::RdlAddTail) ++queued;
    app.seek(queued);
    g.frame(app);
    const ObjId epi = app.view.eps[0].rdllist.front();
    app.selected = epi;
    g.frame(app);
    for (const char* panel : {"tree", "lists", "waitqueues", "files"}) {
        INFO(panel);
        REQUIRE(app.highlights.count({panel, epi}) == 1);
    }
    // The kernel panel names the event's epitem (rdllist.add_tail is about it).
    REQUIRE(app.subject() == epi);
    REQUIRE(app.highlights.count({"kernel", epi}) == 1);
    // Esc clears the selection: nothing is lit any more.
    g.press(app, ImGuiKey_Escape);
    REQUIRE(app.selected == 0);
    g.frame(app);
    REQUIRE(app.highlights.empty());
}

TEST_CASE("epviz panels: hovering and clicking a tree node selects it", "[gui]") {
    Gui g;
    MAKE_APP(app, "ordering/ovflist-window.scn");
    app.seek(app.session.timeline.size() - 1);
    for (int i = 0; i < 30; ++i) g.frame(app);  // let the animation finish
    REQUIRE(app.node_rects.size() == 5);
    const auto [id, r] = *app.node_rects.begin();
    g.click(app, (r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
    REQUIRE(app.selected == id);
    REQUIRE(app.hovered == id);
    g.frame(app);
    REQUIRE(app.highlights.count({"tree", id}) == 1);
    REQUIRE(app.highlights.count({"files", id}) == 1);
    REQUIRE(app.highlights.count({"waitqueues", id}) == 1);
}

TEST_CASE("epviz panels: clicking the timeline seeks", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/lt-2kb.scn");
    g.frame(app);
    const auto r = app.scrub_rect;
    REQUIRE(r[2] > r[0]);
    g.click(app, r[0] + (r[2] - r[0]) * 0.5f, (r[1] + r[3]) / 2);
    const std::size_t n = app.session.timeline.size();
    REQUIRE(app.cursor.pos() > n / 2 - 3);
    REQUIRE(app.cursor.pos() < n / 2 + 3);
    REQUIRE(app.shown_index == app.cursor.pos());
}

TEST_CASE("epviz panels: help zoom and the picker keys", "[gui]") {
    Gui g;
    MAKE_APP(app, "basics/lt-2kb.scn");
    g.frame(app);
    g.type(app, '?');
    REQUIRE(app.show_help);
    g.press(app, ImGuiKey_Escape);
    REQUIRE_FALSE(app.show_help);
    const float z = app.zoom;
    g.type(app, '+');
    REQUIRE(app.zoom > z);
    REQUIRE(app.zoom_changed);
    g.type(app, '0');
    REQUIRE(app.zoom == 1.0f);
    g.type(app, 'o');
    REQUIRE(app.show_picker);
    // Every binding has keys and words (the help overlay and docs/gui.md list them).
    for (const Binding& b : bindings()) {
        REQUIRE(std::string(b.keys).size() > 0);
        REQUIRE(std::string(b.what).size() > 0);
    }
}

TEST_CASE("epviz panels: every scenario of the library draws at its first and last event", "[gui]") {
    Gui g;
    const auto all = list_scenarios(std::string(EPSIM_SOURCE_DIR) + "/scenarios");
    REQUIRE(all.size() > 20);
    for (const auto& [topic, path] : all) {
        if (topic == "scale") continue;  // a million eventfds: the level-of-detail tests cover big trees
        INFO(path);
        UiOptions opt;
        opt.animate = false;
        App app(opt);
        app.open(path);
        g.frame(app);
        app.seek(SIZE_MAX);
        g.frame(app);
        REQUIRE(app.shown_index == app.cursor.pos());
    }
}

TEST_CASE("epviz panels: Shift+Right over an insert plays each tree step, then lands on the exit", "[gui]") {
    Gui g;
    MAKE_APP(app, "ordering/ovflist-window.scn");
    const auto& events = app.session.kernel()->log.events;
    // The first epoll_ctl whose insert rotates: start just before its syscall.enter.
    std::size_t enter = 0, exit = 0;
    std::vector<Beat> want;
    for (std::size_t i = 0; i < events.size() && want.size() < 2; ++i) {
        if (events[i].type != EventType::SyscallEnter) continue;
        enter = i;
        exit = app.session.timeline.next_boundary(i);
        want = tree_beats(events, i, exit);
    }
    REQUIRE(want.size() >= 2);
    app.seek(enter);
    g.frame(app);
    g.press(app, ImGuiKey_RightArrow, true);
    std::vector<std::size_t> visited{app.cursor.pos()};
    for (int i = 0; i < 60 * 10 && app.cursor.pos() != exit; ++i) {
        g.frame(app);
        if (app.cursor.pos() != visited.back()) visited.push_back(app.cursor.pos());
    }
    std::vector<std::size_t> expected;
    for (const Beat& b : want) expected.push_back(b.index);
    if (expected.back() != exit) expected.push_back(exit);
    REQUIRE(visited == expected);
    // A key during the beats stops them where they are.
    app.seek(enter);
    g.frame(app);
    g.press(app, ImGuiKey_RightArrow, true);
    REQUIRE(app.cursor.pos() == want[0].index);
    g.press(app, ImGuiKey_LeftArrow);
    REQUIRE(app.cursor.pos() == want[0].index - 1);
    for (int i = 0; i < 60; ++i) g.frame(app);
    REQUIRE(app.cursor.pos() == want[0].index - 1);
}

TEST_CASE("epviz panels: the wheel zooms the tree about the mouse, a drag pans it, f fits", "[gui]") {
    Gui g;
    MAKE_APP(app, "ordering/ovflist-window.scn");
    app.seek(app.session.timeline.size() - 1);
    for (int i = 0; i < 30; ++i) g.frame(app);
    REQUIRE(app.node_rects.size() == 5);
    const ObjId ep = app.view.eps[0].id;
    const auto [id, r] = *app.node_rects.begin();
    const float mx = (r[0] + r[2]) / 2, my = (r[1] + r[3]) / 2;
    const double sx0 = app.tree_cams[ep].pz.sx;
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(mx, my);
    g.frame(app);
    io.MouseWheel = 2.f;  // two notches in
    g.frame(app);
    io.MouseWheel = 0.f;
    g.frame(app);
    REQUIRE(app.tree_cams[ep].user);
    REQUIRE(app.tree_cams[ep].pz.sx == Approx(sx0 * 1.5625));
    // The node under the mouse is still under it.
    const auto r2 = app.node_rects.at(id);
    REQUIRE(r2[0] < mx);
    REQUIRE(mx < r2[2]);
    REQUIRE(r2[1] < my);
    REQUIRE(my < r2[3]);
    REQUIRE(r2[2] - r2[0] == Approx((r[2] - r[0]) * 1.5625f).epsilon(0.01));
    // A drag on empty space moves the picture with the mouse.
    const float ex = mx, ey = r2[3] + 4.f;  // just under the node: the tree area, no node
    io.MousePos = ImVec2(ex, ey);
    g.frame(app);
    io.MouseDown[0] = true;
    g.frame(app);
    io.MousePos = ImVec2(ex + 40.f, ey + 10.f);
    g.frame(app);
    g.frame(app);
    io.MouseDown[0] = false;
    g.frame(app);
    const auto r3 = app.node_rects.at(id);
    REQUIRE(r3[0] == Approx(r2[0] + 40.f).margin(0.5));
    REQUIRE(r3[1] == Approx(r2[1] + 10.f).margin(0.5));
    REQUIRE(app.selected == 0);  // a drag is not a click
    g.type(app, 'f');
    g.frame(app);
    REQUIRE_FALSE(app.tree_cams[ep].user);
    REQUIRE(app.tree_cams[ep].pz.sx == Approx(sx0));
}

namespace {

// epviz's own font (DejaVu Sans 15 px, as main.cpp loads it) when installed, so texts are
// measured as on screen; ImGui's built-in font otherwise.
void use_app_font() {
    ImGuiIO& io = ImGui::GetIO();
    const char* dejavu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (!std::filesystem::exists(dejavu)) return;
    io.Fonts->Clear();
    REQUIRE(io.Fonts->AddFontFromFileTTF(dejavu, 15.f));
    unsigned char* px = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
}

// The visible inside of a panel window (its clip rect: no title bar, scrollbars or padding).
std::array<float, 4> inside(const char* window) {
    const ImGuiWindow* w = ImGui::FindWindowByName(window);
    REQUIRE(w);
    return {w->InnerClipRect.Min.x, w->InnerClipRect.Min.y, w->InnerClipRect.Max.x, w->InnerClipRect.Max.y};
}

void require_within(const App& app, const std::string& text, const std::array<float, 4>& box) {
    INFO(text);
    REQUIRE(app.text_rects.count(text) == 1);
    const auto r = app.text_rects.at(text);
    REQUIRE(r[0] >= box[0] - 0.5f);
    REQUIRE(r[2] <= box[2] + 0.5f);
}

}  // namespace

TEST_CASE("epviz panels: the toolbar, wait-queue notes and beat captions are never clipped", "[gui]") {
    Gui g;
    use_app_font();
    // 1280x800, the default; 1024x640, where the wait-queue panel's hook rows are wider than
    // the panel, so it scrolls sideways (and ImGui's TextWrapped would wrap past its edge).
    const ImVec2 size = GENERATE(ImVec2(1280, 800), ImVec2(1024, 640));
    ImGui::GetIO().DisplaySize = size;
    INFO("window " << size.x << "x" << size.y);
    MAKE_APP(app, "threads/exclusive-herd.scn");
    // A wake-up walk: the walk note ("walked by __wake_up_common, key none (all called)") and
    // the hook rows are both on screen.
    app.seek(54);
    app.set_predict(true);  // its status line is the longest the toolbar shows
    for (int i = 0; i < 3; ++i) g.frame(app);
    const auto wq = inside("Wait queues (walked head first = wake order)");
    require_within(app, "waitqueues:note", wq);
    require_within(app, "waitqueues:walk", wq);
    // The toolbar: title, then the status, then the right-hand buttons, none overlapping.
    const auto right = app.text_rects.at("toolbar:right");
    REQUIRE(right[2] <= size.x);
    require_within(app, "toolbar:title", {0, 0, app.text_rects.at("toolbar:status")[0], 0});
    require_within(app, "toolbar:status", {0, 0, right[0], 0});
    if (size.x >= 1280) {  // there is room for the whole status at 1280
        const ImVec2 full = ImGui::CalcTextSize(app.status.c_str());
        REQUIRE(app.text_rects.at("toolbar:status")[2] - app.text_rects.at("toolbar:status")[0] >= full.x - 0.5f);
    }
    // A status too long for the room is shortened, not run under the buttons.
    app.status = "could not load " + std::string(200, 'x') + ".scn";
    g.frame(app);
    require_within(app, "toolbar:status", {0, 0, app.text_rects.at("toolbar:right")[0], 0});

    // A beat caption wraps inside the tree panel.
    MAKE_APP(tree, "ordering/ovflist-window.scn");
    const auto& events = tree.session.kernel()->log.events;
    std::size_t rotation = 0;
    for (std::size_t i = 0; i < events.size() && !rotation; ++i)
        if (events[i].type == EventType::RbInsertCase2Left) rotation = i;
    REQUIRE(rotation);
    tree.seek(rotation);
    for (int i = 0; i < 3; ++i) g.frame(tree);
    const ImGuiWindow* tw = nullptr;
    for (const ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
        if (w->Active && std::string(w->Name).rfind("Interest tree of ep#", 0) == 0) tw = w;
    REQUIRE(tw);
    require_within(tree, "tree:caption", {tw->InnerClipRect.Min.x, 0, tw->InnerClipRect.Max.x, 0});
}
