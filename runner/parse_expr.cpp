// parse_expr.cpp - expressions, by precedence climbing, lowest first: |, then + -, then *,
// then unary -, then .member and [index]. A name is resolved where it is read (parse_name),
// so an unknown or misused name is reported at its own position.
#include <string>

#include "runner/parse_error.h"
#include "runner/parse_hints.h"
#include "runner/parser_impl.h"

namespace epsim::scn::parsing {

ExprPtr Parser::parse_expr(bool allow_index) {
    ++depth_;
    deeper(peek().loc);
    ExprPtr first = parse_additive(allow_index);
    if (at(Tok::Pipe)) {
        auto e = std::make_unique<Expr>();
        e->kind = Expr::Kind::BitOr;
        e->loc = first->loc;
        e->kids.push_back(std::move(first));
        while (at(Tok::Pipe)) {
            take();
            e->kids.push_back(parse_additive(allow_index));
        }
        first = std::move(e);
    }
    --depth_;
    return first;
}

ExprPtr Parser::parse_additive(bool allow_index) {
    ExprPtr left = parse_mul(allow_index);
    while (at(Tok::Plus) || at(Tok::Minus)) {
        Token op = take();
        auto e = std::make_unique<Expr>();
        e->kind = op.kind == Tok::Plus ? Expr::Kind::Add : Expr::Kind::Sub;
        e->loc = left->loc;
        e->kids.push_back(std::move(left));
        e->kids.push_back(parse_mul(allow_index));
        left = std::move(e);
    }
    return left;
}

ExprPtr Parser::parse_mul(bool allow_index) {
    ExprPtr left = parse_unary(allow_index);
    while (at(Tok::Star)) {
        take();
        auto e = std::make_unique<Expr>();
        e->kind = Expr::Kind::Mul;
        e->loc = left->loc;
        e->kids.push_back(std::move(left));
        e->kids.push_back(parse_unary(allow_index));
        left = std::move(e);
    }
    return left;
}

ExprPtr Parser::parse_unary(bool allow_index) {
    if (!at(Tok::Minus)) return parse_postfix(allow_index);
    Token minus = take();
    ++depth_;
    deeper(minus.loc);
    ExprPtr operand = parse_unary(allow_index);
    --depth_;
    // A negative literal is a number, not an operation: -1 reads as Int -1.
    if (operand->kind == Expr::Kind::Int) {
        operand->value = -operand->value;
        operand->loc = minus.loc;
        return operand;
    }
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Neg;
    e->loc = minus.loc;
    e->kids.push_back(std::move(operand));
    return e;
}

ExprPtr Parser::parse_postfix(bool allow_index) {
    if (at(Tok::Ident)) return parse_name(allow_index);
    ExprPtr e = parse_primary();
    refuse_postfix("a number", allow_index);
    return e;
}

ExprPtr Parser::parse_primary() {
    const Token t = peek();
    auto e = std::make_unique<Expr>();
    e->loc = t.loc;
    switch (t.kind) {
    case Tok::Int:
        take();
        e->kind = Expr::Kind::Int;
        e->value = t.value;
        return e;
    case Tok::Str:
        take();
        e->kind = Expr::Kind::Str;
        e->name = t.text;
        return e;
    case Tok::LParen: {
        take();
        ++nest_;
        ExprPtr inner = parse_expr(true);
        close(Tok::RParen, t, ")", "')'");
        return inner;
    }
    case Tok::LBracket:
        fail(t.loc, "a [fd: EVENTS] list is only poll's first argument", "poll([p.r: POLLIN], 0)");
    case Tok::LBrace:
        fail(t.loc, "a {SEC, NSEC} pair is only epoll_pwait2's timeout", "epoll_pwait2(ep, 8, {0, 5000000})");
    case Tok::Question:
        fail(t.loc, "'?' is a prediction: it comes right after '=='", "read(p.r, 10) == ?");
    case Tok::Newline:
    case Tok::End: fail(t.loc, "expected a value, found " + spell(t), "the line ends in the middle of an expression");
    default: fail(t.loc, "expected a value, found " + spell(t));
    }
}

// A name in an expression, resolved now: a loop variable, a variable bound earlier, or a
// constant. Pairs need a member and indexed names an index, so both are read here too.
ExprPtr Parser::parse_name(bool allow_index) {
    const Token t = take();
    auto e = std::make_unique<Expr>();
    e->loc = t.loc;
    e->kind = Expr::Kind::Ident;
    e->name = t.text;
    const std::string shown = in_quotes(t.text);
    if (t.text == "NULL") {
        e->kind = Expr::Kind::Null;
        e->name.clear();
        refuse_postfix("NULL", allow_index);
        return e;
    }
    if (find_loop(t.text)) {
        refuse_postfix(shown, allow_index);
        return e;
    }
    if (auto it = names_.vars.find(t.text); it != names_.vars.end()) {
        const Var& v = it->second;
        switch (v.kind) {
        case VarKind::Value:
        case VarKind::Fd: refuse_postfix(shown, allow_index); return e;
        case VarKind::Pair:
            if (!at(Tok::Dot)) fail(t.loc, shown + " is a pair of fds", pair_hint(t.text, *v.pair_fn));
            return parse_member(std::move(e), t.text, *v.pair_fn, allow_index);
        case VarKind::Family: {
            // The index is read even where '[' would otherwise open an event list: without
            // it the name means nothing.
            if (!at(Tok::LBracket))
                fail(t.loc, shown + " needs an index",
                     "it was bound as " + t.text + "[...] on line " + std::to_string(v.line) + ": write " + t.text +
                         "[i]");
            Token open = take();
            ++nest_;
            auto idx = std::make_unique<Expr>();
            idx->kind = Expr::Kind::Index;
            idx->loc = t.loc;
            idx->kids.push_back(std::move(e));
            idx->kids.push_back(parse_expr(true));
            close(Tok::RBracket, open, "]", "']'");
            const std::string elem = t.text + "[...]";
            if (v.elem == VarKind::Pair) {
                if (!at(Tok::Dot)) fail(t.loc, in_quotes(elem) + " is a pair of fds", pair_hint(elem, *v.pair_fn));
                return parse_member(std::move(idx), elem, *v.pair_fn, allow_index);
            }
            refuse_postfix(in_quotes(elem), allow_index);
            return idx;
        }
        case VarKind::Process:
            fail(t.loc, shown + " is a process, not a value",
                 "put it before ':' to run a call in it: " + t.text + ": close(p.w)");
        }
    }
    if (names_.threads.count(t.text))
        fail(t.loc, shown + " is a thread, not a value",
             "put it before ':' to run a call in it: " + t.text + ": epoll_wait(ep, 8, -1)");
    if (find_constant(t.text)) {
        refuse_postfix(shown, allow_index);
        return e;
    }
    if (const FnInfo* fn = find_function(t.text)) {
        if (at(Tok::LParen))
            fail(t.loc, "a call cannot be an argument",
                 "bind its result to a name first, then pass the name: x = " + t.text + "(...)");
        fail(t.loc, shown + " is a function, not a value", "usage: " + std::string(fn->usage));
    }
    if (auto it = names_.one_sided.find(t.text); it != names_.one_sided.end())
        fail(t.loc, "unknown name " + shown,
             t.text + " is bound on only one side of the model_only block on line " + std::to_string(it->second) +
                 ": bind it in both branches, or before the block");
    if (int later = bound_later(t.text, t.loc.line, false))
        fail(t.loc, "unknown name " + shown,
             t.text + " is bound later, on line " + std::to_string(later) +
                 ": a name can be used only after the statement that binds it");
    std::string hint = did_you_mean(t.text, value_names());
    fail(t.loc, "unknown name " + shown,
         hint.empty() ? "names are bound by calls (p = pipe()) or are constants such as EPOLLIN" : hint);
}

// .r / .w of a pipe, .a / .b of a socketpair.
ExprPtr Parser::parse_member(ExprPtr base, const std::string& shown, const FnInfo& fn, bool allow_index) {
    take();  // '.'
    if (!at(Tok::Ident)) fail(peek().loc, "expected a member name after '.'", pair_hint(shown, fn));
    Token m = take();
    if (m.text != fn.pair_names[0] && m.text != fn.pair_names[1])
        fail(m.loc, in_quotes(m.text) + " is not a member of " + in_quotes(shown), pair_hint(shown, fn));
    auto e = std::make_unique<Expr>();
    e->kind = Expr::Kind::Member;
    e->loc = base->loc;
    e->name = m.text;
    e->kids.push_back(std::move(base));
    refuse_postfix(in_quotes(shown + "." + m.text), allow_index);
    return e;
}

// After a complete value, '.' and '[' can only be mistakes (where '[' is not an event list).
void Parser::refuse_postfix(const std::string& shown, bool allow_index) {
    if (at(Tok::Dot))
        fail(peek().loc, shown + " has no members", "only pairs have members: p.r, p.w of a pipe, s.a, s.b of a socketpair");
    if (allow_index && at(Tok::LBracket))
        fail(peek().loc, shown + " is not an indexed name", "indexed names are bound in a loop: e[i] = eventfd(0, 0)");
}

}  // namespace epsim::scn::parsing
