// The view's pages over the console's connection, borrowed while it waits
// at the prompt: a model's rows, a record with its associations, the diagram.
#include "web/pages.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <utility>

#include "console/diagram.hpp"
#include "console/session.hpp"
#include "lang/runtime.hpp"
#include "model/errors.hpp"
#include "model/queries.hpp"
#include "model/associations.hpp"
#include "model/store.hpp"
#include "storage/database.hpp"
#include "storage/read_only.hpp"
#include "web/json_values.hpp"

extern char** environ;

namespace fw::web {

using nlohmann::json;

namespace {

constexpr int kListed = 20;  // records of an association listed on a record's page

const model::ModelClass& model_named(const model::App& app, const std::string& name) {
  for (const auto& m : app.models())
    if (m->name == name) return *m;
  throw PageError{404, "no model is named " + name};
}

// What a link to a record says: its first name-like column, else "User #1".
std::string label_of(const model::Record& record) {
  for (const char* column : {"name", "username", "title", "email", "subject", "content", "body"}) {
    const auto& columns = record.model().columns;
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name != column) continue;
      std::string text = value_to_s(record.at(i));
      if (text.empty()) continue;
      if (text.size() > 60) text = text.substr(0, 57) + "...";
      return text;
    }
  }
  return fmt::format("{} #{}", record.model().name, value_to_s(record.id()));
}

json link_of(const model::Record& record) {
  return {{"model", record.model().name}, {"id", value_json(record.id())}, {"label", label_of(record)}};
}

// The queries `db` ran while `work` ran.
json queries_during(storage::Database& db, const std::function<void()>& work) {
  json queries = json::array();
  int id = db.listen([&](const storage::Query& q, std::chrono::microseconds took) {
    if (q.label == "TRANSACTION") return;
    json binds = json::array();
    for (const auto& b : q.binds) binds.push_back({b.name, value_json(b.value)});
    queries.push_back({{"label", q.label}, {"sql", q.sql}, {"binds", binds}, {"ms", took.count() / 1000.0}});
  });
  try {
    work();
  } catch (...) {
    db.unlisten(id);
    throw;
  }
  db.unlisten(id);
  return queries;
}

// Each foreign key column of a belongs_to, with the model it names (or, for
// a polymorphic one, the column that holds the model's name): a list's cell
// and a record's attribute link to the row the key names.
json foreign_links(const model::ModelClass& model) {
  json links = json::object();
  for (const auto& r : model.reflections) {
    if (r->macro != model::Macro::BelongsTo) continue;
    if (r->polymorphic) {
      links[r->foreign_key] = {{"type_column", r->foreign_type}};
    } else if (r->klass) {
      links[r->foreign_key] = {{"model", r->klass->name}};
    }
  }
  return links;
}

std::string kind_of(const model::Reflection& r) {
  std::string kind = model::macro_name(r.macro);
  if (!r.through.empty()) kind += " :through";
  if (r.polymorphic) kind += " (polymorphic)";
  if (!r.as.empty()) kind += " (as: :" + r.as + ")";
  return kind;
}

// Runs `program args` with `input` on its standard input; its standard output.
std::string run_filter(const std::vector<std::string>& args, const std::string& input) {
  // Close-on-exec: a program the console starts meanwhile (the pager) must not
  // hold dot's pipes open.
  int in[2], out[2];
  if (pipe2(in, O_CLOEXEC) != 0) throw PageError{500, "cannot run dot"};
  if (pipe2(out, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    throw PageError{500, "cannot run dot"};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]), close(out[1]);
  std::string result;
  if (spawned == 0) {
    for (size_t at = 0; at < input.size();) {  // a diagram's DOT is far smaller than a pipe holds
      ssize_t n = write(in[1], input.data() + at, input.size() - at);
      if (n <= 0) break;
      at += static_cast<size_t>(n);
    }
  }
  close(in[1]);
  char buf[8192];
  for (ssize_t n; spawned == 0 && (n = read(out[0], buf, sizeof buf)) > 0;) result.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  if (spawned == 0) waitpid(pid, &status, 0);
  if (spawned != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw PageError{500, "the diagram needs Graphviz's dot (apt-get install graphviz)"};
  return result;
}

}  // namespace

Pages::Pages(console::Session& session) : session_(session) { statement_done(); }

Pages::~Pages() = default;

void Pages::statement_done() {
  const model::App& app = session_.app();
  std::lock_guard<std::mutex> hold(lock_);
  if (&app == drawn_app_) return;
  dot_ = console::diagram(app, "dot");
  drawn_app_ = &app;
}

json Pages::borrowed(std::chrono::milliseconds patience, const std::function<json(model::Store&, const model::App&)>& build) {
  auto& turn = session_.connection_turn();
  if (!turn.borrow(std::clamp(patience, std::chrono::milliseconds(0), kPatience))) {
    if (turn.closed()) throw PageError{503, "the console has ended"};
    throw PageError{503, "the console is running a statement; this page follows when it ends", true};
  }
  struct GiveBack {
    console::ConnectionTurn& turn;
    ~GiveBack() { turn.give_back(); }
  } give_back{turn};
  // A scope body that prints (puts) prints nowhere: the console's output is the console's.
  lang::Interpreter& interpreter = session_.interpreter();
  std::ostringstream nowhere;
  struct Output {
    lang::Interpreter& interpreter;
    std::ostream& was;
    ~Output() { interpreter.set_output(was); }
  } output{interpreter, interpreter.output()};
  interpreter.set_output(nowhere);
  model::Store& store = session_.store();
  storage::BorrowedReads reads(store.db());
  return build(store, session_.app());
}

