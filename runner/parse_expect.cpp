// parse_expect.cpp - what follows '==': a value, -1 ERRNO, '?' (a prediction), an event list
// ([...] in order, {...} in any order, fdinfo's list with data=), or rb_cases' fix-up steps.
#include <cstdint>
#include <string>

#include "runner/parse_error.h"
#include "runner/parse_hints.h"
#include "runner/parser_impl.h"
#include "runner/rb_cases.h"
#include "sim/uapi.h"

namespace epsim::scn::parsing {

// == EXPECTATION after a call to `fn` (nullptr: after join). The kind of list allowed
// depends on what the function returns.
void Parser::parse_expectation(const FnInfo* fn, Expectation& ex) {
    take();  // '=='
    const Token t = peek();
    ex.loc = t.loc;
    if (at_line_end())
        fail(t.loc, "expected an expectation after '=='",
             "write the result (== 0), a failure (== -1 EBADF), or ? to predict it");
    if (t.kind == Tok::Question) {
        take();
        ex.kind = Expectation::Kind::Question;
        return;
    }
    if (fn && fn->returns == Returns::RbCases) {
        parse_rb_cases(ex);
        return;
    }
    if (fn && fn->returns == Returns::Fdinfo) {
        // fdinfo shows the interest list: no count, and no order a student could rely on.
        const char* hint = "fdinfo(ep) == {p.r: EPOLLIN data=1}   or   fdinfo(ep) == {} when it is empty";
        if (t.kind == Tok::LBracket) fail(t.loc, "fdinfo's expectation is an unordered {...} list", hint);
        if (t.kind != Tok::LBrace) fail(t.loc, "fdinfo's expectation is a {...} list, without a count", hint);
        ex.kind = Expectation::Kind::Value;
        parse_event_list(true, ex);
        return;
    }
    // -1 ERRNO: a failed call. A bare -1 is almost always a forgotten errno name.
    if (t.kind == Tok::Minus && peek(1).kind == Tok::Int && peek(1).value == 1) {
        const Token& e = peek(2);
        if (e.kind == Tok::Ident) {
            take();
            take();
            Token name = take();
            if (errno_from_name(name.text.c_str()) == 0) {
                std::string hint = did_you_mean(name.text, errno_names());
                fail(name.loc, "unknown errno name " + in_quotes(name.text),
                     hint.empty() ? "the errno names are: " + join_words(errno_names()) : hint);
            }
            ex.kind = Expectation::Kind::Error;
            ex.errno_name = name.text;
            return;
        }
        if (e.kind == Tok::Newline || e.kind == Tok::End || e.kind == Tok::RBrace)
            fail(e.loc, "expected an errno name after -1", "a failing call is written == -1 ERRNO, e.g. == -1 EBADF");
    }
    if (t.kind == Tok::LBracket || t.kind == Tok::LBrace)
        fail(t.loc, "expected the return value before the event list", "write the count first: == 1 [p.r: EPOLLIN]");
    ex.kind = Expectation::Kind::Value;
    // allow_index = false: in "== 1 [p.r: EPOLLIN]" the '[' opens the event list.
    ex.value = parse_expr(false);
    Expr::Kind vk = ex.value->kind;
    if (vk == Expr::Kind::Str || vk == Expr::Kind::Null)
        fail(ex.value->loc, "an expectation is a number", "== 0, == -1 EAGAIN, == ?");
    if (at(Tok::LBracket) || at(Tok::LBrace)) {
        const Token open = peek();
        if (fn && fn->returns != Returns::Events && fn->returns != Returns::Revents)
            fail(open.loc, in_quotes(fn->name) + " returns a number: it has no event list",
                 "only the epoll_wait family, poll and join report events");
        parse_event_list(false, ex);
        if (fn && vk == Expr::Kind::Int && ex.value->value != static_cast<std::int64_t>(ex.events.size()))
            fail(open.loc,
                 "the count says " + std::to_string(ex.value->value) + " but the list has " +
                     std::to_string(ex.events.size()) + (ex.events.size() == 1 ? " event" : " events"),
                 "list every event the call returns, or drop the list to check only the count");
    }
}

// rb_cases(ep) == [case1.recolor, root_black]: fix-up step names in order (runner/rb_cases.h);
// [] when the last change ran none (an erase of a red node).
void Parser::parse_rb_cases(Expectation& ex) {
    const char* hint = "rb_cases(ep) == [case1.recolor, root_black]   or   rb_cases(ep) == ?";
    const Token open = peek();
    if (open.kind != Tok::LBracket) fail(open.loc, "rb_cases's expectation is a [...] list of fix-up steps", hint);
    take();
    ++nest_;
    deeper(open.loc);
    ex.kind = Expectation::Kind::Value;
    ex.has_cases = true;
    while (!at(Tok::RBracket)) {
        const Token first = peek();
        if (first.kind != Tok::Ident) fail(first.loc, "expected a fix-up step name, found " + spell(first), hint);
        std::string name = take().text;
        while (at(Tok::Dot) && at(Tok::Ident, 1)) {  // case1.recolor, rb.insert.case1.recolor
            take();
            name += "." + take().text;
        }
        const std::string canon = rb_case_canonical(name);
        if (canon.empty()) {
            std::string near = did_you_mean(name, rb_case_names());
            fail(first.loc, "unknown fix-up step " + in_quotes(name),
                 near.empty() ? "the steps are: " + join_words(rb_case_names()) : near);
        }
        ex.cases.push_back(canon);
        if (at(Tok::Comma)) {
            take();
            continue;
        }
        if (!at(Tok::RBracket)) fail_unclosed(open, "]", "',' or ']'");
    }
    close(Tok::RBracket, open, "]", "',' or ']'");
}

// [who: MASK, ...] in order, or {who: MASK, ...} in any order; fdinfo items may add data=N.
void Parser::parse_event_list(bool fdinfo, Expectation& ex) {
    const Token open = take();
    const bool unordered = open.kind == Tok::LBrace;
    const Tok closer = unordered ? Tok::RBrace : Tok::RBracket;
    const char* closer_text = unordered ? "}" : "]";
    const char* expected = unordered ? "',' or '}'" : "',' or ']'";
    const std::string example = fdinfo ? "fdinfo(ep) == {p.r: EPOLLIN data=1}" : "== 1 [p.r: EPOLLIN]";
    ++nest_;
    deeper(open.loc);
    ex.has_events = true;
    ex.unordered = unordered;
    while (!at(closer)) {
        const Token t = peek();
        if (t.kind == Tok::Ident && t.text == "data" && at(Tok::Assign, 1)) {
            if (fdinfo) fail(t.loc, "data= belongs to the item before it", "drop the ',' before data=: " + example);
            fail(t.loc, "data= is only for fdinfo's list",
                 "epoll_wait reports the data cookie: write it as the key, 1: EPOLLIN");
        }
        EventExpect ev;
        ev.loc = t.loc;
        ev.who = parse_expr();
        switch (ev.who->kind) {
        case Expr::Kind::Int:
        case Expr::Kind::Ident:
        case Expr::Kind::Member:
        case Expr::Kind::Index: break;
        default: fail(ev.loc, "an event is keyed by an fd or a data cookie", "p.r: EPOLLIN   or   1: EPOLLIN");
        }
        if (!at(Tok::Colon))
            fail(peek().loc, "expected ':' after the fd, found " + spell(peek()), "events are written fd: MASK, " + example);
        take();
        if (at(closer) || at(Tok::Comma))
            fail(peek().loc, "expected the events after ':'", example);
        ev.mask = parse_expr();
        if (at_word("data") && at(Tok::Assign, 1)) {
            Token d = take();
            take();  // '='
            if (!fdinfo)
                fail(d.loc, "data= is only for fdinfo's list",
                     "epoll_wait reports the data cookie: write it as the key, 1: EPOLLIN");
            ev.data = parse_expr();
        }
        ex.events.push_back(std::move(ev));
        if (at(Tok::Comma)) {
            take();
            continue;
        }
        if (!at(closer)) fail_unclosed(open, closer_text, expected);
    }
    close(closer, open, closer_text, expected);
}

}  // namespace epsim::scn::parsing
