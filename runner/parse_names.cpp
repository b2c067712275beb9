// parse_names.cpp - names in scope: what a thread operand may be, which names a new binding
// may not take, the candidates for "did you mean", and how the two branches of a model_only
// block merge. The hint for a name used too early ("bound later, on line N") comes from
// lexing the file again: only the error path pays for it.
#include <string>
#include <string_view>
#include <vector>

#include "runner/parse_error.h"
#include "runner/parse_hints.h"
#include "runner/parser_impl.h"

namespace epsim::scn::parsing {

// "p is a pipe: use p.r or p.w", from the function that made the pair.
std::string pair_hint(const std::string& shown, const FnInfo& fn) {
    return shown + " is a " + std::string(fn.name) + ": use " + shown + "." + fn.pair_names[0] + " or " + shown + "." +
           fn.pair_names[1];
}

// Both branches started from `before`. A name both sides bound stays (with the model side's
// binding when only the model rebound it); a name only one side bound leaves scope.
Names merge_branches(const Names& before, const Names& model_side, Names host_side, int block_line) {
    Names merged = std::move(host_side);
    for (const auto& [name, var] : model_side.vars) {
        auto it = merged.vars.find(name);
        if (it == merged.vars.end()) {
            merged.one_sided[name] = block_line;
        } else {
            // Bound on both sides: a rebinding on the model side wins only if the host kept
            // the old binding; the kinds are what later checks use, and usually agree.
            auto b = before.vars.find(name);
            if (b != before.vars.end() && b->second.line == it->second.line) it->second = var;
        }
    }
    for (auto it = merged.vars.begin(); it != merged.vars.end();) {
        if (!model_side.vars.count(it->first)) {
            merged.one_sided[it->first] = block_line;
            it = merged.vars.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = merged.threads.begin(); it != merged.threads.end();) {
        if (!model_side.threads.count(it->first)) {
            merged.one_sided[it->first] = block_line;
            it = merged.threads.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [name, line] : model_side.threads)
        if (!merged.threads.count(name)) merged.one_sided[name] = block_line;
    return merged;
}

const LoopVar* Parser::find_loop(const std::string& name) const {
    for (auto it = loops_.rbegin(); it != loops_.rend(); ++it)
        if (it->name == name) return &*it;
    return nullptr;
}

// A thread prefix or the operand of join/signal/wait_blocked/pause/resume: a declared
// thread, or a forked process (its main thread).
void Parser::check_thread(const Token& t) {
    if (names_.threads.count(t.text)) return;
    auto it = names_.vars.find(t.text);
    if (it != names_.vars.end()) {
        if (it->second.kind == VarKind::Process) return;
        fail(t.loc, in_quotes(t.text) + " is not a thread", "declare threads before using them: thread t1");
    }
    if (auto o = names_.one_sided.find(t.text); o != names_.one_sided.end())
        fail(t.loc, "unknown thread " + in_quotes(t.text),
             t.text + " is declared on only one side of the model_only block on line " + std::to_string(o->second));
    if (int later = bound_later(t.text, t.loc.line, true))
        fail(t.loc, "unknown thread " + in_quotes(t.text),
             "it is declared later, on line " + std::to_string(later) + ": declare threads before using them");
    std::string hint = did_you_mean(t.text, thread_names());
    fail(t.loc, "unknown thread " + in_quotes(t.text), hint.empty() ? "declare it first: thread " + t.text : hint);
}

// For a better hint only: the line of a later `name = ...` (or `thread name`, or
// `name = fork()` for a thread operand), found by lexing the file again. 0 if none.
int Parser::bound_later(const std::string& name, int after_line, bool thread) const {
    Lexer lex(text_);
    Token prev;
    for (;;) {
        Token t = lex.next();
        if (t.kind == Tok::End || t.kind == Tok::Error) return 0;
        if (t.loc.line > after_line) {
            if (prev.kind == Tok::Ident && prev.text == name && prev.loc.line == t.loc.line &&
                (t.kind == Tok::Assign || (t.kind == Tok::LBracket && !thread)))
                return t.loc.line;
            if (thread && prev.kind == Tok::Ident && prev.text == "thread" && t.kind == Tok::Ident && t.text == name)
                return t.loc.line;
        }
        prev = t;
    }
}

// A name about to be bound (a call's target, a thread, a loop variable).
void Parser::check_new_name(const Token& t, const char* what) {
    const std::string shown = in_quotes(t.text);
    const bool variable = std::string_view(what) == "a variable";
    if (t.text == "NULL" || find_constant(t.text))
        fail(t.loc, variable ? shown + " is a constant and cannot be assigned" : shown + " is a constant, not " + std::string(what),
             "pick another name");
    if (is_keyword(t.text)) fail(t.loc, shown + " is a keyword, not " + std::string(what), "pick another name");
    if (const LoopVar* lv = find_loop(t.text))
        fail(t.loc, shown + " is the loop variable of the repeat on line " + std::to_string(lv->line),
             "pick another name");
    if (std::string_view(what) != "a thread" && names_.threads.count(t.text))
        fail(t.loc, shown + " is a thread", "pick another name");
}

std::vector<std::string> Parser::value_names() const {
    std::vector<std::string> v;
    for (const auto& [name, var] : names_.vars)
        if (var.kind != VarKind::Process) v.push_back(name);
    for (const LoopVar& l : loops_) v.push_back(l.name);
    for (std::string_view c : constant_names()) v.emplace_back(c);
    return v;
}

std::vector<std::string> Parser::thread_names() const {
    std::vector<std::string> v;
    for (const auto& [name, line] : names_.threads) v.push_back(name);
    for (const auto& [name, var] : names_.vars)
        if (var.kind == VarKind::Process) v.push_back(name);
    return v;
}

}  // namespace epsim::scn::parsing
