#include "lang/app_config.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <functional>
#include <map>
#include <optional>

#include "base/text.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"

namespace fw::lang {

namespace {

// The process's environment, with what the configuration itself set
// (ENV['SINATRA_ENV'] ||= "development").
struct Environment {
  std::map<std::string, std::string> set;
  std::optional<std::string> get(const std::string& key) const {
    if (auto it = set.find(key); it != set.end()) return it->second;
    if (const char* v = std::getenv(key.c_str())) return std::string(v);
    return std::nullopt;
  }
};

bool is_env(const Node& n) { return n.kind == Node::Kind::Constant && n.name == "ENV"; }

// A configuration value: strings, interpolation, ENV['X'], ENV.fetch('X', default),
// ENV.fetch('X') { default }, a || b. Nothing else runs: `why` says so.
std::optional<std::string> value_of(const Node& n, const Environment& env, std::string& why) {
  switch (n.kind) {
    case Node::Kind::String: case Node::Kind::Symbol: case Node::Kind::Integer: case Node::Kind::Float:
      return n.text;
    case Node::Kind::Nil: return std::nullopt;
    case Node::Kind::Interp: {
      std::string out;
      for (const auto& part : n.items) {
        auto v = value_of(*part, env, why);
        if (!why.empty()) return std::nullopt;
        out += v.value_or("");
      }
      return out;
    }
    case Node::Kind::Index:
      if (is_env(*n.receiver) && n.items.size() == 1) {
        auto key = value_of(*n.items[0], env, why);
        return key ? env.get(*key) : std::nullopt;
      }
      break;
    case Node::Kind::Call:
      if (n.receiver && is_env(*n.receiver) && n.name == "fetch" && !n.items.empty()) {
        auto key = value_of(*n.items[0], env, why);
        if (!key) return std::nullopt;
        if (auto v = env.get(*key)) return v;
        if (n.items.size() > 1) return value_of(*n.items[1], env, why);
        if (n.block && n.block->kind == Node::Kind::Block && n.block->items[0]->items.size() == 1)
          return value_of(*n.block->items[0]->items[0], env, why);
        why = fmt::format("ENV.fetch(\"{}\") has no default and {} is not set", *key, *key);
        return std::nullopt;
      }
      break;
    case Node::Kind::Or: {
      auto left = value_of(*n.items[0], env, why);
      if (left || !why.empty()) return left;
      return value_of(*n.items[1], env, why);
    }
    default: break;
  }
  why = "fwitter reads strings, ENV[...] and ENV.fetch(...) here, and runs nothing else";
  return std::nullopt;
}

bool is_postgresql(const std::string& adapter) {
  return adapter == "postgresql" || adapter == "postgres" || adapter == "postgis";
}

// A `database:` that is a URL: sqlite3:db/x.sqlite3, sqlite3:///abs/path; a
// PostgreSQL one (postgres://ann@host/lab) is its own address.
std::string from_url(const std::string& url, std::string& adapter) {
  auto colon = url.find(':');
  if (colon == std::string::npos) return url;
  adapter = url.substr(0, colon);
  if (is_postgresql(adapter)) {
    adapter = "postgresql";
    return url;
  }
  std::string rest = url.substr(colon + 1);
  if (rest.rfind("//", 0) == 0) rest = rest.substr(2);
  return rest;
}

// A PostgreSQL entry's keys (database, host, port, username, password) as
// libpq's connection string: dbname='lab' host='db.example' ...
std::string postgres_address(const std::map<std::string, std::string>& keys) {
  static const std::pair<const char*, const char*> names[] = {
      {"database", "dbname"}, {"host", "host"}, {"port", "port"}, {"username", "user"}, {"user", "user"},
      {"password", "password"}, {"sslmode", "sslmode"}};
  std::string out;
  for (const auto& [key, libpq_key] : names) {
    auto it = keys.find(key);
    if (it == keys.end() || it->second.empty()) continue;
    std::string quoted;
    for (char c : it->second) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", libpq_key, quoted);
  }
  return out;
}

// ---- config/environment.rb (Sinatra) ----

struct Found {
  std::string database, adapter, at;
};

void read_connection(const Node& hash_or_url, const std::string& path, const Environment& env, Found& found,
                     std::vector<std::string>& notes) {
  std::string why;
  if (hash_or_url.kind == Node::Kind::Hash) {
    std::string database, adapter;
    std::map<std::string, std::string> keys;
    for (size_t i = 0; i + 1 < hash_or_url.items.size(); i += 2) {
      std::string key = hash_or_url.items[i]->text;
      auto v = value_of(*hash_or_url.items[i + 1], env, why);
      if (!why.empty()) {
        notes.push_back(diagnostic(path, hash_or_url.items[i + 1]->pos, fmt::format("cannot read {}: here: {}", key, why)));
        return;
      }
      if (key == "database") database = v.value_or("");
      if (key == "adapter") adapter = v.value_or("");
      if (key == "url" && v) database = from_url(*v, adapter);
      if (v) keys[key] = *v;
    }
    if (is_postgresql(adapter) && !keys.count("url")) adapter = "postgresql", database = postgres_address(keys);
    if (!database.empty()) found = {database, adapter, fmt::format("{}:{}", path, hash_or_url.pos.line)};
    return;
  }
  auto url = value_of(hash_or_url, env, why);
  if (!why.empty()) {
    notes.push_back(diagnostic(path, hash_or_url.pos, "cannot read the database here: " + why));
    return;
  }
  if (url) {
    std::string adapter;
    std::string database = from_url(*url, adapter);
    found = {database, adapter, fmt::format("{}:{}", path, hash_or_url.pos.line)};
  }
}

// Walks the statements (and the blocks of configure do ... end) for
// ENV[...] ||= ..., establish_connection(...) and set :database, ....
void walk(const Node& n, const std::string& path, const std::string& environment, Environment& env, Found& found,
          std::vector<std::string>& notes) {
  if (n.kind == Node::Kind::OpAssign && n.name == "||" && n.items[0]->kind == Node::Kind::Index &&
      is_env(*n.items[0]->receiver)) {
    std::string why;
    auto key = value_of(*n.items[0]->items[0], env, why);
    auto value = value_of(*n.items[1], env, why);
    if (key && value && !env.get(*key)) env.set[*key] = *value;
    return;
  }
  if (n.kind != Node::Kind::Call) return;
  if (n.name == "configure" && n.block && n.block->kind == Node::Kind::Block) {
    bool ours = n.items.empty();
    for (const auto& a : n.items) ours = ours || a->text == environment;
    if (ours)
      for (const auto& s : n.block->items[0]->items) walk(*s, path, environment, env, found, notes);
    return;
  }
  if (n.name == "establish_connection" && !n.items.empty()) {
    read_connection(*n.items[0], path, env, found, notes);
  } else if (n.name == "set" && n.items.size() >= 2 && n.items[0]->text == "database") {
    read_connection(*n.items[1], path, env, found, notes);
  } else if (n.name == "set" && n.items.size() == 1 && n.items[0]->kind == Node::Kind::Hash) {  // set database: {...}
    const Node& h = *n.items[0];
    for (size_t i = 0; i + 1 < h.items.size(); i += 2)
      if (h.items[i]->text == "database") read_connection(*h.items[i + 1], path, env, found, notes);
  }
}

std::vector<NodePtr> parse_all(const std::string& path, const std::string& text, std::vector<std::string>& notes) {
  std::vector<NodePtr> out;
  Parser parser(text);
  for (;;) {
    try {
      NodePtr s = parser.next_statement();
      if (!s) break;
      out.push_back(std::move(s));
    } catch (const SyntaxError& e) {
      notes.push_back(diagnostic(path, e.pos, e.what()));
      if (e.incomplete) break;
    }
  }
  return out;
}

// ---- config/database.yml ----

// The YAML a database.yml is written in: top-level entries holding
// `key: value` lines, `&name` anchors and `<<: *name` merges.
struct YamlEntry {
  std::map<std::string, std::pair<std::string, int>> values;  // key -> (raw value, line)
};

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::string unquote(const std::string& v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) return v.substr(1, v.size() - 2);
  return v;
}

std::map<std::string, YamlEntry> read_yaml(const std::string& text) {
  std::map<std::string, YamlEntry> entries;
  std::map<std::string, std::string> anchors;  // anchor -> entry
  std::string current;
  int line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() + 1 : end + 1;
    ++line_number;
    std::string content = trim(line);
    if (content.empty() || content[0] == '#') continue;
    bool indented = line[0] == ' ' || line[0] == '\t';
    auto colon = content.find(':');
    if (colon == std::string::npos) continue;
    std::string key = trim(content.substr(0, colon)), value = trim(content.substr(colon + 1));
    if (!indented) {
      current = key;
      entries[current];
      if (!value.empty() && value[0] == '&') anchors[value.substr(1)] = current;
      continue;
    }
    if (current.empty()) continue;
    if (key == "<<" && !value.empty() && value[0] == '*') {
      auto it = anchors.find(value.substr(1));
      if (it != anchors.end())
        for (const auto& kv : entries[it->second].values) entries[current].values.insert(kv);
      continue;
    }
    if (value.rfind("<%", 0) != 0) {
      auto hash = value.find(" #");
      if (hash != std::string::npos) value = trim(value.substr(0, hash));
    }
    entries[current].values[key] = {value, line_number};
  }
  return entries;
}

