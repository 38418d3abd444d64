#pragma once
// A syntax error's place shown under its line. The "FILE:LINE:COL: error:"
// line itself is base/diagnostic.hpp's, shared with the model loader.
#include <string>
#include <string_view>

#include "base/diagnostic.hpp"

namespace fw::lang {

using fw::diagnostic;
// How many characters of a long line the caret display shows.
constexpr size_t kCaretWindow = 100;
// The source line and a caret under column `pos.column` (two lines, each
// ending in '\n'). A line longer than kCaretWindow shows as a window around
// the caret, with "..." where it was cut.
std::string caret_lines(std::string_view line, SourcePos pos);

}  // namespace fw::lang
