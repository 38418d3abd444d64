#pragma once
// An app's files: migrations, model declarations and seed script, read from
// a folder or from the copy of the fwitter app built into the binary.
#include <optional>
#include <string>
#include <vector>

namespace fw::storage {

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
};

struct AppSource {
  std::string name;  // "fwitter" for the built-in app, else the folder
  std::string root;  // the folder, or "" for the built-in app
  std::vector<Migration> migrations;  // in version order
  SourceFile models;
  std::optional<SourceFile> seed;
  std::optional<SourceFile> lesson;  // lesson.fw or scripts/lesson.fw

  static AppSource builtin();
  // The course's example app NAME ("clinic"), as built into the binary from
  // db/examples/NAME; throws fw::Error when there is none.
  static AppSource example(const std::string& name);
  // The example apps built into the binary, by name.
  static std::vector<std::string> example_names();
  // Throws fw::Error when DIR has no db/migrate folder or no db/models.fw.
  static AppSource from_directory(const std::string& dir);
};

// Splits a migration file at its `-- migrate:up` / `-- migrate:down` markers.
// Throws fw::Error naming the file when the up marker is missing.
Migration parse_migration(const std::string& path, const std::string& text);

// The built-in app's files, byte for byte; generated at build time.
struct EmbeddedFile {
  const char* path;  // relative to the repository root
  const char* data;
  unsigned long size;
};
const std::vector<EmbeddedFile>& embedded_app_files();

}  // namespace fw::storage
