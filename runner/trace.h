// trace.h - the normalized record of one scenario run on one backend.
//
// Both backends produce the same kind of trace: each step's call with symbolic names
// ("epoll_ctl(ep, ADD, p.r, EPOLLIN|EPOLLET, data=1)"), its result, errno and events with
// symbolic data ("p.r" rather than 5), so the model's and the host's traces compare even though
// their fd numbers may differ. Rendered as strace-like text or as JSON (schema "epsim.trace").
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace epsim::scn {

struct TraceEvent {
    std::string who;  // symbolic name of the registration ("p.r"), or the data as a number
    std::uint32_t events = 0;
    bool operator==(const TraceEvent&) const = default;
};

struct TraceInterest {  // one fdinfo line, symbolically
    std::string fd;
    std::uint32_t events = 0;
    std::string data;
    bool operator<(const TraceInterest& o) const {
        return fd != o.fd ? fd < o.fd : events != o.events ? events < o.events : data < o.data;
    }
    bool operator==(const TraceInterest&) const = default;
};

enum class StepKind { Call, Join, WaitBlocked, Signal, Sleep, Pause, Resume, Fork, Thread, Say };

struct Step {
    StepKind kind = StepKind::Call;
    int line = 0;
    std::string key;          // aligns steps across backends: line plus loop iterations ("12", "12#3")
    std::string thread;       // "" = main thread
    std::string call;         // symbolic call text
    bool model_only = false;  // ran inside model_only { } (or its host { } block: host_only)
    bool host_only = false;
    // outcome
    std::int64_t ret = 0;
    int err = 0;
    bool blocked = false;
    bool fd_result = false;   // ret is a new fd: rendered by name, compared by success only
    std::vector<TraceEvent> events;  // epoll_wait family / poll (who: revents)
    std::vector<std::uint64_t> event_data;  // epoll_wait family: each event's data, raw (quiz keys)
    bool has_events = false;
    bool has_interest = false;       // fdinfo captured after this step
    std::vector<TraceInterest> interest;
    bool has_cases = false;           // rb_cases(ep): the fix-up steps (runner/rb_cases.h)
    std::vector<std::string> cases;
    std::size_t rb_op_event = SIZE_MAX;  // rb_cases: log index of the rb.link / rb.erase.unlink
                                         // the cases follow (SIZE_MAX: the tree never changed)
    std::string text;         // say: the narration
    // expectation
    bool checked = false;
    bool ok = true;
    bool question = false;    // "== ?": the student predicts; not checked by run
    std::string failure;      // why the expectation failed
    std::string expected;     // the expectation as written
    int expect_line = 0, expect_col = 0;  // where the expectation is written (a `?` for questions)
    // The model events this step caused: [first_event, end_event) in the kernel's log
    // (both 0 on the host).
    std::size_t first_event = 0, end_event = 0;

    std::string result_text() const;  // "= 1 [p.r: EPOLLIN]", "= -1 EEXIST", "<blocked>"
};

struct Trace {
    std::string file;
    std::string title;
    std::string backend;
    std::vector<Step> steps;
    std::string error;        // a runtime error that stopped the run (file:line:col: error: ...)
    int failures() const;
    int questions() const;
};

std::string render_text(const Trace& t, bool with_expectations = true);
std::string render_json(const Trace& t);
std::string json_escape(const std::string& s);

}  // namespace epsim::scn
