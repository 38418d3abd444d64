#pragma once
// irb's colours for a result on a terminal.
#include <string>
#include <string_view>

namespace fw::console {

// An inspect string coloured as irb (Ruby 3.1's IRB::Color) colours it:
// numbers blue and bold, strings red, nil/true/false cyan and bold, symbols
// yellow, constants (class names) blue, bold and underlined.
std::string highlight(std::string_view inspected);

// "FILE:LINE:COL: error: ..." with "error:" red and bold.
std::string highlight_error(std::string_view diagnostic);

}  // namespace fw::console
