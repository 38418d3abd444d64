#pragma once
// An app opened on a database: what every command of the command line starts
// from. Knows the app's files and how to bring a new database up to date.
#include <memory>
#include <string>

#include "storage/app_source.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace fw::console {

class Environment {
 public:
  // Opens (and, with `create`, creates) the database at `db_path`.
  Environment(storage::AppSource app, std::string db_path, storage::Database::Options options);

  storage::AppSource& app() { return app_; }
  storage::Database& db() { return *db_; }
  storage::Migrator& migrator() { return migrator_; }
  const std::string& db_path() const { return db_path_; }
  // True when the database had no tables when it was opened.
  bool is_new() const { return is_new_; }

 private:
  storage::AppSource app_;
  std::string db_path_;
  std::unique_ptr<storage::Database> db_;
  bool is_new_;
  storage::Migrator migrator_;
};

// Deletes a database file with its WAL and shared-memory companions.
void remove_database_files(const std::string& path);
bool database_file_exists(const std::string& path);

}  // namespace fw::console
