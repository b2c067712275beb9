// ep_loopcheck.cpp - the checks an EPOLL_CTL_ADD runs in "full check" mode (reference §3.3):
//   ep_loop_check       no cycle, and at most EP_MAX_NESTS (4) epoll-in-epoll links on any
//                       chain after the insertion -> else ELOOP
//   reverse_path_check  bounded wake-up paths from each ordinary file upwards through epolls:
//                       path_limits {1000, 500, 100, 50, 10} per depth -> else EINVAL
// Both memoise per check "generation" (loop_check_gen), so shared sub-graphs are walked once.
#include <algorithm>

#include "kernel.h"

namespace epsim {

static constexpr int kTooDeep = EP_MAX_NESTS + 1;
static constexpr int kPathLimits[EP_MAX_NESTS + 1] = {1000, 500, 100, 50, 10};

// @lab(loop-check) begin: ep_loop_check, no cycle and at most EP_MAX_NESTS levels (ELOOP)
// ep_loop_check_proc: how deep the epoll graph goes below `ep`. Meeting the instance being
// inserted into is a cycle. Ordinary files found on the way are queued for the path check.
int Kernel::ep_loop_check_proc(Eventpoll* ep, int depth) {
    if (ep->gen == loop_check_gen_) return ep->loop_check_depth;
    ep->gen = loop_check_gen_;
    int result = 0;
    for (RbNode* n = rb_first(&ep->rbr); n; n = rb_next(n)) {
        Epitem* epi = epi_of_rbn(n);
        File* f = epi->ffd.file;
        if (f->kind == FileKind::Epoll) {
            Eventpoll* child = static_cast<EpollFile*>(f)->ep;
            if (child == inserting_into_ || depth > EP_MAX_NESTS)
                result = kTooDeep;
            else
                result = std::max(result, ep_loop_check_proc(child, depth + 1) + 1);
            if (result > EP_MAX_NESTS) break;
        } else {
            list_file(f);
        }
    }
    ep->loop_check_depth = result;
    return result;
}

// ep_get_upwards_depth_proc: how many epolls are stacked above `ep` (through ep->refs, the
// epitems of outer epolls watching this epoll's file).
int Kernel::ep_get_upwards_depth_proc(Eventpoll* ep, int depth) {
    if (ep->gen == loop_check_gen_) return ep->loop_check_depth;
    int result = 0;
    for (ListHead* l = ep->file->f_ep.next; l != &ep->file->f_ep; l = l->next)
        result = std::max(result, ep_get_upwards_depth_proc(epi_of_fllink(l)->ep, depth + 1) + 1);
    ep->gen = loop_check_gen_;
    ep->loop_check_depth = result;
    return result;
}

// ep_loop_check: true means "refuse with ELOOP".
bool Kernel::ep_loop_check(Eventpoll* ep, Eventpoll* to) {
    inserting_into_ = ep;
    int down = ep_loop_check_proc(to, 0);
    int up = down > EP_MAX_NESTS ? 0 : ep_get_upwards_depth_proc(ep, 0);
    emit(EventType::LoopCheck, KFn::ep_loop_check, ep->id, to->id, 0, static_cast<std::uint64_t>(down),
         static_cast<std::uint64_t>(up));
    inserting_into_ = nullptr;
    return down > EP_MAX_NESTS || down + 1 + up > EP_MAX_NESTS;
}
// @lab(loop-check) stub
//| // ep_loop_check_proc: how deep the epoll graph goes below `ep`. Meeting the instance being
//| // inserted into is a cycle. Ordinary files found on the way are queued for the path check.
//| int Kernel::ep_loop_check_proc(Eventpoll* ep, int depth) {
//|     // TODO(lab loop-check): memoise per check generation (ep->gen == loop_check_gen_ means
//|     // "already measured": return ep->loop_check_depth). Walk ep's interest tree (rb_first,
//|     // rb_next, epi_of_rbn): an epoll child that is inserting_into_ (a cycle), or reached when
//|     // depth > EP_MAX_NESTS, makes the result kTooDeep; any other epoll child counts its own
//|     // depth + 1 (keep the maximum, stop early once above EP_MAX_NESTS); an ordinary file goes
//|     // on the path-check list (list_file). Store the result in ep->loop_check_depth.
//|     (void)ep;
//|     (void)depth;
//|     return 0;  // stub: nothing below
//| }
//|
//| // ep_get_upwards_depth_proc: how many epolls are stacked above `ep` (through ep->file->f_ep,
//| // the epitems of outer epolls watching this epoll's file).
//| int Kernel::ep_get_upwards_depth_proc(Eventpoll* ep, int depth) {
//|     // TODO(lab loop-check): the same memo as above; the maximum over the watchers (epi_of_fllink)
//|     // of their own upwards depth + 1.
//|     (void)ep;
//|     (void)depth;
//|     return 0;  // stub: nothing above
//| }
//|
//| // ep_loop_check: true means "refuse with ELOOP".
//| bool Kernel::ep_loop_check(Eventpoll* ep, Eventpoll* to) {
//|     // TODO(lab loop-check): set inserting_into_ = ep; measure down from `to`, and (only when
//|     // that is not already too deep) up from `ep`; log EventType::LoopCheck (a = ep->id,
//|     // b = to->id, x = down, y = up); clear inserting_into_. Refuse when the edge ep -> to would
//|     // make a chain with more than EP_MAX_NESTS epoll-in-epoll links.
//|     (void)ep;
//|     (void)to;
//|     return false;  // stub: every edge is accepted, even a cycle
//| }
// @lab(loop-check) end

void Kernel::list_file(File* f) {
    if (f->on_check_list) return;
    f->on_check_list = true;
    tfile_check_list_.push_back(f);
}

void Kernel::clear_tfile_check_list() {
    for (File* f : tfile_check_list_) f->on_check_list = false;
    tfile_check_list_.clear();
}

// @lab(loop-check) begin: reverse_path_check, bounded wake-up paths per depth (EINVAL)
// reverse_path_check_proc: walk up from the epitems watching a file. A path ends at an epoll
// nobody watches; it is counted at its depth (number of epoll->epoll hops).
int Kernel::reverse_path_check_proc(File* f, int depth, std::vector<int>& path_count) {
    if (depth > EP_MAX_NESTS) return -1;
    for (ListHead* l = f->f_ep.next; l != &f->f_ep; l = l->next) {
        Eventpoll* ep = epi_of_fllink(l)->ep;
        int error = 0;
        if (list_empty(&ep->file->f_ep)) {
            if (depth > 0 && ++path_count[depth] > kPathLimits[depth]) error = -1;  // path_count_inc
        } else {
            error = reverse_path_check_proc(ep->file, depth + 1, path_count);
        }
        if (error) return error;
    }
    return 0;
}

// reverse_path_check: true means "refuse with EINVAL".
bool Kernel::reverse_path_check() {
    for (File* f : tfile_check_list_) {
        std::vector<int> path_count(EP_MAX_NESTS + 1, 0);
        int error = reverse_path_check_proc(f, 0, path_count);
        emit(EventType::PathCheck, KFn::reverse_path_check, f->id, 0, 0, 0, error ? 1 : 0);
        if (error) return true;
    }
    return false;
}
// @lab(loop-check) stub
//| // reverse_path_check_proc: walk up from the epitems watching a file. A path ends at an epoll
//| // nobody watches; it is counted at its depth (number of epoll->epoll hops).
//| int Kernel::reverse_path_check_proc(File* f, int depth, std::vector<int>& path_count) {
//|     // TODO(lab loop-check): deeper than EP_MAX_NESTS is an error (-1). For each epitem
//|     // watching f (f->f_ep, epi_of_fllink): if its epoll's file is watched by nobody, a path
//|     // ends here: when depth > 0 count it in path_count[depth] and fail (-1) once the count
//|     // exceeds kPathLimits[depth]; otherwise recurse from that epoll's file one level up.
//|     // Return the first error.
//|     (void)f;
//|     (void)depth;
//|     (void)path_count;
//|     return 0;  // stub: every path is fine
//| }
//|
//| // reverse_path_check: true means "refuse with EINVAL".
//| bool Kernel::reverse_path_check() {
//|     // TODO(lab loop-check): for each file on tfile_check_list_, a fresh path_count (one slot per
//|     // depth 0..EP_MAX_NESTS), reverse_path_check_proc from depth 0, log EventType::PathCheck
//|     // (a = f->id, y = 1 on error, else 0); refuse at the first error.
//|     return false;  // stub: never refuse
//| }
// @lab(loop-check) end

}  // namespace epsim
