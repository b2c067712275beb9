// lab_catalog.cpp - the four labs (instructor notes: docs/coursework/lab-<name>.md).
#include "runner/lab_catalog.h"

#include <filesystem>

namespace epsim::lab {

const std::vector<LabInfo>& all_labs() {
    static const std::vector<LabInfo> labs = {
        {"ready-list",
         "the ready list and the harvest: ep_poll_callback, ep_send_events, the ovflist splice",
         150,
         {"scenarios/basics/lt-2kb.scn", "scenarios/basics/et-2kb.scn", "scenarios/ordering"}},
        {"rbtree", "the red-black tree's insert and erase fix-ups", 180, {"scenarios/epoll7/q0.scn"}},
        {"loop-check", "nested epoll: the loop and depth check (ELOOP) and the wake-up path limits (EINVAL)", 120,
         {"scenarios/nested/depth-limit.scn", "scenarios/nested/loop-eloop.scn", "scenarios/nested/self-add.scn"}},
        {"wakeup", "the wake-up walk (__wake_up_common) and EPOLLEXCLUSIVE", 120, {"scenarios/threads"}},
    };
    return labs;
}

const LabInfo* find_lab(const std::string& name) {
    for (const LabInfo& l : all_labs())
        if (l.name == name) return &l;
    return nullptr;
}

std::string check_source_dir(const std::string& dir) {
    namespace fs = std::filesystem;
    if (dir.empty()) return "no project source directory given";
    std::error_code ec;
    if (!fs::is_regular_file(fs::path(dir) / "sim" / "kernel.h", ec))
        return "'" + dir + "' is not the epsim source (no sim/kernel.h there)";
    if (!fs::is_regular_file(fs::path(dir) / "labs" / "common" / "CMakeLists.txt", ec))
        return "'" + dir + "' has no labs/common/CMakeLists.txt (an epsim source without labs?)";
    return "";
}

}  // namespace epsim::lab
