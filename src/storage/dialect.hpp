#pragma once
// What PostgreSQL takes where SQLite's SQL differs, in one place: a
// migration's SQL written for SQLite (the form ActiveRecord's SQLite adapter
// and most labs' hand-written migrations have), and the column types a Ruby
// migration names, as ActiveRecord 6.1's PostgreSQL adapter writes them.
#include <string>

namespace fw::storage {

// A column type as SQLite has it ("varchar", "datetime(6)", "blob") as
// PostgreSQL's: "character varying", "timestamp(6)", "bytea".
std::string postgres_type(const std::string& sqlite_type);

// SQLite DDL as PostgreSQL takes it: INTEGER PRIMARY KEY AUTOINCREMENT is
// bigserial PRIMARY KEY (ActiveRecord's id), datetime is timestamp, blob is
// bytea, and a boolean's DEFAULT 1/0 is TRUE/FALSE. Text in quotes and
// comments is left as it is.
std::string postgres_ddl(const std::string& sqlite_sql);

// A database's address as it may be shown: a PostgreSQL address without its
// password (postgres://ann:secret@host/lab -> postgres://ann@host/lab); a
// file's path as it is.
std::string shown_address(const std::string& address);

// `?` marks as PostgreSQL's $1, $2, ...; marks inside quotes, identifiers and comments stay.
std::string numbered_marks(const std::string& sql);

}  // namespace fw::storage
