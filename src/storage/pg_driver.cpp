// PostgreSQL's driver, on libpq. libpq is loaded (dlopen) when the first
// PostgreSQL address is opened, so a console on SQLite neither loads it nor
// the libraries it pulls in (TLS, Kerberos, LDAP) at start-up.
//
// The SQL the model layer writes with `?` marks is run with PostgreSQL's $1,
// $2, ... as ActiveRecord's adapter writes it, each statement prepared once
// per connection (a1, a2, ... as ActiveRecord names them). Values go as text
// of no declared type, so the server types each by where it stands: '1' is
// true in a boolean column, 5 in an integer one.
#include "storage/driver.hpp"
#include "storage/dialect.hpp"

#include <dlfcn.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fmt/format.h>
#include <optional>
#include <unordered_map>
#include <utility>

namespace fw::storage {

struct PgRows {
  PGresult* result;
  std::vector<Oid> types;
};

namespace {

// SQLite's result codes, for what DbError's predicates ask.
constexpr int kError = 1, kBusy = 5, kInterrupt = 9, kCantOpen = 14, kConstraint = 19;

// libpq's functions, looked up once.
#define FW_LIBPQ_FUNCTIONS(X)                                                                                      \
  X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQsendQuery)                                           \
  X(PQsendPrepare) X(PQsendQueryPrepared) X(PQgetResult) X(PQconsumeInput) X(PQisBusy) X(PQsocket)                  \
  X(PQresultStatus) X(PQresultErrorField) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQnfields) X(PQfname)   \
  X(PQftype) X(PQgetvalue) X(PQgetlength) X(PQgetisnull) X(PQcmdTuples) X(PQcmdStatus) X(PQtransactionStatus)       \
  X(PQgetCancel) X(PQcancel) X(PQfreeCancel) X(PQsetNoticeProcessor) X(PQconninfoParse) X(PQconninfoFree) X(PQfreemem)

// libpq 14's pipeline mode (read_ahead), where the library has it.
#define FW_LIBPQ_PIPELINE(X) X(PQenterPipelineMode) X(PQexitPipelineMode) X(PQpipelineSync) X(PQsendQueryParams)

struct LibPq {
#define FW_PQ(name) decltype(&::name) name = nullptr;
  FW_LIBPQ_FUNCTIONS(FW_PQ)
  FW_LIBPQ_PIPELINE(FW_PQ)
#undef FW_PQ
};

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

// The SQLite code nearest an SQLSTATE: DbError's predicates read it.
int nearest_code(const std::string& state) {
  if (state.rfind("23", 0) == 0) return kConstraint;
  if (state == "57014") return kInterrupt;
  if (state == "40001" || state == "40P01" || state == "55P03") return kBusy;
  if (state.rfind("08", 0) == 0 || state == "3D000" || state.rfind("28", 0) == 0 || state == "57P01") return kCantOpen;
  return kError;
}

std::string trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string first_line(const char* message) {
  std::string s = trimmed(message);
  return s.substr(0, s.find('\n'));
}


// A value as the text PostgreSQL reads; nullopt for NULL. An offset without
// a limit is SQLite's LIMIT -1, PostgreSQL's LIMIT NULL (no limit).
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

bool starts_with_word(const std::string& sql, std::size_t at, const char* word) {
  std::size_t n = std::strlen(word);
  if (sql.size() < at + n) return false;
  for (std::size_t i = 0; i < n; ++i)
    if (std::toupper(static_cast<unsigned char>(sql[at + i])) != word[i]) return false;
  return true;
}

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

class PgDriver final : public Driver {
  struct Clear {
    const LibPq* pq;
    void operator()(PGresult* r) const { pq->PQclear(r); }
  };
  using Result = std::unique_ptr<PGresult, Clear>;
  struct Prepared {
    std::string sql;   // with $1, $2, ...
    std::string name;  // a1, a2, ...
  };
  // A query asked ahead (read_ahead) and its result, until each() asks it.
  struct Ahead {
    std::string sql;                                 // as the model layer wrote it
    std::vector<std::optional<std::string>> texts;   // its values, as sent
    std::string numbered, name;                      // its prepared statement's text and name
    Result result;
  };

