// host_proc.cpp - /proc parsing for HostBackend (task state, blocking syscall, wchan, fdinfo).
#include "host_proc.h"

#include "fdinfo_parse.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

namespace epsim::scn::hostproc {

std::optional<std::string> read_text(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    std::string out;
    char buf[4096];
    for (;;) {
        ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            ::close(fd);
            errno = e;
            return std::nullopt;
        }
        if (n == 0) break;
        out.append(buf, static_cast<std::size_t>(n));
    }
    ::close(fd);
    return out;
}

namespace {
std::string proc_root(pid_t pid) { return pid == 0 ? std::string("/proc/self") : "/proc/" + std::to_string(pid); }
}  // namespace

std::string task_dir(pid_t pid, pid_t tid) { return proc_root(pid) + "/task/" + std::to_string(tid); }

char parse_stat_state(std::string_view stat) {
    std::size_t close = stat.rfind(')');
    if (close == std::string_view::npos) return 0;
    std::size_t i = close + 1;
    while (i < stat.size() && stat[i] == ' ') ++i;
    return i < stat.size() ? stat[i] : 0;
}

char task_state(pid_t pid, pid_t tid) {
    auto text = read_text(task_dir(pid, tid) + "/stat");
    return text ? parse_stat_state(*text) : 0;
}

long parse_syscall_nr(std::string_view text) {
    if (text.empty() || text[0] < '0' || text[0] > '9') return -1;  // "running", or "-1 ..."
    long nr = 0;
    for (char c : text) {
        if (c < '0' || c > '9') break;
        nr = nr * 10 + (c - '0');
    }
    return nr;
}

long task_syscall(pid_t pid, pid_t tid) {
    auto text = read_text(task_dir(pid, tid) + "/syscall");
    return text ? parse_syscall_nr(*text) : -1;
}

std::string task_wchan(pid_t pid, pid_t tid) {
    auto text = read_text(task_dir(pid, tid) + "/wchan");
    if (!text) return {};
    while (!text->empty() && (text->back() == '\n' || text->back() == '\0')) text->pop_back();
    return *text;
}

bool sleeping_in(pid_t pid, pid_t tid, long nr) {
    // The syscall file names a number only while the task is off the CPU; 'S' then says the
    // sleep is an interruptible wait (not a preemption, not an uninterruptible lock).
    if (task_syscall(pid, tid) != nr) return false;
    return task_state(pid, tid) == 'S';
}

bool blocked_in_epoll_wait(pid_t pid, pid_t tid) {
    long nr = task_syscall(pid, tid);
    if (nr != 232 && nr != 281 && nr != 441) return false;  // epoll_wait, epoll_pwait, epoll_pwait2
    return task_wchan(pid, tid) == "do_epoll_wait";
}

std::optional<std::vector<FdinfoItem>> fdinfo(pid_t pid, int fd) {
    if (fd < 0) return std::nullopt;
    auto text = read_text(proc_root(pid) + "/fdinfo/" + std::to_string(fd));
    if (!text) return std::nullopt;
    return parse_fdinfo_items(*text);
}

int count_fds(pid_t pid) {
    DIR* d = ::opendir((proc_root(pid) + "/fd").c_str());
    if (!d) return -1;
    int n = 0;
    while (dirent* e = ::readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) ++n;
    ::closedir(d);
    return n - (pid == 0 ? 1 : 0);  // our own directory fd shows up in /proc/self/fd
}

}  // namespace epsim::scn::hostproc
