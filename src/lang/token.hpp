#pragma once
// Tokens of the statement language. Every token carries where it starts.
#include <string>

#include "base/error.hpp"

namespace fw::lang {

enum class Tok {
  // values
  Integer, Float, String, Symbol, Regex,
  Label,     // `name:` in a hash or argument list
  Ident,     // lower-case names, may end in ? or !
  Constant,  // capitalised names
  // keywords
  Class, End, True, False, Nil, Self, And, Or, Not,
  // punctuation and operators
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Dot, ColonColon,
  Assign, Eq, NotEq, Lt, Gt, Le, Ge, Shovel, Plus, Minus, Star, Slash, Percent, Bang, AndAnd, OrOr,
  Rocket,  // =>
  Arrow,   // ->
  Newline, Semicolon, Eof,
  Error,   // the lexer's complaint, in `text`
};

struct Token {
  Tok type = Tok::Eof;
  std::string text;   // names; a string's or symbol's contents (escapes applied); a regex's source
  std::string flags;  // a regex's flags
  size_t offset = 0;  // byte offset of the token's first character
  size_t end = 0;     // byte offset just past it
  SourcePos pos;
  int depth = 0;      // brackets open before the token
};

const char* describe(Tok type);  // "')'", "a string", "end of input"

}  // namespace fw::lang