// A value that may be ERB: <%= ENV.fetch("DATABASE") { "db/dev.sqlite3" } %>.
std::optional<std::string> yaml_value(const std::string& raw, const Environment& env, std::string& why) {
  std::string v = unquote(raw);
  std::string out;
  size_t at = 0;
  while (true) {
    size_t open = v.find("<%", at);
    if (open == std::string::npos) break;
    size_t close = v.find("%>", open);
    if (close == std::string::npos) {
      why = "an ERB tag that is not closed";
      return std::nullopt;
    }
    out += v.substr(at, open - at);
    std::string code = v.substr(open + 2, close - open - 2);
    if (!code.empty() && code[0] == '=') code = code.substr(1);
    std::vector<std::string> ignored;
    auto nodes = parse_all("erb", code, ignored);
    if (nodes.size() != 1) {
      why = "fwitter reads ERB that gives one value (ENV[...], ENV.fetch(...)) and runs nothing else";
      return std::nullopt;
    }
    auto part = value_of(*nodes[0], env, why);
    if (!why.empty()) return std::nullopt;
    out += part.value_or("");
    at = close + 2;
  }
  return out + v.substr(at);
}

bool read_database_yml(const storage::SourceFile& file, const std::string& environment, const Environment& env,
                       Found& found, std::vector<std::string>& notes) {
  auto entries = read_yaml(file.text);
  auto entry = entries.find(environment);
  if (entry == entries.end()) {
    notes.push_back(fmt::format("{}: no entry for the {} environment", file.path, environment));
    return false;
  }
  std::string database, adapter, why;
  std::map<std::string, std::string> keys;
  int line = 1;
  for (const auto& [key, raw] : entry->second.values) {
    auto v = yaml_value(raw.first, env, why);
    if (!why.empty()) {
      notes.push_back(fmt::format("{}:{}: cannot read {}: {}", file.path, raw.second, key, why));
      return false;
    }
    keys[key] = v.value_or("");
    if (key == "adapter") adapter = v.value_or("");
    if (key == "database") database = v.value_or(""), line = raw.second;
  }
  // A url: wins over the entry's other keys, as ActiveRecord merges them.
  if (auto url = entry->second.values.find("url"); url != entry->second.values.end() && !keys["url"].empty()) {
    std::string url_adapter;
    std::string from = from_url(keys["url"], url_adapter);
    if (is_postgresql(url_adapter) || database.empty()) database = from, adapter = url_adapter, line = url->second.second;
  } else if (is_postgresql(adapter)) {
    adapter = "postgresql";
    database = postgres_address(keys);
  }
  if (database.empty()) {
    notes.push_back(fmt::format("{}: the {} entry names no database", file.path, environment));
    return false;
  }
  found = {database, adapter, fmt::format("{}:{}", file.path, line)};
  return true;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// config/application.rb: load_defaults 5.0 or later makes belongs_to required.
bool requires_belongs_to(const storage::SourceFile& file) {
  std::vector<std::string> ignored;
  bool required = false;
  std::function<void(const Node&)> visit = [&](const Node& n) {
    if (n.kind == Node::Kind::Call && n.name == "load_defaults" && !n.items.empty())
      required = std::atof(n.items[0]->text.c_str()) >= 5.0;
    if ((n.kind == Node::Kind::AttrAssign) && n.name == "belongs_to_required_by_default")
      required = n.items[0]->kind == Node::Kind::True;
    for (const auto& item : n.items)
      if (item) visit(*item);
    if (n.block) visit(*n.block);
  };
  for (const auto& s : parse_all(file.path, file.text, ignored)) visit(*s);
  return required;
}

}  // namespace

