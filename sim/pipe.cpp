// pipe.cpp - pipe_write, pipe_read, pipe_poll, pipe_release and pipe2().
#include "pipe.h"

#include "kernel.h"

namespace epsim {

std::uint64_t PipeInode::bytes() const {
    std::uint64_t n = 0;
    for (const auto& b : bufs) n += b.len;
    return n;
}

// How many of `total` bytes pipe_write can take without sleeping: the merge into the last
// slot, then whole free slots.
static std::uint64_t room_for(const PipeInode& p, std::uint64_t total) {
    std::uint64_t room = (p.max_usage - p.bufs.size()) * std::uint64_t{PIPE_PAGE_SIZE};
    std::uint64_t chars = total & (PIPE_PAGE_SIZE - 1);
    if (chars && !p.empty() && p.bufs.back().offset + p.bufs.back().len + chars <= PIPE_PAGE_SIZE) room += chars;
    return room;
}

static void log_pipe(Kernel& k, const PipeFile& f, KFn fn) {
    k.emit(EventType::FileState, fn, f.id, 0, 0, f.pipe->bytes(), static_cast<std::uint64_t>(FileStateWhat::PipeBytes));
}

// pipe_poll: the sticky poll_usage is set by every poll, including epoll's registration poll.
std::uint32_t PipeFile::poll(Kernel& k, PollTable* pt) {
    PipeInode& p = *pipe;
    if (!p.poll_usage) {
        p.poll_usage = true;
        k.emit(EventType::FileState, KFn::pipe_poll, id, 0, 0, 1, static_cast<std::uint64_t>(FileStateWhat::PipePollUsage));
    }
    if (is_read_end)
        k.poll_wait(*this, p.rd_wait, pt);
    else
        k.poll_wait(*this, p.wr_wait, pt);
    std::uint32_t mask = 0;
    if (is_read_end) {
        if (!p.empty()) mask |= EPOLLIN | EPOLLRDNORM;
        if (p.writers == 0) mask |= EPOLLHUP;  // anonymous pipes never suppress HUP
    } else {
        if (!p.full()) mask |= EPOLLOUT | EPOLLWRNORM;
        if (p.readers == 0) mask |= EPOLLERR;
    }
    return mask;
}

SysResult PipeFile::write(Kernel& k, std::uint64_t total, std::uint64_t) {
    if (is_read_end) return SysResult::fail(EBADF);  // not open for writing
    if (total == 0) return SysResult::ok(0);
    PipeInode& p = *pipe;
    std::int64_t ret = 0;
    int error = 0;
    bool was_empty = false;
    std::uint64_t left = total;
    if (p.readers == 0) {
        error = EPIPE;  // SIGPIPE is raised too; the model's tasks ignore it
    } else {
        was_empty = p.empty();
        if (!nonblocking() && total > room_for(p, total))
            throw ModelError("write of " + std::to_string(total) +
                             " bytes would fill this blocking pipe and sleep: use O_NONBLOCK, or read first");
        // Merge the len % PAGE_SIZE part into the last slot if it fits there.
        std::uint64_t chars = total & (PIPE_PAGE_SIZE - 1);
        if (chars && !was_empty) {
            PipeBuffer& last = p.bufs.back();
            if (last.offset + last.len + chars <= PIPE_PAGE_SIZE) {
                last.len += static_cast<std::uint32_t>(chars);
                ret += static_cast<std::int64_t>(chars);
                left -= chars;
            }
        }
        while (left > 0) {
            if (p.full()) {  // O_NONBLOCK (a blocking write was refused above)
                if (ret == 0) error = EAGAIN;
                break;
            }
            auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(left, PIPE_PAGE_SIZE));
            p.bufs.push_back(PipeBuffer{0, n});
            ret += n;
            left -= n;
        }
    }
    if (ret > 0) log_pipe(k, *this, KFn::pipe_write);
    // Epoll "wants a wakeup whether the pipe was already empty or not" (poll_usage).
    if (was_empty || p.poll_usage) k.wake_up(p.rd_wait, EPOLLIN | EPOLLRDNORM, 1, KFn::pipe_write);
    return error && ret == 0 ? SysResult::fail(error) : SysResult::ok(ret);
}

