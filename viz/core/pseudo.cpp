// pseudo.cpp - pseudo-code and the event -> line map (see pseudo.h).
#include "viz/core/pseudo.h"

#include <cstring>

namespace epsim::viz {

const std::vector<PseudoCode>& all_pseudo_code() {
    static const std::vector<PseudoCode> code{
        {"ep_poll_callback",
         {"ep_poll_callback(hook, key):  // file woke up",
          "  epi = hook->base; ep = epi->ep",
          "  if only private bits left: return // 1SHOT",
          "  if key && !(key & epi->events): return",
          "  if ep->ovflist != EP_UNACTIVE_PTR: // scan",
          "    if epi->next == EP_UNACTIVE_PTR:",
          "      push epi on ep->ovflist",
          "  else if !ep_is_linked(epi):",
          "    list_add_tail(epi->rdllink, ep->rdllist)",
          "  wake ep->wq (one sleeper), ep->poll_wait"}},
        {"ep_send_events",
         {"ep_send_events(ep, maxevents):  // harvest",
          "  ep_start_scan(ep, &txlist)",
          "  for epi in txlist, while res < maxevents:",
          "    list_del_init(epi->rdllink)",
          "    revents = ep_item_poll(epi) // re-poll",
          "    if !revents: continue  // stale: dropped",
          "    copy {revents, data} to user; res++",
          "    if ONESHOT: events &= EP_PRIVATE_BITS",
          "    else if !ET: list_add_tail(rdllink,",
          "                               rdllist) // LT",
          "    // ET: not requeued",
          "  ep_done_scan(ep, &txlist)"}},
        {"ep_done_scan",
         {"ep_done_scan(ep, txlist):",
          "  for epi in ep->ovflist (newest first):",
          "    epi->next = EP_UNACTIVE_PTR",
          "    if !ep_is_linked(epi):",
          "      list_add(epi->rdllink, rdllist) // head",
          "  ep->ovflist = EP_UNACTIVE_PTR",
          "  list_splice(txlist, rdllist) // leftovers",
          "  if rdllist not empty: wake ep->wq"}},
        {"ep_insert",
         {"ep_insert(ep, event, file, fd): // CTL_ADD",
          "  epi = new epitem {(file, fd), event}",
          "  link epi on file->f_ep",
          "  ep_rbtree_insert(ep, epi)",
          "  revents = ep_item_poll(epi, &pt) // hooks",
          "  if revents && !ep_is_linked(epi):",
          "    list_add_tail(epi->rdllink, rdllist)",
          "    wake ep->wq and ep->poll_wait"}},
        {"ep_rbtree_insert",
         {"ep_rbtree_insert(ep, epi):",
          "  walk down comparing (file, fd): L or R",
          "  rb_link_node(epi)     // red, at a leaf",
          "  rb_insert_color(epi)  // cases 1-3"}},
        {"ep_modify",
         {"ep_modify(ep, epi, event):    // CTL_MOD",
          "  epi->events, epi->data = event",
          "  if ep_item_poll(epi) && !ep_is_linked:",
          "    list_add_tail(epi->rdllink, rdllist)",
          "    wake ep->wq and ep->poll_wait"}},
        {"ep_remove",
         {"ep_remove(ep, epi):  // CTL_DEL, last close",
          "  ep_unregister_pollwait(ep, epi) // unhook",
          "  unlink epi from file->f_ep",
          "  rb_erase(epi->rbn, ep->rbr) // cases 1-4",
          "  if ep_is_linked(epi): list_del_init",
          "  free epi"}},
        {"ep_poll",
         {"ep_poll(ep, maxevents, timeout): // wait",
          "  loop:",
          "    if events available: res = ep_send_events",
          "      if res: return res",
          "    if timed out / signal: return 0 / EINTR",
          "    add to ep->wq head, exclusive // LIFO",
          "    sleep: wake-up, timeout or signal",
          "    leave ep->wq if still queued"}},
    };
    return code;
}

static const PseudoCode* find(const char* fn) {
    for (const PseudoCode& c : all_pseudo_code())
        if (std::strcmp(c.function, fn) == 0) return &c;
    return nullptr;
}

const PseudoCode* pseudo_code_for(const Event& e, int& line) {
    line = -1;
    const char* fn = kfn_name(e.fn);
    const PseudoCode* c = nullptr;
    switch (e.fn) {
        case KFn::ep_poll_callback:
            c = find("ep_poll_callback");
            if (e.type == EventType::Callback) {
                switch (static_cast<CallbackDecision>(e.y)) {
                    case CallbackDecision::IgnoredDisarmed: line = 2; break;
                    case CallbackDecision::IgnoredMask: line = 3; break;
                    case CallbackDecision::Chained:
                    case CallbackDecision::AlreadyChained: line = 4; break;
                    case CallbackDecision::Queued:
                    case CallbackDecision::AlreadyLinked: line = 7; break;
                }
            } else if (e.type == EventType::OvfPush) {
                line = 6;
            } else if (e.type == EventType::RdlAddTail) {
                line = 8;
            } else if (e.type == EventType::WakeBegin) {
                line = 9;
            }
            return c;
        case KFn::ep_start_scan:
            line = 1;
            return find("ep_send_events");
        case KFn::ep_send_events:
            c = find("ep_send_events");
            switch (e.type) {
                case EventType::TxTake: line = 3; break;
                case EventType::StaleDrop: line = 5; break;
                case EventType::Report: line = 6; break;
                case EventType::EpiDisarm: line = 7; break;
                case EventType::LtRequeue: line = 8; break;
                case EventType::EtDone: line = 10; break;
                default: break;
            }
            return c;
        case KFn::ep_item_poll:
            line = 4;
            return find("ep_send_events");
        case KFn::ep_done_scan:
            c = find("ep_done_scan");
            switch (e.type) {
                case EventType::OvfDrain:
                case EventType::RdlAddHead: line = 4; break;
                case EventType::OvfDeactivate: line = 5; break;
                case EventType::TxPutBack: line = 6; break;
                case EventType::WakeBegin: line = 7; break;
                default: break;
            }
            return c;
        case KFn::ep_insert:
            c = find("ep_insert");
            switch (e.type) {
                case EventType::EpiAlloc: line = 1; break;
                case EventType::RdlAddTail: line = 6; break;
                case EventType::WakeBegin: line = 7; break;
                default: break;
            }
            return c;
        case KFn::ep_ptable_queue_proc:
            line = 4;
            return find("ep_insert");
        case KFn::ep_rbtree_insert:
            c = find("ep_rbtree_insert");
            line = e.type == EventType::RbFindVisit ? 1 : e.type == EventType::RbLink ? 2 : 3;
            return c;
        case KFn::ep_modify:
            c = find("ep_modify");
            line = e.type == EventType::EpiSetEvents ? 1 : e.type == EventType::RdlAddTail ? 3
                 : e.type == EventType::WakeBegin ? 4 : -1;
            return c;
        case KFn::ep_remove:
            c = find("ep_remove");
            switch (e.type) {
                case EventType::RdlDel: line = 4; break;
                case EventType::EpiFree: line = 5; break;
                default:
                    if (event_type_name(e.type)[0] == 'r' && event_type_name(e.type)[1] == 'b') line = 3;
                    break;
            }
            return c;
        case KFn::ep_unregister_pollwait:
            line = 1;
            return find("ep_remove");
        case KFn::ep_poll:
            c = find("ep_poll");
            switch (e.type) {
                case EventType::WqAdd: line = 5; break;
                case EventType::SyscallBlock: line = 6; break;
                case EventType::TaskState: line = 6; break;
                case EventType::WqRemove: line = 7; break;
                default: break;
            }
            return c;
        default: break;
    }
    return find(fn);
}

}  // namespace epsim::viz
