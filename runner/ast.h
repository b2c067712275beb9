// ast.h - the parsed form of a scenario file (.scn). See docs/scenario-language.md.
//
// The parser (parser.cpp and its parse_*.cpp files) builds it and checks it statically (known
// calls, arity, names defined before use); the interpreter (interp.cpp) runs it on a Backend.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace epsim::scn {

struct Loc {
    int line = 0;  // 1-based
    int col = 0;   // 1-based
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// Value expressions: numbers, names of objects (p, p.r, e[i]), flag sets (EPOLLIN|EPOLLET),
// arithmetic on loop variables (i + 1), strings, NULL, {sec, nsec}, keyed arguments (data=1).
struct Expr {
    enum class Kind {
        Int,       // value
        Ident,     // name: a variable, a loop variable, or a constant (EPOLLIN, ADD, SHUT_WR, ...)
        Member,    // kids[0].name  (p.r, s.a)
        Index,     // kids[0][kids[1]]  (e[i])
        BitOr,     // kids[0] | kids[1] | ...
        Add,       // kids[0] + kids[1]
        Sub,       // kids[0] - kids[1]
        Mul,       // kids[0] * kids[1]
        Neg,       // -kids[0]
        Str,       // name holds the text
        Null,      // NULL
        Pair,      // {kids[0], kids[1]}  (a timespec)
        Keyed,     // name=kids[0]  (data=1, value=3)
        List,      // [kids...]  (poll's fd list: each kid is a Keyed-like PollItem: see below)
        PollItem,  // kids[0]: kids[1]  (an fd and its events, in poll([p.r: POLLIN]))
    };
    Kind kind = Kind::Int;
    Loc loc;
    std::int64_t value = 0;
    std::string name;
    std::vector<ExprPtr> kids;
};

// One expected event: `who: MASK` in epoll_wait/poll results, `who: MASK data=N` in fdinfo.
struct EventExpect {
    Loc loc;
    ExprPtr who;   // an fd expression (p.r) or a number (the data cookie itself)
    ExprPtr mask;  // flag expression
    ExprPtr data;  // optional (fdinfo)
};

struct Expectation {
    enum class Kind {
        None,      // no "==": the result is recorded, not checked
        Value,     // == expr            (and optional event list)
        Error,     // == -1 ERRNO
        Question,  // == ?               (a prediction the student makes)
    };
    Kind kind = Kind::None;
    Loc loc;
    ExprPtr value;
    std::string errno_name;  // Error: "EEXIST"
    bool has_events = false;
    bool unordered = false;  // {a: X, b: Y} instead of [a: X, b: Y]
    std::vector<EventExpect> events;
    bool has_cases = false;          // rb_cases(ep) == [case1.recolor, ...]
    std::vector<std::string> cases;  // canonical step names (runner/rb_cases.h), in order
};

struct Call {
    Loc loc;
    std::string fn;  // epoll_ctl, write, pipe, ...
    std::vector<ExprPtr> args;  // positional args, then Keyed ones
};

struct Stmt {
    enum class Kind {
        Title,        // title "text"
        Say,          // say "text"
        Tags,         // tags a, b, c
        Call,         // [thread:] [target =] call(...) [== expectation]
        Thread,       // thread t1 [in proc]
        WaitBlocked,  // wait_blocked t1
        Join,         // join t1 [== expectation]
        Signal,       // signal t1
        Sleep,        // sleep N   (milliseconds: simulated on the model, real on the host)
        Repeat,       // repeat N as i { body }
        ModelOnly,    // model_only "why" { body } host { host_body }
        Pause,        // pause t1 after N      (model-only: inside ep_send_events)
        Resume,       // resume t1             (model-only)
        Scale,        // scale "why"           (a model-only scale scenario: see Script::scale)
    };
    Kind kind = Kind::Call;
    Loc loc;
    std::string text;                   // Title, Say, ModelOnly's reason
    std::vector<std::string> tags;      // Tags
    std::string thread;                 // "t1: call", Thread, WaitBlocked, Join, Signal, Pause, Resume
    std::string process;                // Thread: "in child" (empty = the main process)
    std::string target;                 // Call: "ep = ...", or "e" in "e[i] = ..."
    ExprPtr target_index;               // Call: the i in "e[i] = ..."
    Call call;                          // Call
    Expectation expect;                 // Call, Join
    ExprPtr count;                      // Repeat, Sleep, Pause
    std::string loop_var;               // Repeat
    std::vector<Stmt> body;             // Repeat, ModelOnly
    std::vector<Stmt> host_body;        // ModelOnly: what the host runs instead (may be empty)
};

struct Script {
    std::string file;
    std::vector<std::string> lines;  // the source, for diagnostics
    std::string title;
    std::vector<std::string> tags;
    // `scale "why"`: the whole file runs on the model only, with the fd limit at fs.nr_open's
    // default (1,048,576), the event log and replay off (work counters kept), and the steps of
    // each repeat loop folded into one summary step (failed expectations still shown).
    bool scale = false;
    std::string scale_reason;
    std::vector<Stmt> stmts;
};

// An input error: rendered as
//   file:line:col: error: message
//     <the source line>
//     <spaces>^
//   hint: ...
struct Diagnostic {
    std::string file;
    Loc loc;
    std::string message;
    std::string hint;
    std::string source_line;
    std::string render() const;
};

}  // namespace epsim::scn
