// ui.h - epviz's panels: Dear ImGui code that reads the model's state every frame and owns
// none of it (the Session owns the run; StateCache the replayed kernel at the cursor).
//
// [SECTION] index (one file per group of views, as Tracy keeps one file per view):
//   ui_app.cpp       App: input (every key binding), cursor moves, animation, window layout
//   ui_source.cpp    scenario panel (source, current line, narration, picker), kernel panel,
//                    toolbar, help overlay, real-vs-model window
//   ui_structs.cpp   interest tree, ready lists, wait queues, files and fd tables (ImDrawList)
//   ui_timeline.cpp  the scrubber with markers and the transport buttons
//
// Everything is sized in font units (em = ImGui::GetFontSize()), so the presentation zoom
// (a larger font) scales the whole window.
//
// No GL here: the App runs with any ImGui context (the tests run it with no renderer).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "viz/core/beats.h"
#include "viz/core/layout.h"
#include "viz/core/model_view.h"
#include "viz/core/predict.h"
#include "viz/core/rb_drill.h"
#include "viz/core/session.h"
#include "viz/core/timeline.h"
#include "viz/core/tree_view.h"

struct ImVec2;

namespace epsim::viz {

struct UiOptions {
    std::string scenario_dir;  // for the picker; empty = none
    bool animate = true;       // off in screenshot runs: show the step's final state at once
    float tree_zoom = 1.f;     // trees start this much zoomed in from "fit", about their centre
};

// One key binding, for the help overlay and docs/gui.md.
struct Binding {
    const char* keys;
    const char* what;
};
const std::vector<Binding>& bindings();

class App {
public:
    explicit App(UiOptions opt = {});

    bool open(const std::string& path);  // load a scenario, cursor at its first event
    void open_big_tree(std::size_t n);   // a generated model (Session::load_big_tree)
    void reload();                       // same file again, same cursor (clamped)
    void seek(std::size_t index);        // moves the cursor and starts the animation
    // One syscall forward (Shift+Right, >>), played beat by beat if the tree changes on the
    // way: the cursor stops at each rb.link / rb.insert.* / rb.erase.* event for one
    // animation, then lands on the syscall's end (beats.h).
    void step_syscall_forward();
    // Draws every panel and handles input; call between ImGui::NewFrame() and ImGui::Render().
    void frame(float dt);

    // ---- state the panels read (public for tests) ----
    UiOptions opt;
    Session session;
    Cursor cursor;
    Player player;
    StateCache cache;
    ModelView view;       // at the cursor
    ModelView prev_view;  // before the last move (fading items are drawn from it)
    std::size_t shown_index = SIZE_MAX;  // the index `view` was built for

    float zoom = 1.0f;        // presentation zoom (font scale); main() rebuilds the font
    bool zoom_changed = false;
    bool show_help = false;
    bool show_mirror = false;
    bool show_picker = false;
    ObjId selected = 0;       // clicked epitem (0 = none)
    ObjId hovered = 0;        // epitem under the mouse during the previous frame
    float anim = 1.0f;        // 0..1 progress of the move animation
    BeatPlayer beats;         // the stops of a syscall step still to play
    std::size_t beat_stop = SIZE_MAX;  // where the beat player put the cursor last
    std::string status;       // one line under the toolbar (errors, "reloaded")

    // Filled while drawing: which panels drew which epitem highlighted this frame. The tests
    // check that one selection lights up in every panel.
    std::set<std::pair<std::string, ObjId>> highlights;
    // Where things were drawn this frame (screen pixels: x0, y0, x1, y1), for mouse tests.
    std::map<ObjId, std::array<float, 4>> node_rects;  // tree nodes by epitem id
    std::array<float, 4> scrub_rect{};                 // the timeline scrubber
    // Texts that must never be clipped, where they were drawn (the tests check they stay in
    // their panel at 1280x800): "toolbar:title", "toolbar:status", "toolbar:right" (the
    // right-hand buttons), "waitqueues:note", "waitqueues:walk", "tree:caption" (a beat's).
    std::map<std::string, std::array<float, 4>> text_rects;
    static std::array<float, 4> item_rect();  // the last ImGui item's rect

    bool is_highlighted(ObjId epi) const { return epi && (epi == selected || epi == hovered); }
    ObjId subject() const;    // the epitem the current event is about (0 if none)
    const EpiView* find_epi(ObjId id) const;  // in view, else in prev_view (fading out)
    // The scenario's name of the fd an epitem watches ("a.r"; "" if unnamed), and a short
    // label: the name, else "fd N" (names.h).
    std::string epi_name(const EpiView& ev) const { return session.names.of(ev.fd, ev.file); }
    std::string epi_short(const EpiView& ev) const;
    float em() const;

