// The storage layer's front: transactions, savepoints and what listeners
// hear, the same over either engine's driver.
#include "storage/database.hpp"
#include "storage/driver.hpp"

#include <algorithm>
#include <filesystem>
#include <utility>
#include <fmt/format.h>

namespace fw::storage {

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

bool is_postgres_address(const std::string& address) {
  return address.rfind("postgres://", 0) == 0 || address.rfind("postgresql://", 0) == 0 ||
         (address.find('=') != std::string::npos && address.find("dbname") != std::string::npos);
}

Database::Database(const std::string& path, Options options)
    : path_(path),
      engine_(is_postgres_address(path) ? Engine::PostgreSQL : Engine::SQLite),
      options_(options),
      driver_(engine_ == Engine::PostgreSQL ? open_postgres(path, options) : open_sqlite(path, options)) {}

Change Database::check_still_same(bool schema) { return driver_->still_same(!levels_.empty() || !schema); }

bool Database::connection_lost() {
  return engine_ == Engine::PostgreSQL ? driver_->still_same(true) == Change::Lost : driver_->lost();
}

std::string Database::lost_reason() const { return driver_->lost_reason(); }

void Database::reopen() {
  forget_kept_rows();
  levels_.clear();
  ++generation_;
  commit_in_doubt_ = false;
  immediate_once_ = false;
  journal_.clear();
  // A replaced file's WAL is kept by its name: the old connection, closing,
  // must not remove the new file's (SQLite's driver sees to it).
  auto fresh = engine_ == Engine::PostgreSQL ? open_postgres(path_, options_) : open_sqlite(path_, options_);
  driver_ = std::move(fresh);
  driver_->stop_when(stop_);
  if (capturing_ > 0 && engine_ == Engine::PostgreSQL) driver_->capture_into(&journal_);
}

Database::~Database() = default;

::sqlite3* Database::handle() const {
  forget_kept_rows();  // whoever holds the connection itself may write with it (undo's changesets)
  if (auto* h = driver_->sqlite_handle()) return h;
  throw DbError("this needs SQLite's session extension, which PostgreSQL does not have", 1, 1);
}

void Database::stop_when(const std::atomic<int>* flag) {
  stop_ = flag;
  driver_->stop_when(flag);
}

void Database::exec_script(const std::string& sql) {
  forget_kept_rows();
  driver_->exec_script(sql);
}

std::size_t Database::cached_statements() const { return driver_->cached_statements(); }

// SAVEPOINT fw_N (0), RELEASE fw_N (1), ROLLBACK TO fw_N (2): built once a depth.
const std::string& Database::savepoint_sql(std::size_t depth, int which) {
  while (savepoint_sql_.size() <= depth) {
    auto n = savepoint_sql_.size();
    savepoint_sql_.push_back({fmt::format("SAVEPOINT fw_{}", n), fmt::format("RELEASE fw_{}", n),
                              fmt::format("ROLLBACK TO fw_{}", n)});
  }
  return savepoint_sql_[depth][static_cast<std::size_t>(which)];
}

void Database::each(const Query& query, const std::function<void(const Row&)>& each_row) {
  if (kept_bytes_ > 0 || keeping_ != Keeping::Unknown) forget_rows_written_by(query.sql);
  if (!query.table.empty() && keeps_rows()) return each_kept(query, each_row);
  auto started = std::chrono::steady_clock::now();
  driver_->each(query, each_row, [&](const std::string& sql) {
    auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started);
    if (&sql == &query.sql || listeners_.empty()) notify(query, took);
    else notify({query.label, sql, query.binds}, took);  // PostgreSQL's $1 for `?`, as its log shows them
  });
}

bool Database::reads_ahead() const { return driver_->reads_ahead(); }
void Database::read_ahead(const std::vector<Query>& queries, const Query* insert) { driver_->read_ahead(queries, insert); }
bool Database::writes_ahead() const {
  return capturing_ == 0 && !levels_.empty() && levels_.back().elided && driver_->reads_ahead();
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
  return driver_->changes();
}

std::int64_t Database::last_insert_id() const { return driver_->last_insert_id(); }

