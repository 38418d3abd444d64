#pragma once
// The storage layer: the only code that touches a database engine. One
// connection (SQLite through SQLiteCpp, or PostgreSQL through libpq: see
// driver.hpp), nested transactions, and listeners that hear every statement
// run (the `--sql` log, the timer, ...).
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/error.hpp"
#include "base/value.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace fw::storage {

enum class Engine { SQLite, PostgreSQL };

// What Database::check_still_same() finds before a statement.
enum class Change {
  None,      // the database as it was opened
  Schema,    // SQLite: its tables or columns changed since they were read (another program migrated it)
  Replaced,  // SQLite: the path names another file now (rake db:reset, rm and a new migrate)
  Deleted,   // SQLite: no file has the path any more; writes are refused until one has
  Lost,      // PostgreSQL: the connection is gone (the server restarted, or ended this session)
};

// A postgres:// or postgresql:// address (or libpq's "host=... dbname=...").
bool is_postgres_address(const std::string& address);

// The engine's error. Its code is SQLite's result code (primary and
// extended); PostgreSQL's errors carry their SQLSTATE too, and the SQLite
// code nearest it (a constraint, an interrupt, a lock, unavailable).
class DbError : public fw::Error {
 public:
  DbError(const std::string& message, int code, int extended_code, std::string sqlstate = "")
      : fw::Error(message), code_(code), extended_code_(extended_code), sqlstate_(std::move(sqlstate)) {}
  int code() const { return code_; }
  int extended_code() const { return extended_code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  // The Ruby driver's exception class ActiveRecord names in its message:
  // "SQLite3::ConstraintException", "PG::UniqueViolation".
  std::string driver_class() const;
  // The database could not be used at all: not a database, cannot be opened,
  // or locked past the busy timeout.
  bool is_unavailable() const;
  bool is_constraint() const;
  // A query stopped because the flag given to Database::stop_when was set
  // (Ctrl-C, --timeout): SQLITE_INTERRUPT.
  bool is_interrupted() const;
  // Another connection held the database past the busy timeout (SQLITE_BUSY, SQLITE_LOCKED).
  bool is_locked() const;
  // The connection to the server went while the statement ran (PostgreSQL:
  // the server restarted, or ended the session; SQLSTATE class 08).
  bool is_connection_lost() const { return sqlstate_.rfind("08", 0) == 0; }
  // PostgreSQL refused a prepared statement because another program changed
  // its table since ("cached plan must not change result type"): the driver
  // prepares each again, so the statement, run again, runs.
  bool is_stale_plan() const { return sqlstate_ == "0A000"; }

 private:
  int code_;
  int extended_code_;
  std::string sqlstate_;
};

// A value bound to a `?`, with the name Rails shows in its log ("id", "LIMIT").
struct Bind {
  std::string name;
  Value value;
};

// One SQL statement with its bound values. `label` is what the log calls it
// ("User Load", "Tweet Create").
struct Query {
  std::string label;
  std::string sql;
  std::vector<Bind> binds;
  // The one table a SELECT reads, where its caller knows it (a belongs_to's
  // lookup by key): Database may answer it again from the rows it gave
  // before, while nothing can have changed them (see Database::each).
  std::string table = {};
};

struct PgRows;  // a PostgreSQL result (libpq.hpp)

// The row a cursor stands on; valid only inside the callback that receives it.
class Row {
 public:
  // `names`: the statement's column names, read once for all its rows.
  Row(sqlite3_stmt* statement, const std::vector<std::string>& names) : statement_(statement), names_(names) {}
  Row(const PgRows* rows, int row, const std::vector<std::string>& names) : pg_(rows), row_(row), names_(names) {}
  // A row Database kept (see Query::table): names.size() values from `values`.
  Row(const Value* values, const std::vector<std::string>& names) : kept_(values), names_(names) {}
  int size() const { return static_cast<int>(names_.size()); }
  Value operator[](int column) const;
  const std::string& name(int column) const { return names_[static_cast<std::size_t>(column)]; }
  bool name_is(int column, const std::string& name) const { return this->name(column) == name; }