 public:
  PgDriver(const std::string& address, const Database::Options& options) : pq_(libpq()) {
    // A server that does not answer (its host down) fails in 10 s, not the
    // system's minutes: unless the address or PGCONNECT_TIMEOUT says otherwise.
    const char* timeout = std::getenv("PGCONNECT_TIMEOUT");
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {timeout && *timeout ? timeout : "10", address.c_str(), nullptr};
    conn_ = pq_.PQconnectdbParams(keys, values, 1);
    if (pq_.PQstatus(conn_) != CONNECTION_OK) {
      std::string why = trimmed(pq_.PQerrorMessage(conn_));
      pq_.PQfinish(conn_);
      conn_ = nullptr;
      throw DbError(fmt::format("cannot open database {}: {}", shown_address(address), why), kCantOpen, kCantOpen);
    }
    // Notices (a NOTICE that a table to drop was not there) are not errors:
    // unheard. A FATAL error the server sent while nothing ran (it ended the
    // session) comes as one: kept, to say why the connection went.
    pq_.PQsetNoticeProcessor(
        conn_,
        [](void* self, const char* message) {
          if (std::strncmp(message, "FATAL", 5) == 0) static_cast<PgDriver*>(self)->fatal_ = first_line(message);
        },
        this);
    exec_script(fmt::format("SET client_min_messages TO warning; SET lock_timeout = {}", options.busy_timeout_ms));
  }
  ~PgDriver() override {
    if (conn_) pq_.PQfinish(conn_);
  }

  void exec_script(const std::string& sql) override {
    ahead_.clear();
    flush();
    Result r = run([&] { return pq_.PQsendQuery(conn_, sql.c_str()); });
    ++total_changes_;  // a script may have changed rows: never share a savepoint across it
    if (!is_transaction_control(sql)) prepared_.clear();  // the schema may have changed under them
  }

  // Savepoints go with the statement after them rather than alone, a round
  // trip each on a server: SAVEPOINT and RELEASE wait in pending_ and are sent
  // in one pipeline with the next statement; a savepoint released or rolled
  // back to before anything ran under it is never sent at all.
  void control(const std::string& sql) override {
    ahead_.clear();
    bool savepoint = sql.rfind("SAVEPOINT fw_", 0) == 0, release = sql.rfind("RELEASE fw_", 0) == 0;
    bool rollback_to = sql.rfind("ROLLBACK TO fw_", 0) == 0;
    if (reads_ahead() && (savepoint || release || rollback_to)) {
      std::string name = sql.substr(sql.rfind(' ') + 1);
      bool unsent = !pending_.empty() && pending_.back() == "SAVEPOINT " + name;
      if (savepoint) return pending_.push_back(sql);
      if (release && unsent) return pending_.pop_back();
      if (release) return pending_.push_back(sql);
      if (unsent) return;  // nothing ran under it: nothing to roll back (its RELEASE drops it)
    }
    flush();
    run([&] { return pq_.PQsendQuery(conn_, sql.c_str()); });
  }

  // Sends what waits in pending_, on its own.
  void flush() {
    if (!pending_.empty()) run_after_pending([] { return 1; }, false);
  }

  void each(const Query& query, const std::function<void(const Row&)>& each_row,
            const std::function<void(const std::string&)>& ran) override {
    if (!ahead_.empty()) {  // asked ahead: its rows are here if this is the query asked first
      Ahead next = std::move(ahead_.front());
      ahead_.pop_front();
      if (next.sql == query.sql && next.texts == texts_of(query)) return deliver(std::move(next.result), next.numbered, each_row, ran);
      ahead_.clear();
    }
    std::optional<Write> write;
    if (journal_ && query.label != "SCHEMA") write = write_of(query.sql);
    if (!write) {
      run_query(query, each_row, ran);
      return;
    }
    capture(*write, query, ran);
  }

