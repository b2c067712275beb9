// Predict mode and the rb-tree drill driven with simulated input (an ImGui context, no GL):
// playback stops before a question, the student answers with the mouse, Reveal grades it
// through runner/quiz.h, the score counts, an answered question is not asked again; the drill
// is completed by clicking nodes and action buttons.
#include <catch2/catch.hpp>
#include <imgui.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "sim/kernel.h"
#include "viz/app/ui.h"
#include "viz/tests/gui_harness.h"

using namespace epsim;
using namespace epsim::viz;
using epsim::viz::test::Gui;
using epsim::viz::test::overlap;
using epsim::viz::test::window_rect;

namespace {

// Q1: both pipes readable, b.r written first -> 2 [b.r: EPOLLIN, a.r: EPOLLIN]
// Q2: a.r is registered already -> -1 EEXIST
// Q3: a write of 5 bytes -> 5
const char* const kQuiz = R"(title "predict test"
ep = epoll_create1(0)
a = pipe(O_NONBLOCK)
b = pipe(O_NONBLOCK)
epoll_ctl(ep, ADD, a.r, EPOLLIN)
epoll_ctl(ep, ADD, b.r, EPOLLIN|EPOLLET)
write(b.w, 10) == 10
write(a.w, 10) == 10
say "two pipes are readable; b was written first"
epoll_wait(ep, 8, 0) == ?
epoll_ctl(ep, ADD, a.r, EPOLLIN) == ?
write(a.w, 5) == ?
epoll_wait(ep, 8, 0) == 1 [a.r: EPOLLIN]
)";

// One file per process: ctest -j runs each test case in its own process, at the same time.
std::string write_temp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() / (std::to_string(::getpid()) + "-" + name);
    std::ofstream(p) << text;
    return p.string();
}

const PredictSlot& slot(const App& app, int i) { return app.predict.gate.slots()[static_cast<std::size_t>(i)]; }

// Opens the quiz scenario in predict mode and plays until the first question stops playback.
void to_first_question(Gui& g, App& app) {
    REQUIRE(app.open(write_temp("epviz-predict-test.scn", kQuiz)));
    app.set_predict(true);
    REQUIRE(app.predict.gate.slots().size() == 3);
    g.frame(app);
    g.press(app, ImGuiKey_Space);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);
    REQUIRE_FALSE(app.player.playing);
    REQUIRE(app.predict.gate.phase() == PredictGate::Phase::Asking);
    REQUIRE(app.predict.gate.current() == 0);
    REQUIRE(app.cursor.pos() == slot(app, 0).first - 1);  // the state before the call
    g.frame(app);  // the panel draws its widgets
}

}  // namespace

TEST_CASE("epviz predict: playback stops before a question and a right answer scores 1/1", "[gui][predict]") {
    Gui g;
    App app(UiOptions{});
    to_first_question(g, app);
    const std::size_t stop = app.cursor.pos();
    // The cursor cannot pass an open question: not with keys, not by playing.
    g.press(app, ImGuiKey_RightArrow);
    g.press(app, ImGuiKey_End);
    REQUIRE(app.cursor.pos() == stop);
    REQUIRE(app.predict.draft.form == AnswerDraft::Form::Events);
    // The grid offers both registered pipes; tick b.r then a.r (the order they were queued).
    g.click(app, "cell:b.r:IN");
    g.click(app, "cell:a.r:IN");
    REQUIRE(app.predict.draft.text() == "2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    g.click(app, "reveal");
    REQUIRE(app.predict.gate.phase() == PredictGate::Phase::Revealed);
    REQUIRE(app.predict.verdict.correct);
    REQUIRE(app.predict.gate.right() == 1);
    REQUIRE(app.predict.gate.asked() == 1);
    REQUIRE(app.predict.model_answer == "2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    REQUIRE_FALSE(app.predict.explanation.empty());
    // The reveal plays the step's events and pauses at its end.
    REQUIRE(app.player.playing);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);
    REQUIRE(app.cursor.pos() == slot(app, 0).end - 1);
    g.click(app, "continue");
    REQUIRE(app.predict.gate.phase() == PredictGate::Phase::Idle);
    REQUIRE(app.course_rects.count("reveal") == 0);  // the panel is closed
}

TEST_CASE("epviz predict: a wrong answer reveals wrong and shows the model's answer", "[gui][predict]") {
    Gui g;
    App app(UiOptions{});
    to_first_question(g, app);
    // Wrong order: a.r first. The order control can fix it, but here the student reveals.
    g.click(app, "cell:a.r:IN");
    g.click(app, "cell:b.r:IN");
    REQUIRE(app.predict.draft.text() == "2 [a.r: EPOLLIN, b.r: EPOLLIN]");
    g.click(app, "reveal");
    REQUIRE_FALSE(app.predict.verdict.correct);
    REQUIRE_FALSE(app.predict.verdict.why.empty());
    REQUIRE(app.predict.model_answer == "2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    REQUIRE(app.predict.gate.right() == 0);
    REQUIRE(app.predict.gate.asked() == 1);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);  // the reveal plays the step
    g.click(app, "continue");

    // Question 2: an epoll_ctl. The student says it returns 0; it fails with EEXIST.
    g.press(app, ImGuiKey_Space);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);
    REQUIRE(app.predict.gate.current() == 1);
    g.frame(app);
    REQUIRE(app.predict.draft.form == AnswerDraft::Form::Value);
    g.click(app, "reveal");
    REQUIRE_FALSE(app.predict.verdict.correct);
    REQUIRE(app.predict.model_answer == "-1 EEXIST");
    REQUIRE(app.predict.gate.asked() == 2);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);
    g.click(app, "continue");

    // Going back before question 1 and forward again does not ask it again.
    g.press(app, ImGuiKey_Home);
    REQUIRE(app.cursor.pos() == 0);
    g.press(app, ImGuiKey_Space);
    for (int i = 0; i < 400 && app.player.playing; ++i) g.frame(app, 0.25f);
    REQUIRE(app.predict.gate.current() == 2);  // question 3, the first unanswered one
    REQUIRE(app.cursor.pos() == slot(app, 2).first - 1);
    // Errno form by mouse: the student picks "it fails" -- wrong for a write that succeeds.
    g.click(app, "form:errno");
    REQUIRE(app.predict.draft.form == AnswerDraft::Form::Errno);
    g.click(app, "reveal");
    REQUIRE_FALSE(app.predict.verdict.correct);
    REQUIRE(app.predict.model_answer == "5");
    REQUIRE(app.predict.gate.asked() == 3);
    REQUIRE(app.predict.gate.right() == 0);
    // Reset forgets the answers: question 1 is asked again.
    app.predict.gate.reset();
    g.press(app, ImGuiKey_Home);
    g.press(app, ImGuiKey_End);
    REQUIRE(app.predict.gate.current() == 0);
    REQUIRE(app.predict.gate.asked() == 0);
}

