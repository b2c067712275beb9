// Tests for the file types as epoll sees them: pipes (fs/pipe.c) and eventfd (fs/eventfd.c),
// plus EPOLLONESHOT, dup and fork.
//
// Expected values are Linux 6.18's on the reference machine: reference kernel-eventpoll.md
// §6.1, §6.2, §8, §10, corrected by the live-kernel fact check (/tmp/factcheck/REPORT.md,
// items 5, 7, 8, 9, 10, 17, 19). Where a test reproduces a fact-check program, the expected
// strings are copied from its output ("epoll_wait -> n {ev=0x.. data=0x..}"). A few extra
// values were observed on the same kernel while writing these tests ("seen on 6.18").
//
// After every step the model's structural invariants must hold (k.check_invariants() == "").

#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "sim/eventfd.h"
#include "sim/kernel.h"
#include "sim/pipe.h"
#include "fact_helpers.h"

using namespace epsim;
using namespace epsim::fact;

namespace {


// poll(2) on one fd with timeout 0; returns revents (and checks the count).
std::uint32_t poll1(Kernel& k, ObjId t, int fd, std::uint32_t events) {
    std::vector<PollFd> v{PollFd{fd, events, 0}};
    const SysResult r = k.poll(t, v, 0);
    REQUIRE(err_str(r.err) == "OK");
    REQUIRE(r.ret == (v[0].revents ? 1 : 0));
    REQUIRE(k.check_invariants() == "");
    return v[0].revents;
}

const File* file_at(const Kernel& k, ObjId t, int fd) {
    const auto& fds = k.process_of(t).fds;
    REQUIRE(fd >= 0);
    REQUIRE(static_cast<std::size_t>(fd) < fds.size());
    REQUIRE(fds[static_cast<std::size_t>(fd)].file != nullptr);
    return fds[static_cast<std::size_t>(fd)].file;
}

std::uint64_t pipe_bytes(const Kernel& k, ObjId t, int fd) {
    const File* f = file_at(k, t, fd);
    REQUIRE(f->kind == FileKind::Pipe);
    return static_cast<const PipeFile*>(f)->pipe->bytes();
}

std::size_t pipe_slots(const Kernel& k, ObjId t, int fd) {
    const File* f = file_at(k, t, fd);
    REQUIRE(f->kind == FileKind::Pipe);
    return static_cast<const PipeFile*>(f)->pipe->bufs.size();
}

std::uint64_t efd_count(const Kernel& k, ObjId t, int fd) {
    const File* f = file_at(k, t, fd);
    REQUIRE(f->kind == FileKind::Eventfd);
    return static_cast<const EventfdFile*>(f)->count;
}

std::string fdinfo_of(Kernel& k, ObjId t, int fd) {
    const auto s = k.fdinfo(t, fd);
    REQUIRE(s.has_value());
    REQUIRE(k.check_invariants() == "");
    return *s;
}

std::string ino_of(const Kernel& k, ObjId t, int fd) { return hex(file_at(k, t, fd)->ino); }

const std::string kHdr = "pos:\t0\nflags:\t02\nmnt_id:\t17\nino:\t1038\n";

// Every poll bit a file could report (what the fact check's 0x0fffffff interest asks for).
constexpr std::uint32_t kAllPollBits = 0xffff;
// poll(2) as the fact check called it: POLLIN|POLLOUT|POLLRDHUP|POLLPRI.
constexpr std::uint32_t kPm = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI;

}  // namespace

// =======================================================================================
// Pipes
// =======================================================================================

TEST_CASE("pipe ET read end: every write is an edge, a read is not, a 0-byte write is nothing", "[model][pipe]") {
    // Fact check item 7.
    Kernel k;
    const ObjId t = k.init_task();
    int p[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, 0));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");

    OK_RET(2048, k.write(t, p[1], 2048));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    OK_RET(1024, k.read(t, p[0], 1024));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    // Data is still there, but without a new write there is no new edge.
    REQUIRE(pipe_bytes(k, t, p[0]) == 1024);
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(0, k.write(t, p[1], 0));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    // Two writes before a wait coalesce into one report.
    OK_RET(1, k.write(t, p[1], 1));
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(pipe_bytes(k, t, p[0]) == 1027);
}

