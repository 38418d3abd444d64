#pragma once
// An app's files: migrations, model declarations and seed script, read from
// a folder or from the copy of the fwitter app built into the binary.
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fw::storage {

class Database;

struct SourceFile {
  std::string path;  // as shown in messages: "db/models.fw", "/apps/store/db/models.fw"
  std::string text;
};

struct Migration {
  std::string version;  // "0001"
  std::string name;     // "create_users"
  std::string path;
  std::string up;
  std::string down;
  // Its own text for PostgreSQL (`-- migrate:up postgresql` sections), used
  // there instead of `up`/`down` as PostgreSQL takes them (dialect.hpp).
  std::optional<std::string> postgresql_up, postgresql_down;
  // A migration written in Ruby (db/migrate/*.rb): its text, and what the
  // language layer made of it, which runs it (up, or down) on the database.
  std::string ruby;
  std::function<void(Database&, bool up)> program;
};

// What kind of folder an app is: the console's own (db/models.fw and SQL
// migrations) or a learner's ActiveRecord app (app/models/*.rb, Ruby migrations).
enum class AppKind { Fwitter, ActiveRecord };

struct AppSource {
  std::string name;  // "fwitter" for the built-in app, else the folder
  std::string root;  // the folder, or "" for the built-in app
  std::vector<Migration> migrations;  // in version order
  AppKind kind = AppKind::Fwitter;
  SourceFile models;                    // db/models.fw (an ActiveRecord app: none)
  std::vector<SourceFile> ruby_models;  // an ActiveRecord app's app/models/**/*.rb, then lib/**/*.rb
  std::vector<std::string> notes;       // files passed over, and why (a binary or huge .rb)
  std::optional<SourceFile> schema;     // db/schema.rb
  std::vector<SourceFile> config;       // config/database.yml, environment.rb, application.rb: those there are
  std::optional<SourceFile> seed;       // scripts/seed.fw, or db/seeds.rb
  std::optional<SourceFile> lesson;  // lesson.fw or scripts/lesson.fw

  static AppSource builtin();
  // The course's example app NAME ("clinic"), as built into the binary from
  // db/examples/NAME; throws fw::Error when there is none.
  static AppSource example(const std::string& name);
  // The example apps built into the binary, by name.
  static std::vector<std::string> example_names();
  // Throws fw::Error when DIR is neither kind of app: no app/models/*.rb,
  // and no db/migrate folder or no db/models.fw.
  static AppSource from_directory(const std::string& dir);
  // Whether DIR holds an ActiveRecord app (app/models with a .rb file).
  static bool is_active_record_app(const std::string& dir);
};

// Where `path` really is (links followed), when that is outside the folder
// `root`; nullopt when it is inside. Opening a folder reads that folder only.
std::optional<std::string> outside_folder(const std::string& root, const std::string& path);

// Splits a migration file at its `-- migrate:up` / `-- migrate:down` markers;
// `-- migrate:up postgresql` / `-- migrate:down postgresql` sections are the
// text for PostgreSQL, where an engine needs its own.
// Throws fw::Error naming the file when the up marker is missing.
Migration parse_migration(const std::string& path, const std::string& text);
// A Ruby migration file (20170101000001_create_users.rb, or 001_create_users.rb,
// whose version is 1 as ActiveRecord reads it); nothing for a name that is no migration's.
std::optional<Migration> ruby_migration(const std::string& path, const std::string& text);

// The built-in app's files, byte for byte; generated at build time.
struct EmbeddedFile {
  const char* path;  // relative to the repository root
  const char* data;
  unsigned long size;
};
const std::vector<EmbeddedFile>& embedded_app_files();

}  // namespace fw::storage