namespace {

json models_of(model::Store& store, const model::App& app) {
  json list = json::array();
  for (const auto& m : app.models()) {
    json entry = {{"name", m->name}, {"table", m->table}};
    try {
      entry["count"] = store.queries().count(model::Relation::all(*m, store.code()));
    } catch (const fw::Error& e) {
      entry["error"] = e.what();
    }
    list.push_back(entry);
  }
  return list;
}

json list_of(model::Store& store, const model::App& app, const std::string& name, int page, int per,
             const std::string& sort, const std::string& dir) {
  const auto& model = model_named(app, name);
  std::string by = sort.empty() ? model.primary_key : sort;
  if (std::none_of(model.columns.begin(), model.columns.end(), [&](const model::Column& c) { return c.name == by; }))
    throw PageError{400, fmt::format("{} has no column {}", model.name, by)};
  per = std::clamp(per, 1, 500);
  page = std::max(page, 1);
  json out = {{"model", model.name}, {"table", model.table}, {"page", page}, {"per", per}, {"sort", by},
              {"dir", dir == "desc" ? "desc" : "asc"}};
  json columns = json::array();
  for (const auto& c : model.columns) columns.push_back(c.name);
  out["columns"] = columns;
  out["links"] = foreign_links(model);
  json rows = json::array();
  out["queries"] = queries_during(store.db(), [&] {
    auto all = model::Relation::all(model, store.code());
    out["total"] = store.queries().count(all);
    auto relation = all.order(by, dir == "desc").limit(per).offset(std::int64_t{page - 1} * per);
    for (const auto& record : store.queries().to_a(relation)) {
      json values = json::array();
      for (size_t i = 0; i < model.columns.size(); ++i) values.push_back(value_json(record->at(i)));
      rows.push_back({{"id", value_json(record->id())}, {"model", record->model().name}, {"values", values}});
    }
  });
  out["rows"] = rows;
  return out;
}

json record_of(model::Store& store, const model::App& app, const std::string& name, const std::string& id) {
  const auto& model = model_named(app, name);
  char* end = nullptr;
  long long number = std::strtoll(id.c_str(), &end, 10);
  Value key = (end && *end == '\0' && !id.empty()) ? Value{std::int64_t{number}} : Value{id};
  model::RecordPtr record;
  json out = {{"model", model.name}, {"table", model.table}};
  try {
    out["queries"] = queries_during(store.db(), [&] { record = store.queries().find(model::Relation::all(model, store.code()), key); });
  } catch (const model::RecordNotFound& e) {
    throw PageError{404, e.what()};
  }
  out["id"] = value_json(record->id());
  out["label"] = label_of(*record);
  json attributes = json::array();
  for (size_t i = 0; i < model.columns.size(); ++i)
    attributes.push_back({{"name", model.columns[i].name}, {"type", model.columns[i].sql_type}, {"value", value_json(record->at(i))}});
  out["attributes"] = attributes;
  out["links"] = foreign_links(model);
  json associations = json::array();
  for (const auto& r : model.reflections) {
    json a = {{"name", r->name}, {"kind", kind_of(*r)}, {"macro", model::macro_name(r->macro)}};
    if (r->klass) a["target"] = r->klass->name;
    if (!r->through.empty()) a["through"] = r->through;
    try {
      a["queries"] = queries_during(store.db(), [&] {
        if (r->macro == model::Macro::BelongsTo || r->macro == model::Macro::HasOne) {
          auto target = store.associations().target(record, *r);
          a["record"] = target ? link_of(*target) : json(nullptr);
          return;
        }
        auto collection = store.associations().collection(record, *r);
        a["count"] = store.queries().count(collection);
        json records = json::array();
        for (const auto& each : store.queries().to_a(collection.limit(kListed))) records.push_back(link_of(*each));
        a["records"] = records;
      });
    } catch (const fw::Error& e) {
      a["error"] = e.what();
    }
    associations.push_back(a);
  }
  for (const auto& r : model.broken_reflections)
    associations.push_back({{"name", r->name}, {"kind", kind_of(*r)}, {"error", r->broken_message}});
  out["associations"] = associations;
  return out;
}

}  // namespace

json Pages::models(std::chrono::milliseconds patience) {
  return borrowed(patience, [&](model::Store& store, const model::App& app) { return models_of(store, app); });
}

json Pages::list(const std::string& name, int page, int per, const std::string& sort, const std::string& dir,
                 std::chrono::milliseconds patience) {
  return borrowed(patience, [&](model::Store& store, const model::App& app) { return list_of(store, app, name, page, per, sort, dir); });
}

json Pages::record(const std::string& name, const std::string& id, std::chrono::milliseconds patience) {
  return borrowed(patience, [&](model::Store& store, const model::App& app) { return record_of(store, app, name, id); });
}

std::string Pages::diagram_svg(const std::vector<std::string>& touched) {
  std::string dot, marks;
  {
    std::lock_guard<std::mutex> hold(lock_);
    dot = dot_;
  }
  for (const auto& name : touched) {
    std::string quoted = "\"";
    for (char c : name) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    // Okabe and Ito's orange: told apart from the rest by colour-blind eyes too, and drawn thicker.
    marks += "  " + quoted + "\" [style=\"filled,bold\", fillcolor=\"#E69F00\", penwidth=3];\n";
  }
  auto last = dot.rfind('}');
  if (last != std::string::npos) dot.insert(last, marks);
  std::lock_guard<std::mutex> hold(draw_lock_);
  if (dot != drawn_for_) {
    drawn_ = run_filter({"dot", "-Tsvg"}, dot);
    drawn_for_ = dot;
  }
  return drawn_;
}

}  // namespace fw::web