TEST_CASE("pipe ET read end: a write that fails with EAGAIN on a full pipe is still an edge", "[model][pipe]") {
    // Seen on 6.18: 16x4096 written, harvested; write(4096) -> EAGAIN -> {0x1} again;
    // write(0) -> 0 and no edge.
    Kernel k;
    const ObjId t = k.init_task();
    int p[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 2));
    for (int i = 0; i < 16; ++i) OK_RET(4096, k.write(t, p[1], 4096));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    FAILS(EAGAIN, k.write(t, p[1], 4096));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    OK_RET(0, k.write(t, p[1], 0));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
}

TEST_CASE("pipe LT read end: reported on every wait until drained, then dropped as stale", "[model][pipe]") {
    Kernel k;
    const ObjId t = k.init_task();
    int p[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], EPOLLIN, 1));
    const Eventpoll& ep = *k.ep_of_fd(t, 3);
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");

    OK_RET(10, k.write(t, p[1], 10));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    REQUIRE(wait_str(k, t, 3, 1) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    OK_RET(4, k.read(t, p[0], 4));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    OK_RET(6, k.read(t, p[0], 100));
    // Drained: the item is still queued (LT requeue) until the next harvest drops it.
    REQUIRE(k.rdllist_items(ep).size() == 1);
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(k.rdllist_items(ep).empty());
    FAILS(EAGAIN, k.read(t, p[0], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");

    // Ready and then not ready again before anyone waits: never reported.
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(k.rdllist_items(ep).size() == 1);
    OK_RET(1, k.read(t, p[0], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(k.rdllist_items(ep).empty());
}

TEST_CASE("pipe write end: EPOLLOUT while a slot is free - the merge rule (fact check item 8)", "[model][pipe]") {
    SECTION("16 x 4096 fill every slot") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], EPOLLOUT, 2));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x4 data=0x2}");
        for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x4 data=0x2}");
        REQUIRE(poll1(k, t, p[1], kPm) == 0x4);
        OK_RET(4096, k.write(t, p[1], 4096));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
        FAILS(EAGAIN, k.write(t, p[1], 4096));
        FAILS(EAGAIN, k.write(t, p[1], 1));
        REQUIRE(poll1(k, t, p[1], kPm) == 0x0);
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
        REQUIRE(pipe_bytes(k, t, p[0]) == 65536);
        REQUIRE(pipe_slots(k, t, p[0]) == 16);
    }
    SECTION("15 x 4096 + 100: no EPOLLOUT, yet small writes merge into the last page") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], EPOLLOUT, 2));
        for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
        OK_RET(100, k.write(t, p[1], 100));
        REQUIRE(poll1(k, t, p[1], kPm) == 0x0);
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
        OK_RET(1, k.write(t, p[1], 1));
        FAILS(EAGAIN, k.write(t, p[1], 3996));  // 101 + 3996 > 4096
        OK_RET(1, k.write(t, p[1], 1));
        FAILS(EAGAIN, k.write(t, p[1], 4096));
        REQUIRE(pipe_bytes(k, t, p[0]) == 61542);  // FIONREAD on 6.18
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    }
    SECTION("15 x 4096 + 100, then 4000, 4096, 8000") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
        OK_RET(100, k.write(t, p[1], 100));
        FAILS(EAGAIN, k.write(t, p[1], 4000));
        FAILS(EAGAIN, k.write(t, p[1], 4096));
        OK_RET(3904, k.write(t, p[1], 8000));  // only the len % 4096 part merges
        REQUIRE(pipe_bytes(k, t, p[0]) == 65444);
    }
    SECTION("15 x 4096 + 100, then 4097") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
        OK_RET(100, k.write(t, p[1], 100));
        OK_RET(1, k.write(t, p[1], 4097));
        REQUIRE(pipe_bytes(k, t, p[0]) == 61541);
    }
}