 private:
  sqlite3_stmt* statement_ = nullptr;
  const PgRows* pg_ = nullptr;
  const Value* kept_ = nullptr;
  int row_ = 0;
  const std::vector<std::string>& names_;
};

struct ColumnInfo {
  std::string name;
  std::string declared_type;  // as written in CREATE TABLE, e.g. "varchar", "datetime(6)"
  bool not_null = false;
  bool primary_key = false;
  Value default_value;  // the literal default's text, or nil
};

// An index of a table, as PRAGMA index_list and index_info give it.
struct IndexInfo {
  std::string name;
  std::vector<std::string> columns;  // in the index's order
  bool unique = false;
  std::string origin;  // "c" CREATE INDEX, "u" a UNIQUE constraint, "pk" the primary key
};

// A foreign key of a table, as PRAGMA foreign_key_list gives it (one column each).
struct ForeignKeyInfo {
  std::string column;
  std::string to_table;
  std::string to_column;  // "" when it points at the primary key implicitly
  std::string on_delete;  // "NO ACTION", "CASCADE", ...
};

// One row's change as PostgreSQL's driver captures it for undo and explain
// (on SQLite the session extension records them: changeset.hpp). An
// insert has no `before`, a delete no `after`.
struct RowChange {
  enum class Op { Insert, Update, Delete };
  Op op;
  std::string table;
  std::vector<std::string> columns;
  std::vector<Value> before, after;
};

// Hears each statement after it ran (before its rows are read), with the time
// it took; transactions come as queries labelled "TRANSACTION".
using QueryLogger = std::function<void(const Query&, std::chrono::microseconds)>;

// How a transaction shows in what listeners hear, as Rails logs its own:
enum class TransactionLog {
  // "begin transaction" ... "commit transaction"; a transaction begun inside
  // it joins it and shows nothing (Rails' joinable transactions).
  Joinable,
  // shows nothing, and what is begun inside it shows as if it were not there
  // (the console's own transaction around a script or a statement).
  Quiet,
  // like Joinable, but a transaction begun inside it shows as a savepoint,
  // SAVEPOINT active_record_1 ... RELEASE SAVEPOINT active_record_1 (--sandbox).
  Savepoints,
};

// How a transaction level is undone when it rolls back.
enum class Undo {
  // By itself: the outermost with ROLLBACK, an inner one with a savepoint of
  // its own, or of the level around it when nothing changed in between.
  Own,
  // By the level around it: the caller promises that when this level rolls
  // back, the one around it rolls back too (a script that stops, all of it
  // undone, at its first failed statement). It runs no SQL, and neither does
  // the first level begun directly inside it before anything changed, whose
  // failure is this level's. Anything deeper has savepoints as usual.
  WithOuter,
};

class Driver;

class Database {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    bool create = true;  // create the file when it does not exist
  };

