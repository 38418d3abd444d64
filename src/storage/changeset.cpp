// Debian's libsqlite3 is built with the session extension; its declarations
// in sqlite3.h are behind these two macros.
#define SQLITE_ENABLE_SESSION 1
#define SQLITE_ENABLE_PREUPDATE_HOOK 1
#include "storage/changeset.hpp"

#include <sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <cstring>
#include <tuple>

namespace fw::storage {

namespace {

// sqlite3_free'd memory as a std::string, freed here.
std::string take(void* bytes, int size) {
  std::string out = size > 0 ? std::string(static_cast<const char*>(bytes), static_cast<size_t>(size)) : std::string();
  sqlite3_free(bytes);
  return out;
}

void check(int rc, const char* what) {
  if (rc != SQLITE_OK) throw DbError(fmt::format("{}: {}", what, sqlite3_errstr(rc)), rc & 0xff, rc);
}

// Iterates a changeset's changes, finalizing the iterator however it ends.
class Iterator {
 public:
  explicit Iterator(const std::string& bytes) {
    check(sqlite3changeset_start(&it_, static_cast<int>(bytes.size()), const_cast<char*>(bytes.data())),
          "reading a changeset");
  }
  ~Iterator() { sqlite3changeset_finalize(it_); }
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  bool next() {
    int rc = sqlite3changeset_next(it_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) check(rc, "reading a changeset");
    return false;
  }
  sqlite3_changeset_iter* get() { return it_; }

 private:
  sqlite3_changeset_iter* it_ = nullptr;
};

// A value of a row as a message shows it: Ruby's literal for it.
std::string shown(sqlite3_value* v) {
  if (!v) return "?";
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return "nil";
    case SQLITE_INTEGER: return std::to_string(sqlite3_value_int64(v));
    case SQLITE_FLOAT: return fmt::format("{}", sqlite3_value_double(v));
    case SQLITE_BLOB: return fmt::format("<{} bytes>", sqlite3_value_bytes(v));
    default: {
      std::string text(reinterpret_cast<const char*>(sqlite3_value_text(v)), static_cast<size_t>(sqlite3_value_bytes(v)));
      return "\"" + text + "\"";
    }
  }
}

bool same(sqlite3_value* a, sqlite3_value* b) {
  if (sqlite3_value_type(a) != sqlite3_value_type(b)) return false;
  if (sqlite3_value_type(a) == SQLITE_NULL) return true;
  return sqlite3_value_bytes(a) == sqlite3_value_bytes(b) &&
         std::memcmp(sqlite3_value_blob(a), sqlite3_value_blob(b), static_cast<size_t>(sqlite3_value_bytes(a))) == 0;
}

// Which conflict stopped an apply, on which row, and how the row differs from
// what the changeset expected: what the message names.
struct Conflict {
  std::string table;
  int kind = 0;
  std::vector<std::pair<int, std::string>> key;                  // primary key: column index, value
  std::vector<std::tuple<int, std::string, std::string>> changed;  // column index, expected, found
};

int on_conflict(void* context, int kind, sqlite3_changeset_iter* it) {
  auto* conflict = static_cast<Conflict*>(context);
  conflict->kind = kind;
  const char* table = nullptr;
  int columns = 0, op = 0, indirect = 0;
  if (kind == SQLITE_CHANGESET_FOREIGN_KEY || sqlite3changeset_op(it, &table, &columns, &op, &indirect) != SQLITE_OK ||
      !table)
    return SQLITE_CHANGESET_ABORT;
  conflict->table = table;
  auto expected = [&](int i) {
    sqlite3_value* v = nullptr;
    (op == SQLITE_INSERT ? sqlite3changeset_new : sqlite3changeset_old)(it, i, &v);
    return v;
  };
  unsigned char* pk = nullptr;
  int pk_columns = 0;
  if (sqlite3changeset_pk(it, &pk, &pk_columns) == SQLITE_OK)
    for (int i = 0; i < pk_columns; ++i)
      if (pk[i]) conflict->key.emplace_back(i, shown(expected(i)));
  if (kind == SQLITE_CHANGESET_DATA || kind == SQLITE_CHANGESET_CONFLICT)
    for (int i = 0; i < columns; ++i) {
      sqlite3_value* was = expected(i);
      sqlite3_value* now = nullptr;
      if (was && sqlite3changeset_conflict(it, i, &now) == SQLITE_OK && now && !same(was, now))
        conflict->changed.emplace_back(i, shown(was), shown(now));
    }
  return SQLITE_CHANGESET_ABORT;
}

// "the users row id=1 was changed since, by another program (username is "zed"
// now, was "alice")", naming the columns from the table.
std::string conflict_text(Database& db, const Conflict& c) {
  if (c.kind == SQLITE_CHANGESET_FOREIGN_KEY) return "putting the rows back would break a foreign key";
  std::vector<std::string> names;
  try {
    for (const auto& column : db.columns(c.table)) names.push_back(column.name);
  } catch (const DbError&) {  // the table itself is gone: the message names columns by number
  }
  auto name = [&](int i) { return static_cast<size_t>(i) < names.size() ? names[i] : fmt::format("column {}", i + 1); };
  std::string key;
  for (const auto& [i, value] : c.key) key += (key.empty() ? "" : ", ") + name(i) + "=" + value;
  std::string row = fmt::format("the {} row{}", c.table.empty() ? "table's" : c.table, key.empty() ? "" : " " + key);
  std::string changed;
  for (const auto& [i, was, now] : c.changed)
    changed += fmt::format("{}{} is {} now, was {}", changed.empty() ? "" : "; ", name(i), now, was);
  switch (c.kind) {
    case SQLITE_CHANGESET_DATA:
      return fmt::format("{} was changed since, by another program ({})", row, changed.empty() ? "its values differ" : changed);
    case SQLITE_CHANGESET_NOTFOUND: return fmt::format("{} is gone since: another program deleted it", row);
    case SQLITE_CHANGESET_CONFLICT:
      return fmt::format("{} was added since, by another program, where a row would be put back", row);
    case SQLITE_CHANGESET_CONSTRAINT: return fmt::format("putting {} back would break a constraint", row);
    default: return fmt::format("{} is not as it was", row);
  }
}

// ---- PostgreSQL: changes as rows ----

// The columns of a table's primary key, by their place in `columns`.
std::vector<std::size_t> key_of(Database& db, const std::string& table, const std::vector<std::string>& columns) {
  std::vector<std::size_t> key;
  for (const auto& c : db.columns(table))
    if (c.primary_key)
      for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i] == c.name) key.push_back(i);
  return key;
}