TEST_CASE("pipe: full masks are OUT|WRNORM (0x104) and IN|RDNORM (0x41)", "[model][pipe]") {
    // Fact check t8b: interest = every bit but the private ones.
    Kernel k;
    const ObjId t = k.init_task();
    int p[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
    const std::uint32_t all = 0xffffffffu & ~(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP);
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], all, 1));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], all, 0));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x104 data=0x1}");
    REQUIRE(poll1(k, t, p[1], kAllPollBits) == 0x104);
    REQUIRE(poll1(k, t, p[0], kAllPollBits) == 0x0);
    // poll(POLLOUT) alone gives POLLOUT; asking for WRNORM adds it.
    REQUIRE(poll1(k, t, p[1], POLLOUT) == 0x4);
    REQUIRE(poll1(k, t, p[1], POLLOUT | EPOLLWRNORM) == 0x104);

    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x104 data=0x1} {ev=0x41 data=0x0}");
    REQUIRE(poll1(k, t, p[0], kAllPollBits) == 0x41);
    REQUIRE(poll1(k, t, p[0], POLLIN) == 0x1);

    for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
    FAILS(EAGAIN, k.write(t, p[1], 4096));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x41 data=0x0}");
    // fdinfo: " fffffff" (%8x of 0x0fffffff) for both.
    const std::string l0 = "tfd:        4 events:  fffffff data:                0  pos:0 ino:" + ino_of(k, t, 4) + " sdev:f\n";
    const std::string l1 = "tfd:        5 events:  fffffff data:                1  pos:0 ino:" + ino_of(k, t, 5) + " sdev:f\n";
    const bool r_first = file_at(k, t, 4)->addr < file_at(k, t, 5)->addr;
    REQUIRE(fdinfo_of(k, t, 3) == kHdr + (r_first ? l0 + l1 : l1 + l0));
    // Both ends share one inode.
    REQUIRE(ino_of(k, t, 4) == ino_of(k, t, 5));

    OK_RET(0, k.close(t, p[0]));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x8 data=0x1}");
}

TEST_CASE("pipe: writer gone -> HUP (+IN while data is left) - reader gone -> ERR (+OUT if not full)", "[model][pipe]") {
    // Fact check item 9.
    SECTION("writer closed with data left") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI, 1));
        OK_RET(2, k.write(t, p[1], 2));
        OK_RET(0, k.close(t, p[1]));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x11 data=0x1}");
        REQUIRE(poll1(k, t, p[0], kPm) == 0x11);
        REQUIRE(poll1(k, t, p[0], kAllPollBits) == 0x51);
        OK_RET(2, k.read(t, p[0], 10));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x1}");
        REQUIRE(poll1(k, t, p[0], kPm) == 0x10);
        OK_RET(0, k.read(t, p[0], 10));  // EOF
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x1}");
        // HUP cannot be masked, even with interest EPOLLOUT only.
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_MOD, p[0], EPOLLOUT, 2));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x2}");
    }
    SECTION("reader closed") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI, 1));
        OK_RET(0, k.close(t, p[0]));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0xc data=0x1}");
        REQUIRE(poll1(k, t, p[1], kPm) == 0xc);
        FAILS(EPIPE, k.write(t, p[1], 1));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0xc data=0x1}");
    }
    SECTION("full write end, reader closed") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
        for (int i = 0; i < 16; ++i) OK_RET(4096, k.write(t, p[1], 4096));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], EPOLLOUT, 1));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
        OK_RET(0, k.close(t, p[0]));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x8 data=0x1}");
        REQUIRE(poll1(k, t, p[1], kAllPollBits) == 0x8);
    }
}