TEST_CASE("epviz predict: the order control reorders the reported fds", "[gui][predict]") {
    Gui g;
    App app(UiOptions{});
    to_first_question(g, app);
    g.click(app, "cell:a.r:IN");
    g.click(app, "cell:b.r:IN");
    g.click(app, "up:1");  // b.r moves to first place
    REQUIRE(app.predict.draft.text() == "2 [b.r: EPOLLIN, a.r: EPOLLIN]");
    g.press(app, ImGuiKey_Enter);  // Enter reveals too
    REQUIRE(app.predict.verdict.correct);
    REQUIRE(app.predict.gate.right() == 1);
}

TEST_CASE("epviz predict: the Predict panel takes the kernel panel's place and covers no structure", "[gui][predict]") {
    Gui g;
    App app(UiOptions{});
    to_first_question(g, app);
    g.frame(app);
    const auto predict = window_rect("Predict###predict");
    // While it is open the kernel panel (event, pseudo-code) is not drawn at all...
    const ImGuiWindow* kernel = ImGui::FindWindowByName("Kernel");
    REQUIRE((kernel == nullptr || !kernel->Active));
    // ...and the panels the student reasons from stay uncovered.
    REQUIRE_FALSE(overlap(predict, window_rect("Wait queues (walked head first = wake order)")));
    REQUIRE_FALSE(overlap(predict, window_rect("Files and fd tables")));
    for (const EpView& ep : app.view.eps) {
        const std::string tree = "###tree" + std::to_string(ep.id);
        for (ImGuiWindow* w : ImGui::GetCurrentContext()->Windows)
            if (w->Active && std::string(w->Name).find(tree) != std::string::npos)
                REQUIRE_FALSE(overlap(predict, {w->Pos.x, w->Pos.y, w->Pos.x + w->Size.x, w->Pos.y + w->Size.y}));
    }
    // The reveal keeps it there; Continue gives the kernel panel back.
    g.click(app, "reveal");
    g.frame(app);
    REQUIRE(window_rect("Predict###predict") == predict);
    g.click(app, "continue");
    g.frame(app);
    g.frame(app);
    REQUIRE(window_rect("Kernel")[0] == 0.f);
}

TEST_CASE("epviz drill: a correct sequence of clicks completes the insert", "[gui][drill]") {
    Gui g;
    App app(UiOptions{});
    REQUIRE(app.open(write_temp("epviz-drill-test.scn", drill_scenario(3, 9))));
    app.show_drill = true;
    g.frame(app);
    g.frame(app);
    REQUIRE(app.drill.loaded());
    REQUIRE(app.drill.index() == app.drill.interesting());
    const DrillInsert& ins = app.drill.drill().insert();
    REQUIRE(ins.fixups() >= 1);
    // One wrong click first: "done" while red sits under red.
    g.click(app, "drill:done");
    REQUIRE(app.drill.drill().mistakes() == 1);
    REQUIRE_FALSE(app.drill.drill().last()->ok);
    for (const DrillStep& s : ins.steps) {
        g.frame(app);
        if (s.move.action == DrillAction::Done) {
            g.click(app, "drill:done");
            continue;
        }
        g.click(app, "drill:node:" + std::to_string(s.move.at));
        REQUIRE(app.drill.selected == s.move.at);
        g.frame(app);
        const char* button = s.move.action == DrillAction::Recolour   ? "drill:recolour"
                             : s.move.action == DrillAction::RotateLeft ? "drill:rotate_left"
                                                                        : "drill:rotate_right";
        g.click(app, button);
        REQUIRE(app.drill.drill().last()->ok);
    }
    REQUIRE(app.drill.drill().finished());
    REQUIRE(app.drill.drill().mistakes() == 1);
    REQUIRE(app.drill.drill().tree() == ins.steps.back().after);
}
