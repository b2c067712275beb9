// describe.cpp - read-only views of the model for traces, the GUI and tests: one line per
// event, list contents in order, wait-queue order.
#include <cstdio>

#include "kernel.h"

namespace epsim {

std::string Kernel::object_name(ObjId i, char kind) const {
    switch (kind) {
        case 'f': return "file#" + std::to_string(i);
        case 'e': return "ep#" + std::to_string(i);
        case 'i': return "epitem#" + std::to_string(i);
        case 't': return "task#" + std::to_string(i);
        case 'p': return "proc#" + std::to_string(i);
        case 'q': return "wq#" + std::to_string(i);
        case 'h': return "hook#" + std::to_string(i);
        default: return "#" + std::to_string(i);
    }
}

static std::string hex(std::uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

std::string Kernel::describe(const Event& e) const {
    auto F = [&](ObjId i) { return object_name(i, 'f'); };
    auto E = [&](ObjId i) { return object_name(i, 'e'); };
    auto I = [&](ObjId i) { return object_name(i, 'i'); };
    auto T = [&](ObjId i) { return object_name(i, 't'); };
    auto Q = [&](ObjId i) { return object_name(i, 'q'); };
    std::string s = std::string(event_type_name(e.type));
    if (e.fn != KFn::none) s += std::string(" [") + kfn_name(e.fn) + "]";
    s += "  ";
    switch (e.type) {
        case EventType::SyscallEnter:
            return s + T(e.a) + " " + (log.syscalls.held(e.c) ? log.syscalls[e.c].text : sys_name(static_cast<Sys>(e.b)));
        case EventType::SyscallBlock:
            return s + T(e.a) + " sleeps in " + sys_name(static_cast<Sys>(e.b));
        case EventType::SyscallExit: {
            auto ret = static_cast<std::int64_t>(e.x);
            std::string r = T(e.a) + " " + sys_name(static_cast<Sys>(e.b)) + " = " + std::to_string(ret);
            if (e.y) r += std::string(" ") + errno_name(static_cast<int>(e.y));
            return s + r;
        }
        case EventType::FileAlloc: return s + F(e.a) + " at " + hex(e.x);
        case EventType::FileGet:
        case EventType::FilePut: return s + F(e.a) + " f_count=" + std::to_string(e.x);
        case EventType::FileRelease: return s + F(e.a) + " last reference gone";
        case EventType::FdInstall: return s + "fd " + std::to_string(e.x) + " -> " + F(e.b);
        case EventType::FdClose: return s + "fd " + std::to_string(e.x) + " (" + F(e.b) + ") closed";
        case EventType::FileState:
            return s + F(e.a) + " " + file_state_name(static_cast<FileStateWhat>(e.y)) + "=" + std::to_string(e.x);
        case EventType::EpAlloc: return s + E(e.a) + " for " + F(e.b);
        case EventType::EpFree: return s + E(e.a);
        case EventType::EpiAlloc:
            return s + I(e.b) + " in " + E(e.a) + " watches fd " + std::to_string(e.x) + " (" + F(e.c) + "), events " +
                   epoll_mask_str(static_cast<std::uint32_t>(e.y));
        case EventType::EpiFree: return s + I(e.b) + " removed from " + E(e.a);
        case EventType::EpiSetEvents:
            return s + I(e.b) + " events=" + epoll_mask_str(static_cast<std::uint32_t>(e.x)) + " data=" + hex(e.y);
        case EventType::EpiDisarm:
            return s + I(e.b) + " disarmed, events=" + epoll_mask_str(static_cast<std::uint32_t>(e.x));
        case EventType::RbFindVisit:
            return s + "compare with " + I(e.b) + (e.x == 0 ? ": found" : e.x == 1 ? ": go left" : ": go right");
        case EventType::RbLink:
            return s + I(e.b) + (e.c ? " linked as " + std::string(e.x ? "left" : "right") + " child of " + I(e.c)
                                     : std::string(" linked as root"));
        case EventType::Callback:
            return s + I(e.b) + " key=" + epoll_mask_str(static_cast<std::uint32_t>(e.x)) + " -> " +
                   callback_decision_name(static_cast<CallbackDecision>(e.y));
        case EventType::RdlAddTail:
        case EventType::RdlAddHead:
        case EventType::RdlDel:
        case EventType::OvfPush:
        case EventType::TxTake:
        case EventType::StaleDrop:
        case EventType::LtRequeue:
        case EventType::EtDone:
        case EventType::Note:
            return s + I(e.b) + " (" + E(e.a) + ")";
        case EventType::OvfDrain:
            return s + I(e.b) + (e.x ? " back at the head of rdllist" : " already linked, skipped");
        case EventType::TxStart: return s + E(e.a) + ": " + std::to_string(e.x) + " items rdllist -> txlist";
        case EventType::TxPutBack: return s + E(e.a) + ": " + std::to_string(e.x) + " leftovers to the head of rdllist";
        case EventType::OvfActivate: return s + E(e.a) + " ovflist = NULL (scan running)";
        case EventType::OvfDeactivate: return s + E(e.a) + " ovflist = EP_UNACTIVE_PTR";
        case EventType::Report:
            return s + I(e.b) + " reported " + epoll_mask_str(static_cast<std::uint32_t>(e.x)) + " data=" + hex(e.y);
        case EventType::Poll:
            return s + F(e.a) + (e.b ? " for " + I(e.b) : std::string()) + " mask=" +
                   epoll_mask_str(static_cast<std::uint32_t>(e.x));
        case EventType::WqAdd:
            return s + Q(e.a) + " += entry#" + std::to_string(e.b) +
                   (e.x == 0 ? " at head" : e.x == 1 ? " at tail, exclusive" : " at head, exclusive");
        case EventType::WqRemove: return s + Q(e.a) + " -= entry#" + std::to_string(e.b);
        case EventType::WakeBegin:
            return s + Q(e.a) + " key=" + epoll_mask_str(static_cast<std::uint32_t>(e.x)) +
                   " nr_exclusive=" + std::to_string(e.y);
        case EventType::WakeEntry:
            return s + Q(e.a) + " entry#" + std::to_string(e.b) + " (" +
                   (e.y == static_cast<std::uint64_t>(WakeFn::EpPollCallback) ? I(e.c) : T(e.c)) +
                   ") returned " + std::to_string(e.x);
        case EventType::TaskState:
            return s + T(e.a) + " -> " + task_state_name(static_cast<TaskState>(e.x));
        case EventType::Pause: return s + T(e.a) + " paused inside the harvest of " + E(e.b);
        case EventType::Resume: return s + T(e.a) + " resumes the harvest of " + E(e.b);
        case EventType::Clock: return s + "now " + std::to_string(e.x) + " ns";
        case EventType::Signal: return s + T(e.a) + (e.x ? " interrupted" : " (handler ran in user space)");
        case EventType::LoopCheck:
            return s + E(e.a) + " <- " + E(e.b) + ": depth below " + std::to_string(e.x) + ", above " +
                   std::to_string(e.y);
        case EventType::PathCheck: return s + F(e.a) + (e.y ? ": too many wake-up paths" : ": paths ok");
        default: break;
    }
    // rb fix-up steps
    return s + I(e.b) + (e.c ? " with " + I(e.c) : std::string()) + " (" + E(e.a) + ")";
}

std::vector<const Epitem*> Kernel::rdllist_items(const Eventpoll& ep) const {
    std::vector<const Epitem*> v;
    for (const ListHead* l = ep.rdllist.next; l != &ep.rdllist; l = l->next)
        v.push_back(epi_of_rdllink(const_cast<ListHead*>(l)));
    return v;
}

std::vector<const Epitem*> Kernel::txlist_items(const Eventpoll& ep) const {
    std::vector<const Epitem*> v;
    if (!ep.scan_txlist) return v;
    for (const ListHead* l = ep.scan_txlist->next; l != ep.scan_txlist; l = l->next)
        v.push_back(epi_of_rdllink(const_cast<ListHead*>(l)));
    return v;
}

std::vector<const Epitem*> Kernel::ovflist_items(const Eventpoll& ep) const {
    std::vector<const Epitem*> v;
    if (ep.ovflist == EP_UNACTIVE_PTR) return v;
    // Mid-way through ep_done_scan's drain (a replay stopped there) ep->ovflist still names
    // the first item, already unchained: EP_UNACTIVE_PTR ends the chain too.
    for (const Epitem* e = ep.ovflist; e && e != EP_UNACTIVE_PTR; e = e->next) v.push_back(e);
    return v;
}

std::vector<const Epitem*> Kernel::rb_items(const Eventpoll& ep) const {
    std::vector<const Epitem*> v;
    for (RbNode* n = rb_first(&ep.rbr); n; n = rb_next(n)) v.push_back(epi_of_rbn(n));
    return v;
}

std::vector<ObjId> Kernel::wq_tasks(const WaitQueueHead& wq) const {
    std::vector<ObjId> v;
    for (const ListHead* l = wq.head.next; l != &wq.head; l = l->next) {
        const WaitEntry* w = wait_entry_of(const_cast<ListHead*>(l));
        if (w->func == WakeFn::EpAutoremove) v.push_back(static_cast<const Task*>(w->priv)->id);
    }
    return v;
}

}  // namespace epsim