TEST_CASE("pipe ET EPOLLOUT: one edge at ADD, then only when a read frees a slot of a full pipe", "[model][pipe]") {
    // Fact check item 19.
    Kernel k;
    const ObjId t = k.init_task();
    int p[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[1], EPOLLOUT | EPOLLET, 9));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x4 data=0x9}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    FAILS(EAGAIN, k.read(t, p[0], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(4096, k.write(t, p[1], 4096));
    OK_RET(4096, k.write(t, p[1], 4096));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(4096, k.read(t, p[0], 4096));  // frees a slot, but the pipe was not full
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    for (int i = 0; i < 15; ++i) OK_RET(4096, k.write(t, p[1], 4096));
    FAILS(EAGAIN, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(100, k.read(t, p[0], 100));  // no slot freed
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(3996, k.read(t, p[0], 3996));  // frees a slot of a full pipe
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x4 data=0x9}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(4096, k.read(t, p[0], 4096));  // not full any more
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
}

TEST_CASE("pipe events=0: only HUP/ERR, reported level-triggered (fact check item 17)", "[model][pipe]") {
    Kernel k;
    const ObjId t = k.init_task();
    int p[2], q[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, 0));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], 0, 0x17));
    REQUIRE(fdinfo_of(k, t, 3) ==
            kHdr + "tfd:        4 events:       18 data:               17  pos:0 ino:" + ino_of(k, t, 4) + " sdev:f\n");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(0, k.close(t, p[1]));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x17}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x17}");
    OK_RET(0, k.pipe2(t, q, 0));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, q[1], 0, 0x18));
    OK_RET(0, k.close(t, q[0]));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x10 data=0x17} {ev=0x8 data=0x18}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x10 data=0x17} {ev=0x8 data=0x18}");
}

TEST_CASE("EPOLLONESHOT: once, then silent (even on HUP) until MOD re-arms it", "[model][pipe][oneshot]") {
    // Fact check t17b, first block.
    Kernel k;
    const ObjId t = k.init_task();
    int r[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, r, 0));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, r[0], EPOLLIN | EPOLLONESHOT, 0x19));
    OK_RET(1, k.write(t, r[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x19}");
    const std::string ino = ino_of(k, t, 4);
    REQUIRE(fdinfo_of(k, t, 3) == kHdr + "tfd:        4 events: 40000000 data:               19  pos:0 ino:" + ino + " sdev:f\n");
    // More writes: nothing.
    OK_RET(1, k.write(t, r[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(0, k.close(t, r[1]));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(k.rdllist_items(*k.ep_of_fd(t, 3)).empty());

    // MOD on a still-ready fd: reportable at once, with the full current mask.
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_MOD, r[0], EPOLLIN | EPOLLONESHOT, 0x20));
    REQUIRE(k.rdllist_items(*k.ep_of_fd(t, 3)).size() == 1);
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x11 data=0x20}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(fdinfo_of(k, t, 3) == kHdr + "tfd:        4 events: 40000000 data:               20  pos:0 ino:" + ino + " sdev:f\n");
    // MOD to plain LT: reported on every wait.
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_MOD, r[0], EPOLLIN, 0x21));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x11 data=0x21}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x11 data=0x21}");
    OK_RET(2, k.read(t, r[0], 10));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x10 data=0x21}");
}

