// explain.cpp - per-event explanations for the kernel panel (see explain.h).
#include "viz/core/explain.h"

#include <algorithm>

#include "sim/kernel.h"
#include "viz/core/call_path.h"
#include "sim/uapi.h"

namespace epsim::viz {

const char* event_type_explanation(EventType t) {
    switch (t) {
        case EventType::SyscallEnter:
            return "A task enters the kernel. Everything until the matching syscall.exit happens inside this call.";
        case EventType::SyscallExit:
            return "The call returns to user space with this value (or -1 and errno). Tasks it woke run next, in wake order.";
        case EventType::SyscallBlock:
            return "The task found nothing to report and its timeout allows waiting: it sleeps on ep->wq until a "
                   "callback, a timer or a signal wakes it.";
        case EventType::FileAlloc:
            return "A struct file is allocated. Its address (here a seeded stand-in) is half of the rb-tree key "
                   "(file, fd) that epoll sorts its epitems by.";
        case EventType::FileGet: return "Another reference to the file is taken (f_count goes up).";
        case EventType::FilePut: return "A reference to the file is dropped (f_count goes down).";
        case EventType::FileRelease:
            return "The last reference is gone (__fput): eventpoll_release removes every epitem still watching "
                   "the file, then the file type's release runs.";
        case EventType::FdInstall: return "fd_install: the fd table slot now points at the open file.";
        case EventType::FdClose:
            return "close_fd: the slot is cleared. The file lives on while other fds (dup, fork) still reference "
                   "it -- and so does every epitem watching it.";
        case EventType::FileState: return "The file's own state changed (bytes queued, counters, shutdown bits).";
        case EventType::EpAlloc:
            return "ep_alloc: a new struct eventpoll with an empty rb tree, an empty rdllist, ovflist = "
                   "EP_UNACTIVE_PTR (no scan running) and empty wait queues.";
        case EventType::EpFree: return "ep_free: the eventpoll and whatever it still held are released.";
        case EventType::EpiAlloc:
            return "ep_insert allocates the epitem that stands for this (file, fd) registration, with the "
                   "interest mask (EPOLLERR and EPOLLHUP are always added) and the user's data.";
        case EventType::EpiFree: return "The epitem is unlinked from the tree, the lists and its wait queues, then freed.";
        case EventType::EpiSetEvents:
            return "ep_modify stores the new interest mask and data. The item is then polled again, so a fd that "
                   "is already ready is queued right away.";
        case EventType::EpiDisarm:
            return "EPOLLONESHOT: the event was reported, so the interest bits are cleared. Callbacks now ignore "
                   "the item until EPOLL_CTL_MOD re-arms it.";
        case EventType::RbFindVisit:
            return "Walking down the rb tree: compare the key (file address, then fd) with this node and go left "
                   "or right, as ep_find and ep_rbtree_insert do.";
        case EventType::RbLink:
            return "rb_link_node: the new node is hung red at the leaf position the walk found. Only the "
                   "'no red node has a red child' rule can be broken now; rb_insert_color repairs it.";
        case EventType::RbInsertRootBlack: return "The node is the root: it is painted black. The tree is valid.";
        case EventType::RbInsertParentBlack: return "The parent is black: a red child breaks no rule. Done.";
        case EventType::RbInsertCase1:
            return "Insert case 1, the uncle is red: parent and uncle turn black, the grandparent red. The "
                   "redness moved two levels up; the fix-up continues there.";
        case EventType::RbInsertCase2Left:
        case EventType::RbInsertCase2Right:
            return "Insert case 2, the uncle is black and the node is an inner child: rotate at the parent so "
                   "the node becomes the outer child. Case 3 follows.";
        case EventType::RbInsertCase3Right:
        case EventType::RbInsertCase3Left:
            return "Insert case 3, the uncle is black and the node is an outer child: rotate at the grandparent "
                   "and swap the colours of parent and grandparent. The subtree's root is black: done.";
        case EventType::RbEraseUnlink:
            return "rb_erase unlinks the node. With two children, its in-order successor takes its place and its "
                   "colour; the colour really removed is the successor's, at the successor's old spot.";
        case EventType::RbEraseRecolorBlack:
            return "A red node absorbs the missing black by turning black. Every path has its black count back.";
        case EventType::RbEraseCase1Left:
        case EventType::RbEraseCase1Right:
            return "Erase case 1, the sibling is red: rotate at the parent and swap their colours, so the "
                   "short side gets a black sibling. Case 2, 3 or 4 follows.";
        case EventType::RbEraseCase2:
            return "Erase case 2, the sibling and its children are black: paint the sibling red. Both sides are "
                   "now one black short; the problem moves up to the parent.";
        case EventType::RbEraseCase3Right:
        case EventType::RbEraseCase3Left:
            return "Erase case 3, the sibling is black with a red near child: rotate at the sibling so the red "
                   "child becomes the far one. Case 4 follows.";
        case EventType::RbEraseCase4Left:
        case EventType::RbEraseCase4Right:
            return "Erase case 4, the sibling is black with a red far child: rotate at the parent; the sibling "
                   "takes the parent's colour, parent and far child turn black. Done.";
        case EventType::RdlAddTail:
            return "The epitem is appended to the tail of rdllist: the fd will be reported by the next harvest, "
                   "after the items already queued.";
        case EventType::RdlAddHead:
            return "ep_done_scan puts an item chained on ovflist back at the head of rdllist.";
        case EventType::RdlDel: return "The epitem leaves the ready list (list_del_init).";
        case EventType::TxStart:
            return "ep_start_scan: the whole rdllist is spliced onto the harvest's private txlist, and ovflist is "
                   "set to NULL: from now on callbacks chain items on ovflist instead of touching rdllist.";
        case EventType::TxTake:
            return "ep_send_events takes the first item off the txlist to poll it: is the fd still ready for "
                   "what was asked?";
        case EventType::TxPutBack:
            return "ep_done_scan: items the harvest did not get to (maxevents reached) go back to the head of "
                   "rdllist, ahead of anything newer.";
        case EventType::OvfActivate: return "ovflist = NULL: a scan is running, ovflist is active but empty.";
        case EventType::OvfPush:
            return "A callback during the scan pushes the epitem on ovflist (newest first), because rdllist and "
                   "the txlist belong to the harvest right now.";
        case EventType::OvfDrain:
            return "ep_done_scan walks ovflist and re-links each item at the head of rdllist, unless it is "
                   "already linked (an LT requeue got there first).";
        case EventType::OvfDeactivate:
            return "ovflist = EP_UNACTIVE_PTR: the scan is over, callbacks use rdllist again.";
        case EventType::Report:
            return "The poll found the fd ready: the event is copied to user space with the stored data.";
        case EventType::StaleDrop:
            return "The re-poll says the fd is no longer ready for the interest mask: the item is dropped from "
                   "the list silently. The fd is not reported -- that is why level-triggered epoll never "
                   "reports stale events.";
        case EventType::LtRequeue:
            return "Level-triggered: a reported item goes back to the tail of rdllist, so the next epoll_wait "
                   "polls it again and reports it again while the fd stays ready.";
        case EventType::EtDone:
            return "Edge-triggered: the reported item is not requeued. Only a new wake-up on the file queues "
                   "it again -- reading half of the data wakes nobody.";
        case EventType::Poll:
            return "The file's ->poll returns its current readiness mask; the epitem's interest decides what "
                   "counts.";
        case EventType::WqAdd:
            return "An entry joins a wait queue: an epitem's hook (ep_ptable_queue_proc, at the head) or a "
                   "task going to sleep in epoll_wait (exclusive, at the head: the newest waiter wakes first).";
        case EventType::WqRemove: return "The entry leaves the wait queue.";
        case EventType::WakeBegin:
            return "__wake_up_common walks the queue from the head and calls each entry's function with the "
                   "key (the events that happened); it stops after nr_exclusive exclusive entries said yes.";
        case EventType::WakeEntry: return "One entry of the walk ran and returned its verdict (1 = woken/accepted).";
        case EventType::Callback:
            return "ep_poll_callback runs for an epitem whose file woke up. It checks the key against the "
                   "interest mask, then queues the item on rdllist -- or on ovflist while a scan runs.";
        case EventType::TaskState: return "The task changes state (running, sleeping, runnable, paused).";
        case EventType::Pause:
            return "The scenario stops this task inside ep_send_events, between ep_start_scan and ep_done_scan, "
                   "so the ovflist window can be watched. ep->mtx stays held.";
        case EventType::Resume: return "The paused harvest goes on.";
        case EventType::Clock: return "Simulated time passes; timers that expire meanwhile fire.";
        case EventType::Signal:
            return "A signal arrives. A task sleeping in epoll_wait wakes and returns -1 EINTR.";
        case EventType::LoopCheck:
            return "ep_loop_check: adding an epoll to an epoll must not create a cycle or a chain deeper than "
                   "EP_MAX_NESTS (4).";
        case EventType::PathCheck:
            return "reverse_path_check: limits how many wake-up paths lead from one file through nested epolls.";
        case EventType::Note: return "A note the model left for the reader.";
        default: return "";
    }
}

static std::string decision_text(CallbackDecision d) {
    switch (d) {
        case CallbackDecision::IgnoredDisarmed:
            return "Decision: ignored -- the item is EPOLLONESHOT-disarmed (only private bits left).";
        case CallbackDecision::IgnoredMask:
            return "Decision: ignored -- the key shares no bit with the interest mask.";
        case CallbackDecision::Queued: return "Decision: queued at the tail of rdllist.";
        case CallbackDecision::AlreadyLinked:
            return "Decision: coalesced -- the item is already on rdllist (or the txlist): one entry per fd, "
                   "however many wake-ups.";
        case CallbackDecision::Chained: return "Decision: a scan is running, so the item is pushed on ovflist.";
        case CallbackDecision::AlreadyChained:
            return "Decision: a scan is running and the item is on ovflist already: nothing to do.";
    }
    return "";
}

std::string explain_event(const Kernel& k, const Event& e) {
    std::string s = event_type_explanation(e.type);
    if (e.type == EventType::Callback) {
        s += " ";
        s += decision_text(static_cast<CallbackDecision>(e.y));
    }
    if (e.type == EventType::WakeBegin)
        s += e.x ? " Key: " + epoll_mask_str(static_cast<std::uint32_t>(e.x)) + "." : " No key: every hook is called.";
    if (e.type == EventType::SyscallEnter && k.log.syscalls.held(e.c))
        s = "Call: " + k.log.syscalls[e.c].text + ". " + s;
    return s;
}

std::vector<std::string> kfn_path(EventSpan events, std::size_t index) {
    return call_path(events, index);  // the known call structure (call_path.h)
}

std::string event_title(const Event& e) {
    switch (e.type) {
        case EventType::RbInsertCase1: return "rb insert, case 1: recolour (uncle red)";
        case EventType::RbInsertCase2Left: return "rb insert, case 2: rotate left at the parent";
        case EventType::RbInsertCase2Right: return "rb insert, case 2: rotate right at the parent";
        case EventType::RbInsertCase3Right: return "rb insert, case 3: rotate right at the grandparent";
        case EventType::RbInsertCase3Left: return "rb insert, case 3: rotate left at the grandparent";
        case EventType::RbInsertRootBlack: return "rb insert: the root turns black";
        case EventType::RbInsertParentBlack: return "rb insert: parent black, nothing to fix";
        case EventType::RbLink: return "rb insert: link the new node red at its leaf";
        case EventType::RbEraseUnlink: return "rb erase: unlink the node";
        case EventType::RbEraseRecolorBlack: return "rb erase: recolour black";
        case EventType::RbEraseCase1Left: return "rb erase, case 1: rotate left at the parent (sibling red)";
        case EventType::RbEraseCase1Right: return "rb erase, case 1: rotate right at the parent (sibling red)";
        case EventType::RbEraseCase2: return "rb erase, case 2: recolour the sibling red";
        case EventType::RbEraseCase3Right: return "rb erase, case 3: rotate right at the sibling";
        case EventType::RbEraseCase3Left: return "rb erase, case 3: rotate left at the sibling";
        case EventType::RbEraseCase4Left: return "rb erase, case 4: rotate left at the parent";
        case EventType::RbEraseCase4Right: return "rb erase, case 4: rotate right at the parent";
        default: return event_type_name(e.type);
    }
}

}  // namespace epsim::viz

