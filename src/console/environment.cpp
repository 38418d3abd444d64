#include "console/environment.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace fw::console {

bool database_file_exists(const std::string& path) {
  return path == ":memory:" || fs::exists(path);
}

namespace {
// A file with no tables yet (schema_migrations aside) counts as new.
bool has_no_tables(storage::Database& db) {
  auto tables = db.tables();
  return std::all_of(tables.begin(), tables.end(), [](const std::string& t) { return t == "schema_migrations"; });
}
}  // namespace

Environment::Environment(storage::AppSource app, std::string db_path, storage::Database::Options options)
    : app_(std::move(app)),
      db_path_(std::move(db_path)),
      db_(std::make_unique<storage::Database>(db_path_, options)),
      is_new_(has_no_tables(*db_)),
      migrator_(*db_, app_.migrations) {}

void remove_database_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    fs::remove(path + suffix, ignored);
  }
}

}  // namespace fw::console
