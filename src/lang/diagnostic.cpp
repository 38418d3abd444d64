#include "lang/diagnostic.hpp"

#include <algorithm>
#include <vector>

namespace fw::lang {

namespace {

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// A character as the caret line shows it: a tab as a space, a control
// character (a NUL, an escape) as '?', so one character takes one column.
std::string shown_char(std::string_view line, size_t at, size_t end) {
  unsigned char c = static_cast<unsigned char>(line[at]);
  if (c == '\t') return " ";
  if (c < 0x20 || c == 0x7f) return "?";
  if (c >= 0x80) {  // shown only when it is whole, valid UTF-8
    size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (c >= 0xF8 || length != end - at) return "?";
  }
  return std::string(line.substr(at, end - at));
}

}  // namespace

std::string caret_lines(std::string_view line, SourcePos pos) {
  // The line's characters (UTF-8 sequences), as byte offsets where each starts.
  std::vector<size_t> starts;
  for (size_t i = 0; i < line.size(); ++i)
    if (!continuation(static_cast<unsigned char>(line[i]))) starts.push_back(i);
  starts.push_back(line.size());
  size_t count = starts.size() - 1;
  size_t caret = pos.column > 0 ? static_cast<size_t>(pos.column - 1) : 0;
  if (caret > count) caret = count;
  // A window of kCaretWindow characters around the caret, a third of it before.
  size_t first = 0, last = count;
  if (count > kCaretWindow) {
    first = caret > kCaretWindow / 3 ? caret - kCaretWindow / 3 : 0;
    last = std::min(count, first + kCaretWindow);
    if (last - first < kCaretWindow) first = last > kCaretWindow ? last - kCaretWindow : 0;
  }
  std::string shown = first > 0 ? "..." : "", marker(first > 0 ? 3 : 0, ' ');
  for (size_t k = first; k < last; ++k) {
    shown += shown_char(line, starts[k], starts[k + 1]);
    if (k < caret) marker += ' ';
  }
  if (last < count) shown += "...";
  return "    " + shown + "\n    " + marker + "^\n";
}

}  // namespace fw::lang
