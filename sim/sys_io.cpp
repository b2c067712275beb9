// sys_io.cpp - the file syscalls that are not epoll's: read, write, close, dup, dup2, fcntl,
// poll(2) and open() of a regular file.
#include "kernel.h"

namespace epsim {

SysResult Kernel::open_regular(ObjId t, int flags) {
    return run_syscall(
        t, Sys::open, [] { return std::string("open(\"file\", O_RDWR)"); },
        [=](Kernel& k) { k.open_regular(t, flags); },
        [&]() -> SysResult {
            if (alloc_fd(proc_mut(t)) < 0) return SysResult::fail(EMFILE);
            auto* f = new_file<RegularFile>();
            f->f_flags = flags & ~O_CLOEXEC;
            return install_fd(t, f, flags & O_CLOEXEC);
        });
}

SysResult Kernel::read(ObjId t, int fd, std::uint64_t len) {
    return run_syscall(
        t, Sys::read,
        [&] {
            CallArgs c;
            c.a = fd;
            c.w = len;
            return c;
        },
        nullptr,
        [&]() -> SysResult {
            File* f = fget(t, fd);
            if (!f) return SysResult::fail(EBADF);
            return f->read(*this, len);
        });
}

SysResult Kernel::write(ObjId t, int fd, std::uint64_t len, std::uint64_t value) {
    return run_syscall(
        t, Sys::write,
        [&] {
            CallArgs c;
            File* f = fget(t, fd);
            c.flags = f && f->kind == FileKind::Eventfd ? kCallEventfd : 0;  // the text shows the value
            c.a = fd;
            c.w = len;
            c.v = value;
            return c;
        },
        nullptr,
        [&]() -> SysResult {
            File* f = fget(t, fd);
            if (!f) return SysResult::fail(EBADF);
            return f->write(*this, len, value);
        });
}

SysResult Kernel::close(ObjId t, int fd) {
    return run_syscall(
        t, Sys::close,
        [&] {
            CallArgs c;
            c.a = fd;
            return c;
        },
        nullptr,
        [&]() -> SysResult {
            File* f = fget(t, fd);
            if (!f) return SysResult::fail(EBADF);
            // The last close takes ep->mtx of every epoll watching the file: refuse up front
            // if a paused harvest holds one (the model cannot sleep here).
            if (f->f_count == 1)
                for (ListHead* l = f->f_ep.next; l != &f->f_ep; l = l->next) require_mtx_free(epi_of_fllink(l)->ep, 0);
            fd_close(proc_mut(t), fd);
            return SysResult::ok(0);
        });
}

SysResult Kernel::dup(ObjId t, int fd) {
    return run_syscall(
        t, Sys::dup, [&] { return "dup(" + std::to_string(fd) + ")"; }, [=](Kernel& k) { k.dup(t, fd); },
        [&]() -> SysResult {
            File* f = fget(t, fd);
            if (!f) return SysResult::fail(EBADF);
            if (alloc_fd(proc_mut(t)) < 0) return SysResult::fail(EMFILE);
            get_file(f);
            return install_fd(t, f, false);
        });
}

// dup2: same fd -> returns it (if open); an open newfd is closed first, silently.
SysResult Kernel::dup2(ObjId t, int oldfd, int newfd) {
    return run_syscall(
        t, Sys::dup2, [&] { return "dup2(" + std::to_string(oldfd) + ", " + std::to_string(newfd) + ")"; },
        [=](Kernel& k) { k.dup2(t, oldfd, newfd); },
        [&]() -> SysResult {
            File* f = fget(t, oldfd);
            if (!f) return SysResult::fail(EBADF);
            Process& p = proc_mut(t);
            if (newfd < 0 || newfd >= p.nofile) return SysResult::fail(EBADF);
            if (oldfd == newfd) return SysResult::ok(newfd);
            get_file(f);
            if (newfd >= static_cast<int>(p.fds.size())) p.fds.resize(newfd + 1);
            File* old = p.fds[newfd].file;
            p.fds[newfd] = FdSlot{f, false};
            emit(EventType::FdInstall, KFn::do_dup2, p.id, f->id, 0, static_cast<std::uint64_t>(newfd));
            if (old) {
                emit(EventType::FdClose, KFn::do_dup2, p.id, old->id, 0, static_cast<std::uint64_t>(newfd));
                fput(old);
            }
            return SysResult::ok(newfd);
        });
}

SysResult Kernel::fcntl(ObjId t, int fd, int cmd, long arg) {
    return run_syscall(
        t, Sys::fcntl,
        [&] { return "fcntl(" + std::to_string(fd) + ", " + std::to_string(cmd) + ", " + std::to_string(arg) + ")"; },
        [=](Kernel& k) { k.fcntl(t, fd, cmd, arg); },
        [&]() -> SysResult {
            File* f = fget(t, fd);
            if (!f) return SysResult::fail(EBADF);
            Process& p = proc_mut(t);
            switch (cmd) {
                case F_GETFL: return SysResult::ok(f->f_flags);
                case F_SETFL:  // only O_NONBLOCK among the flags the model has can change
                    f->f_flags = (f->f_flags & ~O_NONBLOCK) | (static_cast<int>(arg) & O_NONBLOCK);
                    return SysResult::ok(0);
                case F_GETFD: return SysResult::ok(p.fds[fd].cloexec ? FD_CLOEXEC : 0);
                case F_SETFD: p.fds[fd].cloexec = arg & FD_CLOEXEC; return SysResult::ok(0);
                case F_DUPFD:
                case F_DUPFD_CLOEXEC: {
                    if (arg < 0 || arg >= p.nofile) return SysResult::fail(EINVAL);
                    int nfd = alloc_fd(p, static_cast<int>(arg));
                    if (nfd < 0) return SysResult::fail(EMFILE);
                    get_file(f);
                    if (nfd >= static_cast<int>(p.fds.size())) p.fds.resize(nfd + 1);
                    p.fds[nfd] = FdSlot{f, cmd == F_DUPFD_CLOEXEC};
                    emit(EventType::FdInstall, KFn::do_fcntl, p.id, f->id, 0, static_cast<std::uint64_t>(nfd));
                    return SysResult::ok(nfd);
                }
                default: return SysResult::fail(EINVAL);
            }
        });
}

// poll(2), non-blocking only: each fd's mask filtered by its events plus ERR|HUP; a closed
// fd reports POLLNVAL; a negative fd is skipped. Returns how many fds have revents.
SysResult Kernel::poll(ObjId t, std::vector<PollFd>& fds, int timeout_ms) {
    return run_syscall(
        t, Sys::poll,
        [&] {
            std::string s = "poll([";
            for (std::size_t i = 0; i < fds.size(); ++i)
                s += (i ? ", " : "") + std::string("{fd=") + std::to_string(fds[i].fd) + ", " +
                     epoll_mask_str(fds[i].events) + "}";
            return s + "], " + std::to_string(fds.size()) + ", " + std::to_string(timeout_ms) + ")";
        },
        [=](Kernel& k) {
            auto copy = fds;
            k.poll(t, copy, timeout_ms);
        },
        [&]() -> SysResult {
            if (timeout_ms != 0) throw ModelError("the model's poll() does not block: use timeout 0");
            int n = 0;
            for (auto& pfd : fds) {
                pfd.revents = 0;
                if (pfd.fd < 0) continue;
                File* f = fget(t, pfd.fd);
                if (!f) {
                    pfd.revents = POLLNVAL;
                } else {
                    PollTable none{nullptr, pfd.events | POLLERR | POLLHUP};
                    pfd.revents = vfs_poll(*f, &none, nullptr, 0) & (pfd.events | POLLERR | POLLHUP);
                }
                if (pfd.revents) ++n;
            }
            return SysResult::ok(n);
        });
}

}  // namespace epsim
