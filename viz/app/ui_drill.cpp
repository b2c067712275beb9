// ui_drill.cpp - the rb-tree insert drill panel (see viz/core/rb_drill.h).
//
// The tree is shown right after the new red node was linked; the student clicks a node, then
// an action (recolour / rotate left / rotate right at it, or done). Each move is judged against
// the model's logged fix-up; a wrong move says which case applies and what the model did.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "sim/kernel.h"
#include "viz/app/ui.h"
#include "viz/app/ui_style.h"
#include "viz/core/layout.h"

namespace epsim::viz {

using namespace style;

namespace {

TreeIn tree_in(const DrillTree& t) {
    TreeIn in;
    std::map<ObjId, int> index;
    for (const auto& [id, n] : t.nodes) {
        index[id] = static_cast<int>(in.nodes.size());
        in.nodes.push_back({id, -1, -1, n.red});
    }
    for (const auto& [id, n] : t.nodes) {
        TreeNodeIn& tn = in.nodes[static_cast<std::size_t>(index[id])];
        if (n.left) tn.left = index[n.left];
        if (n.right) tn.right = index[n.right];
    }
    in.root = t.root ? index[t.root] : -1;
    return in;
}

}  // namespace

void App::draw_drill() {
    ImGuiIO& io = ImGui::GetIO();
    const float e = em();
    ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.18f, io.DisplaySize.y * 0.08f), ImGuiCond_Appearing);
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x * 0.64f, io.DisplaySize.y * 0.80f), ImGuiCond_Appearing);
    ImGui::SetNextWindowBgAlpha(1.f);
    if (!ImGui::Begin("rb-tree insert drill (d)###drill", &show_drill, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
        ImGui::End();
        return;
    }
    const Kernel* k = session.kernel();
    if (k && !drill.loaded()) {
        drill.load(*k, &session.names);
        drill.start(drill.interesting());
    }
    if (!k || drill.inserts().empty()) {
        ImGui::TextWrapped("This scenario inserts nothing into an interest tree. Open one with EPOLL_CTL_ADDs, or "
                           "start epviz with --drill SEED for a generated drill.");
        ImGui::End();
        return;
    }

    // ---- which insert: by its scenario line; its cases only once it is done (entry_text) ----
    auto insert_name = [&](int i, bool brief) {
        const DrillInsert& in = drill.inserts()[static_cast<std::size_t>(i)];
        const int step = session.timeline.step_at(in.link_event);
        const scn::Step* st = step >= 0 ? &session.trace.steps[static_cast<std::size_t>(step)] : nullptr;
        return drill.entry_text(i, st ? st->line : 0, st ? st->call : in.label, brief);
    };
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x - 8 * e, 34 * e));
    if (ImGui::BeginCombo("insert", drill.index() >= 0 ? insert_name(drill.index(), true).c_str() : "")) {
        for (int i = 0; i < static_cast<int>(drill.inserts().size()); ++i)
            if (ImGui::Selectable(insert_name(i, false).c_str(), i == drill.index())) drill.start(i);
        ImGui::EndCombo();
    }
    if (drill.index() < 0) {
        ImGui::End();
        return;
    }
    const Drill& d = drill.drill();
    const DrillInsert& ins = d.insert();
    const DrillTree& t = d.tree();
    ImGui::TextWrapped("%s was just linked as a red leaf (rb_link_node). Do rb_insert_color's fix-up yourself: click a "
                       "node, then an action. \"n\" marks the node being fixed.",
                       t.name(ins.epi).c_str());
    // How many steps the insert takes is part of the answer: counted up, totalled at the end.
    if (d.finished())
        ImGui::TextColored(vec(kDim), "%zu step%s   mistakes %d   shown %d", ins.steps.size(), ins.steps.size() == 1 ? "" : "s",
                           d.mistakes(), d.shown());
    else
        ImGui::TextColored(vec(kDim), "move %zu   mistakes %d   shown %d", d.step() + 1, d.mistakes(), d.shown());

    // ---- the tree ----
    const Layout l = layout_tree(tree_in(t));
    const ObjId concern = d.finished() ? 0 : ins.steps[d.step()].node;
    const float feedback_h = 9.5f * e;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float tree_h = std::max(6 * e, avail.y - feedback_h - 2.5f * e);
    const float pad = e * 0.6f;
    float scale = std::min(1.2f, (avail.x - 2 * pad) / std::max(1.f, l.extent.x * e));
    scale = std::max(0.4f, std::min(scale, (tree_h - 2 * pad - e) / std::max(1.f, l.extent.y * e)));
    const float u = e * scale;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    origin.x += std::max(pad, (avail.x - l.extent.x * u) * 0.5f);
    origin.y += pad + e;  // room for the "n" tag above the root
    ImDrawList* dl = ImGui::GetWindowDrawList();
    auto rect_of = [&](const Box& b) {
        ImVec2 mn(origin.x + b.pos.x * u, origin.y + b.pos.y * u);
        return std::make_pair(mn, ImVec2(mn.x + b.size.x * u, mn.y + b.size.y * u));
    };
    for (const Edge& ed : l.edges) {
        const Box* f = l.find(ed.from);
        const Box* to = l.find(ed.to);
        if (!f || !to) continue;
        auto [fa, fb] = rect_of(*f);
        auto [ta, tb] = rect_of(*to);
        dl->AddLine(ImVec2((fa.x + fb.x) * 0.5f, fb.y), ImVec2((ta.x + tb.x) * 0.5f, ta.y), kEdge, std::max(1.f, u * 0.1f));
    }
    const ImVec2 cursor_before = ImGui::GetCursorScreenPos();
    for (const Box& b : l.boxes) {
        const auto id = static_cast<ObjId>(b.key);
        auto [a, c] = rect_of(b);
        const DrillNode* n = t.find(id);
        dl->AddRectFilled(a, c, b.red > 0.5f ? kRedNode : kBlackNode, u * 0.4f);
        const bool sel = id == drill.selected;
        const ImU32 border = sel ? kHighlight : id == concern ? kSubject : kNodeBorder;
        dl->AddRect(a, c, border, u * 0.4f, 0, sel || id == concern ? std::max(2.f, u * 0.18f) : 1.f);
        const std::string label = !n ? "?" : n->name.empty() ? "fd " + std::to_string(n->fd) : n->name;
        const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
        dl->AddText(ImVec2((a.x + c.x - ts.x) * 0.5f, (a.y + c.y - ts.y) * 0.5f), kText, label.c_str());
        if (id == concern) dl->AddText(ImVec2(a.x, a.y - ts.y - 1), kSubject, "n");
        ImGui::SetCursorScreenPos(a);
        ImGui::PushID(static_cast<int>(id));
        if (ImGui::InvisibleButton("##node", ImVec2(std::max(1.f, c.x - a.x), std::max(1.f, c.y - a.y))))
            drill.selected = drill.selected == id ? 0 : id;
        course_rect("drill:node:" + std::to_string(id));
        if (ImGui::IsItemHovered() && n) ImGui::SetTooltip("%s, fd %d (%s)", label.c_str(), n->fd, n->red ? "red" : "black");
        ImGui::PopID();
    }
    ImGui::SetCursorScreenPos(cursor_before);
    ImGui::Dummy(ImVec2(avail.x, tree_h));

    // ---- the actions ----
    const std::string x = drill.selected ? t.name(drill.selected) : "X";
    ImGui::BeginDisabled(d.finished());
    ImGui::BeginDisabled(drill.selected == 0);
    if (ImGui::Button(("Recolour at " + x).c_str())) drill.play(DrillAction::Recolour);
    course_rect("drill:recolour");
    ImGui::SameLine();
    if (ImGui::Button(("Rotate left at " + x).c_str())) drill.play(DrillAction::RotateLeft);
    course_rect("drill:rotate_left");
    ImGui::SameLine();
    if (ImGui::Button(("Rotate right at " + x).c_str())) drill.play(DrillAction::RotateRight);
    course_rect("drill:rotate_right");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Done")) drill.play(DrillAction::Done);
    course_rect("drill:done");
    ImGui::SameLine();
    if (ImGui::Button("Show me")) drill.show();
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button("Restart")) drill.start(drill.index());
    ImGui::SameLine();
    if (ImGui::Button("Watch the model")) {
        seek(ins.steps.empty() ? ins.link_event : ins.steps.back().event);
        show_drill = false;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Close the drill and put the main view's cursor on this insert's fix-up.");

    // ---- feedback ----
    ImGui::Separator();
    if (d.finished()) {
        ImGui::PushStyleColor(ImGuiCol_Text, vec(kOk));
        ImGui::TextWrapped("Fixed: the tree is valid again (%d mistake%s, %d of %zu step%s shown). The model did: %s.",
                           d.mistakes(), d.mistakes() == 1 ? "" : "s", d.shown(), ins.steps.size(),
                           ins.steps.size() == 1 ? "" : "s", ins.fixups() ? ins.cases().c_str() : "nothing");
        ImGui::PopStyleColor();
    }
    if (const auto& v = d.last()) {
        ImGui::PushStyleColor(ImGuiCol_Text, vec(v->shown ? kSubject : v->ok ? kOk : kBad));
        ImGui::TextUnformatted(v->shown ? "Shown: the model's step, done for you." : v->ok ? "Right." : "Not that move.");
        ImGui::PopStyleColor();
        ImGui::TextWrapped("%s", v->reason.c_str());
        if (!v->ok) ImGui::TextColored(vec(kHighlight), "The model's step: %s", v->expected_text.c_str());
    } else if (!d.finished()) {
        ImGui::PushStyleColor(ImGuiCol_Text, vec(kDim));
        ImGui::TextWrapped("Rules: a red root -> recolour it. Red under red: uncle red -> recolour at the grandparent; "
                           "uncle black and n an inner child -> rotate at the parent; uncle black and n an outer child "
                           "-> rotate at the grandparent. No red under red and a black root -> done.");
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace epsim::viz
