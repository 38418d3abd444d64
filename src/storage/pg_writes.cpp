#include "storage/pg_writes.hpp"

#include <cctype>
#include <cstring>

namespace fw::storage {
namespace {

bool starts_with_word(const std::string& sql, std::size_t at, const char* word) {
  std::size_t n = std::strlen(word);
  if (sql.size() < at + n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::toupper(static_cast<unsigned char>(sql[at + i])) != word[i]) return false;
  return true;
}

}  // namespace

std::optional<Write> write_of(const std::string& sql) {
  std::size_t at = sql.find_first_not_of(" \n\t");
  if (at == std::string::npos) return std::nullopt;
  Write w;
  if (starts_with_word(sql, at, "INSERT INTO ")) w.op = RowChange::Op::Insert, at += 12;
  else if (starts_with_word(sql, at, "UPDATE ")) w.op = RowChange::Op::Update, at += 7;
  else if (starts_with_word(sql, at, "DELETE FROM ")) w.op = RowChange::Op::Delete, at += 12;
  else return std::nullopt;
  if (at < sql.size() && sql[at] == '"') {
    for (++at; at < sql.size(); ++at) {
      if (sql[at] == '"' && at + 1 < sql.size() && sql[at + 1] == '"') w.table += '"', ++at;
      else if (sql[at] == '"') break;
      else w.table += sql[at];
    }
    ++at;  // past the closing quote
  } else {
    while (at < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[at])) || sql[at] == '_')) w.table += sql[at++];
  }
  if (w.table.empty()) return std::nullopt;
  // The top level's WHERE and RETURNING: outside quotes and parentheses.
  int depth = 0;
  std::size_t where = std::string::npos, returning = std::string::npos, marks = 0;
  for (std::size_t i = at; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      std::size_t end = sql.find(c, i + 1);
      i = end == std::string::npos ? sql.size() : end;
    } else if (c == '(') ++depth;
    else if (c == ')') --depth;
    else if (c == '?' && where == std::string::npos) ++marks;
    else if (depth == 0 && c == ' ' && where == std::string::npos && starts_with_word(sql, i, " WHERE ")) where = i;
    else if (depth == 0 && c == ' ' && starts_with_word(sql, i, " RETURNING ")) returning = i;
  }
  w.base = sql.substr(0, returning);
  if (returning != std::string::npos) {
    w.returning = sql.substr(returning + 11);
    if (w.returning.size() >= 2 && w.returning.front() == '"') w.returning = w.returning.substr(1, w.returning.size() - 2);
  }
  if (w.op == RowChange::Op::Update) {
    if (where != std::string::npos) w.where = w.base.substr(where);
    w.set_marks = marks;
  }
  return w;
}

}  // namespace fw::storage
