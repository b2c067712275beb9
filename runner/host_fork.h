// host_fork.h - a forked child that serves CallSpecs (HostBackend's fork()).
//
// The child runs each call in its only thread and answers with the CallResult over a
// SOCK_STREAM socketpair (length-prefixed messages). It exits on a quit message or when the
// socket closes, and it has PR_SET_PDEATHSIG = SIGKILL, so it never outlives the backend.
// Whether it is inside a call's syscall is published in memory shared with the parent.
#pragma once
#include <sys/types.h>

#include <atomic>
#include <optional>
#include <string>
#include <vector>

#include "backend.h"

namespace epsim::scn::hostexec {

// Memory shared between the parent and one child (MAP_SHARED page).
struct ChildShared {
    std::atomic<int> in_syscall{-1};  // the child's ExecContext::in_syscall
};
static_assert(std::atomic<int>::is_always_lock_free, "the flag is shared across processes");

struct ChildHandle {
    pid_t pid = -1;
    int sock = -1;                 // the parent's end of the channel
    ChildShared* shared = nullptr; // munmap with unmap_shared()
    int err = 0;                   // errno if spawning failed (pid == -1)
};

// fork()s from the calling thread. The child closes `close_in_child` (other children's
// channels), then serves calls until told to quit. Returns in the parent only.
ChildHandle spawn_child(const std::string& name_prefix, const std::vector<int>& close_in_child);
void unmap_shared(ChildShared* s);

// Parent side: one call over the channel (blocks until the child answers). nullopt if the
// child is gone (the socket closed).
std::optional<CallResult> remote_call(int sock, const CallSpec& c);
// Asks the child to exit (best effort; the child also exits when the socket closes).
void send_quit(int sock);

// Moves an internal fd to a high number (>= 1000 when the limit allows), so that it neither
// shifts the scenario's fd numbers (the kernel hands out the lowest free one) nor gets hit by
// a dup2 onto a small number. Returns the fd to use (the old one if it could not move).
int move_fd_high(int fd);

// The wire format (exposed for the tests).
std::vector<char> encode_call(const CallSpec& c);
std::optional<CallSpec> decode_call(const std::vector<char>& msg);
std::vector<char> encode_result(const CallResult& r);
std::optional<CallResult> decode_result(const std::vector<char>& msg);

}  // namespace epsim::scn::hostexec