std::string shown_value(const Value& v) {
  if (is_null(v)) return "nil";
  if (auto s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  return value_to_s(v);
}

const std::vector<Value>& image(const RowChange& c) { return c.op == RowChange::Op::Delete ? c.before : c.after; }

// The net change of each row, in the order rows first changed: an insert
// then an update is an insert of the last values, an insert then a delete
// nothing, an update that puts every value back nothing.
std::vector<RowChange> net_changes(Database& db, const std::vector<RowChange>& journal, std::size_t from,
                                   std::set<std::string>& keyless) {
  std::vector<RowChange> out;
  std::map<std::string, std::vector<std::size_t>> keys;  // table -> its key's columns
  std::map<std::pair<std::string, std::string>, std::size_t> at;  // (table, key) -> place in out
  for (std::size_t i = from; i < journal.size(); ++i) {
    const RowChange& c = journal[i];
    auto found = keys.find(c.table);
    if (found == keys.end()) found = keys.emplace(c.table, key_of(db, c.table, c.columns)).first;
    const auto& key = found->second;
    const auto& row = image(c);
    if (key.empty() || (c.op == RowChange::Op::Update && c.before.empty())) {
      keyless.insert(c.table);
      continue;
    }
    std::string text;
    for (std::size_t k : key) text += shown_value(row[k]) + ",";
    auto [place, fresh] = at.try_emplace({c.table, text}, out.size());
    if (fresh) {
      out.push_back(c);
      continue;
    }
    RowChange& net = out[place->second];
    using Op = RowChange::Op;
    if (net.op == Op::Insert && c.op == Op::Update) net.after = c.after;
    else if (net.op == Op::Insert && c.op == Op::Delete) net.op = Op::Update, net.before.clear(), net.after.clear();  // gone
    else if (net.op == Op::Update && c.op == Op::Update) net.after = c.after;
    else if (net.op == Op::Update && c.op == Op::Delete) net.op = Op::Delete, net.after.clear();
    else if (net.op == Op::Delete && c.op == Op::Insert) net.op = Op::Update, net.after = c.after;
  }
  std::vector<RowChange> kept;
  for (auto& c : out)
    if (!(c.op == RowChange::Op::Update && c.before == c.after)) kept.push_back(std::move(c));
  return kept;
}

// "the users row id=1", naming the key's columns.
std::string row_text(Database& db, const RowChange& c, const std::vector<Value>& row) {
  std::string key;
  for (std::size_t k : key_of(db, c.table, c.columns))
    key += (key.empty() ? "" : ", ") + c.columns[k] + "=" + shown_value(row[k]);
  return fmt::format("the {} row{}", c.table, key.empty() ? "" : " " + key);
}

}  // namespace

