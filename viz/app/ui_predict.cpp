// ui_predict.cpp - predict mode's panel and the toolbar's Course menu (see viz/core/predict.h).
//
// The panel asks for the open question's answer with widgets chosen by the call (events as a
// checkbox grid per fd and mask bit plus the order they are reported in; a count or a value as
// an integer; an errno from the ones the scenario language knows), then Reveal grades it with
// runner/quiz.h and shows right/wrong per part, the model's answer and the explanation while
// playback runs through the step.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "runner/rb_cases.h"
#include "sim/kernel.h"
#include "sim/uapi.h"
#include "viz/app/ui.h"
#include "viz/app/ui_draw.h"
#include "viz/app/ui_style.h"

namespace epsim::viz {

using namespace style;

namespace {

// "EPOLLIN" -> "IN"; "EPOLLRDNORM" -> "RDNORM".
std::string short_bit(std::uint32_t bit) {
    std::string n(epoll_bit_name(bit));
    return n.rfind("EPOLL", 0) == 0 ? n.substr(5) : n;
}

// The model's mask for row `name` (0 if not reported), reading data aliases.
std::uint32_t model_mask(const quiz::Question& q, const std::string& name) {
    for (const scn::TraceEvent& e : q.model.events) {
        std::string who = e.who;
        for (const auto& [data, n] : q.aliases)
            if (data == who) who = n;
        if (who == name) return e.events;
    }
    for (const scn::TraceInterest& i : q.model.interest)
        if (i.fd == name) return i.events;
    return 0;
}

void coloured_line(ImU32 c, const std::string& s) { draw::text_wrapped_visible(c, s); }

}  // namespace

void App::course_rect(const std::string& name) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    course_rects[name] = {a.x, a.y, b.x, b.y};
}

void App::set_predict(bool on) {
    predict.gate.enabled = on;
    if (!on) predict.gate.close();
    gated_pos = cursor.pos();  // the gate applies to moves from here on
    status = on ? "predict mode: stops at questions" : "predict mode off";
}

std::size_t App::course_gate(std::size_t from) {
    const std::size_t to = predict.gate.gate(from, cursor.pos());
    if (to != cursor.pos()) cursor.seek(to);
    if (predict.gate.pause_requested) {
        player.playing = false;
        predict.gate.pause_requested = false;
    }
    if (predict.gate.phase() == PredictGate::Phase::Asking && predict.draft_for != predict.gate.current())
        predict.begin();
    return cursor.pos();
}

// ---------------------------------------------------------------------------------------
// [SECTION] the Course menu (toolbar)

void App::draw_course_menu() {
    std::string label = "Course";
    if (predict.gate.enabled)
        label += " (score " + std::to_string(predict.gate.right()) + "/" + std::to_string(predict.gate.asked()) + ")";
    label += "###course";
    if (ImGui::Button(label.c_str())) ImGui::OpenPopup("##course_menu");
    course_rect("menu");
    if (ImGui::BeginPopup("##course_menu")) {
        bool on = predict.gate.enabled;
        if (ImGui::MenuItem("Predict mode", "p", &on)) set_predict(on);
        if (ImGui::MenuItem("Reset answers and score", nullptr, false, predict.gate.asked() > 0 || predict.gate.phase() != PredictGate::Phase::Idle)) {
            predict.gate.reset();
            gated_pos = cursor.pos();
        }
        ImGui::TextDisabled("%d question(s) in this scenario", static_cast<int>(predict.gate.slots().size()));
        ImGui::Separator();
        ImGui::MenuItem("rb-tree insert drill", "d", &show_drill);
        ImGui::EndPopup();
    }
}

// ---------------------------------------------------------------------------------------
// [SECTION] the Predict panel

