// interp.cpp - the scenario interpreter.
//
// It evaluates each statement's arguments to numbers, hands the call to the backend, and
// records a Step whose texts are symbolic: fds are named by the expression that produced them
// ("p.r", "e[3]") and event data by the registration it belongs to. That is what lets the
// model's trace and the host's trace be compared line by line.
#include "interp.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <set>
#include <stdexcept>

#include "calls.h"
#include "interp_tables.h"
#include "sim/uapi.h"

namespace epsim::scn {
namespace {

struct RuntimeError : std::runtime_error {
    Loc loc;
    RuntimeError(Loc l, const std::string& m) : std::runtime_error(m), loc(l) {}
};

struct Value {
    enum class Kind { None, Int, Fd, Pair, Process } kind = Kind::None;
    std::int64_t v = 0;
    int fds[2] = {-1, -1};
    int proc = 0;
};

class Interp {
public:
    Interp(const Script& s, Backend& b, const RunOptions& o) : script_(s), be_(b), opt_(o) {
        trace_.file = s.file;
        trace_.title = s.title;
        trace_.backend = b.name();
        note_assigned_names(s.stmts);
    }

    Trace run() {
        try {
            for (const Stmt& st : script_.stmts) exec(st);
        } catch (const RuntimeError& e) {
            trace_.error = script_.file + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col) +
                           ": error: " + e.what();
        }
        return std::move(trace_);
    }

private:
    const Script& script_;
    Backend& be_;
    RunOptions opt_;
    Trace trace_;
    std::map<std::string, Value> vars_;
    std::map<std::string, IntMap<Value>> families_;  // e -> e[i]
    std::vector<std::pair<const std::string*, std::int64_t>> loops_;  // loop variable (in the AST) -> value
    std::map<std::string, int> threads_;  // thread or process name -> backend thread handle
    // thread -> its last call, and whether that call is still asleep in the backend. join
    // returns the last call's result whether it blocked or returned at once.
    struct LastCall {
        const Stmt* stmt = nullptr;
        bool blocked = false;
        CallResult result;
        // The loop variables in scope at the call: a join may come after the loop ended, and
        // the call's arguments and expectation are evaluated as they were written.
        std::vector<std::pair<const std::string*, std::int64_t>> loops;
    };
    std::map<std::string, LastCall> last_call_;
    IntMap<SymName> fd_names_;  // fd -> its name
    // What the interpreter knows of one (epfd, fd) registration.
    struct Registration {
        // Set by ADD/MOD, cleared by DEL: the data, and the name the fd had when it was
        // registered (a registration outlives close(fd) while a dup keeps the file open, and
        // keeps its name in interest lists).
        bool live = false;
        std::uint64_t data = 0;
        SymName fd_name;
        bool explicit_data = false;  // data= given by the last ADD/MOD (kept across DEL)
    };
    struct EpollNames {
        IntMap<Registration> by_fd;  // target fd -> its registration
        IntMap<SymName> by_data;     // data -> the name registered with it (never forgotten)
    };
    std::unordered_map<int, EpollNames> epolls_;  // epfd -> its registrations
    std::unordered_set<std::string> interned_;    // names with no compact SymName form
    // Identifiers whose meaning cannot change, resolved once per expression: a constant that no
    // assignment or loop variable shadows, or a variable that no loop variable shadows (its
    // std::map node is reassigned in place, never erased).
    struct FixedIdent {
        const Value* var = nullptr;  // or else the constant:
        Value constant;
    };
    std::unordered_map<const Expr*, FixedIdent> fixed_idents_;
    std::set<std::string> assigned_names_, loop_names_;  // every name the script may bind
    std::unordered_map<const Call*, const FnInfo*> functions_;  // each call's table entry
    bool model_only_ = false, host_only_ = false;
    bool folding_ = false;  // inside a folded repeat of a scale scenario

    void note_assigned_names(const std::vector<Stmt>& stmts) {
        for (const Stmt& st : stmts) {
            if (!st.target.empty() && !st.target_index) assigned_names_.insert(st.target);
            if (!st.loop_var.empty()) {
                assigned_names_.insert(st.loop_var);
                loop_names_.insert(st.loop_var);
            }
            note_assigned_names(st.body);
            note_assigned_names(st.host_body);
        }
    }

    // Removes the steps after `mark` whose expectation held (or had none); returns how many.
    std::size_t drop_passed_steps(std::size_t mark) {
        std::size_t kept = mark, dropped = 0;
        for (std::size_t i = mark; i < trace_.steps.size(); ++i) {
            if (trace_.steps[i].checked && !trace_.steps[i].ok) {
                if (kept != i) trace_.steps[kept] = std::move(trace_.steps[i]);
                ++kept;
            } else {
                ++dropped;
            }
        }
        trace_.steps.resize(kept);
        return dropped;
    }

