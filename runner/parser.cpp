// parser.cpp - recursive descent over the tokens of lexer.h, building the AST of ast.h.
//
// The static checks run inside the descent rather than in a later pass: a name is resolved
// the moment it is read, a function is looked up as soon as its '(' is seen. That keeps the
// "first error wins" rule honest (errors come out in source order), and the checks see the
// bindings exactly as the program order defines them.
//
// Sections: suggestions ("did you mean"), names in scope, the token stream, statements,
// calls, expectations, expressions, and the public entry points.
#include "runner/parser.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "runner/calls.h"
#include "runner/lexer.h"
#include "runner/rb_cases.h"
#include "sim/uapi.h"

namespace epsim::scn {
namespace {

// ---- errors ----------------------------------------------------------------------------

// Thrown at the first error; parse_scenario turns it into the Diagnostic.
struct ParseError {
    Loc loc;
    std::string message;
    std::string hint;
};

[[noreturn]] void fail(Loc at, std::string message, std::string hint = {}) {
    throw ParseError{at, std::move(message), std::move(hint)};
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

// ---- "did you mean" ----------------------------------------------------------------------

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Optimal string alignment distance: Levenshtein plus swapped neighbours ("thraed"),
// ignoring case (names are case-sensitive, so "epollin" should point at "EPOLLIN").
std::size_t edit_distance(std::string_view a_in, std::string_view b_in) {
    const std::string a = lower(a_in), b = lower(b_in);
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1, 0));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

// The closest candidate, or "" when none is close enough to be a likely typo. The limit
// grows with the length: one slip in a short name, more in a long one ("epoll_create1").
// Failing that, a known name the word starts with: "epfd" was probably meant as "ep".
std::string closest(std::string_view name, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_d = 0;
    const std::size_t limit = std::max<std::size_t>(1, name.size() / 4);
    for (const std::string& c : candidates) {
        if (c == name) continue;
        std::size_t d = edit_distance(name, c);
        // A distance equal to the whole length is a different word, not a typo ("x" vs "p").
        if (d > limit || d >= std::max(name.size(), c.size())) continue;
        if (best.empty() || d < best_d) {
            best = c;
            best_d = d;
        }
    }
    if (!best.empty()) return best;
    for (const std::string& c : candidates)
        if (c.size() >= 2 && c.size() < name.size() && name.substr(0, c.size()) == c && c.size() > best.size()) best = c;
    return best;
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
    std::string c = closest(name, candidates);
    return c.empty() ? std::string() : "did you mean " + in_quotes(c) + "?";
}

std::string join_words(const std::vector<std::string>& words) {
    std::string out;
    for (const std::string& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

const std::vector<std::string>& keywords() {
    static const std::vector<std::string> k = {"title", "say",   "tags",  "thread", "wait_blocked", "signal", "join",
                                               "sleep", "pause", "resume", "repeat", "model_only", "scale"};
    return k;
}

bool is_keyword(std::string_view w) {
    return std::find(keywords().begin(), keywords().end(), w) != keywords().end();
}

std::vector<std::string> function_names() {
    std::vector<std::string> v;
    for (const FnInfo& f : scenario_functions()) v.emplace_back(f.name);
    return v;
}

std::vector<std::string> errno_names() {
    // uapi.h has no list of its names, so ask errno_name() about every small number.
    std::vector<std::string> v;
    for (int e = 1; e < 256; ++e) {
        std::string n = errno_name(e);
        if (n != "E?") v.push_back(n);
    }
    return v;
}

// ---- names in scope ---------------------------------------------------------------------

enum class VarKind { Value, Fd, Pair, Process, Family };

struct Var {
    VarKind kind = VarKind::Value;
    VarKind elem = VarKind::Value;    // Family: what each e[i] is
    const FnInfo* pair_fn = nullptr;  // Pair (or a Family of pairs): its member names
    int line = 0;                     // where it was bound
};

// Everything a statement can refer to. Copied whole around a model_only block, whose two
// branches start from the same state and are merged afterwards.
struct Names {
    std::map<std::string, Var> vars;
    std::map<std::string, int> threads;    // name -> line of its declaration
    std::map<std::string, int> one_sided;  // bound in one branch of a model_only only -> its line
};

struct LoopVar {
    std::string name;
    int line = 0;
};

// "p is a pipe: use p.r or p.w", from the function that made the pair.
std::string pair_hint(const std::string& shown, const FnInfo& fn) {
    return shown + " is a " + std::string(fn.name) + ": use " + shown + "." + fn.pair_names[0] + " or " + shown + "." +
           fn.pair_names[1];
}

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

// ---- the parser -----------------------------------------------------------------------------

class Parser {
public:
    Parser(std::string_view text, Script& out) : out_(out), text_(text), lex_(text) {}
    void run() { parse_block(out_.stmts, Ctx{}); }

private:
    // -- the token stream --
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

    // -- statements --
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
    Stmt parse_call_stmt(const Ctx& ctx);
    Token open_block(const char* after, const char* example);

    // -- calls --
    Call parse_call(bool has_target);
    ExprPtr parse_arg(const FnInfo& fn, int position);
    ExprPtr parse_poll_list();
    ExprPtr parse_pair();
    void bind(const Stmt& s, const FnInfo& fn, const Token& target);

    // -- expectations --
    void parse_expectation(const FnInfo* fn, Expectation& ex);
    void parse_event_list(bool fdinfo, Expectation& ex);
    void parse_rb_cases(Expectation& ex);

    // -- expressions --
    ExprPtr parse_expr(bool allow_index = true);
    ExprPtr parse_additive(bool allow_index);
    ExprPtr parse_mul(bool allow_index);
    ExprPtr parse_unary(bool allow_index);
    ExprPtr parse_postfix(bool allow_index);
    ExprPtr parse_primary();
    ExprPtr parse_name(bool allow_index);
    ExprPtr parse_member(ExprPtr base, const std::string& shown, const FnInfo& fn, bool allow_index);
    void refuse_postfix(const std::string& shown, bool allow_index);

    // -- names --
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

// ---- the token stream ----

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

// ---- statements ----

void Parser::parse_block(std::vector<Stmt>& out, const Ctx& ctx) {
    for (;;) {
        while (at(Tok::Newline)) take();
        const Token& t = peek();
        if (t.kind == Tok::End) {
            if (ctx.in_block)
                fail(ctx.open, "missing '}': this " + ctx.block + " block is never closed",
                     "close it with '}' after its last statement");
            return;
        }
        if (t.kind == Tok::RBrace) {
            if (ctx.in_block) {
                take();
                return;
            }
            fail(t.loc, "unexpected '}'", "no block is open here");
        }
        Token first = t;
        Stmt s = parse_stmt(ctx);
        end_statement(s, first, ctx);
        out.push_back(std::move(s));
    }
}

void Parser::end_statement(const Stmt& s, const Token& first, const Ctx& ctx) {
    const Token& t = peek();
    if (t.kind == Tok::Newline) {
        take();
        return;
    }
    if (t.kind == Tok::End || (t.kind == Tok::RBrace && ctx.in_block)) return;
    if (t.kind == Tok::EqEq && s.kind != Stmt::Kind::Call && s.kind != Stmt::Kind::Join)
        fail(t.loc, "a " + first.text + " statement cannot have an expectation",
             "only calls and join are checked with ==");
    if (t.kind == Tok::Assign && s.kind == Stmt::Kind::Call && s.expect.kind == Expectation::Kind::None)
        fail(t.loc, "use '==' to state an expectation",
             "'=' binds a name before a call (x = dup(p.r)); '==' says what the call returns");
    fail(t.loc, "unexpected " + spell(t) + " after the statement", "write one statement per line");
}

Stmt Parser::parse_stmt(const Ctx& ctx) {
    const Token& t = peek();
    if (t.kind != Tok::Ident)
        fail(t.loc, "expected a statement, found " + spell(t),
             "a statement is a call such as close(fd), or starts with a keyword: " + join_words(keywords()));
    const std::string w = t.text;
    if (w == "title") return parse_text_stmt(Stmt::Kind::Title, ctx);
    if (w == "say") return parse_text_stmt(Stmt::Kind::Say, ctx);
    if (w == "tags") return parse_tags(ctx);
    if (w == "thread") return parse_thread_decl(ctx);
    if (w == "wait_blocked") return parse_thread_op(Stmt::Kind::WaitBlocked);
    if (w == "signal") return parse_thread_op(Stmt::Kind::Signal);
    if (w == "join") return parse_thread_op(Stmt::Kind::Join);
    if (w == "sleep") return parse_sleep();
    if (w == "pause") return parse_pause_resume(Stmt::Kind::Pause, ctx);
    if (w == "resume") return parse_pause_resume(Stmt::Kind::Resume, ctx);
    if (w == "repeat") return parse_repeat(ctx);
    if (w == "model_only") return parse_model_only(ctx);
    if (w == "scale") return parse_scale(ctx);
    if (w == "host" && at(Tok::LBrace, 1))
        fail(t.loc, "a host block must follow a model_only block",
             "model_only \"why\" { ... } host { what the real kernel runs instead }");
    return parse_call_stmt(ctx);
}

// title "text" / say "text"
Stmt Parser::parse_text_stmt(Stmt::Kind kind, const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = kind;
    s.loc = kw.loc;
    if (kind == Stmt::Kind::Title) {
        if (ctx.in_block) fail(kw.loc, "title belongs at the top level of the file", "move it out of the block");
        if (title_line_)
            fail(kw.loc, "title given twice", "the first title is on line " + std::to_string(title_line_));
    }
    if (!at(Tok::Str))
        fail(peek().loc, "expected a string after '" + kw.text + "'", kw.text + " \"...\"   (in double quotes)");
    s.text = take().text;
    if (kind == Stmt::Kind::Title) {
        title_line_ = kw.loc.line;
        out_.title = s.text;
    }
    return s;
}

// tags a, b, lt-et
Stmt Parser::parse_tags(const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::Tags;
    s.loc = kw.loc;
    if (ctx.in_block) fail(kw.loc, "tags belong at the top level of the file", "move them out of the block");
    const std::string hint = "tags are words separated by commas: tags pipe, lt-et";
    for (;;) {
        const Token& t = peek();
        if (t.kind != Tok::Ident && t.kind != Tok::Int)
            fail(t.loc, "expected a tag, found " + spell(t), hint);
        // A dashed word is several tokens with nothing between them: lt - et is not a tag.
        Token part = take();
        std::string word = part.text;
        while (at(Tok::Minus) && peek().loc.line == part.loc.line && peek().loc.col == part.end_col) {
            Token dash = take();
            const Token& n = peek();
            if ((n.kind != Tok::Ident && n.kind != Tok::Int) || n.loc.line != dash.loc.line ||
                n.loc.col != dash.end_col)
                fail(n.loc, "expected the rest of the dashed tag '" + word + "-'", hint);
            part = take();
            word += "-" + part.text;
        }
        if (at(Tok::Minus) && peek().loc.line == part.loc.line)
            fail(peek().loc, "a dashed tag is written without spaces", "write it as one word, like lt-et");
        s.tags.push_back(word);
        out_.tags.push_back(word);
        if (!at(Tok::Comma)) break;
        take();
    }
    return s;
}

// thread NAME [in PROCESS]
Stmt Parser::parse_thread_decl(const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::Thread;
    s.loc = kw.loc;
    if (ctx.in_repeat)
        fail(kw.loc, "a thread cannot be declared inside repeat", "declare it once, before the loop");
    if (!at(Tok::Ident)) fail(peek().loc, "expected a thread name after 'thread'", "thread t1   or   thread t2 in child");
    Token name = take();
    if (auto it = names_.threads.find(name.text); it != names_.threads.end())
        fail(name.loc, "thread " + in_quotes(name.text) + " is declared twice",
             "the first declaration is on line " + std::to_string(it->second));
    check_new_name(name, "a thread");
    if (auto it = names_.vars.find(name.text); it != names_.vars.end())
        fail(name.loc, in_quotes(name.text) + " is already a name (line " + std::to_string(it->second.line) + ")",
             "give the thread a name of its own");
    s.thread = name.text;
    if (at_word("in")) {
        take();
        if (!at(Tok::Ident)) fail(peek().loc, "expected a process name after 'in'", "thread t2 in child   (child = fork())");
        Token proc = take();
        auto it = names_.vars.find(proc.text);
        if (it == names_.vars.end()) {
            std::vector<std::string> procs;
            for (const auto& [n, v] : names_.vars)
                if (v.kind == VarKind::Process) procs.push_back(n);
            std::string hint = did_you_mean(proc.text, procs);
            fail(proc.loc, "unknown process " + in_quotes(proc.text),
                 hint.empty() ? "processes come from fork(): child = fork()" : hint);
        }
        if (it->second.kind != VarKind::Process)
            fail(proc.loc, in_quotes(proc.text) + " is not a process", "processes come from fork(): child = fork()");
        s.process = proc.text;
    }
    names_.threads[name.text] = kw.loc.line;
    names_.one_sided.erase(name.text);
    return s;
}

// wait_blocked T / signal T / join T [== EXPECTATION]
Stmt Parser::parse_thread_op(Stmt::Kind kind) {
    Token kw = take();
    Stmt s;
    s.kind = kind;
    s.loc = kw.loc;
    if (!at(Tok::Ident))
        fail(peek().loc, "expected a thread name after " + in_quotes(kw.text), kw.text + " t1");
    Token name = take();
    check_thread(name);
    s.thread = name.text;
    if (kind == Stmt::Kind::Join && at(Tok::EqEq)) parse_expectation(nullptr, s.expect);
    return s;
}

// sleep MS
Stmt Parser::parse_sleep() {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::Sleep;
    s.loc = kw.loc;
    if (at_line_end()) fail(peek().loc, "expected a duration after 'sleep'", "sleep 10   (milliseconds)");
    s.count = parse_expr();
    return s;
}

// pause T after N / resume T: they stop the model inside ep_send_events, which a real kernel
// cannot do, so they only make sense in the model's branch of a model_only block.
Stmt Parser::parse_pause_resume(Stmt::Kind kind, const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = kind;
    s.loc = kw.loc;
    if (!ctx.in_model) fail(kw.loc, kw.text + " is model-only", "put it inside model_only \"why\" { ... }");
    if (!at(Tok::Ident))
        fail(peek().loc, "expected a thread name after " + in_quotes(kw.text),
             kind == Stmt::Kind::Pause ? "pause t1 after 1" : "resume t1");
    Token name = take();
    check_thread(name);
    s.thread = name.text;
    if (kind == Stmt::Kind::Pause) {
        if (!at_word("after"))
            fail(peek().loc, "expected 'after' and a count", "pause t1 after 1   (after 1 item of ep_send_events)");
        take();
        if (at_line_end()) fail(peek().loc, "expected a count after 'after'", "pause t1 after 1");
        s.count = parse_expr();
    }
    return s;
}

// The '{' of a block: on the same line as its header, like a C brace.
Token Parser::open_block(const char* after, const char* example) {
    if (!at(Tok::LBrace)) fail(peek().loc, std::string("expected '{' after ") + after, example);
    deeper(peek().loc);
    return take();
}

// repeat N as i { ... }
Stmt Parser::parse_repeat(const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::Repeat;
    s.loc = kw.loc;
    const char* example = "repeat 3 as i { ... }";
    if (at_line_end() || at_word("as")) fail(peek().loc, "expected a count after 'repeat'", example);
    s.count = parse_expr();
    if (!at_word("as")) fail(peek().loc, "expected 'as NAME' after the repeat count", example);
    take();
    if (!at(Tok::Ident)) fail(peek().loc, "expected a loop variable after 'as'", example);
    Token var = take();
    if (const LoopVar* outer = find_loop(var.text))
        fail(var.loc, "loop variable " + in_quotes(var.text) + " is already in use",
             "the repeat on line " + std::to_string(outer->line) + " uses it: pick another name");
    check_new_name(var, "a loop variable");
    if (names_.vars.count(var.text))
        fail(var.loc, in_quotes(var.text) + " is already a name", "pick another name for the loop variable");
    s.loop_var = var.text;
    Token brace = open_block("'repeat ... as NAME'", example);
    Ctx inner = ctx;
    inner.in_block = inner.in_repeat = true;
    inner.open = brace.loc;
    inner.block = "repeat";
    loops_.push_back({var.text, kw.loc.line});
    ++depth_;
    parse_block(s.body, inner);
    --depth_;
    loops_.pop_back();
    return s;
}

// scale "why": a top-level declaration before the first step (it configures the model).
Stmt Parser::parse_scale(const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::Scale;
    s.loc = kw.loc;
    const char* hint = "scale \"why only the model can run it\"   (at the top, before the first step)";
    if (ctx.in_block) fail(kw.loc, "scale belongs at the top level of the file", hint);
    if (out_.scale) fail(kw.loc, "scale given twice", hint);
    for (const Stmt& before : out_.stmts)
        if (before.kind != Stmt::Kind::Title && before.kind != Stmt::Kind::Tags && before.kind != Stmt::Kind::Say)
            fail(kw.loc, "scale must come before the first step", hint);
    if (!at(Tok::Str)) fail(peek().loc, "expected a reason string after 'scale'", hint);
    Token why = take();
    if (why.text.empty()) fail(why.loc, "the reason of scale is empty", hint);
    s.text = why.text;
    out_.scale = true;
    out_.scale_reason = why.text;
    return s;
}

// model_only "why" { ... } [host { ... }]
Stmt Parser::parse_model_only(const Ctx& ctx) {
    Token kw = take();
    Stmt s;
    s.kind = Stmt::Kind::ModelOnly;
    s.loc = kw.loc;
    if (ctx.in_model || ctx.in_host)
        fail(kw.loc, "model_only blocks do not nest",
             "the enclosing model_only block starts on line " + std::to_string(ctx.model_line));
    const char* why_hint = "say why it cannot run on the real kernel, and what the host does instead";
    if (!at(Tok::Str)) fail(peek().loc, "expected a reason string after 'model_only'", why_hint);
    Token why = take();
    if (why.text.empty()) fail(why.loc, "the reason of model_only is empty", why_hint);
    s.text = why.text;
    Token brace = open_block("the reason of model_only", "model_only \"why\" { ... } host { ... }");

    // Both branches start from the names bound so far; afterwards only what both bound stays.
    const Names before = names_;
    Ctx inner = ctx;
    inner.in_block = inner.in_model = true;
    inner.model_line = kw.loc.line;
    inner.open = brace.loc;
    inner.block = "model_only";
    ++depth_;
    parse_block(s.body, inner);
    Names model_side = std::move(names_);
    names_ = before;
    if (at_word("host", 0) || (peek_past_newlines(0).kind == Tok::Ident && peek_past_newlines(0).text == "host" &&
                               peek_past_newlines(1).kind == Tok::LBrace)) {
        while (at(Tok::Newline)) take();
        take();  // host
        Token hbrace = open_block("'host'", "host { ... }");
        Ctx host = ctx;
        host.in_block = host.in_host = true;
        host.model_line = kw.loc.line;
        host.open = hbrace.loc;
        host.block = "host";
        parse_block(s.host_body, host);
    }
    --depth_;
    Names merged = names_;  // the host side
    for (const auto& [name, var] : model_side.vars) {
        auto it = merged.vars.find(name);
        if (it == merged.vars.end()) {
            merged.one_sided[name] = kw.loc.line;
        } else {
            // Bound on both sides: a rebinding on the model side wins only if the host kept
            // the old binding; the kinds are what later checks use, and usually agree.
            auto b = before.vars.find(name);
            if (b != before.vars.end() && b->second.line == it->second.line) it->second = var;
        }
    }
    for (auto it = merged.vars.begin(); it != merged.vars.end();) {
        if (!model_side.vars.count(it->first)) {
            merged.one_sided[it->first] = kw.loc.line;
            it = merged.vars.erase(it);
        } else {
            ++it;
        }
    }
    for (auto it = merged.threads.begin(); it != merged.threads.end();) {
        if (!model_side.threads.count(it->first)) {
            merged.one_sided[it->first] = kw.loc.line;
            it = merged.threads.erase(it);
        } else {
            ++it;
        }
    }
    for (const auto& [name, line] : model_side.threads)
        if (!merged.threads.count(name)) merged.one_sided[name] = kw.loc.line;
    names_ = std::move(merged);
    return s;
}

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

// ---- calls ----

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

// ---- expectations ----

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

// ---- expressions ----
// Precedence, lowest first: |, then + -, then *, then unary -, then .member and [index].

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

// ---- names ----

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

// The source split into lines for diagnostics; a CR of a CRLF file is not part of a line.
std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::string cur;
    for (char c : text) {
        if (c == '\n') {
            if (!cur.empty() && cur.back() == '\r') cur.pop_back();
            lines.push_back(std::move(cur));
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty() && cur.back() == '\r') cur.pop_back();
    lines.push_back(std::move(cur));
    return lines;
}

}  // namespace

ParseResult parse_scenario(const std::string& file, const std::string& text) {
    ParseResult result;
    Script script;
    script.file = file;
    script.lines = split_lines(text);
    try {
        Parser parser(text, script);
        parser.run();
    } catch (const ParseError& e) {
        Diagnostic d;
        d.file = file;
        d.loc = e.loc;
        d.message = e.message;
        d.hint = e.hint;
        if (e.loc.line >= 1 && static_cast<std::size_t>(e.loc.line) <= script.lines.size())
            d.source_line = script.lines[static_cast<std::size_t>(e.loc.line) - 1];
        result.error = std::move(d);
        return result;
    }
    result.script = std::move(script);
    return result;
}

ParseResult parse_scenario_file(const std::string& path) {
    std::error_code ec;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (in && !std::filesystem::is_directory(path, ec)) text << in.rdbuf();
    if (!in || std::filesystem::is_directory(path, ec) || in.bad()) {
        ParseResult result;
        Diagnostic d;
        d.file = path;
        d.message = "cannot read file";
        result.error = std::move(d);
        return result;
    }
    return parse_scenario(path, text.str());
}

}  // namespace epsim::scn