    // ---- used by the panel files ----
    void hover_epi(ObjId id) { hovered_next_ = id; }
    void click_epi(ObjId id) { selected = selected == id ? 0 : id; }
    void mark(const char* panel, ObjId epi) { highlights.emplace(panel, epi); }
    float anim_t() const;     // eased progress

    // Layouts being animated, per eventpoll id, with what a frame needs precomputed once per
    // step (a frame costs O(what is on screen), whatever the tree's size).
    struct EpAnim {
        Layout tree_from, tree_to, lists_from, lists_to;
        TreeIndex ix_from, ix_to;  // x order, parents, per-depth counts (tree_view.h)
        std::string fds;           // "fd 3": the fds naming this instance
        std::vector<std::vector<std::uint64_t>> rows;  // list_rows(): the lists' keys in order
    };
    std::map<ObjId, EpAnim> anims;

    // The tree panel's pan and zoom, per eventpoll. `user` = moved by the mouse; until then
    // (and after `f`) the view fits the whole tree.
    struct TreeCam {
        PanZoom pz;
        bool user = false;
        TreeLod lod = TreeLod::Labels;  // the level of detail of the last frame
        bool zoomed_at_start = false;   // UiOptions::tree_zoom applied
    };
    std::map<ObjId, TreeCam> tree_cams;

    // What the files and wait-queue panels list at this step, computed once per step, so a
    // frame touches only the rows on screen (a 10,000-file run has 10,000 rows).
    struct PanelRows {
        std::vector<std::uint32_t> files;        // view.files indices shown (not fds 0-2's files)
        std::vector<std::int32_t> row_of_file;   // by file id: its row in `files`, -1 if none
        struct Proc {
            std::vector<std::uint32_t> fds;      // p.fds indices shown
            int hidden = 0;                      // std streams folded
        };
        std::vector<Proc> procs;                 // parallel to view.procs
        std::vector<std::pair<std::uint32_t, std::uint32_t>> queues;  // (file, queue) indices with hooks
        std::vector<char> queue_listed;          // by wait queue id: 1 if in `queues`
    };
    PanelRows panel_rows;
    ObjId tree_drag = 0;  // the eventpoll whose tree is being dragged (0 = none)

    void handle_input();
    void draw_toolbar(const ImVec2& pos, const ImVec2& size);
    void draw_source(const ImVec2& pos, const ImVec2& size);
    void draw_kernel(const ImVec2& pos, const ImVec2& size);
    // child: drawn as a child region of the current window (many instances scroll together).
    void draw_tree(const EpView& ep, const ImVec2& pos, const ImVec2& size, bool child = false);
    void draw_lists(const EpView& ep, const ImVec2& pos, const ImVec2& size, bool child = false);
    void draw_waitqueues(const ImVec2& pos, const ImVec2& size);
    void draw_files(const ImVec2& pos, const ImVec2& size);
    void draw_timeline(const ImVec2& pos, const ImVec2& size);
    void draw_help();
    void draw_mirror();
    void draw_picker();
    void epi_chip(const char* panel, ObjId epi, const char* label);

    // ---- coursework: predict mode (ui_predict.cpp) and the rb-tree drill (ui_drill.cpp) ----
    PredictMode predict;
    DrillSession drill;
    bool show_drill = false;
    // Where course widgets were drawn this frame (screen pixels), by name, for mouse tests:
    // "reveal", "continue", "cell:ROW:BIT", "form:values|errno", "up:I", "drill:node:ID", ...
    std::map<std::string, std::array<float, 4>> course_rects;
    std::size_t gated_pos = 0;               // the cursor as the gate last let it be
    void set_predict(bool on);               // the menu toggle and --predict
    std::size_t course_gate(std::size_t from);  // applies the predict gate to the cursor
    void draw_course_menu();                 // the toolbar's Course menu
    void draw_predict(const ImVec2& pos, const ImVec2& size);
    void draw_drill();
    void course_rect(const std::string& name);  // records the last item's rect

private:
    void rebuild_view();
    void index_panels();
    ObjId hovered_next_ = 0;
    float reload_check_ = 0;
    std::size_t kernel_scrolled_ = SIZE_MAX;
    int revealed_shown_ = -1;  // the question whose reveal the Predict panel scrolled to
    std::vector<std::pair<std::string, std::string>> library_;
    std::vector<std::uint8_t> scrub_cols_;  // scrub_columns() for the current bar width
    std::size_t scrub_markers_ = 0, scrub_events_ = 0;

public:
    int last_scrolled_line = -1;
};

// Short forms for boxes: "IN ET" for EPOLLIN|EPOLLET (EPOLLERR|EPOLLHUP are always there
// and not shown), "disarmed" for a one-shot item that fired.
std::string short_mask(std::uint32_t events);

}  // namespace epsim::viz
