// host_proc.h - what /proc says about a task and about an epoll fd: HostBackend's eyes.
//
// `pid` 0 means this process (/proc/self/...); otherwise /proc/PID/... (a forked child).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "backend.h"

namespace epsim::scn::hostproc {

// The whole of a small /proc file; nullopt if it cannot be opened (errno is kept).
std::optional<std::string> read_text(const std::string& path);

// The task directory: /proc/self/task/TID or /proc/PID/task/TID.
std::string task_dir(pid_t pid, pid_t tid);

// The state letter from .../stat ('R', 'S', 'D', ...), 0 if unreadable. The command name in
// parentheses may hold spaces and ')': the state follows the last ')'.
char task_state(pid_t pid, pid_t tid);
char parse_stat_state(std::string_view stat);

// The syscall number in .../syscall. The kernel prints a number only while the task is off
// the CPU (blocked); "running" (or an unreadable file) gives -1.
long task_syscall(pid_t pid, pid_t tid);
long parse_syscall_nr(std::string_view text);

// .../wchan without a trailing newline ("do_epoll_wait"); empty if unreadable.
std::string task_wchan(pid_t pid, pid_t tid);

// True if the task sleeps interruptibly ('S') inside syscall `nr`.
bool sleeping_in(pid_t pid, pid_t tid, long nr);

// True if the task sleeps in epoll_wait / epoll_pwait / epoll_pwait2 (wchan do_epoll_wait).
bool blocked_in_epoll_wait(pid_t pid, pid_t tid);

// /proc/PID/fdinfo/FD, its "tfd:" lines parsed in file order; nullopt if the fd is not open.
std::optional<std::vector<FdinfoItem>> fdinfo(pid_t pid, int fd);

// The number of entries in /proc/PID/fd (-1 if unreadable).
int count_fds(pid_t pid);

}  // namespace epsim::scn::hostproc
