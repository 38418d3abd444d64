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
#include "storage/libpq.hpp"
#include "storage/pg_catalog.hpp"
#include "storage/pg_writes.hpp"

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

namespace {

// SQLite's result codes, for what DbError's predicates ask.
constexpr int kError = 1, kBusy = 5, kInterrupt = 9, kCantOpen = 14, kConstraint = 19;


// The SQLite code nearest an SQLSTATE: DbError's predicates read it.
int nearest_code(const std::string& state) {
  if (state.rfind("23", 0) == 0) return kConstraint;
  if (state == "57014") return kInterrupt;
  if (state == "40001" || state == "40P01" || state == "55P03") return kBusy;
  if (state.rfind("08", 0) == 0 || state == "3D000" || state.rfind("28", 0) == 0 || state == "57P01") return kCantOpen;
  return kError;
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
    // The INSERT sent after the lookups (Database::writes_ahead), and what
    // was sent in its place: its text numbered, its values.
    bool write = false;
    std::string sent_numbered;
    std::vector<std::optional<std::string>> sent_texts;
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
    // A console that ends in the middle of a query (Ctrl-C or a kill ends a
    // script's process) leaves no query running on the server, holding its
    // transaction's locks until it finishes: the server looks each second
    // whether the client is still there (PostgreSQL 14; a platform without
    // the check refuses it, and the query then runs to its end as before).
    if (pq_.PQserverVersion(conn_) >= 140000) {
      try {
        exec_script("SET client_connection_check_interval = 1000");
      } catch (const DbError&) {
      }
    }
  }
  ~PgDriver() override {
    if (conn_) pq_.PQfinish(conn_);
  }

