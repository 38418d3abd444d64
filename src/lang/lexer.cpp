// The lexer: tokens, operators, names and where a statement goes on; the
// literals (numbers, strings, heredocs, symbols, regexes, %-literals) are
// read in lexer_literals.cpp.
#include "lang/lexer.hpp"

#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <optional>
#include <fmt/format.h>

#include "lang/name_chars.hpp"

namespace fw::lang {

const char* describe(Tok type) {
  switch (type) {
    case Tok::Integer: return "an integer";
    case Tok::Float: return "a number";
    case Tok::String: return "a string";
    case Tok::Symbol: return "a symbol";
    case Tok::Regex: return "a regular expression";
    case Tok::Label: return "a key (name:)";
    case Tok::Ident: return "a name";
    case Tok::Constant: return "a model name";
    case Tok::Class: return "'class'";
    case Tok::End: return "'end'";
    case Tok::True: return "'true'";
    case Tok::False: return "'false'";
    case Tok::Nil: return "'nil'";
    case Tok::Self: return "'self'";
    case Tok::And: return "'and'";
    case Tok::Or: return "'or'";
    case Tok::Not: return "'not'";
    case Tok::If: return "'if'";
    case Tok::Elsif: return "'elsif'";
    case Tok::Else: return "'else'";
    case Tok::Unless: return "'unless'";
    case Tok::Then: return "'then'";
    case Tok::Do: return "'do'";
    case Tok::Def: return "'def'";
    case Tok::Return: return "'return'";
    case Tok::Break: return "'break'";
    case Tok::Next: return "'next'";
    case Tok::While: return "'while'";
    case Tok::Until: return "'until'";
    case Tok::Case: return "'case'";
    case Tok::When: return "'when'";
    case Tok::Rescue: return "'rescue'";
    case Tok::Ensure: return "'ensure'";
    case Tok::Module: return "'module'";
    case Tok::StringBegin: case Tok::StringMid: case Tok::StringEnd: return "a string";
    case Tok::Words: return "a word list (%w[])";
    case Tok::Shell: return "a shell command (`...`)";
    case Tok::Pow: return "'**'";
    case Tok::Compare: return "'<=>'";
    case Tok::Match: return "'=~'";
    case Tok::NotMatch: return "'!~'";
    case Tok::OpAssign: return "an assignment operator (+=)";
    case Tok::Pipe: return "'|'";
    case Tok::Amp: return "'&'";
    case Tok::Caret: return "'^'";
    case Tok::SafeNav: return "'&.'";
    case Tok::Question: return "'?'";
    case Tok::Colon: return "':'";
    case Tok::DotDot: return "'..'";
    case Tok::DotDotDot: return "'...'";
    case Tok::LParen: return "'('";
    case Tok::RParen: return "')'";
    case Tok::LBracket: return "'['";
    case Tok::RBracket: return "']'";
    case Tok::LBrace: return "'{'";
    case Tok::RBrace: return "'}'";
    case Tok::Comma: return "','";
    case Tok::Dot: return "'.'";
    case Tok::ColonColon: return "'::'";
    case Tok::Assign: return "'='";
    case Tok::Eq: return "'=='";
    case Tok::NotEq: return "'!='";
    case Tok::Lt: return "'<'";
    case Tok::Gt: return "'>'";
    case Tok::Le: return "'<='";
    case Tok::Ge: return "'>='";
    case Tok::Shovel: return "'<<'";
    case Tok::Plus: return "'+'";
    case Tok::Minus: return "'-'";
    case Tok::Star: return "'*'";
    case Tok::Slash: return "'/'";
    case Tok::Percent: return "'%'";
    case Tok::Bang: return "'!'";
    case Tok::AndAnd: return "'&&'";
    case Tok::OrOr: return "'||'";
    case Tok::Rocket: return "'=>'";
    case Tok::Arrow: return "'->'";
    case Tok::Newline: return "end of line";
    case Tok::Semicolon: return "';'";
    case Tok::Eof: return "end of input";
    case Tok::Error: return "an error";
  }
  return "a token";
}

SourcePos Lexer::position(size_t offset) const {
  // Tokens come mostly in order, so scanning on from the last answer keeps this linear.
  if (offset < memo_offset_) memo_offset_ = 0, memo_pos_ = {1, 1};
  for (size_t i = memo_offset_; i < offset && i < src_.size(); ++i) {
    if (src_[i] == '\n') memo_pos_.line++, memo_pos_.column = 1;
    else if ((static_cast<unsigned char>(src_[i]) & 0xC0) != 0x80) memo_pos_.column++;
  }
  memo_offset_ = std::max(memo_offset_, std::min(offset, src_.size()));
  return memo_pos_;
}

std::string_view Lexer::line_at(size_t offset) const {
  offset = std::min(offset, src_.size());
  size_t start = offset;
  while (start > 0 && src_[start - 1] != '\n') --start;
  size_t end = src_.find('\n', offset);
  return src_.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

Token Lexer::make(Tok type, size_t start, std::string text) {
  Token t;
  t.type = type;
  t.text = std::move(text);
  t.offset = start;
  t.end = pos_;
  t.pos = position(start);
  t.depth = start_depth_;
  last_ = type;
  return t;
}

Token Lexer::error(size_t start, std::string message) { return make(Tok::Error, start, std::move(message)); }

// Ruby continues a statement on a line that starts with `.method`.
bool Lexer::newline_continues() const {
  size_t i = pos_ + 1;
  while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t' || src_[i] == '\r' || src_[i] == '\n')) ++i;
  return i + 1 < src_.size() && src_[i] == '.' && src_[i + 1] != '.';
}

void Lexer::skip_space_and_comments() {
  for (;;) {
    char c = peek();
    if (c == '\n' && !skips_.empty() && skips_.back().line_end == pos_) pos_ = skips_.back().resume;  // past heredoc bodies
    else if (c == ' ' || c == '\t' || c == '\r') ++pos_;
    else if (c == '\\' && peek(1) == '\n') pos_ += 2;  // explicit line continuation
    else if (c == '#') while (!at_end() && peek() != '\n') ++pos_;
    else if (c == '\n' && ((depth_ > 0 && !in_body()) || newline_continues())) ++pos_;
    else return;
  }
}

// After a value, `/` divides and `:` cannot start a symbol; elsewhere they do.
bool Lexer::value_ended() const {
  switch (last_) {
    case Tok::Integer: case Tok::Float: case Tok::String: case Tok::Symbol: case Tok::Regex:
    case Tok::StringEnd: case Tok::Words: case Tok::Shell: case Tok::Ident: case Tok::Constant: case Tok::RParen: case Tok::RBracket: case Tok::RBrace:
    case Tok::True: case Tok::False: case Tok::Nil: case Tok::Self: case Tok::End:
      return true;
    default:
      return false;
  }
}

Token Lexer::next() {
  skip_space_and_comments();
  start_depth_ = depth_;
  size_t start = pos_;
  if (at_end()) return make(Tok::Eof, start);
  char c = src_[pos_++];
  auto two = [&](char second, Tok yes, Tok no) {
    if (peek() == second) return ++pos_, make(yes, start);
    return make(no, start);
  };
  auto assigning = [&](Tok plain, const char* op) { return assigning_operator(start, plain, op); };
  switch (c) {
    case '\n': return make(Tok::Newline, start);
    case ';': return make(Tok::Semicolon, start);
    case '(': ++depth_; return make(Tok::LParen, start);
    case '[': ++depth_; return make(Tok::LBracket, start);
    case '{': ++depth_; return make(Tok::LBrace, start);
    case ')': if (depth_ > 0) --depth_; return make(Tok::RParen, start);
    case ']': if (depth_ > 0) --depth_; return make(Tok::RBracket, start);
    case '}':
      if (!interpolations_.empty() && interpolations_.back() == depth_) {  // the end of #{...}
        --depth_;
        interpolations_.pop_back();
        if (!heredocs_.empty() && heredocs_.back().interpolation == depth_ + 1) {
          heredocs_.back().interpolation = -1;
          return heredoc_text(start, true);
        }
        return string(start, '"', true);
      }
      if (depth_ > 0) --depth_;
      return make(Tok::RBrace, start);
    case ',': return make(Tok::Comma, start);
    case '.':
      if (peek() == '.') {
        ++pos_;
        if (peek() == '.') return ++pos_, make(Tok::DotDotDot, start);
        return make(Tok::DotDot, start);
      }
      return make(Tok::Dot, start);
    case '+': return assigning(Tok::Plus, "+");
    case '*':
      if (peek() == '*') return ++pos_, assigning(Tok::Pow, "**");
      return assigning(Tok::Star, "*");
    case '%': return percent(start);
    case '-':
      if (peek() == '>') return ++pos_, make(Tok::Arrow, start);
      return assigning(Tok::Minus, "-");
    case '=':
      if (peek() == '>') return ++pos_, make(Tok::Rocket, start);
      if (peek() == '~') return ++pos_, make(Tok::Match, start);
      return two('=', Tok::Eq, Tok::Assign);
    case '!':
      if (peek() == '~') return ++pos_, make(Tok::NotMatch, start);
      return two('=', Tok::NotEq, Tok::Bang);
    case '>': return two('=', Tok::Ge, Tok::Gt);
    case '<':
      if (peek() == '<' && heredoc_opens(start)) return heredoc(start);
      if (peek() == '<') return ++pos_, assigning(Tok::Shovel, "<<");
      if (peek() == '=' && peek(1) == '>') return pos_ += 2, make(Tok::Compare, start);
      return two('=', Tok::Le, Tok::Lt);
    case '&':
      if (peek() == '&') return ++pos_, assigning(Tok::AndAnd, "&&");
      if (peek() == '.') return ++pos_, make(Tok::SafeNav, start);
      return make(Tok::Amp, start);
    case '|':
      if (peek() == '|' && !after_block_open()) return ++pos_, assigning(Tok::OrOr, "||");
      return make(Tok::Pipe, start);
    case '^': return make(Tok::Caret, start);
    case '?': return make(Tok::Question, start);
    case ':': return colon(start);
    case '"':
    case '\'': return string(start, c);
    case '`': return shell(start, '`');
    case '/':
      if (value_ended()) return assigning(Tok::Slash, "/");
      return regex(start);
    case '@':  // @name: an instance variable, a variable of its own name (nil until set)
      if (is_name_start(peek())) {
        while (is_name_char(peek())) ++pos_;
        return make(Tok::Ident, start, std::string(src_.substr(start, pos_ - start)));
      }
      break;
    case '$':  // $~ and $1..$9 (the last match), $stdout, $name: a global variable's name, `$` and all
      if (peek() == '~') return ++pos_, make(Tok::Ident, start, "$~");
      if (std::isdigit(static_cast<unsigned char>(peek())) || is_name_start(peek())) {
        while (is_name_char(peek())) ++pos_;
        return make(Tok::Ident, start, std::string(src_.substr(start, pos_ - start)));
      }
      break;
    default: break;
  }
  if (std::isdigit(static_cast<unsigned char>(c))) return number(start);
  if (is_name_start(c)) return word(start);
  return error(start, fmt::format("unexpected character '{}'", std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : fmt::format("\\x{:02X}", static_cast<unsigned char>(c))));
}

// `op=` is an assignment operator (x += 1); otherwise the plain operator.
Token Lexer::assigning_operator(size_t start, Tok plain, const char* op) {
  if (peek() == '=' && peek(1) != '=' && peek(1) != '~') return ++pos_, make(Tok::OpAssign, start, op);
  return make(plain, start);
}
// After a `:`: `::`, a symbol (:name, :"text"; :+ where a value can start)
// or a colon.
Token Lexer::colon(size_t start) {
  if (peek() == ':') return ++pos_, make(Tok::ColonColon, start);
  if (peek() == '"' || peek() == '\'' || is_name_start(peek())) return symbol(start);
  if (!value_ended()) {  // :+, :<=>, :[] as in inject(:+) and send(:+, 1)
    for (const char* op : {"[]=", "[]", "<=>", "===", "==", "=~", "!=", "<<", ">>", "<=", ">=", "**", "+", "-", "*",
                           "/", "%", "<", ">", "!", "&", "|", "^"}) {
      std::string_view o(op);
      if (src_.substr(pos_, o.size()) == o) {
        pos_ += o.size();
        return make(Tok::Symbol, start, std::string(o));
      }
    }
  }
  return make(Tok::Colon, start);
}

// Ruby's keywords, looked up by first letter: most names start with none of
// theirs, and the rest are compared with a few at most.
std::optional<Tok> keyword_of(std::string_view w) {
  struct Keyword {
    std::string_view word;
    Tok type;
  };
  static constexpr Keyword keywords[] = {
      {"and", Tok::And},     {"break", Tok::Break}, {"case", Tok::Case},     {"class", Tok::Class},   {"def", Tok::Def},
      {"do", Tok::Do},       {"else", Tok::Else},   {"elsif", Tok::Elsif},   {"end", Tok::End},       {"ensure", Tok::Ensure},
      {"false", Tok::False}, {"if", Tok::If},       {"module", Tok::Module}, {"next", Tok::Next},     {"nil", Tok::Nil},
      {"not", Tok::Not},     {"or", Tok::Or},       {"rescue", Tok::Rescue}, {"return", Tok::Return}, {"self", Tok::Self},
      {"then", Tok::Then},   {"true", Tok::True},   {"unless", Tok::Unless}, {"until", Tok::Until},   {"when", Tok::When},
      {"while", Tok::While}};  // in order of their first letter
  if (w.size() < 2 || w.size() > 6 || w[0] < 'a' || w[0] > 'w') return std::nullopt;
  // first[c - 'a']: where the keywords starting with c begin in the table (first[c + 1 - 'a'] where they end)
  static constexpr auto first = [] {
    std::array<unsigned char, 24> at{};
    for (char c = 'a'; c <= 'x'; ++c) {
      unsigned char i = 0;
      while (i < std::size(keywords) && keywords[i].word[0] < c) ++i;
      at[static_cast<std::size_t>(c - 'a')] = i;
    }
    return at;
  }();
  auto letter = static_cast<std::size_t>(w[0] - 'a');
  for (auto i = first[letter]; i < first[letter + 1]; ++i)
    if (keywords[i].word == w) return keywords[i].type;
  return std::nullopt;
}

Token Lexer::word(size_t start) {
  while (is_name_char(peek())) ++pos_;
  if ((peek() == '?' || peek() == '!') && peek(1) != '=') ++pos_;
  std::string text(src_.substr(start, pos_ - start));
  if (peek() == ':' && peek(1) != ':' && last_ != Tok::Dot) {
    ++pos_;
    return make(Tok::Label, start, std::move(text));
  }
  if (last_ != Tok::Dot)
    if (auto keyword = keyword_of(text)) return make(*keyword, start, std::move(text));
  bool constant = std::isupper(static_cast<unsigned char>(text[0]));
  return make(constant ? Tok::Constant : Tok::Ident, start, std::move(text));
}

Token Lexer::raw_word(const Token& from) {
  size_t offset = from.offset;
  pos_ = offset;
  depth_ = start_depth_ = from.depth;
  while (!at_end() && !std::isspace(static_cast<unsigned char>(peek())) && peek() != ';') ++pos_;
  return make(Tok::String, offset, std::string(src_.substr(offset, pos_ - offset)));
}

void Lexer::reset(size_t offset, int depth) {
  pos_ = offset;
  depth_ = depth;
  last_ = Tok::Newline;
  interpolations_.clear();
  bodies_.clear();
  heredocs_.clear();
  forget_heredocs_after(offset);
}

void Lexer::rewind(const Token& t) {
  pos_ = t.end;
  depth_ = t.depth;
  // the depth after the token: brackets and #{ open one, closing ones (and a string's last }) close one
  if (t.type == Tok::LParen || t.type == Tok::LBracket || t.type == Tok::LBrace || t.type == Tok::StringBegin) ++depth_;
  if ((t.type == Tok::RParen || t.type == Tok::RBracket || t.type == Tok::RBrace || t.type == Tok::StringEnd) && depth_ > 0)
    --depth_;
  last_ = t.type;
  forget_heredocs_after(pos_);
}

bool Lexer::in_body() const { return !bodies_.empty() && bodies_.back() == depth_; }

// `{ || ... }` and `do || ... end` are empty block parameters, not `||`.
bool Lexer::after_block_open() const { return last_ == Tok::LBrace || last_ == Tok::Do; }

}  // namespace fw::lang
