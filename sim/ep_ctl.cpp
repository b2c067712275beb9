// ep_ctl.cpp - epoll_create1, epoll_ctl and what it calls: ep_find, ep_insert, ep_modify,
// ep_remove, ep_rbtree_insert (fs/eventpoll.c, REF = Linux 6.18).
#include <cstdio>

#include "kernel.h"

namespace epsim {

// Turns the rb tree's steps into log events naming epitems, for one eventpoll.
class RbLogger final : public RbTracer {
public:
    RbLogger(Kernel& k, const Eventpoll& ep) : k_(k), ep_(ep) {}
    void rb_step(RbStep step, const RbNode* subject, const RbNode* other) override {
        const Epitem* s = epi_of_rbn(subject);
        const Epitem* o = epi_of_rbn(other);
        ObjId sid = s ? s->id : 0, oid = o ? o->id : 0;
        if (step == RbStep::Link) {
            const Epitem* parent = epi_of_rbn(subject->parent);
            k_.emit(EventType::RbLink, KFn::ep_rbtree_insert, ep_.id, sid, parent ? parent->id : 0,
                    subject->parent && subject->parent->left == subject ? 1 : 0);
            return;
        }
        static_assert(static_cast<int>(RbStep::EraseCase4RotateRight) - static_cast<int>(RbStep::InsertRootBlack) ==
                      static_cast<int>(EventType::RbEraseCase4Right) - static_cast<int>(EventType::RbInsertRootBlack));
        auto type = static_cast<EventType>(static_cast<int>(EventType::RbInsertRootBlack) +
                                           (static_cast<int>(step) - static_cast<int>(RbStep::InsertRootBlack)));
        KFn fn = static_cast<int>(step) >= static_cast<int>(RbStep::EraseUnlink) ? KFn::ep_remove : KFn::ep_rbtree_insert;
        k_.emit(type, fn, ep_.id, sid, oid);
    }

private:
    Kernel& k_;
    const Eventpoll& ep_;
};

// ep_cmp_ffd: struct file address first, then fd.
static int ep_cmp_ffd(const EpollFilefd& a, const EpollFilefd& b) {
    if (a.addr != b.addr) return a.addr > b.addr ? 1 : -1;
    return a.fd - b.fd;
}

// ---------------------------------------------------------------------------------------
// [SECTION] epoll_create / epoll_create1 (do_epoll_create, ep_alloc)

Eventpoll* Kernel::ep_alloc(File* f) {
    auto ep = std::make_unique<Eventpoll>();
    ep->id = static_cast<ObjId>(eps_.size() + 1);
    init_wq(ep->wq);
    init_wq(ep->poll_wait);
    ep->file = f;
    Eventpoll* raw = ep.get();
    eps_.push_back(std::move(ep));
    emit(EventType::EpAlloc, KFn::do_epoll_create, raw->id, f->id);
    return raw;
}

// do_epoll_create: flags first, then the instance, then an fd (EMFILE), then the file.
SysResult Kernel::do_epoll_create(ObjId t, int flags) {
    if (flags & ~EPOLL_CLOEXEC) return SysResult::fail(EINVAL);
    if (alloc_fd(proc_mut(t)) < 0) return SysResult::fail(EMFILE);
    auto* f = new_file<EpollFile>(O_RDWR);  // O_CLOEXEC is an fd flag: F_GETFL shows 02
    f->ino = 0x40e;  // all anon-inode files share one inode (1038 on the host)
    f->ep = ep_alloc(f);
    return install_fd(t, f, flags & EPOLL_CLOEXEC);
}

SysResult Kernel::epoll_create1(ObjId t, int flags) {
    return run_syscall(
        t, Sys::epoll_create1,
        [&] { return std::string("epoll_create1(") + (flags == EPOLL_CLOEXEC ? "EPOLL_CLOEXEC" : std::to_string(flags)) + ")"; },
        [=](Kernel& k) { k.epoll_create1(t, flags); },
        [&] { return do_epoll_create(t, flags); });
}

// epoll_create(size): size is only a hint since 2.6.8, but must be positive.
SysResult Kernel::epoll_create(ObjId t, int size) {
    return run_syscall(
        t, Sys::epoll_create, [&] { return "epoll_create(" + std::to_string(size) + ")"; },
        [=](Kernel& k) { k.epoll_create(t, size); },
        [&] { return size <= 0 ? SysResult::fail(EINVAL) : do_epoll_create(t, 0); });
}

// ---------------------------------------------------------------------------------------
// [SECTION] epoll_ctl (do_epoll_ctl): checks in the kernel's order

// epoll_ctl is hot: its record is compact (CallArgs), rendered by render_call (call_text.cpp).
SysResult Kernel::epoll_ctl(ObjId t, int epfd, int op, int fd, const EpollEvent* ev) {
    return run_syscall(
        t, Sys::epoll_ctl,
        [&] {
            CallArgs c;
            c.a = epfd;
            c.b = op;
            c.c = fd;
            if (ev) {
                c.flags = kCallHasEvent;
                c.d = ev->events;
                c.w = ev->data;
            }
            return c;
        },
        nullptr,
        [&]() -> SysResult {
            // 0. Every op but DEL copies the event from user space first (even invalid ops).
            const bool has_event = op != EPOLL_CTL_DEL;
            if (has_event && !ev) return SysResult::fail(EFAULT);
            EpollEvent epds = ev ? *ev : EpollEvent{};
            // 1-2. Both fds must be open.
            File* f = fget(t, epfd);
            if (!f) return SysResult::fail(EBADF);
            File* tf = fget(t, fd);
            if (!tf) return SysResult::fail(EBADF);
            // 3. The target must support poll (checked before "is epfd an epoll").
            if (!tf->can_poll()) return SysResult::fail(EPERM);
            // 4. EPOLLWAKEUP needs CONFIG_PM_SLEEP and CAP_BLOCK_SUSPEND; otherwise silently
            //    dropped. Our 6.18 host has no CONFIG_PM_SLEEP: dropped even for root.
            if (has_event && (epds.events & EPOLLWAKEUP) &&
                !(config.config_pm_sleep && process_of(t).cap_block_suspend))
                epds.events &= ~EPOLLWAKEUP;
            // 5. No self-add (also through a dup of epfd); epfd must be an epoll.
            if (f == tf || f->kind != FileKind::Epoll) return SysResult::fail(EINVAL);
            // 6. EPOLLEXCLUSIVE: ADD only, not for epoll targets, only with the OK bits.
            if (has_event && (epds.events & EPOLLEXCLUSIVE)) {
                if (op == EPOLL_CTL_MOD) return SysResult::fail(EINVAL);
                if (op == EPOLL_CTL_ADD &&
                    (tf->kind == FileKind::Epoll || (epds.events & ~EPOLLEXCLUSIVE_OK_BITS)))
                    return SysResult::fail(EINVAL);
            }
            Eventpoll* ep = static_cast<EpollFile*>(f)->ep;
            require_mtx_free(ep, t);  // 7. mutex_lock(&ep->mtx)
            // 8. Full check: this epoll is itself watched, or the target is an epoll.
            bool full_check = false;
            int error = 0;
            if (op == EPOLL_CTL_ADD &&
                (!list_empty(&f->f_ep) || ep->gen == loop_check_gen_ || tf->kind == FileKind::Epoll)) {
                full_check = true;
                ++loop_check_gen_;
                if (tf->kind == FileKind::Epoll && ep_loop_check(ep, static_cast<EpollFile*>(tf)->ep))
                    error = ELOOP;
            }
            if (!error) {
                // 9-10. Find the item and dispatch. An unknown op gets EINVAL only here.
                Epitem* epi = ep_find(ep, tf, fd);
                error = EINVAL;
                switch (op) {
                    case EPOLL_CTL_ADD:
                        if (!epi) {
                            epds.events |= EPOLLERR | EPOLLHUP;
                            error = ep_insert(ep, epds, tf, fd, full_check);
                        } else {
                            error = EEXIST;
                        }
                        break;
                    case EPOLL_CTL_DEL:
                        if (epi) {
                            ep_remove(ep, epi);
                            error = 0;
                        } else {
                            error = ENOENT;
                        }
                        break;
                    case EPOLL_CTL_MOD:
                        if (epi) {
                            if (!(epi->events & EPOLLEXCLUSIVE)) {
                                epds.events |= EPOLLERR | EPOLLHUP;
                                error = ep_modify(ep, epi, epds);
                            }
                        } else {
                            error = ENOENT;
                        }
                        break;
                    default: break;
                }
            }
            // 11. Leave full-check mode.
            if (full_check) {
                clear_tfile_check_list();
                ++loop_check_gen_;
            }
            return error ? SysResult::fail(error) : SysResult::ok(0);
        });
}

// ---------------------------------------------------------------------------------------
// [SECTION] the interest tree

Epitem* Kernel::ep_find(Eventpoll* ep, File* f, int fd) {
    EpollFilefd key{f, f->addr, fd};
    RbNode* n = ep->rbr.root;
    while (n) {
        Epitem* epi = epi_of_rbn(n);
        int kcmp = ep_cmp_ffd(key, epi->ffd);
        emit(EventType::RbFindVisit, KFn::ep_find, ep->id, epi->id, 0, kcmp == 0 ? 0 : kcmp < 0 ? 1 : 2);
        if (kcmp > 0)
            n = n->right;
        else if (kcmp < 0)
            n = n->left;
        else
            return epi;
    }
    return nullptr;
}

// ep_rbtree_insert: find the link, link the node, fix the colours up. Three separate steps,
// each logged, so each is an animation beat.
void Kernel::ep_rbtree_insert(Eventpoll* ep, Epitem* epi) {
    RbNode** p = &ep->rbr.root;
    RbNode* parent = nullptr;
    bool leftmost = true;
    while (*p) {
        parent = *p;
        Epitem* epic = epi_of_rbn(parent);
        int kcmp = ep_cmp_ffd(epi->ffd, epic->ffd);
        emit(EventType::RbFindVisit, KFn::ep_rbtree_insert, ep->id, epic->id, 0, kcmp > 0 ? 2 : 1);
        if (kcmp > 0) {
            p = &parent->right;
            leftmost = false;
        } else {
            p = &parent->left;
        }
    }
    RbLogger tracer(*this, *ep);
    rb_link_node(&epi->rbn, parent, p, &tracer);
    rb_insert_color(&epi->rbn, &ep->rbr, leftmost, &tracer);
}

// ---------------------------------------------------------------------------------------
// [SECTION] ep_insert

int Kernel::ep_insert(Eventpoll* ep, const EpollEvent& ev, File* tfile, int fd, bool full_check) {
    // 1. Quota, charged to the instance's user.
    if (user_watches_ >= config.max_user_watches) return ENOSPC;
    ++user_watches_;
    // 2. Allocate and initialise: not linked, not chained.
    auto owned = spare_epis_.make();
    Epitem* epi = owned.get();
    epi->id = static_cast<ObjId>(epis_.size() + 1);
    epi->ep = ep;
    epi->ffd = EpollFilefd{tfile, tfile->addr, fd};
    epi->events = ev.events;
    epi->data = ev.data;
    epis_.push_back(std::move(owned));
    emit(EventType::EpiAlloc, KFn::ep_insert, ep->id, epi->id, tfile->id, static_cast<std::uint64_t>(fd), epi->events);
    // 4. attach_epitem: at the head of the file's f_ep list.
    list_add(&epi->fllink, &tfile->f_ep);
    // 5. A non-epoll target's wake-up paths are checked below.
    if (full_check && tfile->kind != FileKind::Epoll) list_file(tfile);
    // 6. Into the interest tree; the item holds a reference on ep.
    ep_rbtree_insert(ep, epi);
    ++ep->refcount;
    // 7. Too many wake-up paths: undo, EINVAL (not ELOOP).
    if (full_check && reverse_path_check()) {
        ep_remove(ep, epi);
        return EINVAL;
    }
    // 9. Register on the file's queues and poll it once (ep_item_poll with ep_ptable_queue_proc).
    PollTable pt{epi, epi->events};
    std::uint32_t revents = ep_item_poll(epi, &pt, 1);
    // 10. Already ready: to the tail of the ready list, wake one waiter.
    bool pwake = false;
    if (revents && !ep_is_linked(epi)) {
        list_add_tail(&epi->rdllink, &ep->rdllist);
        emit(EventType::RdlAddTail, KFn::ep_insert, ep->id, epi->id);
        if (ep->wq.active()) wake_up(ep->wq, 0, 1, KFn::ep_insert);
        if (ep->poll_wait.active()) pwake = true;
    }
    // 11. Outer epolls and pollers hear of it after the lock is dropped.
    if (pwake) ep_poll_safewake(ep, 0);
    return 0;
}

// ---------------------------------------------------------------------------------------
// [SECTION] ep_modify

int Kernel::ep_modify(Eventpoll* ep, Epitem* epi, const EpollEvent& ev) {
    epi->events = ev.events;
    epi->data = ev.data;
    emit(EventType::EpiSetEvents, KFn::ep_modify, ep->id, epi->id, 0, epi->events, epi->data);
    // Poll without registering. If ready and not yet linked: tail of rdllist. A linked item
    // keeps its place; MOD never unlinks (the next harvest drops it if no longer ready).
    PollTable pt{nullptr, epi->events};
    bool pwake = false;
    if (ep_item_poll(epi, &pt, 1)) {
        if (!ep_is_linked(epi)) {
            list_add_tail(&epi->rdllink, &ep->rdllist);
            emit(EventType::RdlAddTail, KFn::ep_modify, ep->id, epi->id);
            if (ep->wq.active()) wake_up(ep->wq, 0, 1, KFn::ep_modify);
            if (ep->poll_wait.active()) pwake = true;
        }
    }
    if (pwake) ep_poll_safewake(ep, 0);
    return 0;
}

// ---------------------------------------------------------------------------------------
// [SECTION] ep_remove (__ep_remove)

void Kernel::ep_unregister_pollwait(Eventpoll* ep, Epitem* epi) {
    while (EppollEntry* pwq = epi->pwqlist) {
        epi->pwqlist = pwq->next;
        if (pwq->whead) {
            list_del_init(&pwq->wait.entry);
            emit(EventType::WqRemove, KFn::ep_unregister_pollwait, pwq->whead->id, pwq->wait.id, epi->id);
        }
        spare_hooks_.give(hooks_[pwq->wait.id - 1]);
    }
    (void)ep;
}

void Kernel::ep_remove(Eventpoll* ep, Epitem* epi) {
    ep_unregister_pollwait(ep, epi);
    list_del_init(&epi->fllink);  // off file->f_ep
    RbLogger tracer(*this, *ep);
    rb_erase(&epi->rbn, &ep->rbr, &tracer);
    if (ep_is_linked(epi)) {
        list_del_init(&epi->rdllink);
        emit(EventType::RdlDel, KFn::ep_remove, ep->id, epi->id);
    }
    assert(epi->next == EP_UNACTIVE_PTR && "ep_remove: epitem still on ovflist (a scan holds ep->mtx)");
    emit(EventType::EpiFree, KFn::ep_remove, ep->id, epi->id);
    spare_epis_.give(epis_[epi->id - 1]);
    --user_watches_;
    ep_put(ep);
}

void Kernel::ep_put(Eventpoll* ep) {
    assert(ep->refcount > 0);
    if (--ep->refcount == 0) ep_free(ep);
}

void Kernel::ep_free(Eventpoll* ep) {
    emit(EventType::EpFree, KFn::ep_free, ep->id);
    eps_[ep->id - 1].reset();
}

}  // namespace epsim
