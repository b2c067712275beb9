// session.h - one opened scenario: parsed, run once on the model, ready to be browsed.
//
// The run's kernel keeps the full event log and the recorded calls; every other state the GUI
// shows comes from replaying that kernel (StateCache). Loading never throws: a parse or run
// error is kept in `error` and shown in the scenario panel.
#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "runner/trace.h"
#include "viz/core/names.h"
#include "viz/core/timeline.h"

namespace epsim {
class Kernel;
}
namespace epsim::scn {
class SimBackend;
struct Mirror;
}

namespace epsim::viz {

class Session {
public:
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Parses and runs `path`. Returns false (and sets error) on a parse or read error; a run
    // that stopped with a runtime error still loads what ran.
    bool load(const std::string& path);
    // A generated model instead of a scenario (big_model.h): one epoll watching n eventfds,
    // built with recording off, so there is no timeline; the GUI shows its final state.
    void load_big_tree(std::size_t n);
    bool loaded() const { return kernel_ != nullptr; }
    // True if the file changed on disk since it was loaded (mtime).
    bool changed_on_disk() const;

    std::string path;
    std::string title;
    std::string error;              // parse diagnostic or runtime error, rendered
    std::vector<std::string> lines; // the source
    scn::Trace trace;
    FdNames names;                  // the scenario's names for fds and epitems ("p.r", "b")
    Timeline timeline;

    const Kernel* kernel() const { return kernel_; }  // the whole run (full log)

    // The narration in force at event `index`: the text of the last `say` step at or before
    // the step reached at `index` (or before the first step with events).
    std::string narration_at(std::size_t index) const;
    // The say steps in force (all consecutive says before the reached step).
    int say_step_at(std::size_t index) const;

    // The real-vs-model comparison (runs the scenario on the host kernel, in this process).
    // Returns false with `mirror_error` set if the host run could not be done.
    bool run_mirror();
    const scn::Mirror* mirror() const { return mirror_.get(); }
    std::string mirror_error;

private:
    std::unique_ptr<scn::SimBackend> backend_;
    std::unique_ptr<Kernel> generated_;  // load_big_tree's kernel
    const Kernel* kernel_ = nullptr;
    std::filesystem::file_time_type mtime_{};
    std::unique_ptr<scn::Mirror> mirror_;
};

// Scenario files under `dir`, grouped by their folder (topic), sorted. Pairs (topic, path).
std::vector<std::pair<std::string, std::string>> list_scenarios(const std::string& dir);

}  // namespace epsim::viz
