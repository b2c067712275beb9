// event_log.cpp - names of event types, kernel functions and decisions.
#include "event_log.h"

namespace epsim {

const char* event_type_name(EventType t) {
    static const char* const names[] = {
#define EPSIM_X(e, n) n,
        EPSIM_EVENT_TYPES(EPSIM_X)
#undef EPSIM_X
    };
    auto i = static_cast<std::size_t>(t);
    return i < static_cast<std::size_t>(EventType::Count_) ? names[i] : "?";
}

const char* kfn_name(KFn f) {
    static const char* const names[] = {
#define EPSIM_X(f) #f,
        EPSIM_KFNS(EPSIM_X)
#undef EPSIM_X
    };
    auto i = static_cast<std::size_t>(f);
    if (f == KFn::wake_up_common) return "__wake_up_common";
    if (f == KFn::fput_last) return "__fput";
    return i < static_cast<std::size_t>(KFn::Count_) ? names[i] : "?";
}

const char* callback_decision_name(CallbackDecision d) {
    switch (d) {
        case CallbackDecision::IgnoredDisarmed: return "ignored-disarmed";
        case CallbackDecision::IgnoredMask: return "ignored-mask";
        case CallbackDecision::Queued: return "queued";
        case CallbackDecision::AlreadyLinked: return "already-linked";
        case CallbackDecision::Chained: return "chained";
        case CallbackDecision::AlreadyChained: return "already-chained";
    }
    return "?";
}

const char* file_state_name(FileStateWhat w) {
    switch (w) {
        case FileStateWhat::PipeBytes: return "pipe.bytes";
        case FileStateWhat::PipeSlots: return "pipe.slots";
        case FileStateWhat::PipeReaders: return "pipe.readers";
        case FileStateWhat::PipeWriters: return "pipe.writers";
        case FileStateWhat::PipePollUsage: return "pipe.poll_usage";
        case FileStateWhat::EventfdCount: return "eventfd.count";
        case FileStateWhat::SockRecvBytes: return "sock.recv_bytes";
        case FileStateWhat::SockShutdown: return "sock.shutdown";
        case FileStateWhat::SockErr: return "sock.err";
        case FileStateWhat::SockState: return "sock.state";
        case FileStateWhat::SockBacklog: return "sock.backlog";
        case FileStateWhat::SockWmem: return "sock.wmem";
    }
    return "?";
}

}  // namespace epsim