namespace epsim::viz {

ObjId subject_epitem(const Event& e) {
    switch (e.type) {
        case EventType::EpiAlloc:
        case EventType::EpiFree:
        case EventType::EpiSetEvents:
        case EventType::EpiDisarm:
        case EventType::RbFindVisit:
        case EventType::RbLink:
        case EventType::RbInsertRootBlack:
        case EventType::RbInsertParentBlack:
        case EventType::RbInsertCase1:
        case EventType::RbInsertCase2Left:
        case EventType::RbInsertCase2Right:
        case EventType::RbInsertCase3Right:
        case EventType::RbInsertCase3Left:
        case EventType::RbEraseUnlink:
        case EventType::RbEraseRecolorBlack:
        case EventType::RbEraseCase1Left:
        case EventType::RbEraseCase1Right:
        case EventType::RbEraseCase2:
        case EventType::RbEraseCase3Right:
        case EventType::RbEraseCase3Left:
        case EventType::RbEraseCase4Left:
        case EventType::RbEraseCase4Right:
        case EventType::RdlAddTail:
        case EventType::RdlAddHead:
        case EventType::RdlDel:
        case EventType::TxTake:
        case EventType::OvfPush:
        case EventType::OvfDrain:
        case EventType::Report:
        case EventType::StaleDrop:
        case EventType::LtRequeue:
        case EventType::EtDone:
        case EventType::Callback:
        case EventType::Poll: return e.b;
        case EventType::WakeEntry:
            return e.y == static_cast<std::uint64_t>(WakeFn::EpPollCallback) ? e.c : 0;
        default: return 0;
    }
}

}  // namespace epsim::viz