std::vector<TableChanges> Changeset::summary() const {
  std::vector<TableChanges> out;
  if (empty()) return out;
  if (rows_mode_) {
    for (const auto& c : rows_) {
      auto found = std::find_if(out.begin(), out.end(), [&](const TableChanges& t) { return t.table == c.table; });
      if (found == out.end()) found = out.insert(out.end(), TableChanges{c.table});
      if (c.op == RowChange::Op::Insert) ++found->inserted;
      if (c.op == RowChange::Op::Delete) ++found->deleted;
      if (c.op != RowChange::Op::Update) continue;
      ++found->updated;
      for (std::size_t i = 0; i < c.after.size() && i < c.before.size(); ++i)
        if (is_null(c.after[i]) && !is_null(c.before[i])) {
          ++found->nullified;
          break;
        }
    }
    return out;
  }
  Iterator it(bytes_);
  while (it.next()) {
    const char* table = nullptr;
    int columns = 0, op = 0, indirect = 0;
    check(sqlite3changeset_op(it.get(), &table, &columns, &op, &indirect), "reading a changeset");
    auto found = std::find_if(out.begin(), out.end(), [&](const TableChanges& t) { return t.table == table; });
    if (found == out.end()) found = out.insert(out.end(), TableChanges{table});
    if (op == SQLITE_INSERT) ++found->inserted;
    if (op == SQLITE_DELETE) ++found->deleted;
    if (op != SQLITE_UPDATE) continue;
    ++found->updated;
    for (int i = 0; i < columns; ++i) {
      sqlite3_value* before = nullptr;
      sqlite3_value* after = nullptr;
      check(sqlite3changeset_old(it.get(), i, &before), "reading a changeset");
      check(sqlite3changeset_new(it.get(), i, &after), "reading a changeset");
      // `after` is null for a column the update left alone
      if (after && sqlite3_value_type(after) == SQLITE_NULL && before && sqlite3_value_type(before) != SQLITE_NULL) {
        ++found->nullified;
        break;
      }
    }
  }
  return out;
}

namespace {

Value value_of(sqlite3_value* v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL: return {};
    case SQLITE_INTEGER: return std::int64_t{sqlite3_value_int64(v)};
    case SQLITE_FLOAT: return sqlite3_value_double(v);
    default:
      return std::string(reinterpret_cast<const char*>(sqlite3_value_text(v)), static_cast<size_t>(sqlite3_value_bytes(v)));
  }
}

}  // namespace

