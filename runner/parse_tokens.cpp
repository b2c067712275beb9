// parse_tokens.cpp - the parser's token stream: lookahead over the lexer, newlines that
// vanish inside brackets, closers that must match their opener, and the nesting guard.
#include <string>

#include "runner/parse_error.h"
#include "runner/parser_impl.h"

namespace epsim::scn::parsing {

const Token& Parser::raw(std::size_t i) {
    while (buf_.size() <= i) {
        if (!buf_.empty() && buf_.back().kind == Tok::End) return buf_.back();
        buf_.push_back(lex_.next());
    }
    return buf_[i];
}

// The k-th significant token. A lexical error surfaces as soon as the parser looks at it.
const Token& Parser::peek(int k) {
    int seen = 0;
    for (std::size_t i = 0;; ++i) {
        const Token& t = raw(i);
        if (t.kind == Tok::Error) fail(t.loc, t.text, t.hint);
        if (t.kind == Tok::Newline && nest_ > 0) continue;
        if (seen == k || t.kind == Tok::End) return t;
        ++seen;
    }
}

// Like peek, but newlines never count: used to find a `host {` on the line after a '}'.
const Token& Parser::peek_past_newlines(int k) {
    int seen = 0;
    for (std::size_t i = 0;; ++i) {
        const Token& t = raw(i);
        if (t.kind == Tok::Error) fail(t.loc, t.text, t.hint);
        if (t.kind == Tok::Newline) continue;
        if (seen == k || t.kind == Tok::End) return t;
        ++seen;
    }
}

Token Parser::take() {
    const Token& want = peek();
    if (want.kind == Tok::End) return last_ = want;
    // Drop the newlines peek() skipped, then the token itself.
    while (buf_.front().kind == Tok::Newline && nest_ > 0) buf_.pop_front();
    last_ = buf_.front();
    buf_.pop_front();
    return last_;
}

// A closer is missing. If the next token sits on a later line, the parser only got there by
// skipping newlines inside the brackets: the mistake is at the end of the line before.
void Parser::fail_unclosed(const Token& open, const char* closer, const char* expected) {
    const Token& t = peek();
    std::string where = "the " + spell(open) + " at line " + std::to_string(open.loc.line) + " column " +
                        std::to_string(open.loc.col) + " is still open";
    if (t.kind == Tok::End || t.loc.line != last_.loc.line)
        fail(Loc{last_.loc.line, last_.end_col}, std::string("missing '") + closer + "'", where);
    fail(t.loc, std::string("expected ") + expected + ", found " + spell(t), where);
}

void Parser::close(Tok kind, const Token& open, const char* closer, const char* expected) {
    if (!at(kind)) fail_unclosed(open, closer, expected);
    take();
    --nest_;
}

void Parser::deeper(Loc at) {
    if (depth_ > kMaxDepth) fail(at, "nesting too deep", "a scenario should not need more than a few levels");
}

}  // namespace epsim::scn::parsing