  void exec_script(const std::string& sql) override {
    drop_ahead();
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
    drop_ahead();
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
      bool same = next.sql == query.sql && next.texts == texts_of(query);
      // The INSERT sent ahead wrote its row only where its lookups agreed:
      // one that wrote none (another session's row came between) is asked now.
      if (same && next.write && std::strcmp(pq_.PQcmdTuples(next.result.get()), "0") == 0) same = false;
      if (same) {
        if (next.write) {  // the INSERT sent ahead is wanted: its savepoint goes with the next statement
          write_ahead_ = false;
          pending_.insert(pending_.begin(), "RELEASE SAVEPOINT fw_ahead");
        }
        return deliver(std::move(next.result), next.numbered, each_row, ran);
      }
      drop_ahead();
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

  // A query's result to the caller: the log hears it ran, then each row.
  void deliver(Result r, const std::string& sql, const std::function<void(const Row&)>& each_row,
               const std::function<void(const std::string&)>& ran) {
    // PQcmdTuples counts a SELECT's rows too; only a write's are changes
    // (total_changes decides whether a savepoint can share the one around it).
    const char* status = pq_.PQcmdStatus(r.get());
    bool wrote = std::strncmp(status, "INSERT", 6) == 0 || std::strncmp(status, "UPDATE", 6) == 0 ||
                 std::strncmp(status, "DELETE", 6) == 0 || std::strncmp(status, "MERGE", 5) == 0;
    last_changes_ = wrote ? std::atoi(pq_.PQcmdTuples(r.get())) : 0;
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
  //
  // With `insert`, the last query is the statement's INSERT, and `insert`
  // is sent in its place (Database::writes_ahead): then the savepoint stays
  // open after the pipeline, and the INSERT is taken back (ROLLBACK TO
  // SAVEPOINT fw_ahead, sent first thing next time) unless each() asks for
  // exactly it next (drop_ahead).
  void read_ahead(const std::vector<Query>& queries, const Query* insert) override {
    drop_ahead();
    cancelled_ = false;
    bool block = pq_.PQtransactionStatus(conn_) == PQTRANS_INTRANS;
    bool with_write = insert && !queries.empty();
    std::size_t asked = queries.size();
    if (insert && (!with_write || !block || journal_)) with_write = false, asked -= asked > 0;  // never outside a transaction, nor captured
    if (!reads_ahead() || asked < 2) return;
    struct Item {
      Ahead ahead;
      bool fresh;  // its statement is prepared in the pipeline too
      std::size_t result = 0;
    };
    std::vector<Item> items;
    int next_name = prepared_count_;
    for (std::size_t i = 0; i < asked; ++i) {
      bool write = with_write && i + 1 == asked;
      const Query& q = write ? *insert : queries[i];  // what is sent
      auto it = prepared_.find(q.sql);
      bool fresh = it == prepared_.end();
      std::string numbered = fresh ? numbered_marks(q.sql) : it->second.sql;
      std::string name = fresh ? fmt::format("a{}", ++next_name) : it->second.name;
      for (const auto& earlier : items)  // the same new statement twice: prepared once
        if (earlier.fresh && earlier.ahead.sql == q.sql) fresh = false, numbered = earlier.ahead.numbered, name = earlier.ahead.name;
      items.push_back({{q.sql, texts_of(q), numbered, name, Result(nullptr, Clear{&pq_}), false, {}, {}}, fresh});
      if (write) {  // kept as the INSERT asked for (each() matches it, the log shows it), sent as `insert`
        Ahead& a = items.back().ahead;
        a.write = true;
        a.sent_numbered = std::exchange(a.numbered, numbered_marks(queries[i].sql));
        a.sent_texts = std::exchange(a.texts, texts_of(queries[i]));
        a.sql = queries[i].sql;
      }
    }
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
        sent = sent && pq_.PQsendPrepare(conn_, a.name.c_str(), (a.write ? a.sent_numbered : a.numbered).c_str(), 0, nullptr);
        ++commands;
      }
      auto values = pointers(a.write ? a.sent_texts : a.texts);
      sent = sent && pq_.PQsendQueryPrepared(conn_, a.name.c_str(), static_cast<int>(values.size()), values.data(),
                                             nullptr, nullptr, 0);
      item.result = commands++;
    }
    if (block && !with_write) plain("RELEASE SAVEPOINT fw_ahead");
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
    if (sent) await_sync();  // then the sync's
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
      if (item.fresh && item.ahead.write) prepared_[insert->sql] = {item.ahead.sent_numbered, item.ahead.name};
      else if (item.fresh) prepared_[item.ahead.sql] = {item.ahead.numbered, item.ahead.name};
      item.ahead.result = std::move(results[item.result]);
      ahead_.push_back(std::move(item.ahead));
    }
    write_ahead_ = with_write;
  }

  // Forgets what was asked ahead and not asked for. An INSERT among it is
  // taken back before anything else runs: the pending ROLLBACK TO goes first.
  void drop_ahead() {
    if (std::exchange(write_ahead_, false))
      pending_.insert(pending_.begin(), {"ROLLBACK TO SAVEPOINT fw_ahead", "RELEASE SAVEPOINT fw_ahead"});
    ahead_.clear();
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
    if (sent) await_sync();  // then the sync's
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
    if (w.op == RowChange::Op::Update) match_updates(w.table, columns, before, changes);  // (may read the catalog)
    last_changes_ = static_cast<int>(rows.size());  // the write's, not the catalog's
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

  bool table_exists(const std::string& table) override { return pg_catalog::table_exists(asker(), table); }
  std::vector<std::string> tables() override { return pg_catalog::tables(asker()); }
  std::vector<ColumnInfo> columns(const std::string& table) override { return pg_catalog::columns(asker(), table); }
  std::vector<IndexInfo> indexes(const std::string& table) override { return pg_catalog::indexes(asker(), table); }
  std::vector<ForeignKeyInfo> foreign_keys(const std::string& table) override {
    return pg_catalog::foreign_keys(asker(), table);
  }

 private:

  static bool is_transaction_control(const std::string& sql) {
    for (const char* word : {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET "})
      if (sql.rfind(word, 0) == 0) return true;
    return false;
  }

  // How the catalog's queries (pg_catalog.cpp) ask: unlogged, one name bound.
  pg_catalog::Ask asker() {
    return [this](const std::string& sql, const std::string& name, const std::function<void(const Row&)>& each_row) {
      each({"SCHEMA", sql, {{"name", name}}}, each_row, [](const std::string&) {});
    };
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
    cancelled_ = false;
    Result last(nullptr, Clear{&pq_});
    Result failed(nullptr, Clear{&pq_});
    for (;;) {
      PGresult* r = next_result();
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

  // After a pipeline's commands' results: the results up to its sync's, read and dropped.
  void await_sync() {
    while (PGresult* r = next_result()) {
      bool sync = pq_.PQresultStatus(r) == PGRES_PIPELINE_SYNC;
      pq_.PQclear(r);
      if (sync) break;
    }
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
    DbError e(message ? message : "", code, code, sqlstate);
    // A lock waited out, a deadlock: shown as they come (not as a statement's
    // StatementInvalid, which names the class), so named here, as ActiveRecord does.
    if (code == kBusy) return DbError(e.driver_class() + ": " + e.what(), code, code, sqlstate);
    return e;
  }

  const LibPq& pq_;
  PGconn* conn_ = nullptr;
  std::unordered_map<std::string, Prepared> prepared_;
  std::deque<Ahead> ahead_;
  bool write_ahead_ = false;  // ahead_ ends with an INSERT the server ran, in savepoint fw_ahead
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

}  // namespace fw::storage