SysResult PipeFile::read(Kernel& k, std::uint64_t total) {
    if (!is_read_end) return SysResult::fail(EBADF);  // not open for reading
    if (total == 0) return SysResult::ok(0);
    PipeInode& p = *pipe;
    if (p.empty()) {
        if (p.writers == 0) return SysResult::ok(0);  // EOF
        if (nonblocking()) return SysResult::fail(EAGAIN);
        throw ModelError("read from an empty blocking pipe would sleep: use O_NONBLOCK, or write first");
    }
    std::int64_t ret = 0;
    bool wake_writer = false;
    while (total > 0 && !p.empty()) {
        PipeBuffer& b = p.bufs.front();
        auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(total, b.len));
        b.offset += n;
        b.len -= n;
        ret += n;
        total -= n;
        if (b.len == 0) {
            wake_writer |= p.full();  // freeing a slot of a full pipe
            p.bufs.pop_front();
        }
    }
    log_pipe(k, *this, KFn::pipe_read);
    if (wake_writer) k.wake_up(p.wr_wait, EPOLLOUT | EPOLLWRNORM, 1, KFn::pipe_read);
    return SysResult::ok(ret);
}

// pipe_release: when one side is gone and the other is not, wake everyone on both queues
// with no key, so every hooked epitem is queued and re-polled (HUP on the read end, ERR on
// the write end).
void PipeFile::release(Kernel& k) {
    PipeInode& p = *pipe;
    if (is_read_end) {
        --p.readers;
        k.emit(EventType::FileState, KFn::pipe_release, id, 0, 0, static_cast<std::uint64_t>(p.readers),
               static_cast<std::uint64_t>(FileStateWhat::PipeReaders));
    } else {
        --p.writers;
        k.emit(EventType::FileState, KFn::pipe_release, id, 0, 0, static_cast<std::uint64_t>(p.writers),
               static_cast<std::uint64_t>(FileStateWhat::PipeWriters));
    }
    if ((p.readers == 0) != (p.writers == 0)) {
        k.wake_up(p.rd_wait, 0, 0, KFn::pipe_release);
        k.wake_up(p.wr_wait, 0, 0, KFn::pipe_release);
    }
}

std::string PipeFile::describe() const {
    return std::string("pipe ") + (is_read_end ? "r" : "w") + ", " + std::to_string(pipe->bytes()) + " bytes in " +
           std::to_string(pipe->bufs.size()) + "/" + std::to_string(pipe->max_usage) + " slots";
}

// pipe2(): O_NONBLOCK and O_CLOEXEC are the flags the model accepts (O_DIRECT is not modelled).
SysResult Kernel::pipe2(ObjId t, int out[2], int flags) {
    return run_syscall(
        t, Sys::pipe2,
        [&] { return "pipe2([...], " + std::string(flags & O_NONBLOCK ? "O_NONBLOCK" : "0") + ")"; },
        [=](Kernel& k) {
            int d[2];
            k.pipe2(t, d, flags);
        },
        [&]() -> SysResult {
            if (flags & ~(O_NONBLOCK | O_CLOEXEC)) return SysResult::fail(EINVAL);
            Process& p = proc_mut(t);
            int r = alloc_fd(p);
            int w = r < 0 ? -1 : alloc_fd(p, r + 1);
            if (r < 0 || w < 0) return SysResult::fail(EMFILE);
            auto inode = std::make_shared<PipeInode>();
            init_wq(inode->rd_wait);
            init_wq(inode->wr_wait);
            inode->readers = inode->writers = 1;
            auto* rf = new_file<PipeFile>(inode, true, flags & O_NONBLOCK);
            auto* wf = new_file<PipeFile>(inode, false, flags & O_NONBLOCK);
            rf->ino = wf->ino = 0x2000 + rf->id;
            inode->read_file = rf->id;
            inode->write_file = wf->id;
            out[0] = static_cast<int>(install_fd(t, rf, flags & O_CLOEXEC).ret);
            out[1] = static_cast<int>(install_fd(t, wf, flags & O_CLOEXEC).ret);
            return SysResult::ok(0);
        });
}

}  // namespace epsim
