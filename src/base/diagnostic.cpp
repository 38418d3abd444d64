#include "base/diagnostic.hpp"

#include <fmt/format.h>

#include <cctype>

namespace fw {

namespace {

bool continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The byte offset just after the first `max_chars` characters, or npos when
// `text` has no more than that.
size_t after_chars(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (continuation(text[i])) continue;
    if (chars++ == max_chars) return i;
  }
  return std::string_view::npos;
}

// The quote that closes the one at `open`, or npos. A quote inside a word
// (can't, Couldn't) opens nothing.
size_t closing_quote(std::string_view text, size_t open) {
  char q = text[open];
  if (q == '\'' && open > 0 && std::isalnum(static_cast<unsigned char>(text[open - 1]))) return std::string_view::npos;
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (text[i] == '\\' && q == '"') {
      ++i;
      continue;
    }
    if (text[i] == q && (q == '"' || i + 1 == text.size() || !std::isalnum(static_cast<unsigned char>(text[i + 1]))))
      return i;
  }
  return std::string_view::npos;
}

}  // namespace

std::string cut_text(std::string_view text, size_t max_chars) {
  size_t end = after_chars(text, max_chars);
  if (end == std::string_view::npos) return std::string(text);
  return std::string(text.substr(0, end)) + "...";
}

std::string readable_message(std::string_view message) {
  std::string out;
  for (size_t i = 0; i < message.size(); ++i) {
    char c = message[i];
    if (c == '\'' || c == '"') {
      size_t close = closing_quote(message, i);
      if (close != std::string_view::npos) {
        out += c;
        out += cut_text(message.substr(i + 1, close - i - 1), kMaxQuoted);
        out += c;
        i = close;
        continue;
      }
    }
    out += c;
  }
  for (char& c : out)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) c = '?';
  return cut_text(out, kMaxMessage);
}

std::string diagnostic(const std::string& file, SourcePos pos, const std::string& message) {
  std::string shown = readable_message(message);
  while (!shown.empty() && shown.back() == '\n') shown.pop_back();  // PostgreSQL's messages end with one
  if (pos.line == 0) return fmt::format("{}: error: {}", file, shown);
  return fmt::format("{}:{}:{}: error: {}", file, pos.line, pos.column, shown);
}

}  // namespace fw
