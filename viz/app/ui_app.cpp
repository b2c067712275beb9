// ui_app.cpp - App: key bindings, cursor moves, animation and the window layout (see ui.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/app/ui.h"
#include "viz/app/ui_draw.h"
#include "viz/core/explain.h"

namespace epsim::viz {

static ImGuiWindowFlags style_panel_flags() {
    return ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
           ImGuiWindowFlags_NoSavedSettings;
}

// ---------------------------------------------------------------------------------------
// [SECTION] bindings: the single list the help overlay and docs/gui.md show

const std::vector<Binding>& bindings() {
    static const std::vector<Binding> b{
        {"Space", "play / pause"},
        {"Right / Left", "one event forward / back"},
        {"Shift+Right / Shift+Left", "one syscall forward / back (to the next exit or scenario step); forward plays the tree's insert/erase steps one by one"},
        {"Home / End", "first / last event"},
        {"] / [", "next / previous marker (syscall, wake-up, rotation, ovflist, divergence)"},
        {". / ,", "play faster / slower"},
        {"+ / -", "presentation zoom in / out (0 resets)"},
        {"wheel over a tree", "zoom the tree in / out about the mouse (huge trees: density bands, then boxes, then labels)"},
        {"drag a tree", "pan it (Shift+wheel pans sideways)"},
        {"f", "fit: show each whole tree again"},
        {"click an epitem", "select it: it stays lit in every panel (click again or Esc to clear)"},
        {"hover an epitem", "light it up everywhere; the tree shows its key (file address, fd)"},
        {"click or drag the timeline", "seek"},
        {"o", "open a scenario from the library"},
        {"m", "real vs model: run the scenario on this machine's kernel and compare"},
        {"r", "reload the scenario (also automatic when the file changes on disk)"},
        {"p", "predict mode: pause before each `== ?` question and ask for the answer"},
        {"Enter", "predict mode: reveal the answer, then continue"},
        {"d", "the rb-tree insert drill: do an insert's fix-up yourself"},
        {"?", "this help"},
        {"Esc", "close help / clear the selection"},
    };
    return b;
}

std::string short_mask(std::uint32_t ev) {
    if ((ev & ~EP_PRIVATE_BITS) == 0) return "disarmed";
    struct Bit {
        std::uint32_t bit;
        const char* name;
    };
    static const Bit bits[] = {{EPOLLIN, "IN"},         {EPOLLOUT, "OUT"},     {EPOLLPRI, "PRI"},
                               {EPOLLRDHUP, "RDHUP"},   {EPOLLRDNORM, "RDNORM"}, {EPOLLWRNORM, "WRNORM"},
                               {EPOLLET, "ET"},         {EPOLLONESHOT, "1SHOT"}, {EPOLLEXCLUSIVE, "EXCL"},
                               {EPOLLWAKEUP, "WAKEUP"}};
    std::string s;
    for (const Bit& b : bits)
        if (ev & b.bit) s += (s.empty() ? "" : " ") + std::string(b.name);
    if (s.empty()) s = "ERR HUP";
    return s;
}

// ---------------------------------------------------------------------------------------
// [SECTION] App

App::App(UiOptions o) : opt(std::move(o)) {
    if (!opt.scenario_dir.empty()) library_ = list_scenarios(opt.scenario_dir);
}

float App::em() const { return ImGui::GetFontSize(); }

std::array<float, 4> App::item_rect() {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    return {a.x, a.y, b.x, b.y};
}

float App::anim_t() const { return opt.animate ? ease(anim) : 1.f; }

bool App::open(const std::string& path) {
    bool ok = session.load(path);
    cache.reset(session.kernel());
    cursor = Cursor(&session.timeline);
    player.playing = false;
    selected = 0;
    anims.clear();
    view = prev_view = {};
    shown_index = SIZE_MAX;
    status = ok ? "" : "could not load " + path;
    if (session.loaded()) rebuild_view();
    anim = 1.f;
    predict.load(session.trace, session.kernel() ? session.kernel()->log.events.size() : 0);
    drill.clear();
    gated_pos = cursor.pos();
    return ok;
}

void App::open_big_tree(std::size_t n) {
    session.load_big_tree(n);
    cache.reset(session.kernel());
    cursor = Cursor(&session.timeline);
    player.playing = false;
    selected = 0;
    anims.clear();
    view = prev_view = {};
    shown_index = SIZE_MAX;
    status.clear();
    rebuild_view();
    anim = 1.f;
}

void App::reload() {
    std::size_t pos = cursor.pos();
    ObjId sel = selected;
    open(session.path);
    cursor.seek(pos);
    gated_pos = cursor.pos();
    selected = sel;
    if (session.loaded()) rebuild_view();
    status = "reloaded " + session.path;
}

void App::seek(std::size_t index) {
    cursor.seek(index);
    if (session.loaded() && cursor.pos() != shown_index) rebuild_view();
}

void App::step_syscall_forward() {
    const Kernel* k = session.kernel();
    if (beats.active()) cursor.seek(beats.target());  // a second press: finish the first step
    beats.cancel();
    const std::size_t from = cursor.pos();
    cursor.step_syscall(1);
    if (!k || cursor.pos() <= from + 1) return;
    const std::size_t to = cursor.pos();
    cursor.seek(beats.start(k->log.events, from, to));
    beat_stop = cursor.pos();
}

ObjId App::subject() const {
    const Kernel* k = session.kernel();
    if (!k || cursor.pos() >= k->log.events.size()) return 0;
    return subject_epitem(k->log.events[cursor.pos()]);
}

const EpiView* App::find_epi(ObjId id) const {
    if (const EpiView* e = view.epi(id)) return e;
    return prev_view.epi(id);
}

std::string App::epi_short(const EpiView& ev) const {
    std::string n = epi_name(ev);
    return n.empty() ? "fd " + std::to_string(ev.fd) : n;
}

void App::rebuild_view() {
    const Kernel* k = cache.at(cursor.pos());
    if (!k) return;
    const float t = anim_t();
    std::map<ObjId, EpAnim> next;
    prev_view = std::move(view);
    view = build_view(*k);
    for (const EpView& ep : view.eps) {
        EpAnim a;
        a.tree_to = layout_tree(ep.tree);
        a.rows = list_rows(ep);
        a.lists_to = layout_lists(a.rows);
        a.fds = draw::fds_of(view, ep.file, &session.names);
        auto it = anims.find(ep.id);
        if (it != anims.end() && shown_index != SIZE_MAX) {
            a.tree_from = interpolate(it->second.tree_from, it->second.tree_to, t);
            a.lists_from = interpolate(it->second.lists_from, it->second.lists_to, t);
        } else {
            a.tree_from = a.tree_to;
            a.lists_from = a.lists_to;
        }
        a.ix_to = index_tree(a.tree_to);
        a.ix_from = it != anims.end() && shown_index != SIZE_MAX ? index_tree(a.tree_from) : a.ix_to;
        next[ep.id] = std::move(a);
    }
    anims = std::move(next);
    index_panels();
    shown_index = cursor.pos();
    anim = opt.animate ? 0.f : 1.f;
}

// The rows of the files and wait-queue panels (PanelRows in ui.h).
void App::index_panels() {
    panel_rows = {};
    auto is_std = [](const FileView& f) { return f.kind == "regular" && f.id <= 3; };
    for (std::size_t i = 0; i < view.files.size(); ++i) {
        const FileView& f = view.files[i];
        if (f.id >= panel_rows.row_of_file.size()) panel_rows.row_of_file.resize(f.id + 1, -1);
        if (!is_std(f)) {
            panel_rows.row_of_file[f.id] = static_cast<std::int32_t>(panel_rows.files.size());
            panel_rows.files.push_back(static_cast<std::uint32_t>(i));
        }
    }
    std::vector<char>& seen_queue = panel_rows.queue_listed;
    for (std::size_t i = 0; i < view.files.size(); ++i) {
        const FileView& f = view.files[i];
        if (f.kind == "epoll") continue;  // shown with its instance as ep->poll_wait
        for (std::size_t q = 0; q < f.queues.size(); ++q) {
            const WqView& w = f.queues[q];
            if (w.entries.empty()) continue;
            if (w.id >= seen_queue.size()) seen_queue.resize(w.id + 1, 0);
            if (seen_queue[w.id]) continue;
            seen_queue[w.id] = 1;
            panel_rows.queues.emplace_back(static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(q));
        }
    }
    for (const ProcView& p : view.procs) {
        PanelRows::Proc pr;
        for (std::size_t i = 0; i < p.fds.size(); ++i) {
            const ObjId id = p.fds[i].file;
            if (id < panel_rows.row_of_file.size() && panel_rows.row_of_file[id] < 0 && view.file(id)) ++pr.hidden;
            else pr.fds.push_back(static_cast<std::uint32_t>(i));
        }
        panel_rows.procs.push_back(std::move(pr));
    }
}

void App::handle_input() {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantTextInput) return;  // typing in a text field
    auto pressed = [](ImGuiKey k, bool repeat) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); };
    if (pressed(ImGuiKey_Space, false)) {
        if (cursor.at_end() && !player.playing) cursor.home();
        player.toggle();
    }
    if (pressed(ImGuiKey_RightArrow, true)) {
        if (io.KeyShift) step_syscall_forward();
        else cursor.step(1);
    }
    if (pressed(ImGuiKey_LeftArrow, true)) {
        if (io.KeyShift) cursor.step_syscall(-1);
        else cursor.step(-1);
    }
    if (pressed(ImGuiKey_Home, false)) cursor.home();
    if (pressed(ImGuiKey_End, false)) cursor.end();
    if (pressed(ImGuiKey_Escape, false)) {
        if (show_help) show_help = false;
        else if (show_picker) show_picker = false;
        else selected = 0;
    }
    for (ImWchar c : io.InputQueueCharacters) {
        switch (c) {
            case ']': cursor.marker(1); break;
            case '[': cursor.marker(-1); break;
            case '?': show_help = !show_help; break;
            case '.': player.faster(); break;
            case ',': player.slower(); break;
            case '+':
            case '=': zoom = std::min(3.0f, zoom * 1.15f), zoom_changed = true; break;
            case '-': zoom = std::max(0.6f, zoom / 1.15f), zoom_changed = true; break;
            case '0': zoom = 1.0f, zoom_changed = true; break;
            case 'f': tree_cams.clear(); break;
            case 'o': show_picker = !show_picker; break;
            case 'm': show_mirror = !show_mirror; break;
            case 'r': if (session.loaded() || !session.path.empty()) reload(); break;
            case 'p': set_predict(!predict.gate.enabled); break;
            case 'd': show_drill = !show_drill; break;
            default: break;
        }
    }
}

