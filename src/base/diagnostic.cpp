#include "base/diagnostic.hpp"

#include <fmt/format.h>

namespace fw {

std::string diagnostic(const std::string& file, SourcePos pos, const std::string& message) {
  if (pos.line == 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, pos.line, pos.column, message);
}

}  // namespace fw