std::vector<RowChange> Changeset::rows(Database& db) const {
  if (rows_mode_) return rows_;
  std::vector<RowChange> out;
  if (bytes_.empty()) return out;
  std::map<std::string, std::vector<std::string>> names;  // each table's columns, read once
  Iterator it(bytes_);
  while (it.next()) {
    const char* table = nullptr;
    int columns = 0, op = 0, indirect = 0;
    check(sqlite3changeset_op(it.get(), &table, &columns, &op, &indirect), "reading a changeset");
    auto found = names.find(table);
    if (found == names.end()) {
      std::vector<std::string> list;
      for (const auto& c : db.columns(table)) list.push_back(c.name);
      found = names.emplace(table, std::move(list)).first;
    }
    RowChange change{op == SQLITE_INSERT ? RowChange::Op::Insert : op == SQLITE_DELETE ? RowChange::Op::Delete : RowChange::Op::Update,
                     table, {}, {}, {}};
    unsigned char* pk = nullptr;
    int pk_columns = 0;
    check(sqlite3changeset_pk(it.get(), &pk, &pk_columns), "reading a changeset");
    for (int i = 0; i < columns; ++i) {
      sqlite3_value* before = nullptr;
      sqlite3_value* after = nullptr;
      if (op != SQLITE_INSERT) check(sqlite3changeset_old(it.get(), i, &before), "reading a changeset");
      if (op != SQLITE_DELETE) check(sqlite3changeset_new(it.get(), i, &after), "reading a changeset");
      if (op == SQLITE_UPDATE && !after && !(i < pk_columns && pk[i])) continue;  // a column the update left alone
      auto index = static_cast<size_t>(i);
      change.columns.push_back(index < found->second.size() ? found->second[index] : fmt::format("column {}", i + 1));
      change.before.push_back(before ? value_of(before) : Value{});
      change.after.push_back(after ? value_of(after) : before ? value_of(before) : Value{});
    }
    out.push_back(std::move(change));
  }
  return out;
}

Changeset Changeset::inverted() const {
  if (empty()) return {};
  if (rows_mode_) {  // in the opposite order, so a parent is back before its children
    std::vector<RowChange> out(rows_.rbegin(), rows_.rend());
    for (auto& c : out) {
      std::swap(c.before, c.after);
      if (c.op != RowChange::Op::Update) c.op = c.op == RowChange::Op::Insert ? RowChange::Op::Delete : RowChange::Op::Insert;
    }
    return Changeset(std::move(out));
  }
  int size = 0;
  void* bytes = nullptr;
  check(sqlite3changeset_invert(static_cast<int>(bytes_.size()), bytes_.data(), &size, &bytes), "inverting a changeset");
  return Changeset(take(bytes, size));
}

// Each row as the changeset expects it now, or nothing is changed: a row
// another session changed, deleted or added since is named.
void Changeset::apply_rows(Database& db) const {
  Transaction tx(db, TransactionLog::Quiet);
  for (const auto& c : rows_) {
    auto key = key_of(db, c.table, c.columns);
    const auto& row = c.op == RowChange::Op::Insert ? c.after : c.before;
    std::string where;
    std::vector<Bind> key_binds;
    for (std::size_t k : key) {
      where += (where.empty() ? " WHERE " : " AND ") + quote_identifier(c.columns[k]) + " = ?";
      key_binds.push_back({c.columns[k], row[k]});
    }
    std::string table = quote_identifier(c.table);
    std::optional<std::vector<Value>> now;
    db.each({"SCHEMA", "SELECT * FROM " + table + where + " FOR UPDATE", key_binds}, [&](const Row& r) {
      now.emplace();
      for (std::size_t i = 0; i < c.columns.size(); ++i)
        for (int j = 0; j < r.size(); ++j)
          if (r.name(j) == c.columns[i]) now->push_back(r[j]);
    });
    std::string text = row_text(db, c, row);
    if (c.op == RowChange::Op::Insert) {
      if (now) throw DbError(text + " was added since, by another program, where a row would be put back", 4, 4);
    } else if (!now) {
      throw DbError(text + " is gone since: another program deleted it", 4, 4);
    } else if (*now != c.before) {
      std::string changed;
      for (std::size_t i = 0; i < c.before.size() && i < now->size(); ++i)
        if ((*now)[i] != c.before[i])
          changed += fmt::format("{}{} is {} now, was {}", changed.empty() ? "" : "; ", c.columns[i],
                                 shown_value((*now)[i]), shown_value(c.before[i]));
      throw DbError(fmt::format("{} was changed since, by another program ({})", text, changed), 4, 4);
    }
    try {
      if (c.op == RowChange::Op::Delete) {
        db.changes({"SCHEMA", "DELETE FROM " + table + where, key_binds});
      } else if (c.op == RowChange::Op::Insert) {
        std::vector<std::string> names, marks;
        Query q{"SCHEMA", "", {}};
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
          names.push_back(quote_identifier(c.columns[i]));
          marks.push_back("?");
          q.binds.push_back({c.columns[i], c.after[i]});
        }
        q.sql = "INSERT INTO " + table + " (" + fmt::format("{}", fmt::join(names, ", ")) + ") VALUES (" +
                fmt::format("{}", fmt::join(marks, ", ")) + ")";
        db.changes(q);
      } else {
        Query q{"SCHEMA", "UPDATE " + table + " SET ", {}};
        for (std::size_t i = 0; i < c.columns.size(); ++i) {
          q.sql += (i ? ", " : "") + quote_identifier(c.columns[i]) + " = ?";
          q.binds.push_back({c.columns[i], c.after[i]});
        }
        q.sql += where;
        q.binds.insert(q.binds.end(), key_binds.begin(), key_binds.end());
        db.changes(q);
      }
    } catch (const DbError& e) {
      if (e.sqlstate() == "23503") throw DbError("putting the rows back would break a foreign key", 4, 4);
      if (e.is_constraint()) throw DbError(fmt::format("putting {} back would break a constraint", text), 4, 4);
      throw;
    }
  }
  tx.commit();
}