TEST_CASE("EPOLLONESHOT: re-armed while not ready, reported on the next write", "[model][pipe][oneshot]") {
    Kernel k;
    const ObjId t = k.init_task();
    int r[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, r, O_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, r[0], EPOLLIN | EPOLLONESHOT, 1));
    OK_RET(1, k.write(t, r[1], 1));
    OK_RET(1, k.write(t, r[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    OK_RET(2, k.read(t, r[0], 2));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_MOD, r[0], EPOLLIN | EPOLLONESHOT, 2));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(1, k.write(t, r[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
}

// =======================================================================================
// eventfd
// =======================================================================================

TEST_CASE("eventfd: readiness, edges and limits (fact check item 10)", "[model][eventfd]") {
    Kernel k;
    const ObjId t = k.init_task();
    OK_RET(3, k.eventfd(t, 0, EFD_NONBLOCK));
    const int efd = 3;
    OK_RET(4, k.epoll_create1(t, 0));
    REQUIRE(poll1(k, t, efd, kPm) == 0x4);

    OK_RET(0, ctl(k, t, 4, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI, 1));
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x4 data=0x1}");
    OK_RET(5, k.epoll_create1(t, 0));
    OK_RET(0, ctl(k, t, 5, EPOLL_CTL_ADD, efd, EPOLLIN | EPOLLET, 2));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 0");
    OK_RET(6, k.epoll_create1(t, 0));
    OK_RET(0, ctl(k, t, 6, EPOLL_CTL_ADD, efd, EPOLLOUT | EPOLLET, 3));
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 1 {ev=0x4 data=0x3}");
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 0");

    // A write of 0 wakes with key EPOLLIN, but the count stays 0: nothing to report.
    OK_RET(8, k.write(t, efd, 8, 0));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 0");
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 0");
    REQUIRE(efd_count(k, t, efd) == 0);

    FAILS(EINVAL, k.write(t, efd, 8, 0xffffffffffffffffULL));
    OK_RET(8, k.write(t, efd, 8, 0xfffffffffffffffeULL));
    REQUIRE(poll1(k, t, efd, kPm) == 0x1);  // EPOLLOUT is gone at the maximum
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x1 data=0x1}");
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    OK_RET(8, k.write(t, efd, 8, 0));  // at the maximum a 0 write is still an IN edge
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    FAILS(EAGAIN, k.write(t, efd, 8, 1));
    FAILS(EINVAL, k.read(t, efd, 4));
    FAILS(EINVAL, k.write(t, efd, 4, 1));
    REQUIRE(efd_count(k, t, efd) == 0xfffffffffffffffeULL);

    OK_RET(8, k.read(t, efd, 8));
    REQUIRE(efd_count(k, t, efd) == 0);
    REQUIRE(poll1(k, t, efd, kPm) == 0x4);
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 1 {ev=0x4 data=0x3}");  // each read is an OUT edge
    FAILS(EAGAIN, k.read(t, efd, 8));

    OK_RET(8, k.write(t, efd, 8, 5));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    OK_RET(8, k.write(t, efd, 8, 3));  // count already > 0: still a new edge
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x1 data=0x2}");
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 0");
    REQUIRE(efd_count(k, t, efd) == 8);
    // The writes were no OUT edges; a read is one even far from the maximum.
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 0");
    OK_RET(8, k.read(t, efd, 8));
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 1 {ev=0x4 data=0x3}");
    REQUIRE(wait_str(k, t, 6) == "epoll_wait -> 0");
    // The LT IN|OUT item shows the current mask.
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x4 data=0x1}");
    OK_RET(8, k.write(t, efd, 8, 1));
    REQUIRE(wait_str(k, t, 4) == "epoll_wait -> 1 {ev=0x5 data=0x1}");
    REQUIRE(poll1(k, t, efd, kAllPollBits) == 0x5);
}

TEST_CASE("eventfd: a write takes exactly 8 bytes, a read at least 8", "[model][eventfd]") {
    // Seen on 6.18: write of 16, 9 or 7 bytes -> EINVAL (count != sizeof(u64)); write of 8 ->
    // 8; read with a 64- or 9-byte buffer -> 8; read with 7 -> EINVAL.
    Kernel k;
    const ObjId t = k.init_task();
    OK_RET(3, k.eventfd(t, 0, EFD_NONBLOCK));
    FAILS(EINVAL, k.write(t, 3, 7, 1));
    FAILS(EINVAL, k.write(t, 3, 16, 1));
    FAILS(EINVAL, k.write(t, 3, 9, 1));
    REQUIRE(efd_count(k, t, 3) == 0);
    OK_RET(8, k.write(t, 3, 8, 1));
    OK_RET(8, k.read(t, 3, 64));
    REQUIRE(efd_count(k, t, 3) == 0);
    OK_RET(8, k.write(t, 3, 8, 1));
    OK_RET(8, k.read(t, 3, 9));
    FAILS(EINVAL, k.read(t, 3, 7));
}

