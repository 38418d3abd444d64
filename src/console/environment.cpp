#include "console/environment.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

#include "lang/app_config.hpp"
#include "lang/migration_file.hpp"
#include "storage/database_tasks.hpp"

namespace fs = std::filesystem;

namespace fw::console {

bool database_file_exists(const std::string& path) { return storage::database_exists(path); }

namespace {
// A file with no tables yet (the migrations' own records aside) counts as new.
bool has_no_tables(storage::Database& db) {
  auto tables = db.tables();
  return std::all_of(tables.begin(), tables.end(),
                     [](const std::string& t) { return t == "schema_migrations" || t == "ar_internal_metadata"; });
}

// Ruby migrations get their programs before the migrator takes them.
storage::AppSource compiled(storage::AppSource app) {
  if (app.kind == storage::AppKind::ActiveRecord) lang::compile_migrations(app.migrations);
  return app;
}
}  // namespace

Environment::Environment(storage::AppSource app, std::string db_path, storage::Database::Options options,
                         std::string environment)
    : app_(compiled(std::move(app))),
      db_path_(std::move(db_path)),
      environment_(std::move(environment)),
      db_(std::make_unique<storage::Database>(db_path_, options)),
      is_new_(has_no_tables(*db_)),
      migrator_(*db_, app_.migrations) {
  if (app_.kind == storage::AppKind::ActiveRecord) migrator_.set_environment(environment_);
}

void Environment::load_schema() {
  if (!app_.schema) throw fw::Error(app_.name + " has no db/schema.rb to load");
  storage::Transaction tx(*db_);
  long long version = lang::load_schema(app_.schema->path, app_.schema->text, *db_);
  db_->exec_script("CREATE TABLE IF NOT EXISTS schema_migrations (version varchar NOT NULL PRIMARY KEY)");
  auto record = [&](const std::string& v) {
    db_->changes({"SCHEMA", "INSERT INTO schema_migrations (version) VALUES (?) ON CONFLICT DO NOTHING", {{"version", v}}});
  };
  if (version > 0) record(std::to_string(version));
  for (const auto& m : app_.migrations)
    if (std::stoll(m.version) <= version) record(m.version);
  tx.commit();
  migrator_.record_environment();
}

DatabaseChoice choose_database(const storage::AppSource& app, const std::string& given, const std::string& environment) {
  if (!given.empty()) return {given, "", {}};
  fs::path root(app.root.empty() ? "." : app.root);
  if (app.kind != storage::AppKind::ActiveRecord)
    return {app.root.empty() ? "fwitter.sqlite3" : (root / "db" / "development.sqlite3").string(), "", {}};
  auto config = lang::read_app_config(app.config, environment);
  DatabaseChoice choice;
  choice.notes = config.notes;
  if (config.adapter == "postgresql") return {config.database, config.found_in, config.notes};
  if (!config.adapter.empty() && config.adapter != "sqlite3" && config.adapter != "sqlite")
    throw fw::Error(fmt::format("{} names the {} adapter; fwitter opens SQLite (adapter: sqlite3) and PostgreSQL "
                                "(adapter: postgresql) databases, so pass one with --db FILE or --db postgres://...",
                                config.found_in, config.adapter));
  if (config.database.empty()) {
    choice.path = (root / "db" / (environment + ".sqlite3")).lexically_normal().string();
    choice.from = "no database named in config/database.yml or config/environment.rb";
    return choice;
  }
  fs::path named(config.database);
  choice.path = named.is_absolute() ? named.string() : (root / named).lexically_normal().string();
  choice.from = config.found_in;
  return choice;
}

void remove_database_files(const std::string& path) {
  if (storage::is_postgres_address(path)) {  // the database is the server's: its tables go, not it
    storage::Database db(path);
    storage::Transaction tx(db);
    for (const auto& table : db.tables()) db.exec_script("DROP TABLE IF EXISTS " + storage::quote_identifier(table) + " CASCADE");
    tx.commit();
    return;
  }
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    fs::remove(path + suffix, ignored);
  }
}

}  // namespace fw::console
