#pragma once
// A write's parts, read from its text, for PostgreSQL's driver to capture
// the rows it changes (undo's journal): pg_driver.cpp's capture().
#include <cstddef>
#include <optional>
#include <string>

#include "storage/database.hpp"

namespace fw::storage {

// Where a write's parts are, for capturing the rows it changes: its table,
// its top-level WHERE and RETURNING, and how many marks its SET holds.
struct Write {
  RowChange::Op op;
  std::string table;
  std::string base;                        // the statement without its RETURNING
  std::string where;                       // " WHERE ..." (an UPDATE's), or ""
  std::size_t set_marks = 0;               // an UPDATE's binds before its WHERE's
  std::string returning;                   // the column RETURNING names, or ""
};

// The parts of an INSERT, UPDATE or DELETE; nullopt for anything else.
std::optional<Write> write_of(const std::string& sql);

}  // namespace fw::storage
