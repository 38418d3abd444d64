#pragma once
// The parser's guard on the nesting of its rules, shared by the parser_*.cpp files.
#include <functional>

#include "lang/parser.hpp"

namespace fw::lang {

// Counts the nesting of rules, so no input can exhaust the stack.
class DepthGuard {
 public:
  DepthGuard(int& depth, const std::function<void()>& too_deep) : depth_(depth) {
    if (++depth_ > Parser::kMaxDepth) too_deep();
  }
  ~DepthGuard() { --depth_; }

 private:
  int& depth_;
};

}  // namespace fw::lang
