// model_view.h - a plain-data picture of the model's state at one step, for drawing.
//
// build_view() reads a Kernel (never changes it) and copies what the panels show: each
// eventpoll's tree, lists and wait queues, the epitems, files with their wait queues and hooks,
// processes with their fd tables, tasks. Objects are named by their stable ids, so two views
// (before and after a step) can be matched for animation.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/event_log.h"
#include "viz/core/layout.h"

namespace epsim {
class Kernel;
}

namespace epsim::viz {

struct EpiView {
    ObjId id = 0;
    ObjId ep = 0;
    ObjId file = 0;
    int fd = -1;
    std::uint64_t file_addr = 0;
    std::uint32_t events = 0;
    std::uint64_t data = 0;
    bool red = false;
    bool on_ready = false;    // rdllink linked: on rdllist or the txlist (ep_is_linked)
    bool on_ovflist = false;  // epi->next != EP_UNACTIVE_PTR
    std::vector<ObjId> hooks;       // its eppoll_entry ids
    std::vector<ObjId> hook_queues; // the wait queue each hook sits on
};

struct WqEntryView {
    ObjId entry = 0;
    bool is_task = false;   // a task sleeping in epoll_wait (ep_autoremove_wake_function)
    ObjId owner = 0;        // task id, or the epitem the hook serves (ep_poll_callback)
    bool exclusive = false;
};

struct WqView {
    ObjId id = 0;
    std::string name;       // "ep#1 wq", "pipe rd_wait"
    std::vector<WqEntryView> entries;  // walk order = wake order
};

struct EpView {
    ObjId id = 0;
    ObjId file = 0;
    TreeIn tree;                  // keys are epitem ids
    std::vector<ObjId> rdllist, txlist, ovflist;  // ovflist in chain order (newest first)
    bool scanning = false;        // ovflist != EP_UNACTIVE_PTR
    ObjId mtx_holder = 0;         // task holding ep->mtx across a paused harvest
    long refcount = 0;
    WqView wq;                    // tasks sleeping in epoll_wait
    WqView poll_wait;             // outer epolls' hooks, poll() callers
};

struct FileView {
    ObjId id = 0;
    std::string kind;             // "pipe", "eventfd", "unix", "regular", "epoll"
    std::string desc;             // File::describe()
    std::uint64_t addr = 0;
    long f_count = 0;
    // fill: pipe slots used / max, eventfd counter, socket bytes queued
    int slots_used = -1, slots_max = 0;
    std::uint64_t bytes = 0;
    std::vector<WqView> queues;   // the wait queues its ->poll registers on
    std::vector<ObjId> watched_by;  // epitems on f_ep
};

struct FdView {
    int fd = -1;
    ObjId file = 0;
    bool cloexec = false;
};

struct ProcView {
    ObjId id = 0;
    int pid = 0;
    std::vector<FdView> fds;
    std::vector<ObjId> tasks;
};

struct TaskView {
    ObjId id = 0;
    int pid = 0;
    std::string state;            // running, sleeping, runnable, paused
    bool in_epoll_wait = false;
};

struct ModelView {
    std::vector<EpView> eps;
    std::map<ObjId, EpiView> epis;
    std::vector<FileView> files;
    std::vector<ProcView> procs;
    std::vector<TaskView> tasks;
    std::uint64_t now_ns = 0;
    const EpiView* epi(ObjId id) const;
    const FileView* file(ObjId id) const;
};

ModelView build_view(const Kernel& k);

// Keys for list layouts: an epitem on rdllist/txlist and the same epitem on ovflist are
// different boxes (it can be on both during a scan).
inline std::uint64_t key_ready(ObjId epi) { return epi; }
inline std::uint64_t key_ovf(ObjId epi) { return (std::uint64_t{1} << 32) | epi; }
inline ObjId epi_of_key(std::uint64_t key) { return static_cast<ObjId>(key & 0xffffffffu); }

// The list rows of one eventpoll: 0 rdllist, 1 txlist, 2 ovflist.
std::vector<std::vector<std::uint64_t>> list_rows(const EpView& ep);

}  // namespace epsim::viz
