// lexer.cpp - tokens of the scenario language. See lexer.h and docs/scenario-language.md.
#include "runner/lexer.h"

#include <cctype>
#include <cstdio>
#include <limits>

namespace epsim::scn {
namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The punctuation tokens and their spelling, in one place for next() and spell().
struct Punct {
    char c;
    Tok kind;
};
constexpr Punct kPuncts[] = {
    {'(', Tok::LParen},   {')', Tok::RParen}, {'[', Tok::LBracket}, {']', Tok::RBracket},
    {'{', Tok::LBrace},   {'}', Tok::RBrace}, {',', Tok::Comma},    {':', Tok::Colon},
    {'.', Tok::Dot},      {'?', Tok::Question}, {'|', Tok::Pipe},   {'+', Tok::Plus},
    {'-', Tok::Minus},    {'*', Tok::Star},
};

}  // namespace

std::string spell(const Token& t) {
    switch (t.kind) {
    case Tok::Ident:
    case Tok::Int: return "'" + t.text + "'";
    case Tok::Str: return "a string";
    case Tok::Assign: return "'='";
    case Tok::EqEq: return "'=='";
    case Tok::Newline: return "the end of the line";
    case Tok::End: return "the end of the file";
    case Tok::Error: return "an error";
    default: break;
    }
    for (const Punct& p : kPuncts)
        if (p.kind == t.kind) return std::string("'") + p.c + "'";
    return "a token";
}

char Lexer::peek(std::size_t ahead) const {
    return pos_ + ahead < src_.size() ? src_[pos_ + ahead] : '\0';
}

void Lexer::advance() {
    if (pos_ >= src_.size()) return;
    char c = src_[pos_++];
    if (c == '\n') {
        ++line_;
        col_ = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
        // Columns count code points, not bytes, so the caret lines up under UTF-8 text.
        ++col_;
    }
}

Token Lexer::make(Tok kind, Loc at) const {
    Token t;
    t.kind = kind;
    t.loc = at;
    t.end_col = col_;
    return t;
}

Token Lexer::error(Loc at, std::string message, std::string hint) const {
    Token t = make(Tok::Error, at);
    t.text = std::move(message);
    t.hint = std::move(hint);
    return t;
}

Token Lexer::next() {
    // Blanks and comments separate tokens; a comment runs to the end of the line but leaves
    // the newline itself, which still ends the statement.
    for (;;) {
        char c = peek();
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            advance();
        } else if (c == '#') {
            while (pos_ < src_.size() && peek() != '\n') advance();
        } else {
            break;
        }
    }
    Loc at{line_, col_};
    if (pos_ >= src_.size()) return make(Tok::End, at);

    char c = peek();
    if (c == '\n') {
        advance();
        Token t = make(Tok::Newline, at);
        t.end_col = at.col + 1;
        return t;
    }
    if (is_ident_start(c)) {
        std::size_t start = pos_;
        while (is_ident_char(peek())) advance();
        Token t = make(Tok::Ident, at);
        t.text = std::string(src_.substr(start, pos_ - start));
        return t;
    }
    if (is_digit(c)) return lex_number(at);
    if (c == '"') return lex_string(at);
    if (c == '=') {
        advance();
        if (peek() == '=') {
            advance();
            return make(Tok::EqEq, at);
        }
        return make(Tok::Assign, at);
    }
    for (const Punct& p : kPuncts) {
        if (p.c == c) {
            advance();
            return make(p.kind, at);
        }
    }
    return lex_unknown(at);
}

Token Lexer::lex_number(Loc at) {
    // Take the whole word, so that "12abc" is one bad number rather than 12 and a name.
    std::size_t start = pos_;
    while (is_ident_char(peek())) advance();
    std::string text(src_.substr(start, pos_ - start));
    const std::string hint = "numbers are decimal (42) or hexadecimal (0x2a)";

    const std::uint64_t max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    std::uint64_t v = 0;
    bool hex = text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
    std::size_t i = hex ? 2 : 0;
    if (i == text.size()) return error(at, "bad number '" + text + "'", hint);
    if (!hex && text.size() > 1 && text[0] == '0' && is_digit(text[1]))
        // C would read 010 as octal 8; refusing it is safer than guessing.
        return error(at, "bad number '" + text + "'", "octal is not supported: write 8 or 0x8 instead of 010");
    for (; i < text.size(); ++i) {
        int d = hex ? hex_digit(text[i]) : (is_digit(text[i]) ? text[i] - '0' : -1);
        if (d < 0) return error(at, "bad number '" + text + "'", hint);
        std::uint64_t base = hex ? 16 : 10;
        if (v > (max - static_cast<std::uint64_t>(d)) / base)
            return error(at, "number too large '" + text + "'", "numbers must fit in 63 bits");
        v = v * base + static_cast<std::uint64_t>(d);
    }
    Token t = make(Tok::Int, at);
    t.text = text;
    t.value = static_cast<std::int64_t>(v);
    return t;
}

Token Lexer::lex_string(Loc at) {
    advance();  // the opening quote
    std::string out;
    for (;;) {
        char c = peek();
        if (pos_ >= src_.size() || c == '\n')
            return error(at, "unterminated string", "close it with \" before the end of the line");
        if (c == '"') {
            advance();
            break;
        }
        if (c == '\\') {
            Loc esc{line_, col_};
            advance();
            char e = peek();
            if (pos_ >= src_.size() || e == '\n')
                return error(at, "unterminated string", "close it with \" before the end of the line");
            if (e == '"' || e == '\\') {
                out += e;
            } else if (e == 'n') {
                out += '\n';
            } else {
                std::string shown(1, e);
                if (!std::isprint(static_cast<unsigned char>(e))) shown = "?";
                return error(esc, "unknown escape '\\" + shown + "' in a string",
                             "strings know only \\\" \\\\ and \\n");
            }
            advance();
            continue;
        }
        out += c;
        advance();
    }
    Token t = make(Tok::Str, at);
    t.text = std::move(out);
    return t;
}

Token Lexer::lex_unknown(Loc at) {
    char c = peek();
    char c2 = peek(1);
    std::string shown;
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
        // Show a whole UTF-8 character, not a lone lead byte.
        shown += c;
        for (std::size_t k = 1; (static_cast<unsigned char>(peek(k)) & 0xC0) == 0x80 && k < 4; ++k) shown += peek(k);
    } else if (std::isprint(u)) {
        shown = std::string(1, c);
    } else {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", u);
        shown = buf;
    }
    std::string hint;
    switch (c) {
    case ';': hint = "a statement ends at the end of its line: drop the ';'"; break;
    case '&': hint = "flags are combined with '|': EPOLLIN|EPOLLET"; break;
    case '\'': hint = "strings use double quotes: \"text\""; break;
    case '!':
        if (c2 == '=') return error(at, "'!=' is not supported", "an expectation says what the call returns: == VALUE");
        break;
    case '/':
        if (c2 == '/') hint = "comments start with '#'";
        break;
    case '<':
    case '>': hint = "an expectation says exactly what the call returns: == VALUE"; break;
    default: break;
    }
    return error(at, "unexpected character '" + shown + "'", hint);
}

}  // namespace epsim::scn
