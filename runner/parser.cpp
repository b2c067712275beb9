// parser.cpp - reads a scenario into a Script: the entry points of parser.h, and the
// statements (blocks, keywords) of the recursive descent.
//
// The Parser class is declared in parser_impl.h, which lists the files holding the rest of
// it (tokens, calls, expectations, expressions, names). Every check runs as the descent
// reaches it, so the first error in the file is the one reported.
#include "runner/parser.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "runner/parse_error.h"
#include "runner/parse_hints.h"
#include "runner/parser_impl.h"

namespace epsim::scn {
namespace parsing {

// Statements up to the end of the file, or to the '}' of the block `ctx` describes.
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
    names_ = merge_branches(before, model_side, std::move(names_), kw.loc.line);
    return s;
}

}  // namespace parsing

namespace {

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
        parsing::Parser parser(text, script);
        parser.run();
    } catch (const parsing::ParseError& e) {
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