void App::draw_predict(const ImVec2& pos, const ImVec2& size) {
    ImGui::SetNextWindowPos(pos);
    ImGui::SetNextWindowSize(size);
    // In the kernel panel's place (ui_app.cpp): the kernel panel and its pseudo-code are out of
    // sight while a question is open, and the structures the student reasons from stay in view.
    ImGui::Begin("Predict###predict", nullptr, kPanelFlags | ImGuiWindowFlags_HorizontalScrollbar);
    const float e = em();
    const PredictGate& g = predict.gate;
    const quiz::Question* q = predict.current();
    const PredictSlot* slot = g.current_slot();
    if (!q || !slot) {
        draw::text_wrapped_visible("This question could not be read.");
        if (ImGui::Button("Continue")) predict.gate.close();
        ImGui::End();
        return;
    }
    const bool asking = g.phase() == PredictGate::Phase::Asking;
    ImGui::TextColored(vec(kDim), "question %d of %d  -  line %d  -  score %d/%d", g.current() + 1,
                       static_cast<int>(g.slots().size()), q->line, g.right(), g.asked());
    ImGui::TextUnformatted(asking ? "What does this call return?" : "The call returned:");
    ImGui::PushStyleColor(ImGuiCol_Text, vec(kHighlight));
    if (ImGui::GetIO().Fonts->Fonts.Size > 1) ImGui::PushFont(ImGui::GetIO().Fonts->Fonts[1]);
    draw::text_wrapped_visible((q->thread.empty() ? "" : q->thread + ": ") + q->call);
    if (ImGui::GetIO().Fonts->Fonts.Size > 1) ImGui::PopFont();
    ImGui::PopStyleColor();
    if (!q->context.empty()) coloured_line(kDim, q->context);
    ImGui::Separator();

    // ---- revealed: the verdict and Continue first, so they are in view in a short panel;
    // the widgets below then show the model's answer next to yours ----
    const bool enter = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) && !ImGui::GetIO().WantTextInput;
    if (!asking) {
        if (revealed_shown_ != g.current()) {  // just revealed: back to the top of the panel
            ImGui::SetScrollY(0);
            revealed_shown_ = g.current();
        }
        const bool right = predict.verdict.correct;
        ImGui::PushStyleColor(ImGuiCol_Text, vec(right ? kOk : kBad));
        ImGui::TextUnformatted(right ? "Right!" : "Not quite.");
        ImGui::PopStyleColor();
        ImGui::SameLine();
        if (ImGui::Button("Continue (Enter)") || enter) predict.gate.close();
        course_rect("continue");
        // Wrapped at the panel's visible width: the answer grid below may scroll sideways.
        draw::text_wrapped_visible("you said:   " + predict.given);
        coloured_line(kOk, "the model:  " + predict.model_answer);
        if (!right && !predict.verdict.why.empty()) coloured_line(kBad, predict.verdict.why);
        if (q->host != quiz::HostStatus::NotRun)
            coloured_line(kDim, std::string("real kernel: ") + quiz::host_status_name(q->host) + " " + q->host_note);
        if (!predict.explanation.empty()) {
            ImGui::TextUnformatted("Why:");
            for (const std::string& line : predict.explanation) {
                ImGui::Bullet();
                draw::text_wrapped_visible(line);
            }
        }
        ImGui::Separator();
    } else {
        revealed_shown_ = -1;
    }

    AnswerDraft& d = predict.draft;
    using Form = AnswerDraft::Form;
    static bool more_bits = false;
    const bool grid = d.form == Form::Events || d.form == Form::Interest;

    // ---- the form: what kind of result ----
    if (!d.interest_call && !d.rb_call) {
        ImGui::BeginDisabled(!asking);
        const Form success = d.events_call ? Form::Events : Form::Value;
        if (ImGui::RadioButton(d.events_call ? "it returns (events)" : "it returns a value", d.form == success)) d.form = success;
        course_rect("form:returns");
        ImGui::SameLine();
        if (ImGui::RadioButton("it fails: -1 and errno", d.form == Form::Errno)) d.form = Form::Errno;
        course_rect("form:errno");
        ImGui::EndDisabled();
    }

    // ---- the widgets of the form ----
    ImGui::BeginDisabled(!asking);
    if (d.form == Form::Value) {
        ImGui::SetNextItemWidth(10 * e);
        int v = static_cast<int>(d.value);
        if (ImGui::InputInt("return value", &v)) d.value = v;
        course_rect("value");
    } else if (d.form == Form::Errno) {
        const std::vector<int>& errs = known_errnos();
        ImGui::SetNextItemWidth(12 * e);
        if (ImGui::BeginCombo("errno", errno_name(d.errno_value))) {
            for (int er : errs)
                if (ImGui::Selectable(errno_name(er), er == d.errno_value)) d.errno_value = er;
            ImGui::EndCombo();
        }
        course_rect("errno");
    } else if (d.form == Form::RbCases) {
        // The fix-up as a sequence: click the steps in the order the model runs them.
        draw::text_wrapped_visible("The rb-tree fix-up steps, in order (an empty list: no fix-up ran):");
        ImGui::TextUnformatted(d.text().c_str());
        course_rect("cases");
        if (ImGui::Button("remove last") && !d.cases.empty()) d.cases.pop_back();
        course_rect("cases:pop");
        const std::vector<std::string> names = rb_case_choices(*q, session.kernel()->log.events);
        for (std::size_t i = 0; i < names.size(); ++i) {
            // root_black, parent_black on one row; then a row per case (recolour, left, right)
            const bool pair = names.size() == 7 && names[0] == "root_black";
            const bool new_row = pair ? (i == 0 || i == 2 || i == 3 || i == 5) : i % 3 == 0;
            if (!new_row) ImGui::SameLine();
            if (ImGui::SmallButton(names[i].c_str())) d.cases.push_back(names[i]);
            course_rect("case:" + names[i]);
        }
    } else if (grid) {
        if (d.rows.empty()) {
            // The rows are candidate_fds: the instance's registrations, or a poll's own array.
            const bool is_poll = q->call.find("poll(") != std::string::npos && q->call.find("epoll") == std::string::npos;
            draw::text_wrapped_visible(is_poll ? "The call watches no fd." : "No fd is registered on this epoll instance before this call.");
        } else {
            const std::vector<std::uint32_t> bits = grid_bits(d.form, more_bits);
            ImGui::TextUnformatted(d.form == Form::Events ? "Tick each fd's reported events:" : "Tick each fd's stored interest mask:");
            const int cols = 1 + static_cast<int>(bits.size()) + (asking ? 0 : 1);
            if (ImGui::BeginTable("##grid", cols, ImGuiTableFlags_Borders | ImGuiTableFlags_SizingFixedFit)) {
                ImGui::TableSetupColumn("fd");
                for (std::uint32_t b : bits) ImGui::TableSetupColumn(short_bit(b).c_str());
                if (!asking) ImGui::TableSetupColumn("model");
                ImGui::TableHeadersRow();
                for (std::size_t r = 0; r < d.rows.size(); ++r) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    const std::uint32_t truth = model_mask(*q, d.rows[r]);
                    if (!asking) {
                        // The visual diff per fd: green where your mask is the model's.
                        ImGui::TextColored(vec(d.masks[r] == truth ? kOk : kBad), "%s %s", d.masks[r] == truth ? "ok" : "x ",
                                           d.rows[r].c_str());
                    } else {
                        ImGui::TextUnformatted(d.rows[r].c_str());
                    }
                    for (std::uint32_t b : bits) {
                        ImGui::TableNextColumn();
                        bool on = (d.masks[r] & b) != 0;
                        ImGui::PushID(static_cast<int>(r * 64 + static_cast<std::size_t>(__builtin_ctz(b))));
                        if (ImGui::Checkbox("##b", &on)) d.toggle(r, b);
                        course_rect("cell:" + d.rows[r] + ":" + short_bit(b));
                        ImGui::PopID();
                    }
                    if (!asking) {
                        ImGui::TableNextColumn();
                        ImGui::TextColored(vec(kOk), "%s", truth ? epoll_mask_str(truth).c_str() : "-");
                    }
                }
                ImGui::EndTable();
            }
            ImGui::Checkbox("more bits (RDNORM, WRNORM, ...)", &more_bits);
            if (d.form == Form::Events) {
                ImGui::Text("count: %zu.  Reported in this order (the order matters):", d.order.size());
                if (d.order.empty()) ImGui::TextDisabled("  (none: the call returns 0)");
                for (std::size_t i = 0; i < d.order.size(); ++i) {
                    ImGui::PushID(static_cast<int>(i));
                    ImGui::Text("%zu.", i + 1);
                    ImGui::SameLine();
                    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) d.move(i, -1);
                    course_rect("up:" + std::to_string(i));
                    ImGui::SameLine();
                    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) d.move(i, +1);
                    course_rect("down:" + std::to_string(i));
                    ImGui::SameLine();
                    const auto r = static_cast<std::size_t>(d.order[i]);
                    ImGui::Text("%s: %s", d.rows[r].c_str(), epoll_mask_str(d.masks[r]).c_str());
                    ImGui::PopID();
                }
            }
        }
    }
    ImGui::EndDisabled();
    ImGui::Spacing();

    if (asking) {
        coloured_line(kDim, "Your answer: " + d.text());
        if (ImGui::Button("Reveal (Enter)") || enter) {
            if (const Kernel* k = session.kernel()) predict.reveal(*k);
            if (!player.playing && predict.gate.run_until != SIZE_MAX) {
                player.playing = true;  // animate the step's events; the gate pauses at its end
                player.speed = std::max(player.speed, 16.0);
            }
        }
        course_rect("reveal");
        ImGui::SameLine();
        ImGui::TextDisabled("the step runs after the reveal");
    }
    ImGui::End();
}

}  // namespace epsim::viz