    // ---------------------------------------------------------------- evaluation
    std::int64_t loop_value(const std::string& n, bool& found) const {
        for (auto it = loops_.rbegin(); it != loops_.rend(); ++it)
            if (*it->first == n) {
                found = true;
                return it->second;
            }
        found = false;
        return 0;
    }

    Value lookup(const Expr& e) {
        switch (e.kind) {
            case Expr::Kind::Ident: {
                if (auto f = fixed_idents_.find(&e); f != fixed_idents_.end())
                    return f->second.var ? *f->second.var : f->second.constant;
                bool found = false;
                std::int64_t lv = loop_value(e.name, found);
                if (found) return Value{Value::Kind::Int, lv};
                auto it = vars_.find(e.name);
                if (it != vars_.end()) {
                    if (!loop_names_.count(e.name)) fixed_idents_[&e].var = &it->second;
                    return it->second;
                }
                if (auto c = find_constant(e.name)) {
                    if (!assigned_names_.count(e.name)) fixed_idents_[&e].constant = Value{Value::Kind::Int, *c};
                    return Value{Value::Kind::Int, *c};
                }
                throw RuntimeError(e.loc, "unknown name '" + e.name + "'");
            }
            case Expr::Kind::Member: {
                Value base = lookup(*e.kids[0]);
                if (base.kind != Value::Kind::Pair) throw RuntimeError(e.loc, "'." + e.name + "' on something that is not a pair");
                bool second = e.name == "w" || e.name == "b";
                return Value{Value::Kind::Fd, base.fds[second ? 1 : 0]};
            }
            case Expr::Kind::Index: {
                const std::string& fam = e.kids[0]->name;
                std::int64_t i = eval(*e.kids[1]);
                auto f = families_.find(fam);
                const Value* v = f == families_.end() ? nullptr : f->second.find(i);
                if (!v) throw RuntimeError(e.loc, fam + "[" + std::to_string(i) + "] has not been assigned");
                return *v;
            }
            default: return Value{Value::Kind::Int, eval(e)};
        }
    }

    std::int64_t as_int(const Value& v, const Expr& e) {
        switch (v.kind) {
            case Value::Kind::Int: return v.v;
            case Value::Kind::Fd: return v.v;
            case Value::Kind::Process: return v.proc;
            case Value::Kind::Pair: throw RuntimeError(e.loc, "a pair is not a number: use .r/.w or .a/.b");
            case Value::Kind::None: break;
        }
        throw RuntimeError(e.loc, "this has no value");
    }

    std::int64_t eval(const Expr& e) {
        switch (e.kind) {
            case Expr::Kind::Int: return e.value;
            case Expr::Kind::Ident:
            case Expr::Kind::Member:
            case Expr::Kind::Index: return as_int(lookup(e), e);
            case Expr::Kind::BitOr: {
                std::int64_t v = 0;
                for (const auto& k : e.kids) v |= eval(*k);
                return v;
            }
            case Expr::Kind::Add: return eval(*e.kids[0]) + eval(*e.kids[1]);
            case Expr::Kind::Sub: return eval(*e.kids[0]) - eval(*e.kids[1]);
            case Expr::Kind::Mul: return eval(*e.kids[0]) * eval(*e.kids[1]);
            case Expr::Kind::Neg: return -eval(*e.kids[0]);
            case Expr::Kind::Keyed: return eval(*e.kids[0]);
            default: throw RuntimeError(e.loc, "a number was expected here");
        }
    }

    // The expression as the trace shows it: names kept, loop indexes evaluated.
    std::string show(const Expr& e) {
        switch (e.kind) {
            case Expr::Kind::Int: return std::to_string(e.value);
            case Expr::Kind::Ident: {
                bool found = false;
                std::int64_t lv = loop_value(e.name, found);
                return found ? std::to_string(lv) : e.name;
            }
            case Expr::Kind::Member: return show(*e.kids[0]) + "." + e.name;
            case Expr::Kind::Index: return e.kids[0]->name + "[" + std::to_string(eval(*e.kids[1])) + "]";
            case Expr::Kind::BitOr: {
                std::string s;
                for (const auto& k : e.kids) s += (s.empty() ? "" : "|") + show(*k);
                return s;
            }
            case Expr::Kind::Add: return show(*e.kids[0]) + " + " + show(*e.kids[1]);
            case Expr::Kind::Sub: return show(*e.kids[0]) + " - " + show(*e.kids[1]);
            case Expr::Kind::Mul: return show(*e.kids[0]) + " * " + show(*e.kids[1]);
            case Expr::Kind::Neg: return "-" + show(*e.kids[0]);
            case Expr::Kind::Str: return "\"" + e.name + "\"";
            case Expr::Kind::Null: return "NULL";
            case Expr::Kind::Pair: return "{" + show(*e.kids[0]) + ", " + show(*e.kids[1]) + "}";
            case Expr::Kind::Keyed: return e.name + "=" + show(*e.kids[0]);
            case Expr::Kind::List: {
                std::string s = "[";
                for (std::size_t i = 0; i < e.kids.size(); ++i) s += (i ? ", " : "") + show(*e.kids[i]);
                return s + "]";
            }
            case Expr::Kind::PollItem: return show(*e.kids[0]) + ": " + show(*e.kids[1]);
        }
        return "?";
    }

