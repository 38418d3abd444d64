#include "lang/diagnostic.hpp"

#include <fmt/format.h>

namespace fw::lang {

std::string caret_lines(std::string_view line, SourcePos pos) {
  std::string shown, marker;
  int column = 1;
  for (size_t i = 0; i < line.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(line[i]);
    shown += c == '\t' ? ' ' : static_cast<char>(c);
    if ((c & 0xC0) == 0x80) continue;
    if (column < pos.column) marker += ' ';
    ++column;
  }
  return "    " + shown + "\n    " + marker + "^\n";
}

}  // namespace fw::lang