std::string Database::returning_id(const std::string& primary_key) const {
  return engine_ == Engine::PostgreSQL && !primary_key.empty() ? " RETURNING " + quote_identifier(primary_key) : "";
}

void Database::begin_capture() {
  if (capturing_++ == 0 && engine_ == Engine::PostgreSQL) driver_->capture_into(&journal_);
}

void Database::end_capture() {
  if (--capturing_ > 0) return;
  driver_->capture_into(nullptr);
  journal_.clear();
}

bool Database::table_exists(const std::string& table) { return driver_->table_exists(table); }
std::vector<ColumnInfo> Database::columns(const std::string& table) { return driver_->columns(table); }
std::vector<std::string> Database::tables() { return driver_->tables(); }
std::vector<IndexInfo> Database::indexes(const std::string& table) { return driver_->indexes(table); }
std::vector<ForeignKeyInfo> Database::foreign_keys(const std::string& table) { return driver_->foreign_keys(table); }

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

void Database::set_listeners_aside() {
  if (hushed_) return;
  hushed_ = true;
  aside_ = std::exchange(listeners_, {});
}

void Database::bring_listeners_back() {
  if (!hushed_) return;
  hushed_ = false;
  listeners_ = std::exchange(aside_, {});
}

void Database::notify(const Query& query, std::chrono::microseconds took) {
  if (listeners_.empty() || query.label.empty() || query.label == "SCHEMA") return;
  if (!hushed_) announce_transactions();
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
  std::int64_t changes = driver_->total_changes();
  Level level{log, name, false, {}, levels_.size(), false, changes};
  level.journal_at = journal_.size();
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
    driver_->control(savepoint_sql(levels_.size(), 0));
  }
  level.took = since(started);
  levels_.push_back(std::move(level));
}

