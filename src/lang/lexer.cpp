#include "lang/lexer.hpp"

#include <cctype>
#include <cstdint>
#include <cstring>
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

namespace {
// The bracket that closes a %-literal opened with `open` (%w[ ], %x( )); any
// other character closes itself (%x|ls|).
char closing(char open) {
  switch (open) {
    case '[': return ']';
    case '(': return ')';
    case '{': return '}';
    case '<': return '>';
    default: return open;
  }
}
}  // namespace

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

// After a `%`: a word list (%w[] %i[]) or a shell command (%x()) where a
// value can start, else the operator (% and %=).
Token Lexer::percent(size_t start) {
  if (!value_ended() && (peek() == 'w' || peek() == 'i') && std::strchr("[({<", peek(1)) && peek(1)) return words(start);
  if (!value_ended() && peek() == 'x' && peek(1) && std::strchr("[({<|!/", peek(1))) {
    pos_ += 2;
    return shell(start, closing(src_[pos_ - 1]));
  }
  return assigning_operator(start, Tok::Percent, "%");
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

// A string, or the part of one up to an interpolation (#{ opens one, and the
// matching } continues the string: see next()). `continuing` is true for the
// parts after an interpolation.
Token Lexer::string(size_t start, char quote, bool continuing) {
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
    } else if (c == '#' && quote == '"' && peek() == '{') {
      ++pos_;
      interpolations_.push_back(++depth_);
      return make(continuing ? Tok::StringMid : Tok::StringBegin, start, out);
    } else {
      out += c;
    }
  }
  if (at_end()) {
    Token t = error(start, "unterminated string: no closing " + std::string(1, quote));
    t.unfinished = true;
    return t;
  }
  ++pos_;
  return make(continuing ? Tok::StringEnd : Tok::String, start, out);
}

// `<<~EOS`, `<<-EOS`, `<<EOS` (and their 'EOS' and "EOS" forms) open a
// heredoc where a value may start, and after a method's name with a space
// before and none after (`execute <<~SQL`, `puts <<EOS`; `a <<b` stays `<<`).
bool Lexer::heredoc_opens(size_t start) const {
  size_t i = pos_ + 1;
  bool marked = i < src_.size() && (src_[i] == '~' || src_[i] == '-');
  if (marked) ++i;
  if (i >= src_.size()) return false;
  char c = src_[i];
  bool quoted = c == '\'' || c == '"';
  if (!quoted && !is_name_start(c)) return false;
  if (!value_ended()) return true;
  return last_ == Tok::Ident && start > 0 && (src_[start - 1] == ' ' || src_[start - 1] == '\t') &&
         (marked || quoted || std::isupper(static_cast<unsigned char>(c)));
}

// A heredoc: its body is the lines after the opener's line (after the bodies
// of heredocs opened before it on that line) up to the terminator, read now;
// the opener's line then goes on (`<<~EOS.strip`, `f(<<~A, <<~B)`), and its
// newline jumps past the bodies (skip_space_and_comments).
Token Lexer::heredoc(size_t start) {
  ++pos_;  // the second <
  char mark = peek() == '~' || peek() == '-' ? src_[pos_++] : '\0';
  char quote = peek() == '\'' || peek() == '"' ? src_[pos_++] : '\0';
  size_t name_start = pos_;
  if (quote) {
    while (!at_end() && peek() != quote && peek() != '\n') ++pos_;
    if (peek() != quote) return error(start, "unterminated here document identifier");
  } else {
    while (is_name_char(peek())) ++pos_;
  }
  std::string_view name = src_.substr(name_start, pos_ - name_start);
  if (quote) ++pos_;
  size_t line_end = src_.find('\n', pos_);
  size_t body_start = line_end == std::string_view::npos ? src_.size() : line_end + 1;
  if (!skips_.empty() && skips_.back().line_end == line_end) body_start = skips_.back().resume + 1;
  // the terminator: the name alone on a line (<<~ and <<- let it be indented)
  size_t body_end = std::string_view::npos, resume = src_.size();
  for (size_t at = body_start; at < src_.size();) {
    size_t end = src_.find('\n', at);
    if (end == std::string_view::npos) end = src_.size();
    std::string_view line = src_.substr(at, end - at);
    if (mark) line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line == name) {
      body_end = at, resume = end;
      break;
    }
    at = end + 1;
  }
  if (line_end == std::string_view::npos || body_end == std::string_view::npos) {
    Token t = error(start, fmt::format("can't find string \"{}\" anywhere before EOF", name));
    t.unfinished = true;
    return t;
  }
  // <<~: the least indentation of the lines that are not blank, in columns (a tab to the next 8)
  size_t indent = 0;
  if (mark == '~') {
    indent = std::string_view::npos;
    for (size_t at = body_start; at < body_end;) {
      size_t width = 0, i = at;
      for (; i < body_end && (src_[i] == ' ' || src_[i] == '\t'); ++i) width = src_[i] == '\t' ? (width / 8 + 1) * 8 : width + 1;
      if (i < body_end && src_[i] != '\n' && src_[i] != '\r') indent = std::min(indent, width);
      size_t end = src_.find('\n', i);
      at = end == std::string_view::npos ? body_end : end + 1;
    }
    if (indent == std::string_view::npos) indent = 0;
  }
  skips_.push_back({start, line_end, resume});
  heredocs_.push_back({body_start, body_end, pos_, indent, quote == '\'', -1});
  pos_ = body_start;
  return heredoc_text(start, false);
}