  // `path`: an SQLite file (or ":memory:"), or a PostgreSQL address.
  explicit Database(const std::string& path) : Database(path, Options{}) {}
  Database(const std::string& path, Options options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  const std::string& path() const { return path_; }
  Engine engine() const { return engine_; }

  // Whether the database is still the one opened, looked at cheaply before a
  // statement: SQLite compares the path's device and inode with the open
  // file's (remembered at open) and, with no transaction open, PRAGMA
  // schema_version with the one its tables were last read at; PostgreSQL
  // reads what the server sent since, without waiting. Each change is told
  // once. A deleted file's connection refuses writes until reopen().
  // `schema`: false looks at the file or connection only.
  Change check_still_same(bool schema = true);
  // The connection is gone (PostgreSQL): found by check_still_same, or by a
  // statement that failed with is_connection_lost(); lost_reason() says what
  // the server or libpq said, in one line.
  // (PostgreSQL reads what the server sent since, without waiting.)
  bool connection_lost();
  std::string lost_reason() const;
  // The connection went while the outermost COMMIT was on its way: whether
  // the server applied it cannot be known.
  bool commit_in_doubt() const { return commit_in_doubt_; }
  // A new connection, to the file now at the path or to the server again.
  // The open transactions are dropped first (what they did is gone, and a
  // Transaction begun before does nothing now), also when connecting fails
  // (a DbError; the next reopen tries again).
  void reopen();
  // Counts reopen()s: a Transaction belongs to the connection it began on.
  int generation() const { return generation_; }
  // SQLite's connection, for the storage layer's own helpers (changeset.cpp);
  // on PostgreSQL a DbError says the feature needs SQLite.
  ::sqlite3* handle() const;

  // Runs one or more statements with no results and no bound values
  // (migrations, pragmas).
  void exec_script(const std::string& sql);
  // Runs a query, calling `each_row` for every row as it is stepped: nothing
  // is collected, so results stream.
  //
  // A query that names its table (Query::table) may instead be answered
  // from the rows the same query (text and values) gave earlier in the open
  // SQLite transaction, while nothing can have changed them: inside a
  // transaction no other program's write is seen, a plain INSERT into the
  // table forgets its kept rows, and any other write forgets all of them.
  // Only where no listener hears queries (the `--sql` log shows each lookup,
  // as ActiveRecord's does), and only in a schema with no trigger, view or
  // REPLACE clause, whose writes could reach a table unseen. A seed script's
  // thousands of `tweet user=7 ...` then read user 7 once.
  void each(const Query& query, const std::function<void(const Row&)>& each_row);
  // Forgets the rows kept for Query::table (also done by every write,
  // transaction end and reopen); for code writing through handle().
  void forget_kept_rows() const;
  // The queries asked ahead, at once, where the engine gains by it (see
  // Driver::read_ahead): each() then hands each its rows without asking.
  bool reads_ahead() const;
  // `insert`: see writes_ahead.
  void read_ahead(const std::vector<Query>& queries, const Query* insert = nullptr);
  // Whether read_ahead may end with the statement's INSERT, sent with the
  // lookups that decide whether it is wanted (`insert`: the INSERT made to
  // write nothing unless the lookups agree, the last query the INSERT the
  // model will ask): where the engine reads ahead, the level open now was
  // begun with Undo::WithOuter (or directly inside one), so that the
  // statement's failure undoes all around it, and nothing is captured for
  // undo. The driver takes the INSERT back unless each() then asks for it.
  bool writes_ahead() const;
  // First column of the first row, or nil when there is no row.
  Value scalar(const Query& query);
  // Runs a statement that changes rows; returns how many rows it changed.
  int changes(const Query& query);
  // The id the last INSERT made: SQLite's rowid; on PostgreSQL what its
  // RETURNING gave (see returning_id).
  std::int64_t last_insert_id() const;
  // What an INSERT ends with for last_insert_id to know its row:
  // ` RETURNING "id"` on PostgreSQL, as ActiveRecord's adapter writes it.
  std::string returning_id(const std::string& primary_key) const;

  bool table_exists(const std::string& table);
  std::vector<ColumnInfo> columns(const std::string& table);
  std::vector<std::string> tables();
  // For the console's `schema`: read-only, from the engine's catalog.
  std::vector<IndexInfo> indexes(const std::string& table);
  std::vector<ForeignKeyInfo> foreign_keys(const std::string& table);

  // Transactions nest: the outermost is BEGIN/COMMIT, inner ones savepoints.
  // Listeners hear of a transaction only when a query runs inside it, as
  // Rails' lazy transactions do.
  void begin(TransactionLog log = TransactionLog::Joinable, Undo undo = Undo::Own);
  void commit();
  void rollback();
  int transaction_depth() const { return static_cast<int>(levels_.size()); }
  // After a statement met another program's write lock: SQLite does not wait
  // it out for a transaction that has read (SQLITE_BUSY at once, or
  // SQLITE_BUSY_SNAPSHOT when the other committed meanwhile). When the
  // transaction open (a script's, quiet) has written nothing, it is begun
  // again taking the write lock first (BEGIN IMMEDIATE, which waits up to the
  // busy timeout); with none open, the next one begins so. The statement may
  // then run again. False when that would lose a write, or a user's begin or
  // a sandbox holds the transaction, and always on PostgreSQL (whose rows
  // lock one by one, and wait).
  bool retake_for_writing();
  // The engine rolled back the open transaction itself, as SQLite may after
  // a full disk or an I/O error: what the levels above did is gone.
  bool transaction_lost() const;

  // A running query stops, failing with is_interrupted(), soon after *flag
  // becomes non-zero: SQLite looks at it every few thousand instructions,
  // PostgreSQL's driver while it waits for the server (and cancels the
  // query), so one long query (a recursive CTE, a huge join) cannot outlast
  // Ctrl-C or --timeout. Null: nothing stops a query.
  void stop_when(const std::atomic<int>* flag);

  // Listeners hear every query but the schema's, in the order they were
  // added; listen() returns the id unlisten() takes.
  int listen(QueryLogger listener);
  void unlisten(int id);
  // One listener of the caller's own, replaced by each call; null removes it.
  void set_logger(QueryLogger logger);
  // For a borrower's reads (storage::BorrowedReads, read_only.hpp): the
  // listeners so far are set aside and hear nothing, and the open
  // transactions are not announced (their owner's log still says them at its
  // next query), until bring_listeners_back(); listeners added meanwhile hear
  // the borrower's queries and are dropped then.
  void set_listeners_aside();
  void bring_listeners_back();

  // While one is capturing (PostgreSQL's ChangeRecorder), every row an
  // INSERT, UPDATE or DELETE changes is added to the journal, and what a
  // rolled-back level changed is taken off it again. Capturing nests.
  void begin_capture();
  void end_capture();
  const std::vector<RowChange>& journal() const { return journal_; }

  // How many prepared statements are kept: past it, the least recently used
  // one not running goes.
  static constexpr std::size_t kStatementCacheSize = 200;
  std::size_t cached_statements() const;

 private:
  const std::string& savepoint_sql(std::size_t depth, int which);
  bool keeps_rows();
  void each_kept(const Query& query, const std::function<void(const Row&)>& each_row);
  void forget_rows_written_by(const std::string& sql);
  void notify(const Query& query, std::chrono::microseconds took);
  void announce_transactions();
  void end_transaction(bool commit);

  // An open transaction and what listeners hear of it.
  struct Level {
    TransactionLog log;
    std::string name;    // "" (heard of as nothing), "transaction", or the savepoint's name
    bool announced = false;
    std::chrono::microseconds took{};  // of its BEGIN, told when it is announced
    // A savepoint begun before anything changed in the savepoint around it
    // shares that one: rolling back to the outer's start undoes the same
    // rows, and keeps the outer open. `savepoint` is the depth of the
    // SAVEPOINT it uses (fw_N); `changes_at_begin`, the total changes then.
    std::size_t savepoint = 0;
    bool shared = false;
    std::int64_t changes_at_begin = 0;
    // No SQL of its own: begun with Undo::WithOuter (`promised`), or the
    // first level inside such a one.
    bool elided = false;
    bool promised = false;
    std::size_t journal_at = 0;  // the journal's length when it began
  };

  std::string path_;
  Engine engine_;
  Options options_;
  std::unique_ptr<Driver> driver_;
  int generation_ = 0;
  bool commit_in_doubt_ = false;
  const std::atomic<int>* stop_ = nullptr;  // stop_when's flag, given to a reopened driver too
  std::vector<std::array<std::string, 3>> savepoint_sql_;  // SAVEPOINT, RELEASE, ROLLBACK TO fw_N
  std::vector<Level> levels_;
  // A list, so that a listener may add listeners while it is heard; one
  // removed while listeners are heard is only marked, and erased after.
  struct Listener {
    int id;
    QueryLogger hear;
    bool removed = false;
  };
  std::list<Listener> listeners_;
  int notifying_ = 0;
  void tell(const Query& query, std::chrono::microseconds took);
  int next_listener_ = 1;
  int own_logger_ = 0;  // set_logger's listener
  std::list<Listener> aside_;  // set_listeners_aside's
  bool hushed_ = false;
  bool immediate_once_ = false;  // the next outermost BEGIN is IMMEDIATE (retake_for_writing)
  std::vector<RowChange> journal_;
  int capturing_ = 0;
  // Rows kept for Query::table: by table, then by the query's text, then by
  // its values; a result's rows one after the other. At most kKeptBytes
  // (about): past it, all are forgotten and kept anew.
  // Shared, so that rows handed out stay while the caller's code, run for
  // each, writes and so forgets them.
  struct KeptResult {
    std::shared_ptr<const std::vector<std::string>> names;
    std::vector<Value> values;
  };
  struct KeptQuery {
    std::shared_ptr<const std::vector<std::string>> names;
    std::unordered_map<std::string, std::shared_ptr<const KeptResult>> results;
  };
  mutable std::unordered_map<std::string, std::unordered_map<std::string, KeptQuery>> kept_;
  mutable std::size_t kept_bytes_ = 0;
  static constexpr std::size_t kKeptBytes = std::size_t{4} << 20;
  // Whether the schema lets rows be kept (no trigger, view or REPLACE
  // clause): asked once a transaction, and again after a write that is no
  // plain INSERT (it may have been DDL).
  enum class Keeping { Unknown, Allowed, Refused };
  mutable Keeping keeping_ = Keeping::Unknown;
};

// Rolls back unless commit() ran, like SQLiteCpp's Transaction, but nests.
// One begun before Database::reopen() was dropped with its connection: it
// then rolls back nothing, and its commit() throws.
class Transaction {
 public:
  explicit Transaction(Database& db, TransactionLog log = TransactionLog::Joinable, Undo undo = Undo::Own)
      : db_(db), generation_(db.generation()) {
    db_.begin(log, undo);
  }
  ~Transaction() {
    if (!done_ && !dropped()) try { db_.rollback(); } catch (...) {}
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit() {
    if (dropped()) throw DbError("the transaction was lost with its connection to the database; nothing of it was kept", 14, 14);
    db_.commit();
    done_ = true;
  }
  void rollback() {
    if (!dropped()) db_.rollback();
    done_ = true;
  }
  // Database::reopen() dropped it.
  bool dropped() const { return generation_ != db_.generation(); }

 private:
  Database& db_;
  int generation_;
  bool done_ = false;
};

// Double-quotes an identifier for SQL ("users"."id").
std::string quote_identifier(const std::string& name);

}  // namespace fw::storage
