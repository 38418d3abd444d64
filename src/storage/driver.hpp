#pragma once
// The storage layer's seam: what Database (transactions, listeners, the log)
// asks of the engine under it. Two drivers implement it: SQLite's
// (sqlite_driver.cpp, through SQLiteCpp and SQLite's C API) and
// PostgreSQL's (pg_driver.cpp, through libpq, loaded only when a PostgreSQL
// address is opened). Everything that differs between the two engines is
// behind it or in Dialect (database.hpp).
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage {

class Driver {
 public:
  virtual ~Driver() = default;

  // Runs one or more statements with no results and no bound values.
  virtual void exec_script(const std::string& sql) = 0;
  // Runs one statement: `ran` once it ran (before the first row is read, and
  // also when there is none) with the SQL as the engine ran it, then
  // `each_row` for each row.
  virtual void each(const Query& query, const std::function<void(const Row&)>& each_row,
                    const std::function<void(const std::string&)>& ran) = 0;
  // Asks the queries now, at once, and keeps their rows for each() to hand
  // the same queries, asked next in the same order; anything else asked
  // first forgets them. Only engines a round trip away do (PostgreSQL's
  // pipeline); the others ask each query when it comes.
  virtual bool reads_ahead() const { return false; }
  // `insert`, when given, is sent in the last query's place: the last is
  // then a statement's INSERT (Database::writes_ahead), and `insert` the
  // same INSERT made to write only where its lookups agree; each() hands
  // its result to that last query.
  virtual void read_ahead(const std::vector<Query>& queries, const Query* insert) { (void)queries, (void)insert; }
  // A statement with no binds and no rows: BEGIN, SAVEPOINT fw_1, ...
  virtual void control(const std::string& sql) = 0;
  // Rows changed by the last statement; by every statement since the connection opened.
  virtual int changes() = 0;
  virtual std::int64_t total_changes() = 0;
  virtual std::int64_t last_insert_id() = 0;
  // No transaction is open on the connection (the engine rolled it back, or none was begun).
  virtual bool autocommit() = 0;
  virtual void stop_when(const std::atomic<int>* flag) = 0;
  virtual std::size_t cached_statements() const = 0;

  virtual bool table_exists(const std::string& table) = 0;
  virtual std::vector<ColumnInfo> columns(const std::string& table) = 0;
  virtual std::vector<std::string> tables() = 0;
  virtual std::vector<IndexInfo> indexes(const std::string& table) = 0;
  virtual std::vector<ForeignKeyInfo> foreign_keys(const std::string& table) = 0;

  // Where the rows each write changes go (Database::begin_capture), or null.
  // Only PostgreSQL's driver captures: SQLite's session extension records.
  virtual void capture_into(std::vector<RowChange>* journal) { (void)journal; }

  // Database::check_still_same's look; `in_transaction`: one is open (whose
  // snapshot hides another program's schema changes).
  virtual Change still_same(bool in_transaction) = 0;
  // The connection is gone, and why (one line).
  virtual bool lost() const { return false; }
  virtual std::string lost_reason() const { return ""; }

  // SQLite's connection, for changeset.cpp; null on another engine.
  virtual ::sqlite3* sqlite_handle() const { return nullptr; }
};

// A cell of a PostgreSQL result, as Row::operator[] reads it (pg_driver.cpp).
Value pg_cell(const PgRows& rows, int row, int column);

std::unique_ptr<Driver> open_sqlite(const std::string& path, const Database::Options& options);
std::unique_ptr<Driver> open_postgres(const std::string& address, const Database::Options& options);

// A PostgreSQL address (postgres://... or key=value) as libpq reads it: each
// keyword it gives (dbname, host, user, password, ...) with its value.
std::vector<std::pair<std::string, std::string>> postgres_address_parts(const std::string& address);

}  // namespace fw::storage
