#include "base/text.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fmt/format.h>

namespace fw {

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::string quote_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case '\033': out += "\\e"; break;
      default:
        if (c < 0x20 || c == 0x7f) out += fmt::format("\\x{:02X}", c);
        else out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string format_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == std::floor(d) && std::fabs(d) < 1e16) return fmt::format("{:.1f}", d);
  std::string s = fmt::format("{}", d);  // shortest round-trip form
  return s;
}

std::optional<std::int64_t> parse_int(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string text(s);
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (errno == ERANGE || end != text.c_str() + text.size()) return std::nullopt;
  return static_cast<std::int64_t>(v);
}

std::optional<double> parse_float(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::string text(s);
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return v;
}

namespace {
// Levenshtein distance with swaps of neighbours counting one (cuont -> count),
// as a typist's slips are counted; letters compared without case.
size_t edit_distance(std::string_view a, std::string_view b) {
  auto same = [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); };
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = same(a[i - 1], b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) && same(a[i - 2], b[j - 1]))
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}
}  // namespace

std::string ecmascript_pattern(std::string_view s, bool* line_anchors) {
  std::string out;
  bool in_class = false;  // inside [...], where ^ (past the first) and $ are characters
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      if (n == 'A') out += "^";
      else if (n == 'z' || n == 'Z') out += "$";
      else if (n == 'h') out += "[0-9a-fA-F]";
      else out += std::string("\\") + n;
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == ']' && in_class && s[i - 1] != '[') in_class = false;
    else if (line_anchors && !in_class && (c == '^' || c == '$')) *line_anchors = true;
    out += c;
  }
  return out;
}

std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
  if (word.size() > 64) return std::nullopt;  // no name is that long; and the distance table grows with it
  // Like Ruby's did_you_mean: allow about a third of the word to differ.
  size_t threshold = std::max<size_t>(1, (word.size() + 2) / 3);
  std::optional<std::string> best;
  size_t best_distance = threshold + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    bool prefix = word.size() >= 3 && c.rfind(std::string(word), 0) == 0;
    if (prefix) d = std::min(d, threshold);
    if (d < best_distance) best = c, best_distance = d;
  }
  return best;
}

std::vector<std::string> close_matches(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = did_you_mean(word, candidates);
  if (!best) return {};
  size_t threshold = std::max<size_t>(1, (word.size() + 2) / 3);
  auto distance = [&](const std::string& c) {
    size_t d = edit_distance(word, c);
    if (word.size() >= 3 && c.rfind(std::string(word), 0) == 0) d = std::min(d, threshold);
    return d;
  };
  size_t least = distance(*best);
  std::vector<std::string> out{*best};
  for (const auto& c : candidates)
    if (out.size() < 3 && distance(c) == least && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  return out;
}

std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates) {
  auto best = did_you_mean(word, candidates);
  return best ? " Did you mean? " + *best : "";
}

}  // namespace fw