    std::string call_text(const Call& c) {
        std::string s = c.fn + "(";
        for (std::size_t i = 0; i < c.args.size(); ++i) s += (i ? ", " : "") + show(*c.args[i]);
        return s + ")";
    }

    // The expression as a compact name: what show() would print, without building the text.
    SymName name_of(const Expr& e) {
        switch (e.kind) {
            case Expr::Kind::Int: return SymName::number(e.value);
            case Expr::Kind::Ident: {
                bool found = false;
                std::int64_t lv = loop_value(e.name, found);
                return found ? SymName::number(lv) : SymName::var(e.name);
            }
            case Expr::Kind::Index: return SymName::indexed(e.kids[0]->name, eval(*e.kids[1]));
            case Expr::Kind::Member: {
                SymName base = name_of(*e.kids[0]);
                if (!base.member) return base.with_member(e.name.c_str());
                break;
            }
            default: break;
        }
        return SymName::text(*interned_.insert(show(e)).first);
    }

    std::string fd_name(int fd) const {
        const SymName* n = fd_names_.find(fd);
        return n ? n->str() : std::to_string(fd);
    }

    std::string data_name(int epfd, std::uint64_t data) const {
        auto ep = epolls_.find(epfd);
        const SymName* n = ep == epolls_.end() ? nullptr : ep->second.by_data.find(static_cast<std::int64_t>(data));
        return n ? n->str() : std::to_string(data);
    }

    const Registration* registration(int epfd, int fd) const {
        auto ep = epolls_.find(epfd);
        return ep == epolls_.end() ? nullptr : ep->second.by_fd.find(fd);
    }

    // ---------------------------------------------------------------- statements
    std::string key_for(const Stmt& s) const {
        std::string k = std::to_string(s.loc.line);
        for (const auto& [n, v] : loops_) k += "#" + std::to_string(v);
        return k;
    }

    Step& new_step(const Stmt& s, StepKind kind) {
        Step& st = trace_.steps.emplace_back();
        st.kind = kind;
        st.line = s.loc.line;
        if (!folding_) st.key = key_for(s);  // folded steps: see exec_call
        st.model_only = model_only_;
        st.host_only = host_only_;
        return st;
    }

    void check_problem(const Loc& loc) {
        if (!be_.problem.empty()) {
            std::string p = be_.problem;
            be_.problem.clear();
            throw RuntimeError(loc, p);
        }
    }

    int thread_handle(const std::string& name, const Loc& loc) {
        if (name.empty()) return be_.main_thread(0);
        auto it = threads_.find(name);
        if (it == threads_.end()) throw RuntimeError(loc, "unknown thread '" + name + "'");
        return it->second;
    }


    // Every step created while running `s` points at the model events `s` caused.
    void exec(const Stmt& s) {
        const std::size_t first_step = trace_.steps.size(), first_event = be_.event_count();
        exec_stmt(s);
        for (std::size_t i = first_step; i < trace_.steps.size(); ++i) {
            if (s.kind == Stmt::Kind::Repeat || s.kind == Stmt::Kind::ModelOnly) break;  // inner statements did it
            trace_.steps[i].first_event = first_event;
            trace_.steps[i].end_event = be_.event_count();
        }
    }

