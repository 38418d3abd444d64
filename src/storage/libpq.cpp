#include "storage/libpq.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <string>
#include <type_traits>
#include <utility>

#include "storage/database.hpp"
#include "storage/dialect.hpp"
#include "storage/driver.hpp"

namespace fw::storage {
namespace {

constexpr int kCantOpen = 14;  // SQLite's SQLITE_CANTOPEN, for what DbError's predicates ask

}  // namespace

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string first_line(const char* message) {
  std::string s = trimmed(message);
  return s.substr(0, s.find('\n'));
}

std::optional<std::string> as_text(const Bind& bind) {
  const Value& v = bind.value;
  if (is_null(v)) return std::nullopt;
  if (auto n = std::get_if<std::int64_t>(&v)) {
    if (*n < 0 && bind.name == "LIMIT") return std::nullopt;
    return std::to_string(*n);
  }
  if (auto b = std::get_if<bool>(&v)) return std::string(*b ? "t" : "f");
  if (auto d = std::get_if<double>(&v)) return fmt::format("{}", *d);
  return value_to_s(v);
}

std::vector<std::optional<std::string>> texts_of(const Query& query) {
  std::vector<std::optional<std::string>> texts;
  texts.reserve(query.binds.size());
  for (const auto& b : query.binds) texts.push_back(as_text(b));
  return texts;
}

std::vector<const char*> pointers(const std::vector<std::optional<std::string>>& texts) {
  std::vector<const char*> values;
  values.reserve(texts.size());
  for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);
  return values;
}

const LibPq& libpq() {
  static const LibPq pq = [] {
    void* lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib)
      throw DbError("cannot open a PostgreSQL database: PostgreSQL's client library libpq.so.5 is not installed "
                    "(apt-get install libpq5)",
                    kCantOpen, kCantOpen);
    LibPq out;
    auto find = [&](auto& slot, const char* name) {
      slot = reinterpret_cast<std::remove_reference_t<decltype(slot)>>(dlsym(lib, name));
      if (!slot) throw DbError(fmt::format("libpq.so.5 has no {}: too old a libpq", name), kCantOpen, kCantOpen);
    };
#define FW_PQ(name) find(out.name, #name);
    FW_LIBPQ_FUNCTIONS(FW_PQ)
#undef FW_PQ
#define FW_PQ(name) out.name = reinterpret_cast<decltype(out.name)>(dlsym(lib, #name));
    FW_LIBPQ_PIPELINE(FW_PQ)
#undef FW_PQ
    if (!out.PQexitPipelineMode || !out.PQpipelineSync || !out.PQsendQueryParams) out.PQenterPipelineMode = nullptr;
    return out;
  }();
  return pq;
}

std::vector<std::pair<std::string, std::string>> postgres_address_parts(const std::string& address) {
  const LibPq& pq = libpq();
  char* why = nullptr;
  PQconninfoOption* options = pq.PQconninfoParse(address.c_str(), &why);
  if (!options) {
    std::string message = trimmed(why);
    if (why) pq.PQfreemem(why);
    throw DbError(fmt::format("cannot read the PostgreSQL address {}: {}", shown_address(address), message), kCantOpen,
                  kCantOpen);
  }
  std::vector<std::pair<std::string, std::string>> parts;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (o->val) parts.emplace_back(o->keyword, o->val);
  pq.PQconninfoFree(options);
  return parts;
}

// A cell by its column's type: integers and floats as numbers, booleans as
// true/false, NUMERIC as an integer when it has no fraction (a SUM of
// bigints), everything else as PostgreSQL's text.
Value pg_cell(const PgRows& rows, int row, int column) {
  const LibPq& pq = libpq();
  if (pq.PQgetisnull(rows.result, row, column)) return std::monostate{};
  const char* text = pq.PQgetvalue(rows.result, row, column);
  switch (rows.types[static_cast<size_t>(column)]) {
    case 16: return text[0] == 't';                                   // bool
    case 20: case 21: case 23: case 26: return std::int64_t{std::atoll(text)};  // int8, int2, int4, oid
    case 700: case 701: return std::strtod(text, nullptr);           // float4, float8
    case 1700:                                                        // numeric
      if (!std::strpbrk(text, ".eEN")) return std::int64_t{std::atoll(text)};
      return std::strtod(text, nullptr);
    default: return std::string(text, static_cast<size_t>(pq.PQgetlength(rows.result, row, column)));
  }
}

}  // namespace fw::storage
