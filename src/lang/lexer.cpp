#include "lang/lexer.hpp"

#include <cctype>
#include <cstdint>
#include <fmt/format.h>

namespace fw::lang {

namespace {
bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80); }
}  // namespace

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
    if (c == ' ' || c == '\t' || c == '\r') ++pos_;
    else if (c == '\\' && peek(1) == '\n') pos_ += 2;  // explicit line continuation
    else if (c == '#') while (!at_end() && peek() != '\n') ++pos_;
    else if (c == '\n' && (depth_ > 0 || newline_continues())) ++pos_;
    else return;
  }
}

// After a value, `/` divides and `:` cannot start a symbol; elsewhere they do.
bool Lexer::value_ended() const {
  switch (last_) {
    case Tok::Integer: case Tok::Float: case Tok::String: case Tok::Symbol: case Tok::Regex:
    case Tok::Ident: case Tok::Constant: case Tok::RParen: case Tok::RBracket: case Tok::RBrace:
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
  switch (c) {
    case '\n': return make(Tok::Newline, start);
    case ';': return make(Tok::Semicolon, start);
    case '(': ++depth_; return make(Tok::LParen, start);
    case '[': ++depth_; return make(Tok::LBracket, start);
    case '{': ++depth_; return make(Tok::LBrace, start);
    case ')': if (depth_ > 0) --depth_; return make(Tok::RParen, start);
    case ']': if (depth_ > 0) --depth_; return make(Tok::RBracket, start);
    case '}': if (depth_ > 0) --depth_; return make(Tok::RBrace, start);
    case ',': return make(Tok::Comma, start);
    case '.': return make(Tok::Dot, start);
    case '+': return make(Tok::Plus, start);
    case '*': return make(Tok::Star, start);
    case '%': return make(Tok::Percent, start);
    case '-':
      if (peek() == '>') return ++pos_, make(Tok::Arrow, start);
      return make(Tok::Minus, start);
    case '=':
      if (peek() == '>') return ++pos_, make(Tok::Rocket, start);
      return two('=', Tok::Eq, Tok::Assign);
    case '!': return two('=', Tok::NotEq, Tok::Bang);
    case '>': return two('=', Tok::Ge, Tok::Gt);
    case '<':
      if (peek() == '<') return ++pos_, make(Tok::Shovel, start);
      return two('=', Tok::Le, Tok::Lt);
    case '&':
      if (peek() == '&') return ++pos_, make(Tok::AndAnd, start);
      return error(start, "unexpected '&'");
    case '|':
      if (peek() == '|') return ++pos_, make(Tok::OrOr, start);
      return error(start, "unexpected '|' (blocks are not supported)");
    case ':':
      if (peek() == ':') return ++pos_, make(Tok::ColonColon, start);
      if (peek() == '"' || peek() == '\'' || is_name_start(peek())) return symbol(start);
      return error(start, "unexpected ':'");
    case '"':
    case '\'': return string(start, c);
    case '/':
      if (value_ended()) return make(Tok::Slash, start);
      return regex(start);
    default: break;
  }
  if (std::isdigit(static_cast<unsigned char>(c))) return number(start);
  if (is_name_start(c)) return word(start);
  return error(start, fmt::format("unexpected character '{}'", std::isprint(static_cast<unsigned char>(c)) ? std::string(1, c) : fmt::format("\\x{:02X}", static_cast<unsigned char>(c))));
}

Token Lexer::number(size_t start) {
  bool is_float = false;
  while (std::isdigit(static_cast<unsigned char>(peek())) || (peek() == '_' && std::isdigit(static_cast<unsigned char>(peek(1))))) ++pos_;
  if (peek() == '.' && std::isdigit(static_cast<unsigned char>(peek(1)))) {
    is_float = true;
    ++pos_;
    while (std::isdigit(static_cast<unsigned char>(peek())) || (peek() == '_' && std::isdigit(static_cast<unsigned char>(peek(1))))) ++pos_;
  }
  if ((peek() == 'e' || peek() == 'E') &&
      (std::isdigit(static_cast<unsigned char>(peek(1))) ||
       ((peek(1) == '-' || peek(1) == '+') && std::isdigit(static_cast<unsigned char>(peek(2)))))) {
    is_float = true;
    pos_ += 2;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++pos_;
  }
  std::string text;
  for (size_t i = start; i < pos_; ++i)
    if (src_[i] != '_') text += src_[i];
  if (is_name_char(peek())) {
    while (is_name_char(peek())) ++pos_;
    return error(start, fmt::format("'{}' is not a number", src_.substr(start, pos_ - start)));
  }
  return make(is_float ? Tok::Float : Tok::Integer, start, text);
}

int Lexer::hex(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

// \uXXXX or \u{X...}: a code point, written as UTF-8.
bool Lexer::read_unicode(std::string& out) {
  bool braced = peek() == '{';
  if (braced) ++pos_;
  std::uint32_t cp = 0;
  int digits = 0;
  while ((braced ? digits < 6 : digits < 4) && std::isxdigit(static_cast<unsigned char>(peek())))
    cp = cp * 16 + static_cast<std::uint32_t>(hex(src_[pos_++])), ++digits;
  if (braced && peek() == '}') ++pos_;
  else if (braced || digits != 4) return false;
  if (digits == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return true;
}

bool Lexer::read_escape(char quote, std::string& out) {
  char e = peek();
  if (at_end()) return true;  // the string is unterminated; the caller says so
  ++pos_;
  if (quote == '\'') {
    if (e != '\\' && e != '\'') out += '\\';
    out += e;
    return true;
  }
  switch (e) {
    case 'u': return read_unicode(out);
    case 'x': {
      int value = 0, digits = 0;
      while (digits < 2 && std::isxdigit(static_cast<unsigned char>(peek()))) value = value * 16 + hex(src_[pos_++]), ++digits;
      if (digits == 0) return false;
      out += static_cast<char>(value);
      break;
    }
    case 'n': out += '\n'; break;
    case 't': out += '\t'; break;
    case 'r': out += '\r'; break;
    case 'e': out += '\033'; break;
    case '0': out += '\0'; break;
    case 's': out += ' '; break;
    default: out += e;
  }
  return true;
}

Token Lexer::string(size_t start, char quote) {
  std::string out;
  while (!at_end() && peek() != quote) {
    char c = src_[pos_++];
    if (c == '\\') {
      size_t escape = pos_ - 1;
      if (!read_escape(quote, out)) {
        while (!at_end() && peek() != quote) ++pos_;
        if (!at_end()) ++pos_;
        return error(escape, "invalid escape in string: \\u takes 4 hex digits or {hex}, \\x 1 or 2");
      }
    } else {
      out += c;
    }
  }
  if (at_end()) return error(start, "unterminated string: no closing " + std::string(1, quote));
  ++pos_;
  return make(Tok::String, start, out);
}

Token Lexer::symbol(size_t start) {
  if (peek() == '"' || peek() == '\'') {
    char quote = src_[pos_];
    Token s = string(pos_++, quote);
    if (s.type == Tok::Error) return s;
    return make(Tok::Symbol, start, s.text);
  }
  size_t name = pos_;
  while (is_name_char(peek())) ++pos_;
  if (peek() == '?' || peek() == '!' || (peek() == '=' && peek(1) != '>' && peek(1) != '=')) ++pos_;
  return make(Tok::Symbol, start, std::string(src_.substr(name, pos_ - name)));
}

Token Lexer::regex(size_t start) {
  std::string source;
  while (!at_end() && peek() != '/' && peek() != '\n') {
    char c = src_[pos_++];
    source += c;
    if (c == '\\' && !at_end()) source += src_[pos_++];
  }
  if (peek() != '/') return error(start, "unterminated regular expression: no closing /");
  ++pos_;
  std::string flags;
  while (peek() == 'i' || peek() == 'm' || peek() == 'x') flags += src_[pos_++];
  Token t = make(Tok::Regex, start, source);
  t.flags = flags;
  return t;
}

Token Lexer::word(size_t start) {
  while (is_name_char(peek())) ++pos_;
  if ((peek() == '?' || peek() == '!') && peek(1) != '=') ++pos_;
  std::string text(src_.substr(start, pos_ - start));
  if (peek() == ':' && peek(1) != ':' && last_ != Tok::Dot) {
    ++pos_;
    return make(Tok::Label, start, text);
  }
  if (last_ != Tok::Dot) {
    static const std::pair<const char*, Tok> keywords[] = {
        {"class", Tok::Class}, {"end", Tok::End}, {"true", Tok::True}, {"false", Tok::False}, {"nil", Tok::Nil},
        {"self", Tok::Self}, {"and", Tok::And}, {"or", Tok::Or}, {"not", Tok::Not}};
    for (const auto& [k, type] : keywords)
      if (text == k) return make(type, start, text);
  }
  bool constant = std::isupper(static_cast<unsigned char>(text[0]));
  return make(constant ? Tok::Constant : Tok::Ident, start, text);
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
}

}  // namespace fw::lang