TEST_CASE("eventfd: EFD_SEMAPHORE reads take 1 - bad flags are EINVAL", "[model][eventfd]") {
    Kernel k;
    const ObjId t = k.init_task();
    // Fact check: eventfd(3, EFD_SEMAPHORE|EFD_NONBLOCK) reads 1, 1, 1, then EAGAIN.
    OK_RET(3, k.eventfd(t, 3, EFD_SEMAPHORE | EFD_NONBLOCK));
    OK_RET(8, k.read(t, 3, 8));
    REQUIRE(efd_count(k, t, 3) == 2);
    OK_RET(8, k.read(t, 3, 8));
    REQUIRE(efd_count(k, t, 3) == 1);
    OK_RET(8, k.read(t, 3, 8));
    REQUIRE(efd_count(k, t, 3) == 0);
    FAILS(EAGAIN, k.read(t, 3, 8));

    // Seen on 6.18: eventfd(2, SEMAPHORE): poll 0x5; after one read 0x5; after two 0x4.
    OK_RET(4, k.eventfd(t, 2, EFD_SEMAPHORE | EFD_NONBLOCK));
    REQUIRE(poll1(k, t, 4, kAllPollBits) == 0x5);
    OK_RET(8, k.read(t, 4, 8));
    REQUIRE(poll1(k, t, 4, kAllPollBits) == 0x5);
    OK_RET(8, k.read(t, 4, 8));
    REQUIRE(poll1(k, t, 4, kAllPollBits) == 0x4);
    FAILS(EAGAIN, k.read(t, 4, 8));

    // Each semaphore read is an ET OUT edge.
    OK_RET(5, k.epoll_create1(t, 0));
    OK_RET(8, k.write(t, 4, 8, 2));
    OK_RET(0, ctl(k, t, 5, EPOLL_CTL_ADD, 4, EPOLLOUT | EPOLLET, 7));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x4 data=0x7}");
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 0");
    OK_RET(8, k.read(t, 4, 8));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x4 data=0x7}");
    OK_RET(8, k.read(t, 4, 8));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 1 {ev=0x4 data=0x7}");
    FAILS(EAGAIN, k.read(t, 4, 8));
    REQUIRE(wait_str(k, t, 5) == "epoll_wait -> 0");

    FAILS(EINVAL, k.eventfd(t, 0, 0x4));
    FAILS(EINVAL, k.eventfd(t, 0, O_RDWR));
    FAILS(EINVAL, k.eventfd(t, 0, 0x40000000));
    OK_RET(6, k.eventfd(t, 0, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE));
    OK_RET(FD_CLOEXEC, k.fcntl(t, 6, F_GETFD));
}

TEST_CASE("eventfd: an item whose eventfd is closed goes away without an event", "[model][eventfd]") {
    // Seen on 6.18: add IN, write 1, close(efd) -> epoll_wait 0.
    Kernel k;
    const ObjId t = k.init_task();
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(4, k.eventfd(t, 0, EFD_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, 4, EPOLLIN, 5));
    OK_RET(8, k.write(t, 4, 8, 1));
    OK_RET(0, k.close(t, 4));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    REQUIRE(k.rb_items(*k.ep_of_fd(t, 3)).empty());
}

// =======================================================================================
// dup and fork
// =======================================================================================

