// uapi.h - the user-visible constants of the model, with Linux's values.
//
// sim/ may not include host headers such as <sys/epoll.h> (the model must build and
// behave the same on any host), so the values from include/uapi/linux/eventpoll.h,
// asm-generic/fcntl.h, linux/eventfd.h and asm-generic/errno-base.h are restated here.
#pragma once
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>

namespace epsim {

// ---- epoll_ctl ops (include/uapi/linux/eventpoll.h) ----
inline constexpr int EPOLL_CTL_ADD = 1;
inline constexpr int EPOLL_CTL_DEL = 2;
inline constexpr int EPOLL_CTL_MOD = 3;

// ---- event bits (__poll_t) ----
inline constexpr std::uint32_t EPOLLIN = 0x00000001;
inline constexpr std::uint32_t EPOLLPRI = 0x00000002;
inline constexpr std::uint32_t EPOLLOUT = 0x00000004;
inline constexpr std::uint32_t EPOLLERR = 0x00000008;
inline constexpr std::uint32_t EPOLLHUP = 0x00000010;
inline constexpr std::uint32_t EPOLLNVAL = 0x00000020;
inline constexpr std::uint32_t EPOLLRDNORM = 0x00000040;
inline constexpr std::uint32_t EPOLLRDBAND = 0x00000080;
inline constexpr std::uint32_t EPOLLWRNORM = 0x00000100;
inline constexpr std::uint32_t EPOLLWRBAND = 0x00000200;
inline constexpr std::uint32_t EPOLLMSG = 0x00000400;
inline constexpr std::uint32_t EPOLLRDHUP = 0x00002000;
inline constexpr std::uint32_t POLLFREE = 0x00004000;  // internal: the wait queue is being freed
inline constexpr std::uint32_t EPOLL_URING_WAKE = 1u << 27;
inline constexpr std::uint32_t EPOLLEXCLUSIVE = 1u << 28;
inline constexpr std::uint32_t EPOLLWAKEUP = 1u << 29;
inline constexpr std::uint32_t EPOLLONESHOT = 1u << 30;
inline constexpr std::uint32_t EPOLLET = 1u << 31;

// fs/eventpoll.c: bits that are "private" (not events). An item whose mask has no bit outside
// this set is disarmed (a consumed EPOLLONESHOT).
inline constexpr std::uint32_t EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
inline constexpr std::uint32_t EPOLLINOUT_BITS = EPOLLIN | EPOLLOUT;
inline constexpr std::uint32_t EPOLLEXCLUSIVE_OK_BITS =
    EPOLLINOUT_BITS | EPOLLERR | EPOLLHUP | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
inline constexpr int EP_MAX_NESTS = 4;
// INT_MAX / sizeof(struct epoll_event); the struct is packed to 12 bytes on x86-64.
inline constexpr int EP_MAX_EVENTS = 2147483647 / 12;

// ---- open flags (asm-generic/fcntl.h, octal as the kernel writes them) ----
inline constexpr int O_RDONLY = 00;
inline constexpr int O_WRONLY = 01;
inline constexpr int O_RDWR = 02;
inline constexpr int O_NONBLOCK = 04000;
inline constexpr int O_CLOEXEC = 02000000;
inline constexpr int EPOLL_CLOEXEC = O_CLOEXEC;
inline constexpr int EFD_SEMAPHORE = 1;
inline constexpr int EFD_NONBLOCK = O_NONBLOCK;
inline constexpr int EFD_CLOEXEC = O_CLOEXEC;
inline constexpr int SOCK_NONBLOCK = O_NONBLOCK;
inline constexpr int SOCK_CLOEXEC = O_CLOEXEC;

// fcntl commands
inline constexpr int F_DUPFD = 0;
inline constexpr int F_GETFD = 1;
inline constexpr int F_SETFD = 2;
inline constexpr int F_GETFL = 3;
inline constexpr int F_SETFL = 4;
inline constexpr int F_DUPFD_CLOEXEC = 1030;
inline constexpr int FD_CLOEXEC = 1;

// shutdown(2)
inline constexpr int SHUT_RD = 0;
inline constexpr int SHUT_WR = 1;
inline constexpr int SHUT_RDWR = 2;
// include/net/sock.h
inline constexpr int RCV_SHUTDOWN = 1;
inline constexpr int SEND_SHUTDOWN = 2;
inline constexpr int SHUTDOWN_MASK = 3;

// poll(2) bits are the same numbers as the EPOLL* ones.
inline constexpr std::uint32_t POLLIN = EPOLLIN;
inline constexpr std::uint32_t POLLOUT = EPOLLOUT;
inline constexpr std::uint32_t POLLERR = EPOLLERR;
inline constexpr std::uint32_t POLLHUP = EPOLLHUP;
inline constexpr std::uint32_t POLLNVAL = EPOLLNVAL;

// ---- errno values ----
// The model returns the standard <cerrno> names; their numbers must be Linux's
// (asm-generic/errno-base.h, errno.h) since traces compare them with the real kernel's.
static_assert(EPERM == 1 && ENOENT == 2 && EINTR == 4 && EBADF == 9 && EAGAIN == 11 && ENOMEM == 12);
static_assert(EFAULT == 14 && EEXIST == 17 && EINVAL == 22 && ENFILE == 23 && EMFILE == 24);
static_assert(ENOSPC == 28 && EPIPE == 32 && ELOOP == 40 && ENOTSOCK == 88 && EOPNOTSUPP == 95);
static_assert(EADDRINUSE == 98 && ECONNRESET == 104 && EISCONN == 106 && ENOTCONN == 107);
static_assert(ECONNREFUSED == 111);

// Symbolic names, for traces and diagnostics ("EEXIST", "EPOLLIN|EPOLLET").
const char* errno_name(int e);
int errno_from_name(const char* name);  // 0 if unknown
// Renders a mask as "EPOLLIN|EPOLLOUT" ("0" for no bits; unknown bits in hex).
std::string_view epoll_bit_name(std::uint32_t bit);  // "" if not a known single bit
std::string epoll_mask_str(std::uint32_t mask);
// Parses "EPOLLIN|EPOLLET" or a number; returns false on an unknown name.
bool parse_epoll_mask(std::string_view text, std::uint32_t& out);
}  // namespace epsim
