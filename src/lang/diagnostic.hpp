#pragma once
// A syntax error's place shown under its line. The "FILE:LINE:COL: error:"
// line itself is base/diagnostic.hpp's, shared with the model loader.
#include <string>
#include <string_view>

#include "base/diagnostic.hpp"

namespace fw::lang {

using fw::diagnostic;
// The source line and a caret under column `pos.column` (two lines, each ending in '\n').
std::string caret_lines(std::string_view line, SourcePos pos);

}  // namespace fw::lang
