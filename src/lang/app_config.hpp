#pragma once
// Where an ActiveRecord app keeps its database, found as the app finds it:
// config/database.yml's entry for the environment (its ERB read for ENV[...]
// and ENV.fetch with their defaults, and nothing else), else Sinatra's
// establish_connection or `set :database` in config/environment.rb. And the
// framework defaults the app gets (a Rails app's load_defaults).
#include <string>
#include <vector>

#include "storage/app_source.hpp"

namespace fw::lang {

struct AppConfig {
  std::string database;   // the SQLite file as the configuration names it (relative to the app folder), or ""
  std::string found_in;   // "config/environment.rb:6"
  std::string adapter;    // "sqlite3", "postgresql", ... as written
  // What could not be read, with file and line, and where the search went next.
  std::vector<std::string> notes;
  // belongs_to is required unless optional: true (config/application.rb's
  // load_defaults 5.0 or later, or belongs_to_required_by_default = true).
  bool belongs_to_required = false;
};

// `environment`: development, test, production, ...
AppConfig read_app_config(const std::vector<storage::SourceFile>& config, const std::string& environment);

}  // namespace fw::lang
