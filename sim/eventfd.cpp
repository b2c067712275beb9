// eventfd.cpp - eventfd_poll, eventfd_read, eventfd_write, eventfd_release, eventfd().
#include "eventfd.h"

#include "kernel.h"

namespace epsim {

static void log_count(Kernel& k, const EventfdFile& f, KFn fn) {
    k.emit(EventType::FileState, fn, f.id, 0, 0, f.count, static_cast<std::uint64_t>(FileStateWhat::EventfdCount));
}

std::uint32_t EventfdFile::poll(Kernel& k, PollTable* pt) {
    k.poll_wait(*this, wqh, pt);
    std::uint32_t mask = 0;
    if (count > 0) mask |= EPOLLIN;
    if (count == EVENTFD_MAX) mask |= EPOLLERR;  // only eventfd_signal saturating gets here
    if (EVENTFD_MAX - 1 > count) mask |= EPOLLOUT;
    return mask;
}

SysResult EventfdFile::read(Kernel& k, std::uint64_t len) {
    if (len < 8) return SysResult::fail(EINVAL);
    if (count == 0) {
        if (nonblocking()) return SysResult::fail(EAGAIN);
        throw ModelError("read of a zero blocking eventfd would sleep: use EFD_NONBLOCK, or write first");
    }
    std::uint64_t v = semaphore ? 1 : count;  // eventfd_ctx_do_read
    count -= v;
    log_count(k, *this, KFn::eventfd_read);
    if (wqh.active()) k.wake_up(wqh, EPOLLOUT, 1, KFn::eventfd_read);
    return SysResult::ok(8);
}

// The buffer must be exactly 8 bytes (seen on 6.18: 7, 9 and 16 are EINVAL; the reference
// text says "< 8", the real kernel checks count != sizeof(u64)).
SysResult EventfdFile::write(Kernel& k, std::uint64_t len, std::uint64_t v) {
    if (len != 8) return SysResult::fail(EINVAL);
    if (v == EVENTFD_MAX) return SysResult::fail(EINVAL);
    if (!(EVENTFD_MAX - count > v)) {
        if (nonblocking()) return SysResult::fail(EAGAIN);
        throw ModelError("write would overflow a blocking eventfd and sleep: use EFD_NONBLOCK");
    }
    count += v;
    log_count(k, *this, KFn::eventfd_write);
    if (wqh.active()) k.wake_up(wqh, EPOLLIN, 1, KFn::eventfd_write);
    return SysResult::ok(8);
}

// eventfd_release wakes with EPOLLHUP, but __fput removed this file's epitems first, so epoll
// never sees it. Pollers other than epoll are not modelled.
void EventfdFile::release(Kernel& k) {
    if (wqh.active()) k.wake_up(wqh, EPOLLHUP, 0, KFn::eventfd_release);
}

std::string EventfdFile::describe() const {
    return std::string("eventfd") + (semaphore ? " (semaphore)" : "") + ", count " + std::to_string(count);
}

SysResult Kernel::eventfd(ObjId t, std::uint64_t initval, int flags) {
    return run_syscall(
        t, Sys::eventfd2,
        [&] { return "eventfd2(" + std::to_string(initval) + ", " + std::to_string(flags) + ")"; },
        [=](Kernel& k) { k.eventfd(t, initval, flags); },
        [&]() -> SysResult {
            if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) return SysResult::fail(EINVAL);
            if (alloc_fd(proc_mut(t)) < 0) return SysResult::fail(EMFILE);
            auto* f = new_file<EventfdFile>(initval, flags & EFD_NONBLOCK);
            f->semaphore = flags & EFD_SEMAPHORE;
            f->ino = 0x40e;  // anon_inode: shared by every anon-inode file
            init_wq(f->wqh);
            return install_fd(t, f, flags & EFD_CLOEXEC);
        });
}

}  // namespace epsim