// The body of the heredoc being read, from pos_ to its end or its next #{.
Token Lexer::heredoc_text(size_t start, bool continuing) {
  Heredoc& h = heredocs_.back();
  std::string out;
  while (pos_ < h.body_end) {
    if (h.indent && src_[pos_ - 1] == '\n')
      for (size_t width = 0; pos_ < h.body_end && (peek() == ' ' || peek() == '\t');) {
        size_t next = peek() == '\t' ? (width / 8 + 1) * 8 : width + 1;
        if (next > h.indent) break;
        width = next, ++pos_;
      }
    if (pos_ >= h.body_end) break;
    char c = src_[pos_++];
    if (h.raw || (c != '\\' && c != '#')) {
      out += c;
    } else if (c == '\\' && peek() == '\n') {
      ++pos_;  // a line continued
    } else if (c == '\\') {
      if (!read_escape('"', out)) return error(pos_ - 2, "invalid escape in here document: \\u takes 4 hex digits or {hex}, \\x 1 or 2");
    } else if (peek() == '{') {
      ++pos_;
      interpolations_.push_back(++depth_);
      h.interpolation = depth_;
      return make(continuing ? Tok::StringMid : Tok::StringBegin, start, out);
    } else {
      out += c;
    }
  }
  pos_ = h.return_to;
  heredocs_.pop_back();
  return make(continuing ? Tok::StringEnd : Tok::String, start, out);
}

size_t Lexer::past_heredocs(size_t offset) const {
  size_t out = offset;
  for (const auto& s : skips_)
    if (s.opener < offset && offset <= s.line_end) out = std::max(out, s.resume);
  return out;
}

void Lexer::forget_heredocs_after(size_t offset) {
  while (!skips_.empty() && skips_.back().opener >= offset) skips_.pop_back();
  while (!heredocs_.empty() && (offset < heredocs_.back().body_start || offset > heredocs_.back().body_end)) heredocs_.pop_back();
}

// `cmd` and %x(cmd): read whole (interpolations and all) so that a models
// file holding one still opens; the interpreter refuses to run it.
Token Lexer::shell(size_t start, char close) {
  size_t from = pos_;
  while (!at_end() && peek() != close) pos_ += peek() == '\\' && pos_ + 1 < src_.size() ? 2 : 1;
  if (at_end()) {
    Token t = error(start, std::string("unterminated shell command: no closing ") + close);
    t.unfinished = true;
    return t;
  }
  std::string text(src_.substr(from, pos_ - from));
  ++pos_;
  return make(Tok::Shell, start, std::move(text));
}

// %w[a b c] and %i[a b c]: words split at white space.
Token Lexer::words(size_t start) {
  char kind = src_[pos_++];
  char close = closing(src_[pos_++]);
  std::string text, word;
  while (!at_end() && peek() != close) {
    char c = src_[pos_++];
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) text += (text.empty() ? "" : " ") + word, word.clear();
    } else {
      word += c;
    }
  }
  if (at_end()) {
    Token t = error(start, std::string("unterminated list: no closing ") + close);
    t.unfinished = true;
    return t;
  }
  ++pos_;
  if (!word.empty()) text += (text.empty() ? "" : " ") + word;
  Token t = make(Tok::Words, start, text);
  if (kind == 'i') t.flags = "i";
  return t;
}

Token Lexer::symbol(size_t start) {
  if (peek() == '"' || peek() == '\'') {
    char quote = src_[pos_];
    Token s = string(pos_++, quote);
    if (s.type == Tok::Error) return s;
    if (s.type == Tok::StringBegin) {
      interpolations_.pop_back();
      --depth_;
      return error(start, "interpolation (#{...}) in a symbol is not supported");
    }
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
    return make(Tok::Label, start, std::move(text));
  }
  if (last_ != Tok::Dot) {
    static constexpr std::pair<std::string_view, Tok> keywords[] = {  // string_view: lengths compared first
        {"class", Tok::Class}, {"module", Tok::Module}, {"end", Tok::End}, {"true", Tok::True}, {"false", Tok::False}, {"nil", Tok::Nil},
        {"self", Tok::Self}, {"and", Tok::And}, {"or", Tok::Or}, {"not", Tok::Not}, {"if", Tok::If},
        {"elsif", Tok::Elsif}, {"else", Tok::Else}, {"unless", Tok::Unless}, {"then", Tok::Then}, {"do", Tok::Do},
        {"def", Tok::Def}, {"return", Tok::Return}, {"break", Tok::Break}, {"next", Tok::Next},
        {"while", Tok::While}, {"until", Tok::Until}, {"case", Tok::Case}, {"when", Tok::When}, {"rescue", Tok::Rescue},
        {"ensure", Tok::Ensure}};
    for (const auto& [k, type] : keywords)
      if (text[0] == k[0] && text == k) return make(type, start, std::move(text));
  }
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
