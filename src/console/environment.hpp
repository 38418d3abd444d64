#pragma once
// An app opened on a database: what every command of the command line starts
// from. Knows the app's files and how to bring a new database up to date.
#include <memory>
#include <string>
#include <vector>

#include "storage/app_source.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace fw::console {

class Environment {
 public:
  // Opens (and, with `create`, creates) the database at `db_path`.
  // `environment`: development, test, ... (an ActiveRecord app's RAILS_ENV).
  Environment(storage::AppSource app, std::string db_path, storage::Database::Options options,
              std::string environment = "development");

  storage::AppSource& app() { return app_; }
  const storage::AppSource& app() const { return app_; }
  storage::Database& db() { return *db_; }
  storage::Migrator& migrator() { return migrator_; }
  const std::string& db_path() const { return db_path_; }
  // True when the database had no tables when it was opened.
  bool is_new() const { return is_new_; }
  const std::string& environment() const { return environment_; }
  // An ActiveRecord app's db/schema.rb, loaded as `rake db:schema:load`
  // does: its tables, and its version and every migration's up to it recorded.
  void load_schema();

 private:
  storage::AppSource app_;
  std::string db_path_;
  std::string environment_;
  std::unique_ptr<storage::Database> db_;
  bool is_new_;
  storage::Migrator migrator_;
};

// Where an app's database is: `given` (--db, FWITTER_DB) if not empty, an
// ActiveRecord app's configuration (config/database.yml, config/environment.rb)
// for `environment`, else the app's default. `from` says where it was found,
// `notes` what could not be read.
struct DatabaseChoice {
  std::string path;
  std::string from;
  std::vector<std::string> notes;
};
DatabaseChoice choose_database(const storage::AppSource& app, const std::string& given, const std::string& environment);

// Deletes a database file with its WAL and shared-memory companions; on a
// PostgreSQL server, drops the database's tables.
void remove_database_files(const std::string& path);
// The file is there (":memory:" always is), or the PostgreSQL server has the database.
bool database_file_exists(const std::string& path);

}  // namespace fw::console
