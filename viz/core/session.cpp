// session.cpp - load and run one scenario for the GUI (see session.h).
#include "viz/core/session.h"

#include <algorithm>
#include <system_error>

#include "runner/host_backend.h"
#include "runner/interp.h"
#include "runner/mirror.h"
#include "runner/parser.h"
#include "runner/sim_backend.h"
#include "sim/kernel.h"
#include "viz/core/big_model.h"

namespace epsim::viz {

Session::Session() = default;
Session::~Session() = default;

bool Session::load(const std::string& p) {
    path = p;
    error.clear();
    title.clear();
    lines.clear();
    trace = {};
    names = {};
    timeline = {};
    mirror_.reset();
    mirror_error.clear();
    kernel_ = nullptr;
    backend_.reset();
    generated_.reset();
    std::error_code ec;
    mtime_ = std::filesystem::last_write_time(p, ec);
    scn::ParseResult r = scn::parse_scenario_file(p);
    if (!r.script) {
        error = r.error ? r.error->render() : "cannot parse " + p;
        if (r.error && !r.error->source_line.empty()) lines = {};
        return false;
    }
    lines = r.script->lines;
    title = r.script->title;
    backend_ = std::make_unique<scn::SimBackend>();
    trace = scn::run_script(*r.script, *backend_);
    error = trace.error;
    kernel_ = &backend_->kernel();
    names = FdNames(trace, kernel_->log.events);
    std::vector<StepSpan> spans;
    for (const scn::Step& s : trace.steps) spans.push_back({s.first_event, s.end_event, s.line});
    timeline = Timeline(kernel_->log.events, std::move(spans));
    return true;
}

void Session::load_big_tree(std::size_t n) {
    path.clear();
    error.clear();
    lines = {"# generated: one epoll instance watching " + std::to_string(n) + " eventfds",
             "# (built by calling the model directly, recording off: no events to step through)"};
    title = "generated tree of " + std::to_string(n) + " epitems";
    trace = {};
    names = {};
    mirror_.reset();
    mirror_error.clear();
    backend_.reset();
    generated_ = make_big_tree_model(n);
    kernel_ = generated_.get();
    timeline = Timeline(kernel_->log.events, {});
}

bool Session::changed_on_disk() const {
    if (path.empty()) return false;
    std::error_code ec;
    auto t = std::filesystem::last_write_time(path, ec);
    return !ec && t != mtime_;
}

int Session::say_step_at(std::size_t index) const {
    int reached = timeline.step_reached(index);
    if (reached < 0) {
        // Before any step with events: the opening says.
        for (std::size_t i = 0; i < trace.steps.size(); ++i) {
            if (trace.steps[i].kind == scn::StepKind::Say) return static_cast<int>(i);
            if (trace.steps[i].end_event > trace.steps[i].first_event) break;
        }
        return -1;
    }
    for (int i = reached; i >= 0; --i)
        if (trace.steps[static_cast<std::size_t>(i)].kind == scn::StepKind::Say) return i;
    return -1;
}

std::string Session::narration_at(std::size_t index) const {
    int s = say_step_at(index);
    if (s < 0) return "";
    // Consecutive says read as one paragraph.
    int first = s;
    while (first > 0 && trace.steps[static_cast<std::size_t>(first - 1)].kind == scn::StepKind::Say) --first;
    std::string out;
    for (int i = first; i <= s; ++i) out += (out.empty() ? "" : " ") + trace.steps[static_cast<std::size_t>(i)].text;
    return out;
}

bool Session::run_mirror() {
    mirror_.reset();
    mirror_error.clear();
    if (!loaded()) {
        mirror_error = "no scenario loaded";
        return false;
    }
    scn::ParseResult r = scn::parse_scenario_file(path);
    if (!r.script) {
        mirror_error = "cannot parse " + path;
        return false;
    }
    try {
        // As `epsim mirror` does: both sides capture the interest list after each epoll_ctl.
        // That adds fdinfo calls to the model's log, so the model side runs on its own kernel;
        // steps are matched to the browsed trace by key.
        scn::RunOptions opt;
        opt.capture_fdinfo = true;
        auto m = std::make_unique<scn::Mirror>();
        scn::SimBackend sim;
        m->model = scn::run_script(*r.script, sim, opt);
        scn::HostBackend host;
        m->host = scn::run_script(*r.script, host, opt);
        m->rows = scn::align(m->model, m->host);
        mirror_ = std::move(m);
    } catch (const std::exception& ex) {
        mirror_error = ex.what();
        return false;
    }
    // Divergences become timeline markers at the model step's last event.
    for (const scn::MirrorRow& row : mirror_->rows) {
        if (!row.diverged) continue;
        const scn::Step* side = row.model ? row.model : row.host;
        for (const scn::Step& s : trace.steps)
            if (side && s.key == side->key && s.end_event > s.first_event)
                timeline.add_marker(s.end_event - 1, MarkerKind::Divergence);
    }
    return true;
}

std::vector<std::pair<std::string, std::string>> list_scenarios(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> out;
    std::error_code ec;
    for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
        if (!it->is_regular_file() || it->path().extension() != ".scn") continue;
        std::string topic = std::filesystem::relative(it->path().parent_path(), dir, ec).string();
        if (topic == ".") topic = "";
        out.emplace_back(topic, it->path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace epsim::viz