TEST_CASE("dup: a pipe under fd A and its dup B are two registrations", "[model][pipe][dup]") {
    SECTION("three dups, not ready at ADD: newest registration first (fact check item 5, E)") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, 0));
        OK_RET(6, k.dup(t, 4));
        OK_RET(7, k.dup(t, 4));
        for (int fd : {4, 6, 7}) OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, fd, EPOLLIN, static_cast<std::uint64_t>(fd)));
        OK_RET(1, k.write(t, p[1], 1));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 3 {ev=0x1 data=0x7} {ev=0x1 data=0x6} {ev=0x1 data=0x4}");
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 3 {ev=0x1 data=0x7} {ev=0x1 data=0x6} {ev=0x1 data=0x4}");
        // DEL of one leaves the others.
        OK_RET(0, k.epoll_ctl(t, 3, EPOLL_CTL_DEL, 6, nullptr));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x1 data=0x7} {ev=0x1 data=0x4}");
    }
    SECTION("ET: each write is an edge for both") {
        Kernel k;
        const ObjId t = k.init_task();
        int p[2];
        OK_RET(3, k.epoll_create1(t, 0));
        OK_RET(0, k.pipe2(t, p, 0));
        OK_RET(6, k.dup(t, 4));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, 4, EPOLLIN | EPOLLET, 0xa));
        OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, 6, EPOLLIN | EPOLLET, 0xb));
        OK_RET(1, k.write(t, p[1], 1));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x1 data=0xb} {ev=0x1 data=0xa}");
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
        OK_RET(1, k.write(t, p[1], 1));
        REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x1 data=0xb} {ev=0x1 data=0xa}");
        // maxevents 1 splits them; the leftover is reported next.
        OK_RET(1, k.write(t, p[1], 1));
        REQUIRE(wait_str(k, t, 3, 1) == "epoll_wait -> 1 {ev=0x1 data=0xb}");
        REQUIRE(wait_str(k, t, 3, 1) == "epoll_wait -> 1 {ev=0x1 data=0xa}");
        REQUIRE(wait_str(k, t, 3, 1) == "epoll_wait -> 0");
    }
}

TEST_CASE("fork: parent and child harvest from the same ready list", "[model][pipe][fork]") {
    Kernel k;
    const ObjId t = k.init_task();
    int p[2], q[2];
    OK_RET(3, k.epoll_create1(t, 0));
    OK_RET(0, k.pipe2(t, p, O_NONBLOCK));
    OK_RET(0, k.pipe2(t, q, O_NONBLOCK));
    OK_RET(0, ctl(k, t, 3, EPOLL_CTL_ADD, p[0], EPOLLIN | EPOLLET, 7));
    OK_RET(1, k.write(t, p[1], 1));

    const SysResult f = k.fork(t);
    REQUIRE(err_str(f.err) == "OK");
    REQUIRE(f.ret > 0);
    INV();
    const ObjId c = k.child_task(static_cast<int>(f.ret));
    REQUIRE(c != 0);
    REQUIRE(c != t);
    REQUIRE(k.pid_of(c) == f.ret);
    REQUIRE(k.pid_of(c) != k.pid_of(t));
    // The child's fd 3 is the same open epoll file.
    REQUIRE(k.ep_of_fd(c, 3) == k.ep_of_fd(t, 3));
    REQUIRE(file_at(k, c, 4) == file_at(k, t, 4));

    // Seen on 6.18: the child harvests the ET event, then the parent finds nothing.
    REQUIRE(wait_str(k, c, 3) == "epoll_wait -> 1 {ev=0x1 data=0x7}");
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 0");
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x7}");
    REQUIRE(wait_str(k, c, 3) == "epoll_wait -> 0");
    // The child writes, the parent harvests.
    OK_RET(1, k.write(c, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x7}");

    // An item registered by the child after fork is seen by the parent too (one instance).
    OK_RET(0, ctl(k, c, 3, EPOLL_CTL_ADD, q[0], EPOLLIN, 8));
    OK_RET(1, k.write(t, q[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x8}");
    REQUIRE(wait_str(k, c, 3) == "epoll_wait -> 1 {ev=0x1 data=0x8}");  // LT: both get it

    // The child closing its copies drops references only: the items stay.
    OK_RET(0, k.close(c, p[0]));
    OK_RET(0, k.close(c, q[0]));
    OK_RET(0, k.close(c, 3));
    REQUIRE(k.rb_items(*k.ep_of_fd(t, 3)).size() == 2);
    OK_RET(1, k.write(t, p[1], 1));
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 2 {ev=0x1 data=0x8} {ev=0x1 data=0x7}");
    FAILS(EBADF, k.epoll_wait(c, 3, 8, 0));
    // The parent's close is the last reference: the item goes.
    OK_RET(0, k.close(t, p[0]));
    REQUIRE(k.rb_items(*k.ep_of_fd(t, 3)).size() == 1);
    REQUIRE(wait_str(k, t, 3) == "epoll_wait -> 1 {ev=0x1 data=0x8}");
}
