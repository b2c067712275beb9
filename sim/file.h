// file.h - struct file (an open file description) and the poll table.
//
// A File is what an fd points at. dup/fork share one File (f_count counts the references);
// epoll keys its registrations by (File, fd). Each File has an opaque "address" from a seeded
// counter: the rb tree orders epitems by it, as the kernel orders them by struct file pointer.
//
// Invariant: f_count == fd-table slots pointing here + references held by sleeping syscalls.
// When it drops to 0, Kernel::fput_last runs: eventpoll_release (silent removal of every epitem
// watching this file) and then the type's release().
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "event_log.h"
#include "list.h"
#include "relocate.h"

namespace epsim {

class Kernel;
struct CloneContext;
struct Epitem;
struct Task;
struct WaitQueueHead;

enum class FileKind : std::uint8_t { Pipe, Eventfd, UnixSocket, Regular, Epoll };
const char* file_kind_name(FileKind);

// poll_table: when `epi` is set, each poll_wait() hooks that epitem onto the queue
// (ep_ptable_queue_proc); when null, poll_wait() registers nothing (a re-poll).
struct PollTable {
    Epitem* epi = nullptr;
    std::uint32_t key = ~0u;  // _key: the interest mask
};

// The result of a syscall: ret, or -1 with errno. `blocked` means the task went to sleep and
// the result arrives later (Task::result).
struct SysResult {
    std::int64_t ret = 0;
    int err = 0;
    bool blocked = false;
    static SysResult ok(std::int64_t v) { return {v, 0, false}; }
    static SysResult fail(int e) { return {-1, e, false}; }
    bool failed() const { return err != 0; }
};

class File {
public:
    File(FileKind k, int flags) : kind(k), f_flags(flags) {}
    virtual ~File() = default;
    File(const File&) = delete;
    File& operator=(const File&) = delete;

    const FileKind kind;
    int f_flags;             // O_NONBLOCK and the access mode (O_RDONLY/O_WRONLY/O_RDWR)
    ObjId id = 0;
    std::uint64_t addr = 0;  // opaque "kernel address": rb-tree key, seeded counter
    std::uint64_t ino = 0;   // shown by fdinfo
    long f_count = 1;
    // file->f_ep: epitems (in any epoll) watching this file, linked through Epitem::fllink.
    // For an epoll file this is that eventpoll's `refs`.
    ListHead f_ep;
    // tfile_check_list membership (list_file): files whose wake-up paths ep_insert checks.
    bool on_check_list = false;

    bool nonblocking() const { return (f_flags & 04000) != 0; }
    virtual bool can_poll() const { return true; }  // file_can_poll()
    // ->poll: the current readiness mask; calls kernel.poll_wait() for each of its queues.
    virtual std::uint32_t poll(Kernel& k, PollTable* pt) = 0;
    // ->release: the last reference is gone (after eventpoll_release).
    virtual void release(Kernel&) {}
    // read(2)/write(2) with byte counts (the model moves sizes, not bytes). `value` is the
    // 8-byte number an eventfd write carries.
    virtual SysResult read(Kernel&, std::uint64_t len);
    virtual SysResult write(Kernel&, std::uint64_t len, std::uint64_t value);
    virtual std::string describe() const = 0;  // "pipe r", "eventfd count=2"

    // Kernel::clone() (clone.cpp), pass 1: an object of the same type, registered with
    // ctx.reloc; pass 2: copy every field from `src` (same type), relocating pointers. A type
    // with a new field copies it in its clone_fields; File's own fields are in clone_base.
    virtual std::unique_ptr<File> clone_shell(CloneContext& ctx) const = 0;
    virtual void clone_fields(const File& src, CloneContext& ctx) = 0;

protected:
    void clone_base(const File& src, const Relocator& r);
};

// A regular file: no ->poll, so epoll refuses it with EPERM.
class RegularFile final : public File {
public:
    RegularFile() : File(FileKind::Regular, 02) {}
    bool can_poll() const override { return false; }
    std::uint32_t poll(Kernel&, PollTable*) override;
    SysResult read(Kernel&, std::uint64_t len) override;
    SysResult write(Kernel&, std::uint64_t len, std::uint64_t) override;
    std::string describe() const override { return "regular file"; }
    std::unique_ptr<File> clone_shell(CloneContext& ctx) const override;
    void clone_fields(const File& src, CloneContext& ctx) override;
    std::uint64_t size = 0, pos = 0;
};

}  // namespace epsim