    void exec_stmt(const Stmt& s) {
        switch (s.kind) {
            case Stmt::Kind::Title:
            case Stmt::Kind::Scale:  // configures the backend before the run (cli: backend_for)
            case Stmt::Kind::Tags: return;
            case Stmt::Kind::Say: {
                Step& st = new_step(s, StepKind::Say);
                st.text = s.text;
                return;
            }
            case Stmt::Kind::Thread: {
                int proc = 0;
                if (!s.process.empty()) {
                    auto it = vars_.find(s.process);
                    if (it == vars_.end() || it->second.kind != Value::Kind::Process)
                        throw RuntimeError(s.loc, "'" + s.process + "' is not a process");
                    proc = it->second.proc;
                }
                int h = be_.new_thread(proc);
                check_problem(s.loc);
                threads_[s.thread] = h;
                Step& st = new_step(s, StepKind::Thread);
                st.call = "thread " + s.thread + (s.process.empty() ? "" : " in " + s.process);
                return;
            }
            case Stmt::Kind::Call: return exec_call(s);
            case Stmt::Kind::WaitBlocked: {
                int h = thread_handle(s.thread, s.loc);
                Step& st = new_step(s, StepKind::WaitBlocked);
                st.call = "wait_blocked " + s.thread;
                st.blocked = be_.is_blocked(h);
                st.checked = true;
                st.ok = st.blocked;
                st.expected = "blocked";
                if (!st.ok) st.failure = s.thread + " is not blocked in epoll_wait";
                return;
            }
            case Stmt::Kind::Join: return exec_join(s);
            case Stmt::Kind::Signal: {
                be_.signal(thread_handle(s.thread, s.loc));
                check_problem(s.loc);
                new_step(s, StepKind::Signal).call = "signal " + s.thread;
                return;
            }
            case Stmt::Kind::Sleep: {
                std::int64_t ms = eval(*s.count);
                be_.sleep_ms(ms);
                check_problem(s.loc);
                new_step(s, StepKind::Sleep).call = "sleep " + std::to_string(ms);
                return;
            }
            case Stmt::Kind::Repeat: {
                std::int64_t n = eval(*s.count);
                if (n < 0) throw RuntimeError(s.count->loc, "repeat count is negative");
                // A scale scenario folds each outermost loop into one step: millions of steps
                // would not fit in a readable trace. Failed expectations are kept, one step each.
                const bool fold = script_.scale && !folding_;
                const std::size_t mark = trace_.steps.size();
                std::size_t folded = 0, kept_failures = mark;  // steps before it are failed ones
                folding_ = folding_ || fold;
                for (std::int64_t i = 0; i < n; ++i) {
                    loops_.emplace_back(&s.loop_var, i);
                    for (const Stmt& b : s.body) exec(b);
                    loops_.pop_back();
                    if (fold) {
                        folded += drop_passed_steps(kept_failures);
                        kept_failures = trace_.steps.size();
                    }
                }
                if (fold) {
                    folding_ = false;
                    const std::size_t failed = trace_.steps.size() - mark;
                    new_step(s, StepKind::Say).text = "repeat " + std::to_string(n) + " as " + s.loop_var + ": " +
                                                      std::to_string(folded + failed) + " steps folded (scale scenario), " +
                                                      std::to_string(failed) + " failed (shown above)";
                }
                return;
            }
            case Stmt::Kind::ModelOnly: {
                const bool sim = be_.supports_pause();
                bool& flag = sim ? model_only_ : host_only_;
                flag = true;
                for (const Stmt& b : sim ? s.body : s.host_body) exec(b);
                flag = false;
                return;
            }
            case Stmt::Kind::Pause: {
                int h = thread_handle(s.thread, s.loc);
                std::int64_t n = eval(*s.count);
                be_.pause_harvest(h, static_cast<int>(n));
                Step& st = new_step(s, StepKind::Pause);
                st.thread = s.thread;
                st.call = "pause " + s.thread + " after " + std::to_string(n);
                return;
            }
            case Stmt::Kind::Resume: {
                int h = thread_handle(s.thread, s.loc);
                be_.resume(h);
                check_problem(s.loc);
                Step& st = new_step(s, StepKind::Resume);
                st.thread = s.thread;
                st.call = "resume " + s.thread;
                return;
            }
        }
    }

    // ---------------------------------------------------------------- calls
    const FnInfo* function_of(const Call& c) {
        auto [it, added] = functions_.try_emplace(&c, nullptr);
        if (added) it->second = find_function(c.fn);
        return it->second;
    }

    // `target` is target_name(s), evaluated before the call.
    void bind(const Stmt& s, const Value& v, const std::optional<SymName>& target) {
        if (!target) return;
        if (s.target_index)
            families_[s.target][target->index] = v;
        else
            vars_[s.target] = v;
    }

    std::optional<SymName> target_name(const Stmt& s) {
        if (s.target.empty()) return std::nullopt;
        return s.target_index ? SymName::indexed(s.target, eval(*s.target_index)) : SymName::var(s.target);
    }

    static std::string assigned_to(const std::optional<SymName>& target) {
        std::string s;
        if (target) {
            target->append_to(s);
            s += " = ";
        }
        return s;
    }

