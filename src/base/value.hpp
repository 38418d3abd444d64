#pragma once
// A database value: what a column holds and what a statement binds.
#include <cstdint>
#include <string>
#include <variant>

namespace fw {

using Value = std::variant<std::monostate, bool, std::int64_t, double, std::string>;

inline bool is_null(const Value& v) { return std::holds_alternative<std::monostate>(v); }

// Ruby's inspect-like rendering: nil, true, 12, 1.5, "text" (quoted, escaped).
std::string inspect_value(const Value& v);
// Ruby's to_s: "" for nil, text unquoted.
std::string value_to_s(const Value& v);
// Ruby's ==: 1 == 1.0 is true, nil == nil is true.
bool values_equal(const Value& a, const Value& b);

}  // namespace fw
