// memory_probe.cpp - see memory_probe.h.
#include "memory_probe.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>

namespace epsim::perf {

std::optional<std::uint64_t> child_peak_rss(const std::function<std::uint64_t()>& work, std::uint64_t* value) {
    std::fflush(nullptr);  // the child must not flush the parent's buffered output again
    int p[2];
    if (pipe(p) != 0) return std::nullopt;
    const pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return std::nullopt;
    }
    if (pid == 0) {
        close(p[0]);
        std::uint64_t msg[2] = {0, 0};
        try {
            msg[1] = work();
            rusage ru{};
            getrusage(RUSAGE_SELF, &ru);
            msg[0] = static_cast<std::uint64_t>(ru.ru_maxrss) * 1024;  // ru_maxrss is in KiB
        } catch (...) {
            msg[0] = 0;
        }
        ssize_t w = write(p[1], msg, sizeof msg);
        _exit(w == sizeof msg && msg[0] ? 0 : 1);
    }
    close(p[1]);
    std::uint64_t msg[2] = {0, 0};
    const ssize_t got = read(p[0], msg, sizeof msg);
    close(p[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (got != sizeof msg || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
    if (value) *value = msg[1];
    return msg[0];
}

std::optional<std::uint64_t> peak_rss_of(const std::function<std::uint64_t()>& work, std::uint64_t* value) {
    auto base = child_peak_rss([] { return std::uint64_t{0}; });
    auto used = child_peak_rss(work, value);
    if (!base || !used) return std::nullopt;
    return *used > *base ? *used - *base : 0;
}

}  // namespace epsim::perf
