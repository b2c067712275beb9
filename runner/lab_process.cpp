// lab_process.cpp - fork/exec with a pipe, a deadline and a process-group kill.
#include "runner/lab_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

extern char** environ;

namespace epsim::lab {

std::string ProcResult::verdict() const {
    if (!started) return "could not start";
    if (timed_out) return "timed out";
    if (signal) return std::string("killed by signal ") + std::to_string(signal) + " (" + strsignal(signal) + ")";
    return "exit " + std::to_string(exit_code);
}

ProcResult run_process(const std::vector<std::string>& argv, const std::string& cwd, double timeout_s,
                       std::size_t max_output) {
    ProcResult r;
    // Everything the child needs is built before fork: after it, only exec-safe calls.
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "LC_ALL=", 7) != 0) env_store.emplace_back(*e);
    env_store.emplace_back("LC_ALL=C");  // ASCII compiler messages, valid in JSON
    std::vector<char*> envp;
    for (std::string& e : env_store) envp.push_back(e.data());
    envp.push_back(nullptr);

    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        r.output = std::string("pipe: ") + std::strerror(errno);
        return r;
    }
    const auto t0 = std::chrono::steady_clock::now();
    pid_t pid = fork();
    if (pid < 0) {
        r.output = std::string("fork: ") + std::strerror(errno);
        ::close(fds[0]);
        ::close(fds[1]);
        return r;
    }
    if (pid == 0) {
        setpgid(0, 0);  // its own group: a timeout kills the test and anything it started
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        if (!cwd.empty() && chdir(cwd.c_str()) != 0) _exit(126);
        execvpe(args[0], args.data(), envp.data());
        const char msg[] = "exec failed: program not found or not executable\n";
        ssize_t ignored = write(2, msg, sizeof msg - 1);
        (void)ignored;
        _exit(127);
    }
    setpgid(pid, pid);  // also here: no race with the child's own call
    ::close(fds[1]);
    r.started = true;
    std::size_t dropped = 0;
    char buf[4096];
    bool open_pipe = true;
    while (open_pipe) {
        const double left = timeout_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (left <= 0) {
            r.timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int n = poll(&p, 1, static_cast<int>(std::min(left, 60.0) * 1000) + 1);  // poll again at least every minute
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) continue;  // the deadline check above ends the loop
        ssize_t got = read(fds[0], buf, sizeof buf);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) {
            open_pipe = false;
            break;
        }
        std::size_t keep = std::min<std::size_t>(static_cast<std::size_t>(got), max_output - std::min(max_output, r.output.size()));
        r.output.append(buf, keep);
        dropped += static_cast<std::size_t>(got) - keep;
    }
    ::close(fds[0]);
    if (r.timed_out) kill(-pid, SIGKILL);
    int status = 0;
    // The pipe closed: the child is exiting (or a grandchild kept the pipe open; give it the
    // remaining time, then kill the group).
    // waitpid: 0 = still running; -1 with EINTR = ask again; any other -1 fails closed below.
    pid_t waited = 0;
    while ((waited = waitpid(pid, &status, r.timed_out ? 0 : WNOHANG)) == 0 || (waited == -1 && errno == EINTR)) {
        const double left = timeout_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (left <= 0) {
            r.timed_out = true;
            kill(-pid, SIGKILL);
            continue;
        }
        usleep(2000);
    }
    if (!r.timed_out && waited == -1) {  // the child's status is lost: never a pass
        r.exit_code = -1;
        r.output += "\n[waitpid failed: " + std::string(std::strerror(errno)) + "]\n";
    } else if (!r.timed_out) {
        if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
        if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
        if (r.exit_code == 127 && r.output.find("exec failed") != std::string::npos) r.started = false;
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (dropped) r.output += "\n[... " + std::to_string(dropped) + " more bytes of output cut]\n";
    return r;
}

}  // namespace epsim::lab