    CallSpec build(const Call& c, const FnInfo& fn) {
        CallSpec spec;
        spec.kind = *fn.kind;
        // The parser bounds a call's arguments (arity, keyed ones unique): no heap needed.
        struct Positional {
            std::array<const Expr*, 8> v{};
            std::size_t n = 0;
            std::size_t size() const { return n; }
            bool empty() const { return n == 0; }
            const Expr* operator[](std::size_t i) const { return v[i]; }
        } pos;
        struct Keyed {  // a call has at most a couple of keyed arguments: no map needed
            std::array<std::pair<const std::string*, const Expr*>, 4> v{};
            std::size_t n = 0;
            const Expr* find(const char* k) const {
                for (std::size_t i = 0; i < n; ++i)
                    if (*v[i].first == k) return v[i].second;
                return nullptr;
            }
            bool count(const char* k) const { return find(k) != nullptr; }
            const Expr* operator[](const char* k) const { return find(k); }
        } keyed;
        for (const auto& a : c.args) {
            if (a->kind == Expr::Kind::Keyed) {
                if (keyed.n == keyed.v.size()) throw RuntimeError(a->loc, "too many keyed arguments");
                keyed.v[keyed.n++] = {&a->name, a->kids[0].get()};
            } else {
                if (pos.n == pos.v.size()) throw RuntimeError(a->loc, "too many arguments");
                pos.v[pos.n++] = a.get();
            }
        }
        auto num = [&](std::size_t i, std::int64_t dflt) { return i < pos.size() ? eval(*pos[i]) : dflt; };
        switch (spec.kind) {
            case CallKind::EpollCtl: {
                spec.args = {num(0, -1), num(1, 0), num(2, -1)};
                spec.has_event = pos.size() > 3 && pos[3]->kind != Expr::Kind::Null;
                if (spec.has_event) spec.events = static_cast<std::uint32_t>(eval(*pos[3]));
                spec.data = keyed.count("data") ? static_cast<std::uint64_t>(eval(*keyed["data"]))
                                                : static_cast<std::uint64_t>(spec.args[2]);
                return spec;
            }
            case CallKind::EpollPwait2: {
                spec.args = {num(0, -1), num(1, 0)};
                const Expr* ts = pos.size() > 2 ? pos[2] : nullptr;
                if (ts && ts->kind == Expr::Kind::Pair) {
                    spec.has_timespec = true;
                    spec.sec = eval(*ts->kids[0]);
                    spec.nsec = eval(*ts->kids[1]);
                } else if (ts && ts->kind != Expr::Kind::Null) {
                    throw RuntimeError(ts->loc, "epoll_pwait2 takes {SEC, NSEC} or NULL");
                }
                return spec;
            }
            case CallKind::Bind:
            case CallKind::Connect: {
                spec.args = {num(0, -1)};
                if (pos.size() < 2 || pos[1]->kind != Expr::Kind::Str)
                    throw RuntimeError(c.loc, c.fn + " takes a socket name in quotes");
                spec.name = pos[1]->name;
                return spec;
            }
            case CallKind::Poll: {
                if (pos.empty() || pos[0]->kind != Expr::Kind::List)
                    throw RuntimeError(c.loc, "poll takes a list: poll([fd: POLLIN], 0)");
                for (const auto& item : pos[0]->kids)
                    spec.pollfds.push_back(PollReq{static_cast<int>(eval(*item->kids[0])),
                                                   static_cast<std::uint32_t>(eval(*item->kids[1]))});
                spec.args = {num(1, 0)};
                return spec;
            }
            case CallKind::Write: {
                spec.args = {num(0, -1), num(1, 0), keyed.count("value") ? eval(*keyed["value"]) : 0};
                return spec;
            }
            default:
                for (std::size_t i = 0; i < pos.size(); ++i) spec.args.push_back(eval(*pos[i]));
                return spec;
        }
    }

    void exec_call(const Stmt& s) {
        const FnInfo* fn = function_of(s.call);
        if (!fn) throw RuntimeError(s.call.loc, "unknown function '" + s.call.fn + "'");
        const int h = thread_handle(s.thread, s.loc);
        if (fn->returns == Returns::Process) return exec_fork(s);
        if (fn->returns == Returns::Fdinfo) return exec_fdinfo(s, h);
        if (fn->returns == Returns::RbCases) return exec_rb_cases(s, h);
        CallSpec spec = build(s.call, *fn);
        // In a folded loop (scale scenarios) a step is kept only if its expectation fails: its
        // call text is built then, not for the million steps that pass.
        const bool lazy = folding_;
        const std::string text = lazy ? std::string() : call_text(s.call);
        const std::optional<SymName> target = target_name(s);
        CallResult r = be_.call(h, spec);
        check_problem(s.call.loc);
        if (r.blocked && s.thread.empty()) {  // the main thread waits for its own call
            r = be_.join(h);
            check_problem(s.call.loc);
        }
        Step& st = new_step(s, StepKind::Call);
        st.thread = s.thread;
        st.call = assigned_to(target) + text;
        record(st, *fn, spec, r);
        if (!s.thread.empty()) last_call_[s.thread] = LastCall{&s, r.blocked, r, loops_};
        if (r.blocked) return;  // its expectation is checked when it is joined
        after_call(s, *fn, spec, r, target);
        Step& done = trace_.steps.back();
        check(done, s.expect, *fn, spec, r);
        if (lazy && done.checked && !done.ok) {
            done.call = assigned_to(target) + call_text(s.call);
            done.key = key_for(s);
        }
    }

