// parse_calls.cpp - the call statement: its thread prefix and target, the function looked up
// in the call table (calls.h), the argument list checked against it (count, keyed arguments,
// poll's [fd: EVENTS] list, epoll_pwait2's {sec, nsec}), and the name the call binds.
#include <algorithm>
#include <string>
#include <vector>

#include "runner/parse_error.h"
#include "runner/parse_hints.h"
#include "runner/parser_impl.h"

namespace epsim::scn::parsing {

// [THREAD:] [TARGET =] fn(args) [== EXPECTATION]
Stmt Parser::parse_call_stmt(const Ctx& ctx) {
    Stmt s;
    s.kind = Stmt::Kind::Call;
    s.loc = peek().loc;
    if (at(Tok::Ident) && at(Tok::Colon, 1)) {
        Token th = take();
        take();  // ':'
        check_thread(th);
        s.thread = th.text;
        if (!at(Tok::Ident))
            fail(peek().loc, "expected a call after " + in_quotes(th.text + ":"), th.text + ": epoll_wait(ep, 8, -1)");
    }
    Token target;
    if (at(Tok::Ident) && at(Tok::Assign, 1)) {
        target = take();
        take();  // '='
        check_new_name(target, "a variable");
        s.target = target.text;
    } else if (at(Tok::Ident) && at(Tok::LBracket, 1)) {
        target = take();
        Token open = take();
        ++nest_;
        check_new_name(target, "a variable");
        s.target_index = parse_expr();
        close(Tok::RBracket, open, "]", "']'");
        if (!at(Tok::Assign))
            fail(peek().loc, "expected '=' after " + in_quotes(target.text + "[...]"),
                 "an indexed name is bound by a call: " + target.text + "[i] = eventfd(0, 0)");
        take();
        s.target = target.text;
    } else if (at(Tok::Ident) && at(Tok::Dot, 1) && at(Tok::Ident, 2) && at(Tok::Assign, 3)) {
        const Token& t = peek();
        fail(t.loc, "cannot assign to " + in_quotes(t.text + "." + peek(2).text),
             "bind a new name instead: x = dup(" + t.text + "." + peek(2).text + ")");
    }
    const Token& fn = peek();
    if (fn.kind != Tok::Ident || !at(Tok::LParen, 1)) {
        if (fn.kind == Tok::Ident && find_function(fn.text))
            fail(peek(1).loc, "expected '(' after " + in_quotes(fn.text),
                 "usage: " + std::string(find_function(fn.text)->usage));
        if (!s.target.empty())
            fail(fn.loc, "expected a call after '='",
                 "a name is bound to what a call returns: x = dup(p.r)");
        if (!s.thread.empty() || fn.kind != Tok::Ident)
            fail(fn.loc, "expected a call, found " + spell(fn), "a call looks like close(fd)");
        std::vector<std::string> cands = keywords();
        for (const std::string& f : function_names()) cands.push_back(f);
        std::string hint = did_you_mean(fn.text, cands);
        if (names_.vars.count(fn.text) || find_loop(fn.text) || find_constant(fn.text))
            fail(fn.loc, "expected a statement, found " + in_quotes(fn.text),
                 "a statement is a call such as close(fd), or starts with a keyword");
        fail(fn.loc, "unknown statement " + in_quotes(fn.text),
             hint.empty() ? "a statement is a call such as close(fd), or starts with a keyword: " + join_words(keywords())
                          : hint);
    }
    // rb_cases reads the kernel's rb tree, which no syscall shows: like pause, model-only.
    if (const FnInfo* f = find_function(fn.text); f && f->returns == Returns::RbCases && !ctx.in_model)
        fail(fn.loc, fn.text + " is model-only",
             "the rb tree is invisible from user space: model_only \"why\" { rb_cases(ep) == ? }");
    s.call = parse_call(!s.target.empty());
    const FnInfo& info = *find_function(s.call.fn);
    if (info.returns == Returns::Process && !s.thread.empty())
        fail(s.loc, "fork() runs in the main thread", "drop the '" + s.thread + ":' prefix");
    if (at(Tok::EqEq)) parse_expectation(&info, s.expect);
    bind(s, info, target);
    return s;
}

// fn(args): the name must be in the call table, and the arguments must fit its entry.
Call Parser::parse_call(bool has_target) {
    Token name = take();
    const FnInfo* fn = find_function(name.text);
    if (!fn) {
        std::string hint = did_you_mean(name.text, function_names());
        fail(name.loc, "unknown function " + in_quotes(name.text),
             hint.empty() ? "the functions are: " + join_words(function_names()) : hint);
    }
    if (fn->returns == Returns::Process && !has_target)
        fail(name.loc, "fork() needs a name for the child", "child = fork()   then   child: close(p.w)");
    Call c;
    c.loc = name.loc;
    c.fn = name.text;
    Token open = take();  // '('
    ++nest_;
    deeper(open.loc);
    const std::string usage = "usage: " + std::string(fn->usage);
    int positional = 0;
    bool keyed_seen = false;
    if (!at(Tok::RParen)) {
        for (;;) {
            const Token& t = peek();
            if (t.kind == Tok::Ident && at(Tok::Assign, 1)) {
                Token key = take();
                take();  // '='
                if (std::find(fn->keyed.begin(), fn->keyed.end(), key.text) == fn->keyed.end()) {
                    std::vector<std::string> allowed;
                    for (std::string_view k : fn->keyed) allowed.push_back(std::string(k) + "=");
                    fail(key.loc, in_quotes(name.text) + " has no argument " + in_quotes(key.text + "="),
                         allowed.empty() ? name.text + " takes no keyed arguments; " + usage
                                         : "it takes " + join_words(allowed) + "; " + usage);
                }
                for (const ExprPtr& a : c.args)
                    if (a->kind == Expr::Kind::Keyed && a->name == key.text)
                        fail(key.loc, in_quotes(key.text + "=") + " is given twice", usage);
                auto e = std::make_unique<Expr>();
                e->kind = Expr::Kind::Keyed;
                e->loc = key.loc;
                e->name = key.text;
                e->kids.push_back(parse_expr());
                c.args.push_back(std::move(e));
                keyed_seen = true;
            } else {
                if (keyed_seen)
                    fail(t.loc, "positional argument after a keyed one", "put keyed arguments (data=...) last; " + usage);
                if (t.kind == Tok::RParen || t.kind == Tok::Comma)
                    fail(t.loc, "expected an argument, found " + spell(t), usage);
                ++positional;
                if (positional > fn->max_args) {
                    std::string takes = fn->max_args == 0 ? "it takes none"
                                                          : "it takes " + std::string(fn->min_args == fn->max_args ? "" : "at most ") +
                                                                std::to_string(fn->max_args);
                    fail(t.loc, "too many arguments to " + in_quotes(name.text) + ": " + takes, usage);
                }
                c.args.push_back(parse_arg(*fn, positional));
            }
            if (at(Tok::Comma)) {
                take();
                continue;
            }
            if (at(Tok::RParen)) break;
            fail_unclosed(open, ")", "',' or ')'");
        }
    }
    Token rparen = take();
    --nest_;
    if (positional < fn->min_args) {
        std::string takes = fn->min_args == fn->max_args
                                ? std::to_string(fn->min_args)
                                : std::to_string(fn->min_args) + " to " + std::to_string(fn->max_args);
        fail(rparen.loc,
             "too few arguments to " + in_quotes(name.text) + ": it takes " + takes + ", got " + std::to_string(positional),
             usage);
    }
    return c;
}

// One positional argument. Two functions take a shape no other does: poll's first argument
// is a [fd: EVENTS] list and epoll_pwait2's timeout may be a {sec, nsec} pair.
ExprPtr Parser::parse_arg(const FnInfo& fn, int position) {
    const Token& t = peek();
    bool poll_list = fn.returns == Returns::Revents && position == 1;
    bool timespec = fn.name == "epoll_pwait2" && position == 3;
    if (poll_list) {
        if (t.kind != Tok::LBracket)
            fail(t.loc, "poll's first argument is a list of fds", "usage: " + std::string(fn.usage));
        return parse_poll_list();
    }
    if (t.kind == Tok::LBracket)
        fail(t.loc, "a [fd: EVENTS] list is only poll's first argument", "usage: " + std::string(fn.usage));
    if (t.kind == Tok::LBrace) {
        if (!timespec) fail(t.loc, "a {SEC, NSEC} pair is only epoll_pwait2's timeout", "usage: " + std::string(fn.usage));
        return parse_pair();
    }
    return parse_expr();
}

// [fd: EVENTS, fd: EVENTS]
ExprPtr Parser::parse_poll_list() {
    Token open = take();
    ++nest_;
    auto list = std::make_unique<Expr>();
    list->kind = Expr::Kind::List;
    list->loc = open.loc;
    while (!at(Tok::RBracket)) {
        auto item = std::make_unique<Expr>();
        item->kind = Expr::Kind::PollItem;
        item->loc = peek().loc;
        item->kids.push_back(parse_expr());
        if (!at(Tok::Colon))
            fail(peek().loc, "expected ':' after the fd, found " + spell(peek()), "poll([p.r: POLLIN, p.w: POLLOUT], 0)");
        take();
        item->kids.push_back(parse_expr());
        list->kids.push_back(std::move(item));
        if (at(Tok::Comma)) {
            take();
            continue;
        }
        if (!at(Tok::RBracket)) fail_unclosed(open, "]", "',' or ']'");
    }
    close(Tok::RBracket, open, "]", "']'");
    return list;
}

// {SEC, NSEC}
ExprPtr Parser::parse_pair() {
    Token open = take();
    ++nest_;
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Pair;
    e->loc = open.loc;
    e->kids.push_back(parse_expr());
    if (!at(Tok::Comma)) {
        if (at(Tok::RBrace)) fail(peek().loc, "a timespec has two numbers", "{SEC, NSEC}, e.g. {0, 5000000}");
        fail_unclosed(open, "}", "','");
    }
    take();
    e->kids.push_back(parse_expr());
    close(Tok::RBrace, open, "}", "'}'");
    return e;
}

// What a call statement binds its target to, per the table's Returns.
void Parser::bind(const Stmt& s, const FnInfo& fn, const Token& target) {
    if (s.target.empty()) return;
    Var v;
    v.line = target.loc.line;
    switch (fn.returns) {
    case Returns::Fd: v.kind = VarKind::Fd; break;
    case Returns::Pair:
        v.kind = VarKind::Pair;
        v.pair_fn = &fn;
        break;
    case Returns::Process: v.kind = VarKind::Process; break;
    default: v.kind = VarKind::Value; break;
    }
    if (s.target_index) {
        if (v.kind == VarKind::Process)
            fail(target.loc, "a process cannot be an indexed name", "child = fork()");
        v.elem = v.kind;
        v.kind = VarKind::Family;
    }
    names_.vars[s.target] = v;
    names_.one_sided.erase(s.target);
}

}  // namespace epsim::scn::parsing
