#pragma once
// Every error a user sees about a place in a file is formatted here:
// "FILE:LINE:COL: error: MESSAGE", then the line with a caret under the place.
#include <string>
#include <string_view>

#include "base/error.hpp"

namespace fw::lang {

std::string diagnostic(const std::string& file, SourcePos pos, const std::string& message);
// The source line and a caret under column `pos.column` (two lines, each ending in '\n').
std::string caret_lines(std::string_view line, SourcePos pos);

}  // namespace fw::lang