  void capture_into(std::vector<RowChange>* journal) override { journal_ = journal; }

  void run_query(const Query& query, const std::function<void(const Row&)>& each_row,
                 const std::function<void(const std::string&)>& ran) {
    const Prepared& p = prepared(query);
    auto texts = texts_of(query);
    auto values = pointers(texts);
    const std::string sql = p.sql, name = p.name;  // a query run from a row callback may clear the cache
    Result r = run([&] {
      return pq_.PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                                     nullptr, 0);
    });
    deliver(std::move(r), sql, each_row, ran);
  }

  // The statement prepared for the query's text: prepared now, the first time.
  const Prepared& prepared(const Query& query) {
    auto [it, fresh] = prepared_.try_emplace(query.sql);
    Prepared& p = it->second;
    if (fresh) {
      p.sql = numbered_marks(query.sql);
      p.name = fmt::format("a{}", ++prepared_count_);
      try {
        run([&] { return pq_.PQsendPrepare(conn_, p.name.c_str(), p.sql.c_str(), 0, nullptr); });
      } catch (...) {
        prepared_.erase(query.sql);  // (by its text: an error may have emptied the map)
        throw;
      }
    }
    return p;
  }

  static std::vector<std::optional<std::string>> texts_of(const Query& query) {
    std::vector<std::optional<std::string>> texts;
    texts.reserve(query.binds.size());
    for (const auto& b : query.binds) texts.push_back(as_text(b));
    return texts;
  }
  static std::vector<const char*> pointers(const std::vector<std::optional<std::string>>& texts) {
    std::vector<const char*> values;
    values.reserve(texts.size());
    for (const auto& t : texts) values.push_back(t ? t->c_str() : nullptr);
    return values;
  }

  // A query's result to the caller: the log hears it ran, then each row.
  void deliver(Result r, const std::string& sql, const std::function<void(const Row&)>& each_row,
               const std::function<void(const std::string&)>& ran) {
    last_changes_ = std::atoi(pq_.PQcmdTuples(r.get()));
    total_changes_ += last_changes_;
    ran(sql);
    PgRows rows{r.get(), {}};
    int fields = pq_.PQnfields(r.get()), count = pq_.PQntuples(r.get());
    if (count > 0 && std::strncmp(pq_.PQcmdStatus(r.get()), "INSERT", 6) == 0 && !pq_.PQgetisnull(r.get(), 0, 0))
      last_insert_id_ = std::atoll(pq_.PQgetvalue(r.get(), 0, 0));
    std::vector<std::string> names;
    for (int i = 0; i < fields; ++i) {
      names.emplace_back(pq_.PQfname(r.get(), i));
      rows.types.push_back(pq_.PQftype(r.get(), i));
    }
    for (int i = 0; i < count; ++i) each_row(Row(&rows, i, names));
  }

  bool reads_ahead() const override { return pq_.PQenterPipelineMode != nullptr; }

  // The queries in one pipeline: one round trip for all, where each alone
  // costs one. Inside a transaction they run in a savepoint of their own, so
  // that one that fails (the validator asking it would have failed the same)
  // leaves the transaction as it was: nothing is then kept, and each query is
  // asked again when it comes, failing as it would have.
  void read_ahead(const std::vector<Query>& queries) override {
    ahead_.clear();
    if (!reads_ahead() || queries.size() < 2) return;
    struct Item {
      Ahead ahead;
      bool fresh;  // its statement is prepared in the pipeline too
      std::size_t result = 0;
    };
    std::vector<Item> items;
    int next_name = prepared_count_;
    for (const auto& q : queries) {
      auto it = prepared_.find(q.sql);
      bool fresh = it == prepared_.end();
      std::string numbered = fresh ? numbered_marks(q.sql) : it->second.sql;
      std::string name = fresh ? fmt::format("a{}", ++next_name) : it->second.name;
      for (const auto& earlier : items)  // the same new statement twice: prepared once
        if (earlier.fresh && earlier.ahead.sql == q.sql) fresh = false, numbered = earlier.ahead.numbered, name = earlier.ahead.name;
      items.push_back({{q.sql, texts_of(q), numbered, name, Result(nullptr, Clear{&pq_})}, fresh});
    }
    bool block = pq_.PQtransactionStatus(conn_) == PQTRANS_INTRANS;
    if (!pq_.PQenterPipelineMode(conn_)) return;
    std::size_t commands = 0;
    bool sent = true;
    auto plain = [&](const char* sql) {
      sent = sent && pq_.PQsendQueryParams(conn_, sql, 0, nullptr, nullptr, nullptr, nullptr, 0);
      ++commands;
    };
    for (const auto& sql : std::exchange(pending_, {})) plain(sql.c_str());  // the savepoints waiting, first
    if (block) plain("SAVEPOINT fw_ahead");
    for (auto& item : items) {
      const Ahead& a = item.ahead;
      if (item.fresh) {
        sent = sent && pq_.PQsendPrepare(conn_, a.name.c_str(), a.numbered.c_str(), 0, nullptr);
        ++commands;
      }
      auto values = pointers(a.texts);
      sent = sent && pq_.PQsendQueryPrepared(conn_, a.name.c_str(), static_cast<int>(values.size()), values.data(),
                                             nullptr, nullptr, 0);
      item.result = commands++;
    }
    if (block) plain("RELEASE SAVEPOINT fw_ahead");
    sent = sent && pq_.PQpipelineSync(conn_);
    bool failed = !sent;
    std::vector<Result> results;
    for (std::size_t i = 0; sent && i < commands; ++i) {  // each command's result, then a null
      Result kept(nullptr, Clear{&pq_});
      while (PGresult* r = next_result()) {
        auto status = pq_.PQresultStatus(r);
        failed = failed || (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK);
        kept.reset(r);
      }
      results.push_back(std::move(kept));
    }
    while (sent) {  // then the sync's
      PGresult* r = next_result();
      if (!r) break;
      bool sync = pq_.PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      pq_.PQclear(r);
      if (sync) break;
    }
    leave_pipeline();
    prepared_count_ = next_name;  // names once sent are not sent again, whatever came of them
    if (failed) {
      if (block && pq_.PQtransactionStatus(conn_) == PQTRANS_INERROR) {
        try {
          control("ROLLBACK TO SAVEPOINT fw_ahead");
          control("RELEASE SAVEPOINT fw_ahead");
        } catch (const DbError&) {
          // the transaction is lost; the next query says so
        }
      }
      return;
    }
    for (auto& item : items) {
      if (item.fresh) prepared_[item.ahead.sql] = {item.ahead.numbered, item.ahead.name};
      item.ahead.result = std::move(results[item.result]);
      ahead_.push_back(std::move(item.ahead));
    }
  }

  // The next result, waiting for it; once the stop flag is set, what runs is cancelled.
  PGresult* next_result() {
    while (pq_.PQisBusy(conn_)) {
      pollfd fd{pq_.PQsocket(conn_), POLLIN, 0};
      if (stop_ && stop_->load(std::memory_order_relaxed) != 0 && !cancelled_) {
        cancelled_ = true;
        if (PGcancel* c = pq_.PQgetCancel(conn_)) {
          char why[256];
          pq_.PQcancel(c, why, sizeof why);
          pq_.PQfreeCancel(c);
        }
      }
      ::poll(&fd, 1, stop_ ? 50 : -1);
      if (!pq_.PQconsumeInput(conn_)) break;
    }
    return pq_.PQgetResult(conn_);
  }

  // Sends the statements waiting in pending_, then (with `command`) what
  // `send` sends, in one pipeline; that command's result is returned, the
  // first error thrown.
  template <class Send>
  Result run_after_pending(Send send, bool command = true) {
    std::vector<std::string> sending = std::move(pending_);
    pending_.clear();
    cancelled_ = false;
    if (!pq_.PQenterPipelineMode(conn_)) throw DbError(trimmed(pq_.PQerrorMessage(conn_)), kCantOpen, kCantOpen, "08006");
    bool sent = true;
    for (const auto& sql : sending) sent = sent && pq_.PQsendQueryParams(conn_, sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
    sent = sent && send() && pq_.PQpipelineSync(conn_);
    Result last(nullptr, Clear{&pq_});
    Result failed(nullptr, Clear{&pq_});
    std::size_t commands = sending.size() + (command ? 1 : 0);
    for (std::size_t i = 0; sent && i < commands; ++i) {  // each command's results, then a null
      while (PGresult* r = next_result()) {
        auto status = pq_.PQresultStatus(r);
        if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE) {
          if (!failed) failed.reset(r);
          else pq_.PQclear(r);
        } else if (i == sending.size() && status != PGRES_PIPELINE_ABORTED) {
          last.reset(r);
        } else {
          pq_.PQclear(r);
        }
      }
    }
    while (sent) {  // then the sync's
      PGresult* r = next_result();
      if (!r) break;
      bool sync = pq_.PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      pq_.PQclear(r);
      if (sync) break;
    }
    if (lost()) throw lost_error(failed.get());  // (before leaving pipeline mode, whose complaint would hide why)
    leave_pipeline();
    if (failed) throw error(failed.get());
    if (!sent || (!last && command)) throw DbError(trimmed(pq_.PQerrorMessage(conn_)), kCantOpen, kCantOpen, "08006");
    return last;
  }

  // Runs a write so that it also gives the rows it changed (RETURNING *;
  // an UPDATE's rows as they were read first, locked), and journals them.
  // The log hears the statement as it was written.
  void capture(const Write& w, const Query& query, const std::function<void(const std::string&)>& ran) {
    std::vector<RowChange> changes;
    auto image = [](const Row& row, std::vector<std::string>& columns) {
      std::vector<Value> values;
      if (columns.empty())
        for (int i = 0; i < row.size(); ++i) columns.push_back(row.name(i));
      for (int i = 0; i < row.size(); ++i) values.push_back(row[i]);
      return values;
    };
    std::vector<std::string> columns;
    std::vector<std::vector<Value>> before;
    if (w.op == RowChange::Op::Update) {
      Query read{"SCHEMA", "SELECT * FROM " + quote_identifier(w.table) + w.where + " FOR UPDATE", {}};
      for (std::size_t i = w.set_marks; i < query.binds.size(); ++i) read.binds.push_back(query.binds[i]);
      run_query(read, [&](const Row& row) { before.push_back(image(row, columns)); }, [](const std::string&) {});
    }
    std::string logged = numbered_marks(query.sql);  // the log shows the statement as written
    Query returning{query.label, w.base + " RETURNING *", query.binds};
    std::vector<std::vector<Value>> rows;
    std::vector<std::string> returned;
    run_query(returning, [&](const Row& row) { rows.push_back(image(row, returned)); },
              [&](const std::string&) { ran(logged); });
    std::int64_t id = 0;
    for (auto& row : rows) {
      RowChange change{w.op, w.table, returned, {}, {}};
      if (w.op == RowChange::Op::Delete) change.before = std::move(row);
      else change.after = std::move(row);
      changes.push_back(std::move(change));
    }
    if (w.op == RowChange::Op::Insert && !w.returning.empty() && !changes.empty())
      for (std::size_t i = 0; i < returned.size(); ++i)
        if (returned[i] == w.returning && std::holds_alternative<std::int64_t>(changes[0].after[i]))
          id = std::get<std::int64_t>(changes[0].after[i]);
    if (w.op == RowChange::Op::Insert && id) last_insert_id_ = id;
    if (w.op == RowChange::Op::Update) match_updates(w.table, columns, before, changes);
    journal_->insert(journal_->end(), std::make_move_iterator(changes.begin()), std::make_move_iterator(changes.end()));
  }

  // An UPDATE's rows before it, matched by primary key to the rows it returned.
  void match_updates(const std::string& table, const std::vector<std::string>& columns,
                     std::vector<std::vector<Value>>& before, std::vector<RowChange>& changes) {
    std::vector<std::size_t> key;
    for (const auto& c : this->columns(table))
      if (c.primary_key)
        for (std::size_t i = 0; i < columns.size(); ++i)
          if (columns[i] == c.name) key.push_back(i);
    for (auto& change : changes) {
      for (auto& old : before) {
        bool same = !key.empty() && !old.empty();
        for (std::size_t k : key) same = same && k < change.after.size() && old[k] == change.after[k];
        if (same) {
          change.before = std::move(old);
          old.clear();
          break;
        }
      }
    }
  }

  // Reads what the server sent since the last statement, without waiting:
  // a session it ended sends its FATAL error, then closes the socket.
  Change still_same(bool) override {
    for (int reads = 0; reads < 4 && pq_.PQstatus(conn_) != CONNECTION_BAD; ++reads) {
      pollfd fd{pq_.PQsocket(conn_), POLLIN, 0};
      if (::poll(&fd, 1, 0) <= 0) break;
      if (pq_.PQconsumeInput(conn_)) pq_.PQisBusy(conn_);  // parses it: a FATAL error comes as a notice
    }
    return lost() ? Change::Lost : Change::None;
  }
  // A FATAL error the server sent ends the session: the socket's close may
  // not have come yet.
  // One left in pipeline mode (it broke in the middle of one) is no use either.
  bool lost() const override { return pq_.PQstatus(conn_) == CONNECTION_BAD || !fatal_.empty() || stuck_; }
  std::string lost_reason() const override {
    return !fatal_.empty() ? fatal_ : !lost_why_.empty() ? lost_why_ : first_line(pq_.PQerrorMessage(conn_));
  }

  int changes() override { return last_changes_; }
  std::int64_t total_changes() override { return total_changes_; }
  std::int64_t last_insert_id() override { return last_insert_id_; }
  bool autocommit() override { return pq_.PQtransactionStatus(conn_) == PQTRANS_IDLE; }
  void stop_when(const std::atomic<int>* flag) override { stop_ = flag; }
  std::size_t cached_statements() const override { return prepared_.size(); }

  bool table_exists(const std::string& table) override {
    bool found = false;
    schema("SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?", table,
           [&](const Row&) { found = true; });
    return found;
  }

  std::vector<std::string> tables() override {
    std::vector<std::string> out;
    schema("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ? ORDER BY tablename",
           "", [&](const Row& row) { out.push_back(value_to_s(row[0])); });
    return out;
  }

  std::vector<ColumnInfo> columns(const std::string& table) override {
    std::vector<ColumnInfo> out;
    schema("SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), "
           "EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey)) "
           "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
           "WHERE a.attrelid = (SELECT c.oid FROM pg_class c WHERE c.relname = ? AND c.relnamespace = "
           "current_schema()::regnamespace) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
           table, [&](const Row& row) {
             ColumnInfo c;
             c.name = value_to_s(row[0]);
             c.declared_type = value_to_s(row[1]);
             c.not_null = row[2] == Value(true);
             c.default_value = literal_default(row[3]);
             c.primary_key = row[4] == Value(true);
             out.push_back(std::move(c));
           });
    return out;
  }

  std::vector<IndexInfo> indexes(const std::string& table) override {
    std::vector<IndexInfo> out;
    schema("SELECT ic.relname, ix.indisunique, ix.indisprimary, "
           "EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid AND k.contype = 'u'), "
           "ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k) "
           "FROM pg_index ix JOIN pg_class ic ON ic.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
           "WHERE t.relname = ? AND t.relnamespace = current_schema()::regnamespace ORDER BY ic.relname",
           table, [&](const Row& row) {
             IndexInfo i{value_to_s(row[0]), {}, row[1] == Value(true),
                         row[2] == Value(true) ? "pk" : row[3] == Value(true) ? "u" : "c"};
             i.columns = text_array(value_to_s(row[4]));
             out.push_back(std::move(i));
           });
    return out;
  }

  std::vector<ForeignKeyInfo> foreign_keys(const std::string& table) override {
    std::vector<ForeignKeyInfo> out;
    schema("SELECT a.attname, f.relname, fa.attname, k.confdeltype FROM pg_constraint k "
           "JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class f ON f.oid = k.confrelid "
           "JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] "
           "JOIN pg_attribute fa ON fa.attrelid = k.confrelid AND fa.attnum = k.confkey[1] "
           "WHERE k.contype = 'f' AND t.relname = ? AND t.relnamespace = current_schema()::regnamespace "
           "ORDER BY k.conname",
           table, [&](const Row& row) {
             std::string action = value_to_s(row[3]);
             const char* on_delete = action == "c" ? "CASCADE" : action == "n" ? "SET NULL" : action == "r" ? "RESTRICT"
                                     : action == "d" ? "SET DEFAULT" : "NO ACTION";
             out.push_back({value_to_s(row[0]), value_to_s(row[1]), value_to_s(row[2]), on_delete});
           });
    return out;
  }

 private:

  static bool is_transaction_control(const std::string& sql) {
    for (const char* word : {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET "})
      if (sql.rfind(word, 0) == 0) return true;
    return false;
  }

  // `'text'::character varying` -> `'text'`, as SQLite shows a default;
  // a sequence's nextval() is no default a new record shows.
  static Value literal_default(const Value& expression) {
    if (is_null(expression)) return expression;
    std::string s = value_to_s(expression);
    if (s.rfind("nextval(", 0) == 0) return Value{};
    if (!s.empty() && s[0] == '\'') {
      auto cast = s.rfind("'::");
      if (cast != std::string::npos) s.resize(cast + 1);
    } else if (auto cast = s.find("::"); cast != std::string::npos && s[0] != '(') {
      s.resize(cast);
    }
    return s;
  }

  // {a,"b c"} -> a, b c
  static std::vector<std::string> text_array(const std::string& s) {
    std::vector<std::string> out;
    std::string item;
    bool quoted = false;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
      char c = s[i];
      if (c == '"') quoted = !quoted;
      else if (c == '\\' && i + 2 < s.size()) item += s[++i];
      else if (c == ',' && !quoted) out.push_back(std::exchange(item, ""));
      else item += c;
    }
    if (s.size() > 2) out.push_back(item);
    return out;
  }

  void schema(const std::string& sql, const std::string& name, const std::function<void(const Row&)>& each_row) {
    each({"SCHEMA", sql, {{"name", name}}}, each_row, [](const std::string&) {});
  }

  // Sends with `send`, then waits for the results, looking at the stop flag
  // while it waits: once it is set, the query is cancelled. The last result
  // is returned; an error in any is thrown.
  template <class Send>
  Result run(Send send) {
    if (!pending_.empty()) return run_after_pending(send);
    // Not sent (08003): the server never had it. Sent, and the connection
    // went before the answer (08006): whether it ran cannot be known.
    if (!send()) throw DbError(trimmed(pq_.PQerrorMessage(conn_)), kCantOpen, kCantOpen, "08003");
    bool cancelled = false;
    Result last(nullptr, Clear{&pq_});
    Result failed(nullptr, Clear{&pq_});
    for (;;) {
      while (pq_.PQisBusy(conn_)) {
        pollfd fd{pq_.PQsocket(conn_), POLLIN, 0};
        bool stop = stop_ && stop_->load(std::memory_order_relaxed) != 0;
        if (stop && !cancelled) {
          cancelled = true;
          if (PGcancel* c = pq_.PQgetCancel(conn_)) {
            char why[256];
            pq_.PQcancel(c, why, sizeof why);
            pq_.PQfreeCancel(c);
          }
        }
        ::poll(&fd, 1, stop_ ? 50 : -1);
        if (!pq_.PQconsumeInput(conn_)) break;
      }
      PGresult* r = pq_.PQgetResult(conn_);
      if (!r) break;
      auto status = pq_.PQresultStatus(r);
      if (status == PGRES_FATAL_ERROR || status == PGRES_NONFATAL_ERROR || status == PGRES_BAD_RESPONSE) {
        if (!failed) failed.reset(r);
        else pq_.PQclear(r);
      } else {
        last.reset(r);
      }
    }
    if (lost()) throw lost_error(failed.get());
    if (failed) throw error(failed.get());
    if (!last) throw DbError(trimmed(pq_.PQerrorMessage(conn_)), kCantOpen, kCantOpen, "08006");
    return last;
  }

  // Out of pipeline mode; a connection that cannot leave it (a pipeline
  // broken in the middle: libpq still waits for its results) is lost.
  void leave_pipeline() {
    std::string before = first_line(pq_.PQerrorMessage(conn_));
    if (pq_.PQexitPipelineMode(conn_)) return;
    stuck_ = true;
    if (lost_why_.empty()) lost_why_ = before.empty() ? "it broke in the middle of a pipeline of statements" : before;
  }

  // The connection went after the statement was sent (08006): the server's
  // FATAL error, or libpq's.
  DbError lost_error(const PGresult* failed) {
    std::string why = failed ? trimmed(pq_.PQresultErrorMessage(failed)) : "";
    if (why.rfind("FATAL", 0) == 0) fatal_ = first_line(why.c_str());
    if (why.empty()) why = !fatal_.empty() ? fatal_ : trimmed(pq_.PQerrorMessage(conn_));
    if (lost_why_.empty()) lost_why_ = first_line(why.c_str());
    return DbError(why, kCantOpen, kCantOpen, "08006");
  }

  DbError error(PGresult* r) {
    const char* state = pq_.PQresultErrorField(r, PG_DIAG_SQLSTATE);
    std::string sqlstate = state ? state : "XX000";
    // "cached plan must not change result type": another program changed a
    // table under the prepared statements; each is prepared again when next run.
    if (sqlstate == "0A000") prepared_.clear();
    int code = nearest_code(sqlstate);
    // As the pg gem words it, ActiveRecord's message too: its closing newline kept.
    const char* message = pq_.PQresultErrorMessage(r);
    return DbError(message ? message : "", code, code, sqlstate);
  }

  const LibPq& pq_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> prepared_;
  std::deque<Ahead> ahead_;
  std::vector<std::string> pending_;  // SAVEPOINT and RELEASE statements to send with the next (control)
  bool cancelled_ = false;
  int prepared_count_ = 0;
  int last_changes_ = 0;
  std::int64_t total_changes_ = 0;
  std::int64_t last_insert_id_ = 0;
  const std::atomic<int>* stop_ = nullptr;
  std::vector<RowChange>* journal_ = nullptr;
  std::string fatal_;     // the server's FATAL error, when it ended the session
  std::string lost_why_;  // what was said when the connection went
  bool stuck_ = false;    // left in pipeline mode
};

}  // namespace

std::unique_ptr<Driver> open_postgres(const std::string& address, const Database::Options& options) {
  return std::make_unique<PgDriver>(address, options);
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
