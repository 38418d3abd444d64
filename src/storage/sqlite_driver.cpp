// SQLite's driver: one connection through SQLiteCpp and SQLite's C API, a
// cache of prepared statements, and the schema read from SQLite's pragmas.
#include "storage/driver.hpp"
#include "storage/sqlite_memory.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <sys/stat.h>

#include <cerrno>
#include <filesystem>
#include <list>
#include <unordered_map>
#include <utility>
#include <fmt/format.h>

namespace fw::storage {

namespace {

// A prepared statement, through SQLite's C API: a row's cells are read
// straight from it (SQLiteCpp's Column copies a shared pointer a cell, and
// its getters check what SQLite checks again). Errors are thrown as
// SQLiteCpp throws them, so rethrow() reads both the same.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &handle_, nullptr);
    if (rc != SQLITE_OK) throw SQLite::Exception(db, rc);
  }
  ~Statement() { sqlite3_finalize(handle_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // True on a row, false when done. Text of only spaces or a comment
  // prepares to no statement, and has no rows.
  bool step() {
    if (!handle_) return false;
    int rc = sqlite3_step(handle_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw SQLite::Exception(db_, rc);
  }
  void reset() {
    sqlite3_reset(handle_);
    sqlite3_clear_bindings(handle_);
  }
  // Text is bound without a copy: the query it comes from outlives the run,
  // which resets the statement (clearing its bindings) before it returns.
  void bind(int i, const Value& value) {
    if (!handle_) return;
    int rc = SQLITE_OK;
    if (auto n = std::get_if<std::int64_t>(&value)) rc = sqlite3_bind_int64(handle_, i, *n);
    else if (auto b = std::get_if<bool>(&value)) rc = sqlite3_bind_int64(handle_, i, *b ? 1 : 0);
    else if (auto d = std::get_if<double>(&value)) rc = sqlite3_bind_double(handle_, i, *d);
    else if (auto t = std::get_if<std::string>(&value))
      rc = sqlite3_bind_text64(handle_, i, t->data(), t->size(), SQLITE_STATIC, SQLITE_UTF8);
    else rc = sqlite3_bind_null(handle_, i);
    if (rc != SQLITE_OK) throw SQLite::Exception(db_, rc);
  }
  sqlite3_stmt* handle() const { return handle_; }

  // The columns' names, read from SQLite once: comparing them with a
  // model's is how a loaded row finds its columns. Read again if SQLite has
  // prepared the statement again since (for a changed schema).
  const std::vector<std::string>& column_names() {
    int prepared = handle_ ? sqlite3_stmt_status(handle_, SQLITE_STMTSTATUS_REPREPARE, 0) : 0;
    if (names_read_ && prepared == names_prepared_) return names_;
    names_.clear();
    for (int i = 0, count = handle_ ? sqlite3_column_count(handle_) : 0; i < count; ++i) {
      const char* name = sqlite3_column_name(handle_, i);
      names_.push_back(name ? name : "");
    }
    names_read_ = true;
    names_prepared_ = prepared;
    return names_;
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* handle_ = nullptr;
  std::vector<std::string> names_;
  bool names_read_ = false;
  int names_prepared_ = 0;
};

struct CachedStatement {
  std::string sql;
  Statement statement;
  bool in_use = false;
  CachedStatement(sqlite3* db, const std::string& text) : sql(text), statement(db, text) {}
};

// Marks a cached statement busy while it runs, so a query run from inside
// another's row callback gets a statement of its own.
class Lease {
 public:
  Lease(CachedStatement* cached, std::unique_ptr<Statement> own)
      : cached_(cached), own_(std::move(own)) {
    if (cached_) cached_->in_use = true;
  }
  ~Lease() {
    if (cached_) {
      cached_->statement.reset();
      cached_->in_use = false;
    }
  }
  Statement& operator*() { return cached_ ? cached_->statement : *own_; }

 private:
  CachedStatement* cached_;
  std::unique_ptr<Statement> own_;
};

std::string describe(int code) {
  switch (code & 0xff) {
    case SQLITE_NOTADB: return "file is not a database";
    case SQLITE_BUSY:
      if (code == SQLITE_BUSY_SNAPSHOT)  // no wait cures it: the statement's reads are out of date
        return "database is locked: another program wrote to it while this statement ran, after the statement had "
               "read; nothing was changed, so run it again";
      return "database is locked by another program (a server or rake writing, or a console inside begin) past the "
             "busy timeout; nothing was changed, so try again";
    case SQLITE_CANTOPEN: return "unable to open database file";
    case SQLITE_FULL: return "database or disk is full (the disk has no room left, or the file reached its size limit)";
    case SQLITE_IOERR:
      return "disk I/O error (the database file could not be written or read: a full disk, a file size limit, or a "
             "device gone)";
    default: return sqlite3_errstr(code);
  }
}


extern "C" int stop_if_flagged(void* flag) {
  return static_cast<const std::atomic<int>*>(flag)->load(std::memory_order_relaxed) != 0;
}

class SqliteDriver final : public Driver {
 public:
  SqliteDriver(const std::string& path, const Database::Options& options);

  void exec_script(const std::string& sql) override;
  void each(const Query& query, const std::function<void(const Row&)>& each_row,
            const std::function<void(const std::string&)>& ran) override;
  void control(const std::string& sql) override;
  int changes() override { return db_->getChanges(); }
  std::int64_t total_changes() override { return sqlite3_total_changes64(db_->getHandle()); }
  std::int64_t last_insert_id() override { return db_->getLastInsertRowid(); }
  bool autocommit() override { return sqlite3_get_autocommit(db_->getHandle()) != 0; }
  void stop_when(const std::atomic<int>* flag) override;
  std::size_t cached_statements() const override { return lru_.size(); }

  bool table_exists(const std::string& table) override;
  std::vector<ColumnInfo> columns(const std::string& table) override;
  std::vector<std::string> tables() override;
  std::vector<IndexInfo> indexes(const std::string& table) override;
  std::vector<ForeignKeyInfo> foreign_keys(const std::string& table) override;

  ::sqlite3* sqlite_handle() const override { return db_->getHandle(); }

  Change still_same(bool in_transaction) override;

 private:
  std::int64_t schema_version();
  void keep_wal();
  CachedStatement& prepare(const std::string& sql);
  void each_schema(const std::string& sql, const std::string& name, const std::function<void(const Row&)>& each_row) {
    each({"SCHEMA", sql, {{"name", name}}}, each_row, [](const std::string&) {});
  }
  [[noreturn]] void rethrow(const std::exception& e);

  std::unique_ptr<SQLite::Database> db_;
  // The file opened, to see whether its path still names it (still_same):
  // its absolute path, device and inode, remembered at open; and the schema
  // version the tables were last read at.
  std::string path_, file_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  bool gone_ = false;  // the path names no file: writes are refused
  std::int64_t schema_version_ = 0;
  // The cache: most recently used first; the map's keys view the statements' own text.
  std::list<std::unique_ptr<CachedStatement>> lru_;
  std::unordered_map<std::string_view, std::list<std::unique_ptr<CachedStatement>>::iterator> cache_;
};

SqliteDriver::SqliteDriver(const std::string& path, const Database::Options& options) {
  try {
    // One thread uses a connection, and nothing reads SQLite's memory
    // statistics: without their mutexes a statement costs less.
    static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)configured;
    sqlite_memory::install();
    int flags = SQLite::OPEN_READWRITE | (options.create ? SQLite::OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    db_ = std::make_unique<SQLite::Database>(path, flags, options.busy_timeout_ms);
    // Touching the file here makes a non-database or a locked one fail now,
    // with a clear error, rather than at the first statement.
    if (path != ":memory:") db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA foreign_keys = ON");
    db_->exec("PRAGMA synchronous = NORMAL");
    // Savepoints (one a statement, one a save) keep their sub-journal in
    // memory: it only serves rolling back to a savepoint, never crash
    // recovery, which the WAL gives. On disk it cost a write a page a save.
    db_->exec("PRAGMA temp_store = MEMORY");
    // A script is one transaction: with SQLite's default 2 MB page cache, a
    // long one spills pages to the WAL again and again before its commit.
    db_->exec("PRAGMA cache_size = -16384");
    struct stat opened {};
    if (path != ":memory:" && !path.empty() && ::stat(path.c_str(), &opened) == 0) {
      path_ = path;
      file_ = std::filesystem::absolute(path).string();
      device_ = opened.st_dev;
      inode_ = opened.st_ino;
    }
    schema_version_ = schema_version();
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode();
    throw DbError(fmt::format("cannot open database {}: {}", path, describe(code)), code & 0xff,
                  e.getExtendedErrorCode());
  }
}

// The WAL and shared-memory files are removed by their names when the last
// connection closes: once the path names another file (or none), closing
// must not remove the new file's.
void SqliteDriver::keep_wal() {
  int keep = 1;
  sqlite3_file_control(db_->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
}

std::int64_t SqliteDriver::schema_version() {
  Value version;
  each({"SCHEMA", "PRAGMA schema_version", {}}, [&](const Row& row) { version = row[0]; }, [](const std::string&) {});
  auto n = std::get_if<std::int64_t>(&version);
  return n ? *n : 0;
}

Change SqliteDriver::still_same(bool in_transaction) {
  if (file_.empty()) return Change::None;  // in memory
  struct stat now {};
  if (::stat(file_.c_str(), &now) != 0) {
    if ((errno != ENOENT && errno != ENOTDIR) || gone_) return Change::None;
    gone_ = true;
    keep_wal();
    try {
      db_->exec("PRAGMA query_only = 1");  // writes fail (rethrow says why) until reopen
    } catch (const SQLite::Exception&) {
    }
    return Change::Deleted;
  }
  if (gone_ || now.st_dev != device_ || now.st_ino != inode_) {
    keep_wal();
    return Change::Replaced;
  }
  if (in_transaction) return Change::None;
  try {
    auto version = schema_version();
    if (version == schema_version_) return Change::None;
    schema_version_ = version;
    return Change::Schema;
  } catch (const std::exception&) {
    return Change::None;  // busy: the next statement looks again
  }
}

void SqliteDriver::stop_when(const std::atomic<int>* flag) {
  // Every 10,000 virtual machine instructions: well under a millisecond, and
  // nothing measurable on the short queries of the hot path.
  constexpr int kInstructions = 10000;
  if (flag) sqlite3_progress_handler(db_->getHandle(), kInstructions, stop_if_flagged, const_cast<std::atomic<int>*>(flag));
  else sqlite3_progress_handler(db_->getHandle(), 0, nullptr, nullptr);
}

void SqliteDriver::rethrow(const std::exception& e) {
  if (auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    int code = se->getErrorCode() & 0xff;
    if (gone_ && code == SQLITE_READONLY)
      throw DbError(fmt::format("{} was deleted since this console opened it: writes are refused until it exists again "
                                "(fwitter db setup, or rake db:setup, makes it)",
                                path_),
                    code, se->getExtendedErrorCode());
    bool worded = code == SQLITE_BUSY || code == SQLITE_FULL || code == SQLITE_IOERR;
    throw DbError(worded ? describe(se->getExtendedErrorCode()) : se->what(), code, se->getExtendedErrorCode());
  }
  throw DbError(e.what(), SQLITE_ERROR, SQLITE_ERROR);
}

void SqliteDriver::exec_script(const std::string& sql) {
  try {
    db_->exec(sql);
  } catch (const SQLite::Exception& e) {
    rethrow(e);
  }
}

CachedStatement& SqliteDriver::prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return *lru_.front();
  }
  lru_.push_front(std::make_unique<CachedStatement>(db_->getHandle(), sql));
  cache_.emplace(lru_.front()->sql, lru_.begin());
  // Past the size, the least recently used go, but never one still running.
  for (auto it = std::prev(lru_.end()); lru_.size() > Database::kStatementCacheSize && it != lru_.begin();) {
    auto victim = it--;
    if ((*victim)->in_use) continue;
    cache_.erase((*victim)->sql);
    lru_.erase(victim);
  }
  return *lru_.front();
}

void SqliteDriver::control(const std::string& sql) {
  try {
    CachedStatement& cached = prepare(sql);
    if (cached.in_use) {
      db_->exec(sql);
      return;
    }
    Lease lease(&cached, nullptr);  // resets it however the step ends
    (*lease).step();
  } catch (const SQLite::Exception& e) {
    rethrow(e);
  }
}

void SqliteDriver::each(const Query& query, const std::function<void(const Row&)>& each_row,
                        const std::function<void(const std::string&)>& ran) {
  try {
    CachedStatement& cached = prepare(query.sql);
    Lease lease = cached.in_use ? Lease(nullptr, std::make_unique<Statement>(db_->getHandle(), query.sql))
                                : Lease(&cached, nullptr);
    Statement& st = *lease;
    int index = 1;
    for (const auto& bind : query.binds) st.bind(index++, bind.value);
    bool told = false;
    if (st.step()) {
      const auto& names = st.column_names();  // after the first step: a schema change re-prepares in it
      do {
        if (!told) told = true, ran(query.sql);  // the log line precedes the rows, as Rails prints it before the result
        each_row(Row(st.handle(), names));
      } while (st.step());
    }
    if (!told) ran(query.sql);
  } catch (const SQLite::Exception& e) {
    rethrow(e);
  }
}

std::vector<IndexInfo> SqliteDriver::indexes(const std::string& table) {
  std::vector<IndexInfo> out;
  each_schema("SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", table, [&](const Row& row) {
    out.push_back({value_to_s(row[0]), {}, row[1] == Value(std::int64_t{1}), value_to_s(row[2])});
  });
  for (auto& index : out)
    each_schema("SELECT name FROM pragma_index_info(?) ORDER BY seqno", index.name,
                [&](const Row& row) { index.columns.push_back(value_to_s(row[0])); });
  return out;
}

std::vector<ForeignKeyInfo> SqliteDriver::foreign_keys(const std::string& table) {
  std::vector<ForeignKeyInfo> out;
  each_schema("SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq", table,
              [&](const Row& row) {
                out.push_back({value_to_s(row[0]), value_to_s(row[1]), is_null(row[2]) ? "" : value_to_s(row[2]),
                               value_to_s(row[3])});
              });
  return out;
}

bool SqliteDriver::table_exists(const std::string& table) {
  bool found = false;
  each_schema("SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", table, [&](const Row&) { found = true; });
  return found;
}

std::vector<ColumnInfo> SqliteDriver::columns(const std::string& table) {
  if (!gone_) schema_version_ = schema_version();  // the schema as the caller read it
  std::vector<ColumnInfo> out;
  each_schema("SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid", table,
              [&](const Row& row) {
                ColumnInfo c;
                c.name = value_to_s(row[0]);
                c.declared_type = value_to_s(row[1]);
                c.not_null = row[2] == Value(std::int64_t{1});
                c.default_value = row[3];
                c.primary_key = row[4] != Value(std::int64_t{0});
                out.push_back(std::move(c));
              });
  return out;
}

std::vector<std::string> SqliteDriver::tables() {
  if (!gone_) schema_version_ = schema_version();
  std::vector<std::string> out;
  each({"SCHEMA", "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", {}},
       [&](const Row& row) { out.push_back(value_to_s(row[0])); }, [](const std::string&) {});
  return out;
}

}  // namespace

std::unique_ptr<Driver> open_sqlite(const std::string& path, const Database::Options& options) {
  return std::make_unique<SqliteDriver>(path, options);
}

// The cell as one sqlite3_value: each sqlite3_column_* call would look the
// column up again (and take the connection's mutex, a no-op here).
Value Row::operator[](int column) const {
  if (kept_) return kept_[column];
  if (pg_) return pg_cell(*pg_, row_, column);
  sqlite3_value* cell = sqlite3_column_value(statement_, column);
  switch (sqlite3_value_type(cell)) {
    case SQLITE_INTEGER: return std::int64_t{sqlite3_value_int64(cell)};
    case SQLITE_FLOAT: return sqlite3_value_double(cell);
    case SQLITE_NULL: return std::monostate{};
    default: {  // text or blob, read as bytes (as SQLiteCpp's getString: a NUL inside is kept)
      const auto* bytes = static_cast<const char*>(sqlite3_value_blob(cell));
      return bytes ? std::string(bytes, static_cast<std::size_t>(sqlite3_value_bytes(cell))) : std::string();
    }
  }
}

bool DbError::is_unavailable() const {
  switch (code_) {
    case SQLITE_NOTADB:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_CORRUPT:
      return true;
    default:
      return false;
  }
}

bool DbError::is_constraint() const { return code_ == SQLITE_CONSTRAINT; }

bool DbError::is_interrupted() const { return code_ == SQLITE_INTERRUPT; }

bool DbError::is_locked() const { return code_ == SQLITE_BUSY || code_ == SQLITE_LOCKED; }

}  // namespace fw::storage
