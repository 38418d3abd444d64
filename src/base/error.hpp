#pragma once
// The one exception family of the project. Each layer derives its own kinds;
// the command line maps them to exit codes.
#include <stdexcept>
#include <string>

namespace fw {

// Where in a source (a script, models.fw, a -e statement) something is.
struct SourcePos {
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace fw
