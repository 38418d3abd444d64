#include "storage/database.hpp"
#include "storage/sqlite_memory.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <utility>
#include <fmt/format.h>

namespace fw::storage {

// A prepared statement, through SQLite's C API: a row's cells are read
// straight from it (SQLiteCpp's Column copies a shared pointer a cell, and
// its getters check what SQLite checks again). Errors are thrown as
// SQLiteCpp throws them, so rethrow() reads both the same.
class Database::Statement {
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

struct Database::CachedStatement {
  std::string sql;
  Statement statement;
  bool in_use = false;
  CachedStatement(sqlite3* db, const std::string& text) : sql(text), statement(db, text) {}
};

std::vector<IndexInfo> Database::indexes(const std::string& table) {
  std::vector<IndexInfo> out;
  each({"SCHEMA", "SELECT name, \"unique\", origin FROM pragma_index_list(?) ORDER BY name", {{"table", table}}},
       [&](const Row& row) {
         out.push_back({value_to_s(row[0]), {}, row[1] == Value(std::int64_t{1}), value_to_s(row[2])});
       });
  for (auto& index : out)
    each({"SCHEMA", "SELECT name FROM pragma_index_info(?) ORDER BY seqno", {{"index", index.name}}},
         [&](const Row& row) { index.columns.push_back(value_to_s(row[0])); });
  return out;
}

std::vector<ForeignKeyInfo> Database::foreign_keys(const std::string& table) {
  std::vector<ForeignKeyInfo> out;
  each({"SCHEMA", "SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        {{"table", table}}},
       [&](const Row& row) {
         out.push_back({value_to_s(row[0]), value_to_s(row[1]), is_null(row[2]) ? "" : value_to_s(row[2]),
                        value_to_s(row[3])});
       });
  return out;
}

namespace {

// Marks a cached statement busy while it runs, so a query run from inside
// another's row callback gets a statement of its own.
class Lease {
 public:
  Lease(Database::CachedStatement* cached, std::unique_ptr<Database::Statement> own)
      : cached_(cached), own_(std::move(own)) {
    if (cached_) cached_->in_use = true;
  }
  ~Lease() {
    if (cached_) {
      cached_->statement.reset();
      cached_->in_use = false;
    }
  }
  Database::Statement& operator*() { return cached_ ? cached_->statement : *own_; }

 private:
  Database::CachedStatement* cached_;
  std::unique_ptr<Database::Statement> own_;
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

}  // namespace

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

std::string quote_identifier(const std::string& name) {
  std::string out;
  out.reserve(name.size() + 2);
  out += '"';
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Database::Database(const std::string& path, Options options) : path_(path) {
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
  } catch (const SQLite::Exception& e) {
    int code = e.getErrorCode();
    throw DbError(fmt::format("cannot open database {}: {}", path, describe(code)), code & 0xff,
                  e.getExtendedErrorCode());
  }
}

Database::~Database() = default;

::sqlite3* Database::handle() const { return db_->getHandle(); }

namespace {
extern "C" int stop_if_flagged(void* flag) {
  return static_cast<const std::atomic<int>*>(flag)->load(std::memory_order_relaxed) != 0;
}
}  // namespace

void Database::stop_when(const std::atomic<int>* flag) {
  // Every 10,000 virtual machine instructions: well under a millisecond, and
  // nothing measurable on the short queries of the hot path.
  constexpr int kInstructions = 10000;
  if (flag) sqlite3_progress_handler(db_->getHandle(), kInstructions, stop_if_flagged, const_cast<std::atomic<int>*>(flag));
  else sqlite3_progress_handler(db_->getHandle(), 0, nullptr, nullptr);
}

void Database::rethrow(const std::exception& e, const std::string& context) {
  if (auto* se = dynamic_cast<const SQLite::Exception*>(&e)) {
    int code = se->getErrorCode() & 0xff;
    bool worded = code == SQLITE_BUSY || code == SQLITE_FULL || code == SQLITE_IOERR;
    std::string message = worded ? describe(se->getExtendedErrorCode()) : se->what();
    throw DbError(context.empty() ? message : context + ": " + message, code, se->getExtendedErrorCode());
  }
  throw DbError(context.empty() ? e.what() : context + ": " + e.what(), SQLITE_ERROR, SQLITE_ERROR);
}

void Database::exec_script(const std::string& sql) {
  try {
    db_->exec(sql);
  } catch (const SQLite::Exception& e) {
    rethrow(e, "");
  }
}

Database::CachedStatement& Database::prepare(const std::string& sql) {
  if (auto it = cache_.find(sql); it != cache_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return *lru_.front();
  }
  lru_.push_front(std::make_unique<CachedStatement>(db_->getHandle(), sql));
  cache_.emplace(lru_.front()->sql, lru_.begin());
  // Past the size, the least recently used go, but never one still running.
  for (auto it = std::prev(lru_.end()); lru_.size() > kStatementCacheSize && it != lru_.begin();) {
    auto victim = it--;
    if ((*victim)->in_use) continue;
    cache_.erase((*victim)->sql);
    lru_.erase(victim);
  }
  return *lru_.front();
}

void Database::run_cached(const std::string& sql) {
  try {
    CachedStatement& cached = prepare(sql);
    if (cached.in_use) {
      db_->exec(sql);
      return;
    }
    Lease lease(&cached, nullptr);  // resets it however the step ends
    (*lease).step();
  } catch (const SQLite::Exception& e) {
    rethrow(e, "");
  }
}

// SAVEPOINT fw_N (0), RELEASE fw_N (1), ROLLBACK TO fw_N (2): built once a depth.
const std::string& Database::savepoint_sql(std::size_t depth, int which) {
  while (savepoint_sql_.size() <= depth) {
    auto n = savepoint_sql_.size();
    savepoint_sql_.push_back({fmt::format("SAVEPOINT fw_{}", n), fmt::format("RELEASE fw_{}", n),
                              fmt::format("ROLLBACK TO fw_{}", n)});
  }
  return savepoint_sql_[depth][static_cast<std::size_t>(which)];
}

void Database::bind_all(Statement& statement, const Query& query) {
  int index = 1;
  for (const auto& bind : query.binds) statement.bind(index++, bind.value);
}

void Database::each(const Query& query, const std::function<void(const Row&)>& each_row) {
  auto started = std::chrono::steady_clock::now();
  try {
    CachedStatement& cached = prepare(query.sql);
    Lease lease = cached.in_use ? Lease(nullptr, std::make_unique<Statement>(db_->getHandle(), query.sql))
                                : Lease(&cached, nullptr);
    Statement& st = *lease;
    bind_all(st, query);
    bool logged = false;
    auto log = [&] {
      if (!logged) {
        logged = true;
        notify(query, std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
      }
    };
    if (st.step()) {
      const auto& names = st.column_names();  // after the first step: a schema change re-prepares in it
      do {
        log();  // the log line precedes the rows, as Rails prints it before the result
        each_row(Row(st.handle(), names));
      } while (st.step());
    }
    log();
  } catch (const SQLite::Exception& e) {
    rethrow(e, "");
  }
}

Value Database::scalar(const Query& query) {
  Value result;
  bool first = true;
  each(query, [&](const Row& row) {
    if (first && row.size() > 0) result = row[0];
    first = false;
  });
  return result;
}

int Database::changes(const Query& query) {
  each(query, [](const Row&) {});
  return db_->getChanges();
}

std::int64_t Database::last_insert_id() const { return db_->getLastInsertRowid(); }

bool Database::table_exists(const std::string& table) {
  return !is_null(scalar({"SCHEMA", "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?",
                          {{"name", table}}}));
}

std::vector<ColumnInfo> Database::columns(const std::string& table) {
  std::vector<ColumnInfo> out;
  each({"SCHEMA", "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
        {{"table", table}}},
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

std::vector<std::string> Database::tables() {
  std::vector<std::string> out;
  each({"SCHEMA",
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        {}},
       [&](const Row& row) { out.push_back(value_to_s(row[0])); });
  return out;
}

namespace {

std::chrono::microseconds since(std::chrono::steady_clock::time_point started) {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
}

}  // namespace

int Database::listen(QueryLogger listener) {
  listeners_.push_back({next_listener_, std::move(listener)});
  return next_listener_++;
}

void Database::unlisten(int id) {
  for (auto& l : listeners_)
    if (l.id == id) l.removed = true;
  if (notifying_ == 0) listeners_.remove_if([](const Listener& l) { return l.removed; });
}

// Each listener not removed hears the query (those added meanwhile too).
void Database::tell(const Query& query, std::chrono::microseconds took) {
  struct Telling {
    Database& db;
    ~Telling() {
      if (--db.notifying_ == 0) db.listeners_.remove_if([](const Listener& l) { return l.removed; });
    }
  } telling{*this};
  ++notifying_;
  for (auto& l : listeners_)
    if (!l.removed) l.hear(query, took);
}

void Database::set_logger(QueryLogger logger) {
  if (own_logger_) unlisten(own_logger_);
  own_logger_ = logger ? listen(std::move(logger)) : 0;
}

void Database::notify(const Query& query, std::chrono::microseconds took) {
  if (listeners_.empty() || query.label.empty() || query.label == "SCHEMA") return;
  announce_transactions();
  tell(query, took);
}

// Rails begins a transaction lazily, at its first query: listeners hear of the
// open transactions just before the first query they hear inside them.
void Database::announce_transactions() {
  for (auto& level : levels_) {
    if (level.announced || level.name.empty()) continue;
    level.announced = true;
    Query q{"TRANSACTION", level.name == "transaction" ? "begin transaction" : "SAVEPOINT " + level.name, {}};
    tell(q, level.took);
  }
}

void Database::begin(TransactionLog log, Undo undo) {
  // What it is called in the log: see TransactionLog.
  const Level* outer = nullptr;
  for (const auto& level : levels_)
    if (level.log != TransactionLog::Quiet) outer = &level;
  std::string name;
  if (log == TransactionLog::Quiet) name = "";
  else if (!outer) name = "transaction";
  else if (outer->log == TransactionLog::Savepoints) name = fmt::format("active_record_{}", std::count_if(levels_.begin(), levels_.end(), [](const Level& l) { return !l.name.empty(); }));
  auto started = std::chrono::steady_clock::now();
  std::int64_t changes = sqlite3_total_changes64(db_->getHandle());
  Level level{log, name, false, {}, levels_.size(), false, changes};
  const Level* outer_level = levels_.empty() ? nullptr : &levels_.back();
  if (!outer_level) {
    // Deferred, as ActiveRecord 6.1 begins: a statement that only reads never
    // waits on a writer (a server, rake), nor holds one up. One that read,
    // then meets another program's write lock, runs again (retake_for_writing).
    exec_script(std::exchange(immediate_once_, false) ? "BEGIN IMMEDIATE" : "BEGIN");
  } else if (undo == Undo::WithOuter) {
    level.elided = level.promised = true;
  } else if (outer_level->promised && outer_level->changes_at_begin == changes) {
    level.elided = true;  // its failure is the promised level's, undone with the one around that
  } else if (levels_.size() > 1 && !outer_level->elided && outer_level->changes_at_begin == changes) {
    // (not over the outermost: a BEGIN has no ROLLBACK TO that keeps it open)
    level.shared = true;
    level.savepoint = levels_.back().savepoint;
  } else {
    run_cached(savepoint_sql(levels_.size(), 0));
  }
  level.took = since(started);
  levels_.push_back(std::move(level));
}

bool Database::retake_for_writing() {
  if (levels_.empty()) return immediate_once_ = true;
  const Level& outer = levels_.front();
  if (levels_.size() != 1 || outer.log != TransactionLog::Quiet || outer.elided ||
      sqlite3_total_changes64(db_->getHandle()) != outer.changes_at_begin)
    return false;
  exec_script("ROLLBACK");  // it only read: nothing is lost
  try {
    exec_script("BEGIN IMMEDIATE");
  } catch (const DbError&) {
    exec_script("BEGIN");  // the level stays open, as its owner expects
    throw;
  }
  return true;
}

bool Database::transaction_lost() const { return !levels_.empty() && sqlite3_get_autocommit(db_->getHandle()) != 0; }

void Database::commit() { end_transaction(true); }

void Database::rollback() { end_transaction(false); }

void Database::end_transaction(bool commit) {
  if (levels_.empty()) return;
  Level level = levels_.back();
  levels_.pop_back();
  auto depth = levels_.size();
  auto started = std::chrono::steady_clock::now();
  if (depth == 0) {
    exec_script(commit ? "COMMIT" : "ROLLBACK");
  } else if (level.elided) {
    // nothing to release; a rollback is the outer level's (Undo::WithOuter)
  } else if (level.shared) {
    if (!commit) run_cached(savepoint_sql(level.savepoint, 2));  // the outer stays open, as before this level
  } else {
    if (!commit) run_cached(savepoint_sql(depth, 2));
    run_cached(savepoint_sql(depth, 1));
  }
  if (!level.announced) return;
  bool savepoint = level.name != "transaction";
  std::string sql = savepoint ? (commit ? "RELEASE SAVEPOINT " : "ROLLBACK TO SAVEPOINT ") + level.name
                              : (commit ? "commit transaction" : "rollback transaction");
  notify({"TRANSACTION", sql, {}}, since(started));
}

// The cell as one sqlite3_value: each sqlite3_column_* call would look the
// column up again (and take the connection's mutex, a no-op here).
Value Row::operator[](int column) const {
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

}  // namespace fw::storage
