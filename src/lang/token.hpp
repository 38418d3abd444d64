#pragma once
// Tokens of the statement language. Every token carries where it starts.
#include <string>

#include "base/error.hpp"

namespace fw::lang {

enum class Tok {
  // values
  Integer, Float, String, Symbol, Regex,
  StringBegin,  // "text #{   : a string's text up to its first interpolation
  StringMid,    // } text #{  : text between two interpolations
  StringEnd,    // } text"    : text after the last one
  Words,        // %w[a b]: `text` holds the words separated by single spaces; %i[] sets `flags` to "i"
  Shell,        // `cmd` or %x(cmd): the command's text as written; never run (lang/forbidden.hpp)
  Label,     // `name:` in a hash or argument list
  Ident,     // lower-case names, may end in ? or !
  Constant,  // capitalised names
  // keywords (Class to Ensure, in one run: the parser tests a range)
  Class, Module, End, True, False, Nil, Self, And, Or, Not,
  If, Elsif, Else, Unless, Then, Do, Def, Return, Break, Next, While, Until, Case, When, Rescue, Ensure,
  // punctuation and operators
  LParen, RParen, LBracket, RBracket, LBrace, RBrace, Comma, Dot, ColonColon,
  Assign, Eq, NotEq, Lt, Gt, Le, Ge, Shovel, Plus, Minus, Star, Slash, Percent, Bang, AndAnd, OrOr,
  Pow,        // **
  Compare,    // <=>
  Match,      // =~
  NotMatch,   // !~
  OpAssign,   // += -= *= /= ||= &&= <<= (the operator in `text`)
  Pipe,       // | (block parameters, Integer#|)
  Amp,        // & (block pass &:name)
  Caret,      // ^
  SafeNav,    // &.
  Question,   // ? of the ternary operator
  Colon,      // : of the ternary operator
  DotDot, DotDotDot,
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
  bool unfinished = false;  // an Error because the input ended inside it (a string): the prompt reads on
};

const char* describe(Tok type);  // "')'", "a string", "end of input"

}  // namespace fw::lang
