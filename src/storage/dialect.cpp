#include "storage/dialect.hpp"

#include "storage/database.hpp"

#include <regex>

namespace fw::storage {

namespace {

// Applies `rewrite` to the SQL outside quotes and comments.
template <class Rewrite>
std::string outside_quotes(const std::string& sql, Rewrite rewrite) {
  std::string out, plain;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    size_t end = std::string::npos;
    if (c == '\'' || c == '"') {
      end = sql.find(c, i + 1);
      while (end != std::string::npos && end + 1 < sql.size() && sql[end + 1] == c) end = sql.find(c, end + 2);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
    } else {
      plain += c;
      continue;
    }
    if (end == std::string::npos) end = sql.size() - 1;
    out += rewrite(plain);
    plain.clear();
    out.append(sql, i, end - i + 1);
    i = end;
  }
  return out + rewrite(plain);
}

std::string rewrite_types(const std::string& text) {
  using std::regex;
  static const std::pair<regex, const char*> rules[] = {
      {regex(R"(\binteger\s+primary\s+key\s+autoincrement(\s+not\s+null)?)", regex::icase), "bigserial PRIMARY KEY"},
      {regex(R"(\s+autoincrement\b)", regex::icase), ""},
      {regex(R"(\bdatetime\b)", regex::icase), "timestamp"},
      {regex(R"(\bblob\b)", regex::icase), "bytea"},
      {regex(R"(\bdouble\b(?!\s+precision))", regex::icase), "double precision"},
      {regex(R"(\b(boolean\b[^,()]*?\bdefault\s+)1\b)", regex::icase), "$1TRUE"},
      {regex(R"(\b(boolean\b[^,()]*?\bdefault\s+)0\b)", regex::icase), "$1FALSE"},
  };
  std::string out = text;
  for (const auto& [pattern, replacement] : rules) out = std::regex_replace(out, pattern, replacement);
  return out;
}

}  // namespace

std::string postgres_type(const std::string& sqlite_type) {
  if (sqlite_type.rfind("varchar", 0) == 0) return "character varying" + sqlite_type.substr(7);
  return rewrite_types(sqlite_type);
}

std::string postgres_ddl(const std::string& sqlite_sql) { return outside_quotes(sqlite_sql, rewrite_types); }

std::string shown_address(const std::string& address) {
  if (!is_postgres_address(address)) return address;
  auto scheme = address.find("://");
  if (scheme == std::string::npos) {  // dbname='lab' password='x': the password goes
    static const std::regex password(R"(\s*password\s*=\s*('([^'\\]|\\.)*'|\S*))");
    return std::regex_replace(address, password, "");
  }
  static const std::regex in_query(R"(([?&])password=[^&]*&?)");  // ...?password=x&host=...
  std::string out = std::regex_replace(address, in_query, "$1");
  auto at = out.find('@');
  auto colon = out.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return out;
  return out.substr(0, colon) + out.substr(at);  // postgres://ann:secret@host -> postgres://ann@host
}



// `?` marks as $1, $2, ...; marks inside quotes, identifiers and comments stay.
std::string numbered_marks(const std::string& sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      size_t end = sql.find(c, i + 1);
      while (end != std::string::npos && end + 1 < sql.size() && sql[end + 1] == c) end = sql.find(c, end + 2);
      if (end == std::string::npos) end = sql.size() - 1;
      out.append(sql, i, end - i + 1);
      i = end;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      size_t end = sql.find('\n', i);
      if (end == std::string::npos) end = sql.size() - 1;
      out.append(sql, i, end - i + 1);
      i = end;
    } else if (c == '?') {
      out += '$';
      out += std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}
}  // namespace fw::storage
