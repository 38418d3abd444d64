#pragma once
// The arithmetic and comparison operators of Integer and Float, told apart
// once, by the parser: what the interpreter's fast path for two numbers runs
// (methods/numeric.cpp) instead of a method call.
#include <string_view>

namespace fw::lang {

enum class Operator { None, Add, Subtract, Multiply, Divide, Modulo, Power, Less, Greater, LessEqual, GreaterEqual };

// "+" is Add, "<=" LessEqual; None for the operators without a fast path.
Operator operator_of(std::string_view op);

}  // namespace fw::lang