void Changeset::apply(Database& db) const {
  if (empty()) return;
  if (rows_mode_) {
    try {
      apply_rows(db);
    } catch (const DbError& e) {
      if (e.code() != 4) throw;
      throw DbError(std::string(e.what()) + ", so nothing was changed", 4, 4);
    }
    return;
  }
  Conflict conflict;
  int rc = sqlite3changeset_apply(db.handle(), static_cast<int>(bytes_.size()), const_cast<char*>(bytes_.data()),
                                  nullptr, on_conflict, &conflict);
  if (rc == SQLITE_OK) return;
  if (conflict.kind != 0) throw DbError(conflict_text(db, conflict) + ", so nothing was changed", SQLITE_ABORT, rc);
  throw DbError(fmt::format("applying a changeset: {}", sqlite3_errmsg(db.handle())), rc & 0xff, rc);
}

struct ChangeRecorder::Session {
  sqlite3_session* session = nullptr;
  ~Session() {
    if (session) sqlite3session_delete(session);
  }
};

ChangeRecorder::ChangeRecorder(Database& db) : db_(db) {
  if (db.engine() != Engine::SQLite) {
    journal_start_ = db.journal().size();
    db.begin_capture();
    return;
  }
  session_ = std::make_unique<Session>();
  check(sqlite3session_create(db.handle(), "main", &session_->session), "starting a session");
  check(sqlite3session_attach(session_->session, nullptr), "starting a session");  // every table
  previous_ = static_cast<ChangeRecorder*>(sqlite3_update_hook(db.handle(), &ChangeRecorder::on_update, this));
}

ChangeRecorder::~ChangeRecorder() {
  if (!session_) {
    db_.end_capture();
    return;
  }
  if (previous_) sqlite3_update_hook(db_.handle(), &ChangeRecorder::on_update, previous_);
  else sqlite3_update_hook(db_.handle(), nullptr, nullptr);
}

void ChangeRecorder::on_update(void* self, int, const char*, const char* table, long long) {
  for (auto* r = static_cast<ChangeRecorder*>(self); r; r = r->previous_)
    if (r->changed_tables_.count(table) == 0) r->changed_tables_.insert(table);
}

Changeset ChangeRecorder::changeset() {
  if (!session_) {
    std::set<std::string> keyless;
    return Changeset(net_changes(db_, db_.journal(), journal_start_, keyless));
  }
  int size = 0;
  void* bytes = nullptr;
  check(sqlite3session_changeset(session_->session, &size, &bytes), "reading what changed");
  return Changeset(take(bytes, size));
}

std::vector<std::string> ChangeRecorder::untracked_tables() {
  std::vector<std::string> out;
  if (!session_) {
    std::set<std::string> keyless;
    net_changes(db_, db_.journal(), journal_start_, keyless);
    return {keyless.begin(), keyless.end()};
  }
  for (const auto& table : changed_tables_) {
    if (table.rfind("sqlite_", 0) == 0) continue;  // sqlite_sequence: AUTOINCREMENT's counters, never reused
    auto columns = db_.columns(table);
    if (std::none_of(columns.begin(), columns.end(), [](const ColumnInfo& c) { return c.primary_key; }))
      out.push_back(table);
  }
  return out;
}

}  // namespace fw::storage