    // Names and registrations follow successful calls.
    void after_call(const Stmt& s, const FnInfo& fn, const CallSpec& spec, const CallResult& r,
                    const std::optional<SymName>& target) {
        if (r.err) return;
        switch (fn.returns) {
            case Returns::Fd: {
                Value v{Value::Kind::Fd, r.ret};
                bind(s, v, target);
                if (target) fd_names_[static_cast<int>(r.ret)] = *target;
                break;
            }
            case Returns::Pair: {
                Value v{Value::Kind::Pair};
                v.fds[0] = r.fds[0];
                v.fds[1] = r.fds[1];
                bind(s, v, target);
                if (target) {
                    fd_names_[r.fds[0]] = target->with_member(fn.pair_names[0]);
                    fd_names_[r.fds[1]] = target->with_member(fn.pair_names[1]);
                }
                break;
            }
            default: bind(s, Value{Value::Kind::Int, r.ret}, target); break;
        }
        if (spec.kind == CallKind::EpollCtl) {
            int ep = static_cast<int>(spec.args[0]), fd = static_cast<int>(spec.args[2]);
            int op = static_cast<int>(spec.args[1]);
            // A successful epoll_ctl names an open fd: below RLIMIT_NOFILE, a dense IntMap key.
            EpollNames& names = epolls_[ep];
            Registration& reg = names.by_fd[fd];
            if (op == EPOLL_CTL_DEL) {
                reg.live = false;
                reg.data = 0;
                reg.fd_name = SymName();
            } else {
                const SymName name = name_of(*s.call.args[2]);
                reg.live = true;
                reg.data = spec.data;
                reg.fd_name = name;
                reg.explicit_data = std::any_of(s.call.args.begin(), s.call.args.end(),
                                                [](const ExprPtr& a) { return a->kind == Expr::Kind::Keyed; });
                names.by_data[static_cast<std::int64_t>(spec.data)] = name;
            }
            if (opt_.capture_fdinfo) capture_interest(trace_.steps.back(), thread_handle(s.thread, s.loc), ep);
        }
        if (spec.kind == CallKind::Close) fd_names_.erase(static_cast<int>(spec.args[0]));
    }

    void record(Step& st, const FnInfo& fn, const CallSpec& spec, const CallResult& r) {
        st.ret = r.ret;
        st.err = r.err;
        st.blocked = r.blocked;
        st.fd_result = fn.returns == Returns::Fd;  // pipe()/socketpair() return 0: a plain value
        if (fn.returns == Returns::Events && !r.blocked && !r.err) {
            st.has_events = true;
            for (const Ev& e : r.events) {
                st.events.push_back(TraceEvent{data_name(static_cast<int>(spec.args[0]), e.data), e.events});
                st.event_data.push_back(e.data);
            }
        }
        if (fn.returns == Returns::Revents && !r.err) {
            st.has_events = true;
            for (std::size_t i = 0; i < r.revents.size() && i < spec.pollfds.size(); ++i)
                if (r.revents[i]) st.events.push_back(TraceEvent{fd_name(spec.pollfds[i].fd), r.revents[i]});
        }
    }

    std::vector<TraceInterest> interest_of(const std::vector<FdinfoItem>& items, int ep) {
        std::vector<TraceInterest> v;
        for (const FdinfoItem& it : items) {
            const Registration* reg = registration(ep, it.tfd);
            std::string name = reg && reg->live ? reg->fd_name.str() : fd_name(it.tfd);
            bool expl = reg && reg->explicit_data;
            v.push_back(TraceInterest{name, it.events, expl ? std::to_string(it.data) : name});
        }
        std::sort(v.begin(), v.end());  // a set: the kernel's order is by file address
        return v;
    }

    void capture_interest(Step& st, int h, int ep) {
        auto items = be_.fdinfo(h, ep);
        if (!items) return;
        st.has_interest = true;
        st.interest = interest_of(*items, ep);
    }

    void exec_fork(const Stmt& s) {
        int proc = be_.fork_process();
        check_problem(s.call.loc);
        Value v{Value::Kind::Process};
        v.proc = proc;
        bind(s, v, target_name(s));
        if (!s.target.empty()) threads_[s.target] = be_.main_thread(proc);
        Step& st = new_step(s, StepKind::Fork);
        st.call = (s.target.empty() ? "" : s.target + " = ") + std::string("fork()");
    }

