#pragma once
// Every error a user sees about a place in a file reads the same way,
// whichever layer found it: "FILE:LINE:COL: error: MESSAGE".
#include <string>

#include "base/error.hpp"

namespace fw {

std::string diagnostic(const std::string& file, SourcePos pos, const std::string& message);

}  // namespace fw
