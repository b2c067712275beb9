// host_exec.h - runs one CallSpec as one real syscall in the calling thread (HostBackend).
//
// Used by the in-process workers and by the forked child's server loop. Every call is a raw
// syscall(2), so the syscall number a sleeping task shows in /proc/TID/syscall is exactly the
// one recorded in `in_syscall` (glibc wrappers may pick another entry point: epoll_wait ->
// epoll_pwait on some ports, pipe2, accept4, ...).
#pragma once
#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "backend.h"

namespace epsim::scn::hostexec {

// Per-thread state of the executor: reused buffers, the name prefix, the in-syscall flag.
struct ExecContext {
    // "epsim.<pid>.<instance>." : scenario socket names are made unique per backend instance.
    std::string name_prefix;
    // Holds the syscall number while the thread is inside the call's syscall, -1 otherwise
    // (lives in the worker, or in memory shared with the parent for a forked child).
    std::atomic<int>* in_syscall = nullptr;
    std::vector<unsigned char> io;   // read/write buffer, grows up to kIoCap
    std::vector<epoll_event> ev;     // epoll_wait buffer, grows up to kEvCap events
};

inline constexpr std::size_t kIoCap = 64u << 20;  // largest read/write buffer on the heap
inline constexpr int kEvCap = 65536;              // largest epoll_wait buffer on the heap

// The x86-64 syscall number a CallKind runs as.
long syscall_nr(CallKind k);

// Runs the call; err = errno of a failed call. Never throws for kernel errors.
CallResult execute(const CallSpec& c, ExecContext& ctx);

// The abstract socket name (without the leading NUL) a scenario name maps to: prefix + name,
// or prefix + "#" + a hash of the name when that would not fit in sun_path. Names longer
// than the kernel allows are passed through untouched (the kernel then answers EINVAL).
std::string abstract_name(const std::string& prefix, const std::string& name);

}  // namespace epsim::scn::hostexec
