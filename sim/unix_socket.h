// unix_socket.h - AF_UNIX SOCK_STREAM sockets (net/unix/af_unix.c), as the model keeps them.
//
// Two objects, as in the kernel:
//   UnixSock         the `struct sock` (with its `struct unix_sock` fields). An embryo -- the
//                    server-side socket that connect() creates and queues on the listener --
//                    exists before it has a file; accept() grafts it onto a new file.
//   UnixSocketFile   the `struct file` + `struct socket` pair an fd points at.
//
// Written from the documented behaviour and from observations of the 6.18 kernel on this
// machine (see /tmp/factcheck and the test file); no kernel source is copied. Kernel function
// names appear in comments so the code panel can point at them.
//
// INVARIANTS (check_unix_sock_invariants verifies them):
//   U1  wmem_alloc >= 1 (the kernel's refcount starts at 1); for a live socket with a peer,
//       wmem_alloc == 1 + connect_skb_truesize + sum of truesize of the skbs it sent that sit
//       in its peer's receive queue; for a live socket without a peer, 1 + connect_skb_truesize.
//   U2  every skb in a receive queue has 0 <= consumed < len (a fully consumed skb is freed).
//   U3  state == Listen  => no peer, empty data queue;  state != Listen => empty accept queue.
//   U4  a live established socket's live peer points back at it.
//   U5  embryos in an accept queue are Established, have no file and no wait-queue entries.
//
// LOG: file.state events (a = the socket's file; none while it is an embryo) with y =
//   sock.state (x = SockState, TCP_* numbers), sock.recv_bytes (unread payload), sock.wmem
//   (sk_wmem_alloc), sock.shutdown (bits), sock.err (errno, 0 when cleared), sock.backlog
//   (number of pending connections). accept4 logs a snapshot of the embryo's state for its new
//   file.
//
// WAKE-UPS (reference 6.4): data arrival -> sock_def_readable on the receiver (key
// IN|PRI|RDNORM|RDBAND, nr_exclusive 1, one per skb); an skb freed -> unix_write_space on its
// sender (key OUT|WRNORM|WRBAND, nr_exclusive 1, only if the sender is writable); shutdown and
// close -> sock_def_wakeup (no key, wake-all). Each only if the queue has a sleeper
// (skwq_has_sleeper): a socket without a file (embryo, orphan) has no sk_wq at all.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "file.h"
#include "uapi.h"
#include "waitqueue.h"

namespace epsim {

class Kernel;

// sk_state, with the kernel's TCP_* numbers (what a sock.state event carries).
enum class SockState : std::uint8_t { Established = 1, Close = 7, Listen = 10 };
const char* sock_state_name(SockState);

struct UnixSock;

// One sk_buff on a receive queue. `len` is the payload (unix_skb_len before any read),
// `consumed` is UNIXCB(skb).consumed, `truesize` is charged to the sender's sk_wmem_alloc.
struct UnixSkb {
    std::uint64_t len = 0;
    std::uint64_t consumed = 0;
    std::uint64_t truesize = 0;
    std::shared_ptr<UnixSock> sender;  // skb->sk: holds the sender alive, as its wmem does
};

// Kernel::clone copies every field (clone_sock in clone.cpp): update it when adding one.
struct UnixSock {
    UnixSock(Kernel& k, std::uint64_t sndbuf);
    ~UnixSock();
    UnixSock(const UnixSock&) = delete;
    UnixSock& operator=(const UnixSock&) = delete;

    Kernel* kernel;                       // for the name registry only
    ObjId file_id = 0;                    // the file it is grafted on; 0 for embryos/orphans
    SockState state = SockState::Close;
    std::shared_ptr<UnixSock> peer;       // unix_peer(sk); the kernel holds a reference too
    int sk_shutdown = 0;                  // RCV_SHUTDOWN | SEND_SHUTDOWN
    int sk_err = 0;                       // positive errno (ECONNRESET), 0 if none
    std::deque<UnixSkb> rcvq;             // sk_receive_queue (data)
    // A listener's sk_receive_queue holds one skb per pending connection, whose skb->sk is the
    // embryo; the model keeps the embryos themselves. Its truesize is charged to the embryo.
    std::deque<std::shared_ptr<UnixSock>> accept_q;
    std::uint64_t connect_skb_truesize = 0;  // embryo: the queued connect skb still charged
    std::uint64_t wmem_alloc = 1;         // sk_wmem_alloc (refcount: 1 + truesize in flight)
    std::uint64_t sndbuf;                 // sk_sndbuf
    WaitQueueHead wait;                   // sk->sk_wq->wait (the struct socket's queue)
    bool has_wq = false;                  // sk_wq set: grafted on a socket, not orphaned
    bool dead = false;                    // SOCK_DEAD (unix_release_sock ran)
    int max_ack_backlog = 0;
    bool bound = false;                   // u->addr set (bound, autobound or inherited)
    bool in_table = false;                // the name is registered (bind), not inherited
    std::string name;                     // abstract name, without the leading NUL

    std::uint64_t queued_bytes() const;   // unread payload (SIOCINQ)
    bool writable() const;                // unix_writable
};

// The file + struct socket. f_flags = O_RDWR | (flags & O_NONBLOCK), like sock_alloc_file.
class UnixSocketFile final : public File {
public:
    UnixSocketFile(int flags, std::shared_ptr<UnixSock> s);
    ~UnixSocketFile() override;

    std::shared_ptr<UnixSock> sock;

    std::uint32_t poll(Kernel& k, PollTable* pt) override;             // unix_poll
    void release(Kernel& k) override;                                  // unix_release_sock
    SysResult read(Kernel& k, std::uint64_t len) override;             // unix_stream_recvmsg
    SysResult write(Kernel& k, std::uint64_t len, std::uint64_t) override;  // unix_stream_sendmsg
    std::string describe() const override;
    std::unique_ptr<File> clone_shell(CloneContext& ctx) const override;
    void clone_fields(const File& src, CloneContext& ctx) override;
};

// Read-only access for the GUI and tests: the socket behind a file, or nullptr.
const UnixSock* unix_sock_of(const File* f);

// "" if U1..U5 hold for this file's socket (and the embryos it has queued); else a message.
// Meant to be called from Kernel::check_invariants for every FileKind::UnixSocket file.
std::string check_unix_sock_invariants(const File& f);

// Payload of one skb for a send of `remaining` bytes (unix_stream_sendmsg's split):
// min(remaining, sndbuf/2 - 64, SKB_MAX_HEAD(0) + UNIX_SKB_FRAGS_SZ = 36544 on x86-64).
std::uint64_t unix_skb_payload(std::uint64_t remaining, std::uint64_t sndbuf);
// The truesize the model charges for an skb with `payload` bytes: payload + unix_skb_overhead.
std::uint64_t unix_skb_truesize(const Kernel& k, std::uint64_t payload);

}  // namespace epsim
