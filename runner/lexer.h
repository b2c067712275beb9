// lexer.h - splits a scenario file (.scn) into tokens, one at a time.
//
// The lexer is pulled by the parser (no up-front pass) so that errors come out in source
// order: an unterminated string on line 20 must not hide an unknown name on line 3.
// Newlines are tokens: the language is line-oriented. The parser decides where a newline
// is insignificant (inside ( ) [ ] and expression braces), since only it knows whether a
// '{' opens a block of statements or a {sec, nsec} pair.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "runner/ast.h"

namespace epsim::scn {

enum class Tok {
    Ident, Int, Str,
    LParen, RParen, LBracket, RBracket, LBrace, RBrace,
    Comma, Colon, Dot, Question,
    Assign,  // =
    EqEq,    // ==
    Pipe, Plus, Minus, Star,
    Newline, End,
    Error,  // a lexical error: text holds the message, hint the hint
};

struct Token {
    Tok kind = Tok::End;
    Loc loc;
    int end_col = 0;      // the column just after the token (tags glue "lt-et" by adjacency)
    std::string text;     // Ident: the name; Str: the unescaped contents; Error: the message
    std::string hint;     // Error only
    std::int64_t value = 0;  // Int
};

// How a token reads in a message: 'epoll_wait', ')', "a string", end of line.
std::string spell(const Token& t);

class Lexer {
public:
    explicit Lexer(std::string_view text) : src_(text) {}
    // The next token; after End (or Error) it keeps returning the same kind.
    Token next();

private:
    char peek(std::size_t ahead = 0) const;
    void advance();  // one byte, keeping line and column (a column per code point)
    Token make(Tok kind, Loc at) const;
    Token error(Loc at, std::string message, std::string hint) const;
    Token lex_number(Loc at);
    Token lex_string(Loc at);
    Token lex_unknown(Loc at);

    std::string_view src_;
    std::size_t pos_ = 0;
    int line_ = 1, col_ = 1;
};

}  // namespace epsim::scn
