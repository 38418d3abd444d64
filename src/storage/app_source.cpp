#include "storage/app_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "base/error.hpp"
#include "base/text.hpp"

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
  // Each `-- migrate:...` line starts a section that runs to the next one.
  std::string* section = nullptr;
  bool has_up = false;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start + 1);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.rfind("-- migrate:", 0) != 0) {
      if (section) *section += line;
      continue;
    }
    // `up` or `down`, then `postgresql` for PostgreSQL's own text; other
    // words (dbmate's options, `transaction:false`) are passed over.
    std::istringstream words(line.substr(11));
    std::string direction, word;
    words >> direction;
    bool postgresql = false;
    while (words >> word) postgresql = postgresql || word == "postgresql";
    if (direction != "up" && direction != "down")
      throw fw::Error(fmt::format("{}: unknown marker `-- migrate:{}` (up, down, up postgresql, down postgresql)", path,
                                  direction));
    bool up = direction == "up";
    has_up = has_up || (up && !postgresql);
    if (postgresql) section = &(up ? m.postgresql_up : m.postgresql_down).emplace();
    else section = up ? &m.up : &m.down;
  }
  if (!has_up) throw fw::Error(path + ": no `-- migrate:up` marker");
  return m;
}

namespace {

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

std::optional<Migration> ruby_migration(const std::string& path, const std::string& text) {
  static const std::regex pattern(R"(^([0-9]+)_([_a-z0-9]*)\.?([_a-z0-9]*)?\.rb$)");
  std::smatch m;
  std::string filename = fs::path(path).filename().string();
  if (!std::regex_match(filename, m, pattern)) return std::nullopt;
  Migration migration;
  std::string digits = m[1].str();
  size_t first = digits.find_first_not_of('0');
  migration.version = first == std::string::npos ? "0" : digits.substr(first);  // as ActiveRecord's to_i
  migration.name = m[2].str();
  migration.path = path;
  migration.ruby = text;
  return migration;
}

namespace {

constexpr std::uintmax_t kMaxRubyFile = 4u << 20;  // a model or migration past this is no learner's

std::string shown_path(const fs::path& root, const fs::path& p);

// A file of the app's folder as text, or a note saying why it was passed over:
// a link that leads outside the folder (opening a folder reads that folder
// only), a file larger than any learner writes, or one that is not text.
std::optional<SourceFile> app_file(const fs::path& root, const fs::path& p, std::vector<std::string>& notes) {
  std::string shown = shown_path(root, p);
  if (auto real = outside_folder(root.string(), p.string())) {
    notes.push_back(shown + ": passed over: it links to " + *real + ", outside the app's folder");
    return std::nullopt;
  }
  std::error_code ec;
  if (fs::file_size(p, ec) > kMaxRubyFile) {
    notes.push_back(shown + ": passed over: larger than 4 MB, which no file of a learner's app is");
    return std::nullopt;
  }
  std::string text = read_file(p);
  if (text.find('\0') != std::string::npos) {
    notes.push_back(shown + ": passed over: a binary file, not text");
    return std::nullopt;
  }
  return SourceFile{shown, std::move(text)};
}

// The .rb files under `dir`, in path order; those app_file refuses are noted and passed over.
std::vector<SourceFile> ruby_files(const fs::path& root, const fs::path& dir, std::vector<std::string>& notes) {
  std::vector<fs::path> paths;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return {};
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec))
    if (it->is_regular_file(ec) && it->path().extension() == ".rb") paths.push_back(it->path());
  std::sort(paths.begin(), paths.end());
  std::vector<SourceFile> out;
  for (const auto& p : paths)
    if (auto f = app_file(root, p, notes)) out.push_back(std::move(*f));
  return out;
}

std::string shown_path(const fs::path& root, const fs::path& p) {
  return root == "." ? p.lexically_relative(root).string() : p.string();
}

// A learner's app: Ruby models and migrations, db/seeds.rb, db/schema.rb.
AppSource active_record_app(const std::string& dir) {
  fs::path root(dir);
  AppSource app;
  app.kind = AppKind::ActiveRecord;
  app.name = fs::absolute(root).lexically_normal().filename().string();
  if (app.name.empty()) app.name = fs::absolute(root).lexically_normal().parent_path().filename().string();
  app.root = dir;
  fs::path shown_root = root.lexically_normal();
  for (const char* folder : {"app/models", "lib"})
    for (auto& f : ruby_files(shown_root, root / folder, app.notes)) app.ruby_models.push_back(std::move(f));
  std::error_code ec;
  for (auto& f : ruby_files(shown_root, root / "db" / "migrate", app.notes))
    if (auto m = ruby_migration(f.path, f.text)) app.migrations.push_back(std::move(*m));
  sort_migrations(app.migrations);
  for (size_t i = 1; i < app.migrations.size(); ++i)
    if (app.migrations[i].version == app.migrations[i - 1].version)
      throw fw::Error(fmt::format("Multiple migrations have the version number {}: {} and {}", app.migrations[i].version,
                                  app.migrations[i - 1].path, app.migrations[i].path));
  auto read = [&](const fs::path& p) { return fs::is_regular_file(p, ec) ? app_file(shown_root, p, app.notes) : std::nullopt; };
  for (const fs::path& lesson : {root / "lesson.fw", root / "scripts" / "lesson.fw"})
    if (!app.lesson) app.lesson = read(lesson);
  app.seed = read(root / "db" / "seeds.rb");
  app.schema = read(root / "db" / "schema.rb");
  for (const char* name : {"database.yml", "environment.rb", "application.rb"})
    if (auto f = read(root / "config" / name)) app.config.push_back(std::move(*f));
  return app;
}

}  // namespace

std::optional<std::string> outside_folder(const std::string& root, const std::string& path) {
  std::error_code ec;
  fs::path real = fs::weakly_canonical(path, ec);
  if (ec) return path;  // cannot be followed: not known to be inside
  auto rel = real.lexically_relative(fs::weakly_canonical(root, ec));
  if (ec || rel.empty() || *rel.begin() == "..") return real.string();
  return std::nullopt;
}

bool AppSource::is_active_record_app(const std::string& dir) {
  std::error_code ec;
  fs::path models = fs::path(dir) / "app" / "models";
  if (!fs::is_directory(models, ec)) return false;
  for (fs::recursive_directory_iterator it(models, ec), end; it != end; it.increment(ec))
    if (it->path().extension() == ".rb") return true;
  return false;
}

AppSource AppSource::from_directory(const std::string& dir) {
  if (is_active_record_app(dir)) return active_record_app(dir);
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