    void exec_fdinfo(const Stmt& s, int h) {
        int ep = static_cast<int>(eval(*s.call.args[0]));
        auto items = be_.fdinfo(h, ep);
        check_problem(s.call.loc);
        Step& st = new_step(s, StepKind::Call);
        st.thread = s.thread;
        st.call = call_text(s.call);
        if (!items) {
            st.ret = -1;
            st.err = EBADF;
        } else {
            st.has_interest = true;
            st.interest = interest_of(*items, ep);
        }
        check_fdinfo(st, s.expect, items ? *items : std::vector<FdinfoItem>{}, ep);
    }

    // rb_cases(ep): a look into the model's rb tree, not a syscall. The parser keeps it inside
    // model_only, so only the model runs it; a backend that cannot see the tree stops the run.
    void exec_rb_cases(const Stmt& s, int h) {
        const Expr& arg = *s.call.args[0];
        const int ep = static_cast<int>(eval(arg));
        std::optional<RbCasesResult> r = be_.rb_cases(h, ep);
        check_problem(s.call.loc);
        if (!r)
            throw RuntimeError(s.call.loc, std::string("rb_cases is model-only: the ") + be_.name() +
                                               " backend cannot see the rb tree");
        if (r->err)
            throw RuntimeError(arg.loc, "rb_cases: '" + show(arg) + "' is " +
                                            (r->err == EBADF ? "not an open fd" : "not an epoll instance"));
        Step& st = new_step(s, StepKind::Call);
        st.thread = s.thread;
        st.call = call_text(s.call);
        st.has_cases = true;
        st.cases = r->cases;
        st.ret = static_cast<std::int64_t>(r->cases.size());
        if (r->has_op) st.rb_op_event = r->op_event;
        if (s.expect.kind == Expectation::Kind::None) return;
        st.expect_line = s.expect.loc.line;
        st.expect_col = s.expect.loc.col;
        st.expected = expect_text(s.expect);
        if (s.expect.kind == Expectation::Kind::Question) {
            st.question = true;
            return;
        }
        st.checked = true;
        if (st.cases != s.expect.cases) {
            st.ok = false;
            st.failure = "expected " + st.expected + ", got " + st.result_text().substr(2);
        }
    }

    void exec_join(const Stmt& s) {
        int h = thread_handle(s.thread, s.loc);
        auto last = last_call_.find(s.thread);
        if (last == last_call_.end() || !last->second.stmt)
            throw RuntimeError(s.loc, s.thread + " has made no call to join");
        const Stmt& call_stmt = *last->second.stmt;
        const bool was_blocked = last->second.blocked;
        CallResult r = last->second.result;
        if (was_blocked) {
            r = be_.join(h);
            check_problem(s.loc);
        }
        auto call_loops = std::move(last->second.loops);
        last_call_.erase(last);
        Step& st = new_step(s, StepKind::Join);
        const FnInfo* fn = function_of(call_stmt.call);
        std::swap(loops_, call_loops);  // the call's scope
        CallSpec spec = build(call_stmt.call, *fn);
        st.call = "join " + s.thread + " (" + call_text(call_stmt.call) + ")";
        record(st, *fn, spec, r);
        if (was_blocked) after_call(call_stmt, *fn, spec, r, target_name(call_stmt));
        if (s.expect.kind == Expectation::Kind::None && was_blocked)
            check(trace_.steps.back(), call_stmt.expect, *fn, spec, r);  // written on the call (checked once)
        std::swap(loops_, call_loops);  // back to the join's scope
        if (s.expect.kind != Expectation::Kind::None) check(trace_.steps.back(), s.expect, *fn, spec, r);
    }

    // ---------------------------------------------------------------- expectations
    std::string expect_text(const Expectation& ex) {
        switch (ex.kind) {
            case Expectation::Kind::None: return "";
            case Expectation::Kind::Question: return "?";
            case Expectation::Kind::Error: return "-1 " + ex.errno_name;
            case Expectation::Kind::Value: break;
        }
        if (ex.has_cases) {
            std::string s = "[";
            for (std::size_t i = 0; i < ex.cases.size(); ++i) s += (i ? ", " : "") + ex.cases[i];
            return s + "]";
        }
        std::string s = show(*ex.value);
        if (ex.has_events) {
            s += ex.unordered ? " {" : " [";
            for (std::size_t i = 0; i < ex.events.size(); ++i)
                s += (i ? ", " : "") + show(*ex.events[i].who) + ": " + show(*ex.events[i].mask);
            s += ex.unordered ? "}" : "]";
        }
        return s;
    }