void App::frame(float dt) {
    ImGuiIO& io = ImGui::GetIO();
    hovered = hovered_next_;
    hovered_next_ = 0;
    highlights.clear();
    node_rects.clear();
    course_rects.clear();
    text_rects.clear();

    // Reload when the file changes on disk (checked once a second).
    reload_check_ += dt;
    if (reload_check_ > 1.f) {
        reload_check_ = 0;
        if (session.changed_on_disk()) reload();
    }

    if (beats.active() && cursor.pos() != beat_stop) beats.cancel();  // the user moved
    handle_input();
    if (beats.active() && anim >= 1.f && cursor.pos() == beat_stop) {
        cursor.seek(beats.next());  // the previous beat was shown: on to the next
        beat_stop = cursor.pos();
    }
    if (int n = player.tick(dt)) {
        cursor.step(n);
        if (cursor.at_end()) player.playing = false;
    }
    gated_pos = course_gate(gated_pos);  // predict mode: stop before unanswered questions
    if (session.loaded() && cursor.pos() != shown_index) rebuild_view();
    const float duration = player.playing ? std::min(0.35f, 0.85f / static_cast<float>(player.speed)) : 0.3f;
    anim = std::min(1.f, anim + dt / duration);

    // ---- window layout, in em, for any window size ----
    const float e = em();
    const float W = io.DisplaySize.x, H = io.DisplaySize.y;
    const float top = 2.4f * e;
    const float bottom = 5.2f * e;
    const float mid_h = std::max(10.f * e, H - top - bottom);
    // A question open in predict mode takes the kernel panel's place (bottom left), so the
    // structures the student reasons from (tree, lists, wait queues, files) stay in view; the
    // left column widens a little for the answer grid and the source gives it some height.
    const bool asking = predict.gate.enabled && predict.gate.phase() != PredictGate::Phase::Idle;
    const float left_w = std::round(asking ? std::max(W * 0.30f, std::min(30.f * e, W * 0.38f)) : W * 0.30f);
    const float right_w = std::round(W * 0.26f);
    const float center_w = W - left_w - right_w;

    // The panels tile the window and leave their background to glClear: under llvmpipe a
    // textured fill per panel costs more than everything else in a frame. Overlays keep theirs.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0, 0, 0, 0));
    draw_toolbar(ImVec2(0, 0), ImVec2(W, top));
    const float src_h = std::round(mid_h * (asking ? 0.36f : 0.46f));
    draw_source(ImVec2(0, top), ImVec2(left_w, src_h));
    if (asking) draw_predict(ImVec2(0, top + src_h), ImVec2(left_w, mid_h - src_h));
    else draw_kernel(ImVec2(0, top + src_h), ImVec2(left_w, mid_h - src_h));

    // One band per eventpoll: its tree above its lists.
    std::vector<const EpView*> eps;
    for (const EpView& ep : view.eps) eps.push_back(&ep);
    if (eps.empty()) {
        ImGui::SetNextWindowPos(ImVec2(left_w, top));
        ImGui::SetNextWindowSize(ImVec2(center_w, mid_h));
        ImGui::Begin("Interest tree and ready lists", nullptr,
                     ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                         ImGuiWindowFlags_NoSavedSettings);
        ImGui::TextWrapped("No epoll instance exists at this step. epoll_create1() makes one; step forward "
                           "(Right) to watch it appear.");
        ImGui::End();
    } else if (eps.size() <= 2) {
        // One band per instance: the lists get the room they need, the tree the rest.
        const float band = mid_h / static_cast<float>(eps.size());
        for (std::size_t i = 0; i < eps.size(); ++i) {
            const float y = top + band * static_cast<float>(i);
            const float lists_need = (3.f * LayoutMetrics{}.row_h + 2.8f + (eps[i]->mtx_holder ? 1.5f : 0.f)) * e;
            const float lists_h = std::round(std::min(lists_need, band * 0.62f));
            draw_tree(*eps[i], ImVec2(left_w, y), ImVec2(center_w, band - lists_h));
            draw_lists(*eps[i], ImVec2(left_w, y + band - lists_h), ImVec2(center_w, lists_h));
        }
    } else {
        // Many instances (nesting): one scrolling column, each instance's tree above its lists.
        ImGui::SetNextWindowPos(ImVec2(left_w, top));
        ImGui::SetNextWindowSize(ImVec2(center_w, mid_h));
        ImGui::Begin("Epoll instances (scroll for more)", nullptr, style_panel_flags());
        const float w = ImGui::GetContentRegionAvail().x;
        for (const EpView* ep : eps) {
            draw_tree(*ep, ImVec2(), ImVec2(w, 10.5f * e), true);
            draw_lists(*ep, ImVec2(), ImVec2(w, (3.f * LayoutMetrics{}.row_h + 2.8f + (ep->mtx_holder ? 1.5f : 0.f)) * e), true);
            ImGui::Spacing();
        }
        ImGui::End();
    }
    const float wq_h = std::round(mid_h * 0.42f);
    draw_waitqueues(ImVec2(left_w + center_w, top), ImVec2(right_w, wq_h));
    draw_files(ImVec2(left_w + center_w, top + wq_h), ImVec2(right_w, mid_h - wq_h));
    draw_timeline(ImVec2(0, top + mid_h), ImVec2(W, H - top - mid_h));
    ImGui::PopStyleColor();
    if (show_drill) draw_drill();
    if (show_picker) draw_picker();
    if (show_mirror) draw_mirror();
    if (show_help) draw_help();
}

}  // namespace epsim::viz
