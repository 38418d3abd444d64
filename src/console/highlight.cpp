#include "console/highlight.hpp"

#include <cctype>

namespace fw::console {

namespace {

const char* const kReset = "\033[0m";
const char* const kNumber = "\033[1;34m";
const char* const kString = "\033[31m";
const char* const kKeyword = "\033[1;36m";
const char* const kSymbol = "\033[33m";
const char* const kConstant = "\033[1;4;34m";

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

// Where the token that starts at `i` ends.
size_t string_end(std::string_view t, size_t i) {
  size_t j = i + 1;
  while (j < t.size() && t[j] != '"') j += t[j] == '\\' ? 2 : 1;
  return std::min(j + 1, t.size());
}

size_t number_end(std::string_view t, size_t i) {
  size_t j = i + (t[i] == '-' ? 1 : 0);
  while (j < t.size() && (digit(t[j]) || t[j] == '_' || (t[j] == '.' && j + 1 < t.size() && digit(t[j + 1])) ||
                          ((t[j] == 'e' || t[j] == 'E') && j + 1 < t.size() && (digit(t[j + 1]) || t[j + 1] == '-'))))
    j += (t[j] == 'e' || t[j] == 'E') && t[j + 1] == '-' ? 2 : 1;
  return j;
}

size_t word_end(std::string_view t, size_t i) {
  size_t j = i;
  while (j < t.size() && word_char(t[j])) ++j;
  return j;
}

}  // namespace

std::string highlight(std::string_view t) {
  std::string out;
  out.reserve(t.size() + t.size() / 4);
  auto paint = [&](const char* color, size_t from, size_t to) {
    out.append(color).append(t.substr(from, to - from)).append(kReset);
  };
  for (size_t i = 0; i < t.size();) {
    char c = t[i];
    bool at_word = i == 0 || !word_char(t[i - 1]);
    if (c == '"') {
      size_t end = string_end(t, i);
      paint(kString, i, end);
      i = end;
    } else if (at_word && (digit(c) || (c == '-' && i + 1 < t.size() && digit(t[i + 1])))) {
      size_t end = number_end(t, i);
      paint(kNumber, i, end);
      i = end;
    } else if (c == ':' && i + 1 < t.size() && (std::isalpha(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '_') &&
               (i == 0 || (t[i - 1] != ':' && !word_char(t[i - 1])))) {
      size_t end = word_end(t, i + 1);
      if (end < t.size() && (t[end] == '?' || t[end] == '!')) ++end;
      paint(kSymbol, i, end);
      i = end;
    } else if (at_word && std::isupper(static_cast<unsigned char>(c))) {
      size_t end = word_end(t, i);
      while (end + 2 < t.size() && t[end] == ':' && t[end + 1] == ':' && std::isupper(static_cast<unsigned char>(t[end + 2])))
        end = word_end(t, end + 2);
      paint(kConstant, i, end);
      i = end;
    } else if (at_word && word_char(c)) {
      size_t end = word_end(t, i);
      auto word = t.substr(i, end - i);
      if (word == "nil" || word == "true" || word == "false")
        paint(kKeyword, i, end);
      else
        out.append(word);
      i = end;
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string highlight_error(std::string_view diagnostic) {
  auto at = diagnostic.find(" error: ");
  if (at == std::string_view::npos) return std::string(diagnostic);
  return std::string(diagnostic.substr(0, at + 1)) + "\033[1;31merror:\033[0m" + std::string(diagnostic.substr(at + 7));
}

}  // namespace fw::console