AppConfig read_app_config(const std::vector<storage::SourceFile>& config, const std::string& environment) {
  AppConfig out;
  Environment env;
  Found found;
  const storage::SourceFile *yml = nullptr, *environment_rb = nullptr;
  for (const auto& f : config) {
    if (ends_with(f.path, "database.yml")) yml = &f;
    if (ends_with(f.path, "environment.rb")) environment_rb = &f;
    if (ends_with(f.path, "application.rb")) out.belongs_to_required = requires_belongs_to(f);
  }
  bool done = yml && read_database_yml(*yml, environment, env, found, out.notes);
  // Rails' DATABASE_URL, which wins over database.yml's entry: read when it names PostgreSQL.
  if (auto url = env.get("DATABASE_URL"); url && (url->rfind("postgres://", 0) == 0 || url->rfind("postgresql://", 0) == 0)) {
    found = {*url, "postgresql", "DATABASE_URL"};
    done = true;
  }
  if (!done && environment_rb) {
    if (yml) out.notes.back() += "; looked next in " + environment_rb->path;
    env.set["SINATRA_ENV"] = env.get("SINATRA_ENV").value_or(environment);
    env.set["RACK_ENV"] = env.get("RACK_ENV").value_or(environment);
    for (const auto& s : parse_all(environment_rb->path, environment_rb->text, out.notes))
      walk(*s, environment_rb->path, environment, env, found, out.notes);
  }
  out.database = found.database;
  out.adapter = found.adapter;
  out.found_in = found.at;
  return out;
}

}  // namespace fw::lang
