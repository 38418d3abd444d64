#include "storage/app_source.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/error.hpp"

namespace fs = std::filesystem;

namespace fw::storage {

namespace {

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw fw::Error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool is_migration_name(const std::string& filename) {
  static const std::regex pattern(R"(^[0-9]+_[A-Za-z0-9_]+\.sql$)");
  return std::regex_match(filename, pattern);
}

void sort_migrations(std::vector<Migration>& migrations) {
  std::sort(migrations.begin(), migrations.end(), [](const Migration& a, const Migration& b) {
    return std::stoll(a.version) < std::stoll(b.version);
  });
}

}  // namespace

Migration parse_migration(const std::string& path, const std::string& text) {
  Migration m;
  m.path = path;
  std::string filename = fs::path(path).filename().string();
  auto underscore = filename.find('_');
  m.version = filename.substr(0, underscore);
  m.name = filename.substr(underscore + 1, filename.size() - underscore - 1 - 4);
  const std::string up_marker = "-- migrate:up", down_marker = "-- migrate:down";
  auto up = text.find(up_marker);
  if (up == std::string::npos) throw fw::Error(path + ": no `-- migrate:up` marker");
  auto down = text.find(down_marker, up);
  size_t up_start = up + up_marker.size();
  m.up = text.substr(up_start, down == std::string::npos ? std::string::npos : down - up_start);
  if (down != std::string::npos) m.down = text.substr(down + down_marker.size());
  return m;
}

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// The app whose files are the embedded ones under PREFIX ("" for the fwitter
// app, "db/examples/clinic/" for an example), named by their paths.
AppSource embedded_app(const std::string& name, const std::string& prefix) {
  AppSource app;
  app.name = name;
  bool found = false;
  for (const auto& f : embedded_app_files()) {
    std::string path = f.path;
    if (!starts_with(path, prefix) || (prefix.empty() && starts_with(path, "db/examples/"))) continue;
    found = true;
    std::string rel = path.substr(prefix.size());
    std::string text(f.data, f.size);
    if (rel == "db/models.fw") app.models = {path, text};
    else if (rel == "scripts/seed.fw") app.seed = SourceFile{path, text};
    else if (rel == "lesson.fw" || rel == "scripts/lesson.fw") app.lesson = SourceFile{path, text};
    else if (starts_with(rel, "db/migrate/")) app.migrations.push_back(parse_migration(path, text));
  }
  if (!found) throw fw::Error("no app named " + name);
  sort_migrations(app.migrations);
  return app;
}

}  // namespace

AppSource AppSource::builtin() { return embedded_app("fwitter", ""); }

AppSource AppSource::example(const std::string& name) {
  auto names = example_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) throw fw::Error("no example app named " + name);
  return embedded_app(name, "db/examples/" + name + "/");
}

std::vector<std::string> AppSource::example_names() {
  std::vector<std::string> names;
  const std::string prefix = "db/examples/";
  for (const auto& f : embedded_app_files()) {
    std::string path = f.path;
    if (!starts_with(path, prefix)) continue;
    std::string name = path.substr(prefix.size(), path.find('/', prefix.size()) - prefix.size());
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

AppSource AppSource::from_directory(const std::string& dir) {
  fs::path root(dir);
  AppSource app;
  app.name = dir;
  app.root = dir;
  fs::path migrate = root / "db" / "migrate";
  if (!fs::is_directory(migrate)) throw fw::Error("no app at " + dir + ": " + migrate.string() + " is not a folder");
  for (const auto& entry : fs::directory_iterator(migrate)) {
    std::string filename = entry.path().filename().string();
    if (entry.is_regular_file() && is_migration_name(filename))
      app.migrations.push_back(parse_migration(entry.path().string(), read_file(entry.path())));
  }
  sort_migrations(app.migrations);
  fs::path models = root / "db" / "models.fw";
  if (!fs::is_regular_file(models)) throw fw::Error("no app at " + dir + ": " + models.string() + " is missing");
  app.models = {models.string(), read_file(models)};
  fs::path seed = root / "scripts" / "seed.fw";
  if (fs::is_regular_file(seed)) app.seed = SourceFile{seed.string(), read_file(seed)};
  for (const fs::path& lesson : {root / "lesson.fw", root / "scripts" / "lesson.fw"})
    if (!app.lesson && fs::is_regular_file(lesson)) app.lesson = SourceFile{lesson.string(), read_file(lesson)};
  return app;
}

}  // namespace fw::storage
