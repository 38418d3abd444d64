#pragma once
// A database value as the view's JSON holds it: null, true/false, a number,
// or text. Pages put it in the page as text, never as markup (assets.cpp).
#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "base/value.hpp"

namespace fw::web {

inline nlohmann::json value_json(const Value& v) {
  if (is_null(v)) return nullptr;
  if (auto b = std::get_if<bool>(&v)) return *b;
  if (auto i = std::get_if<std::int64_t>(&v)) return *i;
  if (auto d = std::get_if<double>(&v)) return *d;
  // Invalid UTF-8 from a database must not stop the page: dump() replaces it.
  return std::get<std::string>(v);
}

// Text for the JSON a page gets: invalid UTF-8 replaced, not thrown on.
inline std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace fw::web
