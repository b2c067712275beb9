// parser_impl.h - the recursive-descent Parser, shared by the files that implement it.
//
// One class, one pass: the static checks run inside the descent rather than in a later pass.
// A name is resolved the moment it is read, a function is looked up as soon as its '(' is
// seen. That keeps the "first error wins" rule honest (errors come out in source order), and
// the checks see the bindings exactly as the program order defines them.
//
// Its members live in one file per job:
//   parse_tokens.cpp   the token stream: lookahead, brackets, the nesting guard
//   parser.cpp         statements and blocks (and the public entry points of parser.h)
//   parse_calls.cpp    call statements, their arguments, and the names they bind
//   parse_expect.cpp   expectations after '==': values, errnos, event lists, rb_cases
//   parse_expr.cpp     expressions, and the names, members and indexes inside them
//   parse_names.cpp    names in scope: lookups, new-name checks, model_only merging
// Internal to the runner: include parser.h to parse a scenario.
#pragma once
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "runner/ast.h"
#include "runner/calls.h"
#include "runner/lexer.h"
#include "runner/parse_names.h"

// The parser's internals live in epsim::scn::parsing; the rest of the runner sees parser.h.
namespace epsim::scn::parsing {

// Where a statement sits: blocks restrict what may appear in them.
struct Ctx {
    bool in_block = false;
    bool in_repeat = false;
    bool in_model = false;  // the model_only branch (pause/resume allowed)
    bool in_host = false;   // the host branch
    int model_line = 0;     // the enclosing model_only
    Loc open;               // the block's '{'
    std::string block;      // "repeat", "model_only", "host"
};

constexpr int kMaxDepth = 100;  // brackets, blocks and operators nested: refuse, don't overflow the stack

// Reads one Script. Its state: the token cursor (lex_, buf_, last_, nest_), the recursion
// guard, and the names in scope at the current point of the file.
class Parser {
public:
    Parser(std::string_view text, Script& out) : out_(out), text_(text), lex_(text) {}
    void run() { parse_block(out_.stmts, Ctx{}); }

private:
    // -- the token stream (parse_tokens.cpp) --
    const Token& raw(std::size_t i);
    const Token& peek(int k = 0);
    const Token& peek_past_newlines(int k);
    Token take();
    bool at(Tok kind, int k = 0) { return peek(k).kind == kind; }
    bool at_word(std::string_view w, int k = 0) {
        const Token& t = peek(k);
        return t.kind == Tok::Ident && t.text == w;
    }
    bool at_line_end() {
        Tok k = peek().kind;
        return k == Tok::Newline || k == Tok::End || k == Tok::RBrace;
    }
    [[noreturn]] void fail_unclosed(const Token& open, const char* closer, const char* expected);
    void close(Tok kind, const Token& open, const char* closer, const char* expected);
    void deeper(Loc at);

    // -- statements (parser.cpp) --
    void parse_block(std::vector<Stmt>& out, const Ctx& ctx);
    Stmt parse_stmt(const Ctx& ctx);
    void end_statement(const Stmt& s, const Token& first, const Ctx& ctx);
    Stmt parse_text_stmt(Stmt::Kind kind, const Ctx& ctx);
    Stmt parse_tags(const Ctx& ctx);
    Stmt parse_thread_decl(const Ctx& ctx);
    Stmt parse_thread_op(Stmt::Kind kind);
    Stmt parse_sleep();
    Stmt parse_pause_resume(Stmt::Kind kind, const Ctx& ctx);
    Stmt parse_repeat(const Ctx& ctx);
    Stmt parse_scale(const Ctx& ctx);
    Stmt parse_model_only(const Ctx& ctx);
    Token open_block(const char* after, const char* example);

    // -- calls (parse_calls.cpp) --
    Stmt parse_call_stmt(const Ctx& ctx);
    Call parse_call(bool has_target);
    ExprPtr parse_arg(const FnInfo& fn, int position);
    ExprPtr parse_poll_list();
    ExprPtr parse_pair();
    void bind(const Stmt& s, const FnInfo& fn, const Token& target);

    // -- expectations (parse_expect.cpp) --
    void parse_expectation(const FnInfo* fn, Expectation& ex);
    void parse_event_list(bool fdinfo, Expectation& ex);
    void parse_rb_cases(Expectation& ex);

    // -- expressions (parse_expr.cpp) --
    ExprPtr parse_expr(bool allow_index = true);
    ExprPtr parse_additive(bool allow_index);
    ExprPtr parse_mul(bool allow_index);
    ExprPtr parse_unary(bool allow_index);
    ExprPtr parse_postfix(bool allow_index);
    ExprPtr parse_primary();
    ExprPtr parse_name(bool allow_index);
    ExprPtr parse_member(ExprPtr base, const std::string& shown, const FnInfo& fn, bool allow_index);
    void refuse_postfix(const std::string& shown, bool allow_index);

    // -- names (parse_names.cpp) --
    const LoopVar* find_loop(const std::string& name) const;
    void check_thread(const Token& t);
    void check_new_name(const Token& t, const char* what);
    int bound_later(const std::string& name, int after_line, bool thread) const;
    std::vector<std::string> value_names() const;
    std::vector<std::string> thread_names() const;

    Script& out_;
    std::string_view text_;
    Lexer lex_;
    std::deque<Token> buf_;  // raw lookahead, newlines included
    Token last_;             // the last token taken: "missing ')'" goes right after it
    int nest_ = 0;           // open ( [ and expression braces: newlines inside them are blanks
    int depth_ = 0;          // recursion guard
    Names names_;
    std::vector<LoopVar> loops_;
    int title_line_ = 0;
};

}  // namespace epsim::scn::parsing
