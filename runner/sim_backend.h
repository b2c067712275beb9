// sim_backend.h - the model behind the Backend interface.
#pragma once
#include <map>
#include <memory>

#include "backend.h"
#include "sim/kernel.h"

namespace epsim::scn {

class SimBackend final : public Backend {
public:
    explicit SimBackend(KernelConfig cfg = default_config());
    static KernelConfig default_config();  // matches the host: RLIMIT_NOFILE 20000, no PM_SLEEP
    // A `scale` scenario: RLIMIT_NOFILE at fs.nr_open's default (1,048,576), no event log and no
    // replay commands (the work counters are kept).
    static KernelConfig scale_config();

    const char* name() const override { return "sim"; }
    int new_thread(int proc) override;
    int fork_process() override;
    int main_thread(int proc) const override;
    CallResult call(int thread, const CallSpec& c) override;
    bool is_blocked(int thread) override;
    CallResult join(int thread) override;
    void signal(int thread) override;
    void sleep_ms(std::int64_t ms) override;
    std::optional<std::vector<FdinfoItem>> fdinfo(int thread, int epfd) override;
    std::optional<RbCasesResult> rb_cases(int thread, int epfd) override;
    bool supports_pause() const override { return true; }
    void pause_harvest(int thread, int after_items) override;
    void resume(int thread) override;

    std::size_t event_count() const override { return k_->log.size(); }
    Kernel& kernel() { return *k_; }

private:
    std::unique_ptr<Kernel> k_;
    std::map<int, ObjId> threads_;  // handle -> task
    std::map<int, int> procs_;      // process handle -> main thread handle
    int next_handle_ = 1;
    ObjId task_of(int thread) const;
    CallResult result_of(ObjId task, const SysResult& r) const;
};

}  // namespace epsim::scn
