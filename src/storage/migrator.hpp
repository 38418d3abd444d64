#pragma once
// Applies and reverts an app's migrations, recording them in
// schema_migrations(version). Each migration runs in its own transaction.
#include <functional>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

namespace fw::storage {

class MigrationError : public fw::Error {
 public:
  using fw::Error::Error;
};

struct MigrationStatus {
  std::string version;
  std::string name;
  bool up = false;
  bool file_missing = false;  // recorded as applied, but no file has that version
};

class Migrator {
 public:
  using Progress = std::function<void(const Migration&)>;

  Migrator(Database& db, std::vector<Migration> migrations);
  // An ActiveRecord app's database: migrate records `environment` in
  // ar_internal_metadata, as rake db:migrate does.
  void set_environment(std::string environment) { environment_ = std::move(environment); }
  // Writes it (migrate does, after the migrations).
  void record_environment();

  std::vector<MigrationStatus> status();
  std::vector<Migration> pending();
  // Applies every pending migration in order; returns how many ran.
  int migrate(const Progress& done = {});
  // Reverts the last `steps` applied migrations; returns how many ran.
  int rollback(int steps, const Progress& done = {});

 private:
  std::vector<std::string> applied();
  void run(const Migration& m, bool up);

  Database& db_;
  std::vector<Migration> migrations_;
  std::string environment_;
};

}  // namespace fw::storage
