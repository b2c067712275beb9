// file.cpp - defaults of struct file operations, and the regular file.
#include "kernel.h"

namespace epsim {

// A file type without ->read/->write: the kernel answers EINVAL.
SysResult File::read(Kernel&, std::uint64_t) { return SysResult::fail(EINVAL); }
SysResult File::write(Kernel&, std::uint64_t, std::uint64_t) { return SysResult::fail(EINVAL); }

std::uint32_t RegularFile::poll(Kernel&, PollTable*) {
    // Never reached through epoll (file_can_poll is false). poll(2) on a regular file reports
    // DEFAULT_POLLMASK: always readable and writable.
    return EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM;
}

SysResult RegularFile::read(Kernel&, std::uint64_t len) {
    std::uint64_t n = pos < size ? std::min(len, size - pos) : 0;
    pos += n;
    return SysResult::ok(static_cast<std::int64_t>(n));
}

SysResult RegularFile::write(Kernel&, std::uint64_t len, std::uint64_t) {
    pos += len;
    size = std::max(size, pos);
    return SysResult::ok(static_cast<std::int64_t>(len));
}

}  // namespace epsim
