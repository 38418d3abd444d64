#include "console/environment.hpp"

#include <filesystem>

namespace fs = std::filesystem;

namespace fw::console {

bool database_file_exists(const std::string& path) {
  return path == ":memory:" || fs::exists(path);
}

Environment::Environment(storage::AppSource app, std::string db_path, storage::Database::Options options)
    : app_(std::move(app)),
      db_path_(std::move(db_path)),
      is_new_(!database_file_exists(db_path_) || (db_path_ != ":memory:" && fs::file_size(db_path_) == 0)),
      db_(std::make_unique<storage::Database>(db_path_, options)),
      migrator_(*db_, app_.migrations) {}

void remove_database_files(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::error_code ignored;
    fs::remove(path + suffix, ignored);
  }
}

}  // namespace fw::console