    // An expected event's data: a literal, or the data registered for that fd on this epoll.
    std::uint64_t expected_data(const Expr& who, int ep) {
        if (who.kind == Expr::Kind::Int) return static_cast<std::uint64_t>(who.value);
        Value v = lookup(who);
        if (v.kind != Value::Kind::Fd) return static_cast<std::uint64_t>(as_int(v, who));
        const Registration* reg = registration(ep, static_cast<int>(v.v));
        return reg && reg->live ? reg->data : static_cast<std::uint64_t>(v.v);
    }

    void check(Step& st, const Expectation& ex, const FnInfo& fn, const CallSpec& spec, const CallResult& r) {
        if (ex.kind == Expectation::Kind::None) return;
        st.expected = expect_text(ex);
        st.expect_line = ex.loc.line;
        st.expect_col = ex.loc.col;
        if (ex.kind == Expectation::Kind::Question) {
            st.question = true;
            return;
        }
        st.checked = true;
        auto fail = [&](const std::string& why) {
            st.ok = false;
            st.failure = "expected " + st.expected + ", got " + st.result_text().substr(2) + (why.empty() ? "" : " (" + why + ")");
        };
        if (ex.kind == Expectation::Kind::Error) {
            int want = errno_from_name(ex.errno_name.c_str());
            if (st.ret != -1 || st.err != want) fail("");
            return;
        }
        std::int64_t want = eval(*ex.value);
        if (st.err || st.ret != want) {
            fail("");
            return;
        }
        if (!ex.has_events) return;
        // Expected (data, mask) pairs against the actual ones; for poll, (fd, revents) of each
        // fd that has revents, in request order.
        const bool is_poll = fn.returns == Returns::Revents;
        const int ep = is_poll ? -1 : static_cast<int>(spec.args[0]);
        std::vector<std::pair<std::uint64_t, std::uint32_t>> exp, actual;
        for (const EventExpect& e : ex.events) {
            std::uint64_t who = is_poll ? static_cast<std::uint64_t>(eval(*e.who)) : expected_data(*e.who, ep);
            exp.emplace_back(who, static_cast<std::uint32_t>(eval(*e.mask)));
        }
        if (is_poll) {
            for (std::size_t i = 0; i < r.revents.size() && i < spec.pollfds.size(); ++i)
                if (r.revents[i]) actual.emplace_back(static_cast<std::uint64_t>(spec.pollfds[i].fd), r.revents[i]);
        } else {
            for (const Ev& e : r.events) actual.emplace_back(e.data, e.events);
        }
        if (ex.unordered) {
            std::sort(exp.begin(), exp.end());
            std::sort(actual.begin(), actual.end());
        }
        if (exp != actual) fail(ex.unordered ? "as a set" : "in order");
    }

    void check_fdinfo(Step& st, const Expectation& ex, const std::vector<FdinfoItem>& items, int ep) {
        if (ex.kind == Expectation::Kind::None) return;
        st.expect_line = ex.loc.line;
        st.expect_col = ex.loc.col;
        if (ex.kind == Expectation::Kind::Question) {
            st.question = true;
            st.expected = "?";
            return;
        }
        st.checked = true;
        std::multiset<std::tuple<int, std::uint32_t, std::uint64_t, bool>> want;
        std::string text = "{";
        for (std::size_t i = 0; i < ex.events.size(); ++i) {
            const EventExpect& e = ex.events[i];
            int fd = static_cast<int>(eval(*e.who));
            auto mask = static_cast<std::uint32_t>(eval(*e.mask));
            bool has_data = e.data != nullptr;
            want.emplace(fd, mask, has_data ? static_cast<std::uint64_t>(eval(*e.data)) : 0, has_data);
            text += (i ? ", " : "") + show(*e.who) + ": " + show(*e.mask) + (has_data ? " data=" + show(*e.data) : "");
        }
        st.expected = text + "}";
        std::multiset<std::tuple<int, std::uint32_t, std::uint64_t, bool>> got;
        for (const FdinfoItem& it : items) {
            // compare data only where the expectation gives it
            bool with_data = false;
            for (const auto& w : want)
                if (std::get<0>(w) == it.tfd && std::get<3>(w)) with_data = true;
            got.emplace(it.tfd, it.events, with_data ? it.data : 0, with_data);
        }
        (void)ep;
        if (got != want) {
            st.ok = false;
            st.failure = "expected " + st.expected + ", got " + st.result_text().substr(2);
        }
    }
};

}  // namespace

Trace run_script(const Script& script, Backend& backend, const RunOptions& opt) {
    Interp in(script, backend, opt);
    return in.run();
}

}  // namespace epsim::scn