bool Database::retake_for_writing() {
  if (engine_ != Engine::SQLite) return false;
  if (levels_.empty()) return immediate_once_ = true;
  const Level& outer = levels_.front();
  if (levels_.size() != 1 || outer.log != TransactionLog::Quiet || outer.elided ||
      driver_->total_changes() != outer.changes_at_begin)
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

bool Database::transaction_lost() const { return !levels_.empty() && driver_->autocommit(); }

void Database::commit() { end_transaction(true); }

void Database::rollback() { end_transaction(false); }

void Database::end_transaction(bool commit) {
  if (levels_.empty()) return;
  if (!commit || levels_.size() == 1) forget_kept_rows();  // rows rolled back, or the next transaction's own
  Level level = levels_.back();
  levels_.pop_back();
  if (!commit && journal_.size() > level.journal_at) journal_.resize(level.journal_at);  // those changes are undone
  auto depth = levels_.size();
  auto started = std::chrono::steady_clock::now();
  if (depth == 0) {
    try {
      exec_script(commit ? "COMMIT" : "ROLLBACK");
    } catch (const DbError& e) {
      // Sent, and the connection went before the answer came (08006; a
      // COMMIT never sent, 08003, was not applied).
      if (commit && e.sqlstate() == "08006") commit_in_doubt_ = true;
      throw;
    }
  } else if (level.elided) {
    // nothing to release; a rollback is the outer level's (Undo::WithOuter)
  } else if (level.shared) {
    if (!commit) driver_->control(savepoint_sql(level.savepoint, 2));  // the outer stays open, as before this level
  } else {
    if (!commit) driver_->control(savepoint_sql(depth, 2));
    driver_->control(savepoint_sql(depth, 1));
  }
  if (!level.announced) return;
  bool savepoint = level.name != "transaction";
  std::string sql = savepoint ? (commit ? "RELEASE SAVEPOINT " : "ROLLBACK TO SAVEPOINT ") + level.name
                              : (commit ? "commit transaction" : "rollback transaction");
  notify({"TRANSACTION", sql, {}}, since(started));
}

// ---- Rows kept for Query::table (see each()) ----

void Database::forget_kept_rows() const {
  kept_.clear();
  kept_bytes_ = 0;
  keeping_ = Keeping::Unknown;
}

// Before a statement runs: what its writing may change is forgotten. A
// plain INSERT adds a row to its own table only, where the schema has no
// trigger nor REPLACE clause (keeps_rows); an UPDATE or DELETE may reach
// other tables through their foreign keys, and DDL the schema itself.
void Database::forget_rows_written_by(const std::string& sql) {
  std::string_view text(sql);
  if (text.rfind("SELECT ", 0) == 0) return;
  constexpr std::string_view insert = "INSERT INTO \"";
  auto end = text.rfind(insert, 0) == 0 ? text.find('"', insert.size()) : std::string_view::npos;
  bool plain = end != std::string_view::npos && text.substr(end, 2) != "\"\"" &&  // (a quote inside the name: not plain)
               text.find(" ON CONFLICT") == std::string_view::npos;
  if (!plain) return forget_kept_rows();
  if (auto found = kept_.find(std::string(text.substr(insert.size(), end - insert.size()))); found != kept_.end())
    kept_.erase(found);  // (kept_bytes_ stays: a bound on what is kept, not a count)
}

bool Database::keeps_rows() {
  if (engine_ != Engine::SQLite || !listeners_.empty() || levels_.empty() || driver_->autocommit()) return false;
  if (keeping_ == Keeping::Unknown) {
    bool unsafe = false;
    driver_->each({"SCHEMA",
                   "SELECT 1 FROM sqlite_master WHERE type IN ('trigger', 'view') OR sql LIKE '%REPLACE%' LIMIT 1",
                   {}},
                  [&](const Row&) { unsafe = true; }, [](const std::string&) {});
    keeping_ = unsafe ? Keeping::Refused : Keeping::Allowed;
  }
  return keeping_ == Keeping::Allowed;
}

namespace {

// About what a value takes in memory, for the bound on kept rows.
std::size_t bytes_of(const Value& v) {
  auto text = std::get_if<std::string>(&v);
  return sizeof(Value) + (text && text->size() > 15 ? text->capacity() + 1 : 0);
}

}  // namespace

void Database::each_kept(const Query& query, const std::function<void(const Row&)>& each_row) {
  std::string key;  // the values, each with its kind: 1 and "1" are not one key
  for (const auto& bind : query.binds) {
    key += static_cast<char>('0' + bind.value.index());
    if (auto n = std::get_if<std::int64_t>(&bind.value)) key.append(reinterpret_cast<const char*>(n), sizeof *n);
    else key += value_to_s(bind.value);
    key += '\x1f';
  }
  KeptQuery& kept = kept_[query.table][query.sql];
  if (auto found = kept.results.find(key); found != kept.results.end()) {
    std::shared_ptr<const KeptResult> result = found->second;
    const auto& names = *result->names;
    for (std::size_t at = 0; at < result->values.size(); at += names.size())
      each_row(Row(result->values.data() + at, names));
    return;
  }
  auto made = std::make_shared<KeptResult>();
  std::vector<std::string> names;
  auto started = std::chrono::steady_clock::now();
  driver_->each(
      query,
      [&](const Row& row) {
        if (names.empty())
          for (int i = 0; i < row.size(); ++i) names.push_back(row.name(i));
        std::size_t at = made->values.size();
        for (int i = 0; i < row.size(); ++i) made->values.push_back(row[i]);
        each_row(Row(made->values.data() + at, names));
      },
      [&](const std::string&) { notify(query, since(started)); });
  std::size_t bytes = 96 + key.size();
  for (const auto& v : made->values) bytes += bytes_of(v);
  if (kept_bytes_ + bytes > kKeptBytes) forget_kept_rows();
  KeptQuery& into = kept_[query.table][query.sql];  // (`kept` may have gone with them)
  if (!into.names && !names.empty()) into.names = std::make_shared<const std::vector<std::string>>(std::move(names));
  if (!into.names && !made->values.empty()) return;  // (columns without names: not kept)
  made->names = into.names ? into.names : std::make_shared<const std::vector<std::string>>();
  into.results.emplace(std::move(key), std::move(made));
  kept_bytes_ += bytes;
}

}  // namespace fw::storage
