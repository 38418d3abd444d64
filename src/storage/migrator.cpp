#include "storage/migrator.hpp"

#include "base/clock.hpp"
#include "storage/dialect.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace fw::storage {

Migrator::Migrator(Database& db, std::vector<Migration> migrations) : db_(db), migrations_(std::move(migrations)) {}

// Reading never writes: schema_migrations is created by the first migration
// that runs, so opening a database takes no write lock.
std::vector<std::string> Migrator::applied() {
  std::vector<std::string> versions;
  if (!db_.table_exists("schema_migrations")) return versions;
  db_.each({"SCHEMA", "SELECT version FROM schema_migrations ORDER BY CAST(version AS BIGINT)", {}},
           [&](const Row& row) { versions.push_back(value_to_s(row[0])); });
  return versions;
}

std::vector<MigrationStatus> Migrator::status() {
  auto done = applied();
  std::set<std::string> done_set(done.begin(), done.end());
  std::vector<MigrationStatus> out;
  for (const auto& m : migrations_) {
    out.push_back({m.version, m.name, done_set.count(m.version) > 0, false});
    done_set.erase(m.version);
  }
  for (const auto& orphan : done_set) out.push_back({orphan, "", true, true});
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::stoll(a.version) < std::stoll(b.version); });
  return out;
}

std::vector<Migration> Migrator::pending() {
  auto done = applied();
  std::set<std::string> done_set(done.begin(), done.end());
  std::vector<Migration> out;
  for (const auto& m : migrations_)
    if (!done_set.count(m.version)) out.push_back(m);
  return out;
}

namespace {
// What a failed migration leaves, in ActiveRecord's words and then ours.
std::string canceled(const Migration& m, bool up) {
  return fmt::format("\nthis and all later migrations canceled: nothing of {}{} was applied", m.path,
                     up ? "" : "'s rollback");
}
}  // namespace

// A migration and its schema_migrations row are one transaction: a failure,
// a full disk or a kill part way leaves neither (SQLite's DDL is transactional).
void Migrator::run(const Migration& m, bool up) {
  Transaction tx(db_);
  try {
    db_.exec_script("CREATE TABLE IF NOT EXISTS schema_migrations (version varchar NOT NULL PRIMARY KEY)");
    if (m.program) m.program(db_, up);
    else if (db_.engine() == Engine::PostgreSQL && (up ? m.postgresql_up : m.postgresql_down))
      db_.exec_script(*(up ? m.postgresql_up : m.postgresql_down));  // its own text for PostgreSQL
    else if (db_.engine() == Engine::PostgreSQL) db_.exec_script(postgres_ddl(up ? m.up : m.down));
    else db_.exec_script(up ? m.up : m.down);
    if (up) db_.changes({"SCHEMA", "INSERT INTO schema_migrations (version) VALUES (?)", {{"version", m.version}}});
    else db_.changes({"SCHEMA", "DELETE FROM schema_migrations WHERE version = ?", {{"version", m.version}}});
  } catch (const MigrationError&) {
    throw;
  } catch (const fw::Error& e) {
    if (auto* db = dynamic_cast<const DbError*>(&e); db && db->is_unavailable()) throw;
    // A Ruby migration's own error names its file and line already.
    std::string message = e.what();
    if (message.rfind(m.path + ":", 0) != 0)
      message = fmt::format("migration {} failed ({}): {}", m.path, up ? "up" : "down", message);
    throw MigrationError(message + canceled(m, up));
  }
  tx.commit();
}

// ActiveRecord's record of the environment a database was migrated in, which
// `rake db:migrate` reads to know the database is its own.
void Migrator::record_environment() {
  if (environment_.empty()) return;
  Transaction tx(db_);
  std::string table =
      "CREATE TABLE IF NOT EXISTS \"ar_internal_metadata\" (\"key\" varchar NOT NULL PRIMARY KEY, \"value\" varchar, "
      "\"created_at\" datetime(6) NOT NULL, \"updated_at\" datetime(6) NOT NULL)";
  db_.exec_script(db_.engine() == Engine::PostgreSQL ? postgres_ddl(table) : table);
  if (is_null(db_.scalar({"SCHEMA", "SELECT 1 FROM ar_internal_metadata WHERE key = 'environment'", {}}))) {
    Value now = utc_timestamp();
    db_.changes({"SCHEMA", "INSERT INTO ar_internal_metadata (key, value, created_at, updated_at) VALUES (?, ?, ?, ?)",
                 {{"key", std::string("environment")}, {"value", environment_}, {"created_at", now}, {"updated_at", now}}});
  }
  tx.commit();
}

int Migrator::migrate(const Progress& done) {
  int count = 0;
  for (const auto& m : pending()) {
    run(m, true);
    if (done) done(m);
    ++count;
  }
  record_environment();
  return count;
}

int Migrator::rollback(int steps, const Progress& done) {
  auto versions = applied();
  int count = 0;
  for (auto it = versions.rbegin(); it != versions.rend() && count < steps; ++it, ++count) {
    auto m = std::find_if(migrations_.begin(), migrations_.end(), [&](const Migration& x) { return x.version == *it; });
    if (m == migrations_.end())
      throw MigrationError(fmt::format("cannot roll back migration {}: no file in db/migrate has that version", *it));
    run(*m, false);
    if (done) done(*m);
  }
  return count;
}

}  // namespace fw::storage
