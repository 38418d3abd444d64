// The lexer's literals: numbers, strings and their escapes, heredocs,
// shell commands, %-literals, symbols and regexes (lexer.cpp reads the rest).
#include "lang/lexer.hpp"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <fmt/format.h>

#include "lang/name_chars.hpp"

namespace fw::lang {

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
    std::size_t plain = pos_;  // a run of plain characters is taken whole
    while (plain < src_.size() && src_[plain] != quote && src_[plain] != '\\' && src_[plain] != '#') ++plain;
    if (plain > pos_) {
      out.append(src_.substr(pos_, plain - pos_));
      pos_ = plain;
      continue;
    }
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
      return make(continuing ? Tok::StringMid : Tok::StringBegin, start, std::move(out));
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
  return make(continuing ? Tok::StringEnd : Tok::String, start, std::move(out));
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
      return make(continuing ? Tok::StringMid : Tok::StringBegin, start, std::move(out));
    } else {
      out += c;
    }
  }
  pos_ = h.return_to;
  heredocs_.pop_back();
  return make(continuing ? Tok::StringEnd : Tok::String, start, std::move(out));
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

}  // namespace fw::lang
