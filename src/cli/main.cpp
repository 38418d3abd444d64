// The command line: parses arguments with CLI11 and hands the work to the
// console layer (statements) or the storage layer (db commands).
#include <CLI/CLI.hpp>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>

#include "storage/dialect.hpp"
#include "web/view.hpp"
#include "console/commands.hpp"
#include "console/environment.hpp"
#include "console/session.hpp"
#include "storage/database.hpp"
#include "storage/database_tasks.hpp"
#include "storage/migrator.hpp"

namespace fs = std::filesystem;
using namespace fw;

namespace {

enum Exit { kOk = 0, kFailed = 1, kUsage = 2, kUnavailable = 3 };

struct Options {
  std::string app_dir;
  bool app_found = false;  // app_dir is the folder fwitter started in, an ActiveRecord app
  std::string environment;  // --env
  std::string db_path;
  std::string seed_path;  // --seed
  std::string lesson;     // lesson NAME
  std::string format = "table";
  bool sql = false, sandbox = false, keep_going = false, no_transaction = false, echo = false, no_color = false;
  std::vector<std::string> statements;  // -e
  std::vector<std::string> files;       // run FILE...
  int steps = 1;                        // db rollback --steps
  std::string diagram_format = "mermaid";  // diagram --format
  int timeout = 0;                      // --timeout SECONDS, 0 for none
  // --web [PORT], --web-share [PORT]: the browser view's `web` arguments, when asked for
  std::optional<std::string> web;
};

// A message for the user, and the exit status it ends with.
struct Failure {
  std::string message;
  int status;
};

// --env, else what the app's server would read, else development.
std::string environment_of(const Options& o) {
  if (!o.environment.empty()) return o.environment;
  for (const char* name : {"RAILS_ENV", "RACK_ENV", "SINATRA_ENV"})
    if (const char* env = std::getenv(name); env && *env) return env;
  return "development";
}

console::DatabaseChoice database_of(const Options& o, const storage::AppSource& app) {
  std::string given = o.db_path;
  if (const char* env = std::getenv("FWITTER_DB"); given.empty() && env && *env) given = env;
  return console::choose_database(app, given, environment_of(o));
}

storage::Database::Options db_options(bool create) {
  storage::Database::Options options;
  options.create = create;
  if (const char* env = std::getenv("FWITTER_BUSY_TIMEOUT_MS"); env && *env) options.busy_timeout_ms = std::atoi(env);
  return options;
}

std::string read_all(std::istream& in) {
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The app, with its seed script replaced by --seed FILE (or, for the
// built-in app only, FWITTER_SEED: an app folder always has its own).
storage::AppSource load_app(const Options& o) {
  auto app = o.app_dir.empty() ? storage::AppSource::builtin() : storage::AppSource::from_directory(o.app_dir);
  std::string seed = o.seed_path;
  if (const char* env = std::getenv("FWITTER_SEED"); seed.empty() && env && o.app_dir.empty()) seed = env;
  if (!seed.empty()) {
    std::ifstream in(seed, std::ios::binary);
    if (!in || fs::is_directory(seed)) throw Failure{"cannot read the seed script " + seed, kUsage};
    app.seed = storage::SourceFile{seed, read_all(in)};
  }
  return app;
}

// Opens the app's database, creating an SQLite file. A PostgreSQL server
// that does not have the database says so, and how to make it.
console::Environment open_environment(storage::AppSource app, const std::string& path, const Options& o) {
  try {
    return console::Environment(std::move(app), path, db_options(true), environment_of(o));
  } catch (const storage::DbError& e) {
    if (!storage::is_postgres_address(path) || !e.is_unavailable()) throw;
    bool missing = false;
    try {
      missing = !storage::database_exists(path);
    } catch (const fw::Error&) {  // the server cannot say: the first failure stands
    }
    if (!missing) throw;
    throw storage::DbError(fmt::format("the server has no database {}: `fwitter db create` creates it (`fwitter db "
                                       "setup` also migrates and seeds it)",
                                       storage::database_name(path)),
                           e.code(), e.extended_code(), e.sqlstate());
  }
}

// `fwitter db create` and `db drop`, said as rake says them.
void db_create(const std::string& path) {
  std::string name = storage::database_name(path);
  if (storage::create_database(path)) std::cout << "Created database '" << name << "'" << std::endl;
  else std::cerr << "Database '" << name << "' already exists" << std::endl;
}

void db_drop(const std::string& path) {
  std::string name = storage::database_name(path);
  if (storage::drop_database(path)) std::cout << "Dropped database '" << name << "'" << std::endl;
  else std::cerr << "Database '" << name << "' does not exist" << std::endl;
}

// `db reset` on PostgreSQL drops the database, as rake db:reset does, for
// db setup to create it again. A role that could not create it again (a
// class's shared role) drops its tables instead.
void reset_postgres(const std::string& path) {
  if (storage::may_create_databases(path)) return db_drop(path);
  if (!storage::database_exists(path)) return;  // db setup's create says why it cannot
  console::remove_database_files(path);
  std::cerr << fmt::format("fwitter: note: this role may not create databases (no CREATEDB), so db reset dropped "
                           "the tables of {} and kept the database\n",
                           storage::database_name(path));
}

void print_applied(const storage::Migration& m, const char* verb) {
  std::cout << fmt::format("== {} {}: {}", m.version, m.name, verb) << std::endl;
}

int db_migrate(console::Environment& env) {
  int n = env.migrator().migrate([](const storage::Migration& m) { print_applied(m, "migrated"); });
  if (n == 0) std::cout << "No pending migrations." << std::endl;
  return kOk;
}

int db_rollback(console::Environment& env, int steps) {
  if (steps < 1) throw Failure{"--steps takes a whole number of 1 or more", kUsage};
  int n = env.migrator().rollback(steps, [](const storage::Migration& m) { print_applied(m, "reverted"); });
  if (n == 0) std::cout << "No migrations to roll back." << std::endl;
  return kOk;
}

int db_status(const Options& o) {
  auto app = load_app(o);
  std::string path = database_of(o, app).path;
  std::vector<storage::MigrationStatus> rows;
  bool exists = console::database_file_exists(path);
  if (exists) {
    console::Environment env(app, path, db_options(false), environment_of(o));
    rows = env.migrator().status();
  } else {
    for (const auto& m : app.migrations) rows.push_back({m.version, m.name, false, false});
  }
  std::cout << "\ndatabase: " << storage::shown_address(path) << (exists ? "" : " (does not exist yet)")
            << "\n\n Status   Migration ID    Migration Name\n"
            << "--------------------------------------------------\n";
  bool ruby = app.kind == storage::AppKind::ActiveRecord;  // as rake db:migrate:status pads a version: 001
  for (const auto& r : rows)
    std::cout << fmt::format("  {:<6} {:<15} {}\n", r.up ? "up" : "down",
                             ruby && r.version.size() < 3 ? std::string(3 - r.version.size(), '0') + r.version : r.version,
                             r.file_missing ? "********** NO FILE **********" : r.name);
  std::cout << std::endl;
  return kOk;
}

console::Settings settings_of(const Options& o) {
  console::Settings s;
  s.format = o.format;
  s.terminal = console::Terminal::detect(o.no_color);
  s.hints = s.terminal.err_is_tty;
  s.sql = o.sql;
  s.keep_going = o.keep_going;
  s.no_transaction = o.no_transaction;
  s.echo = o.echo;
  s.sandbox = o.sandbox;
  s.timeout = o.timeout;
  return s;
}

// fwitter diagram: the app's models as console's `diagram` prints them. The
// models need only the schema: an in-memory database, migrated and not
// seeded, so no file is created or changed.
int diagram_command(const Options& o) {
  auto app = load_app(o);
  app.seed.reset();
  console::Environment env(app, ":memory:", db_options(true), environment_of(o));
  std::ostringstream setup;
  console::prepare_database(env, setup);
  console::Settings quiet;
  quiet.quiet = true;
  console::Session session(env, quiet, std::cout, std::cerr);
  console::command_diagram(session, o.diagram_format);
  return kOk;
}

int db_command(const std::string& name, const Options& o) {
  if (name == "status") return db_status(o);
  auto app = load_app(o);
  std::string path = database_of(o, app).path;
  bool postgres = storage::is_postgres_address(path);
  if (name == "create" || name == "drop") {
    name == "create" ? db_create(path) : db_drop(path);
    return kOk;
  }
  if (name == "reset" && postgres) reset_postgres(path);
  else if (name == "reset") console::remove_database_files(path);
  if (name == "setup" && console::database_file_exists(path)) {
    console::Environment env(app, path, db_options(false), environment_of(o));
    if (!env.migrator().status().empty() && env.migrator().pending().size() < env.app().migrations.size())
      throw Failure{fmt::format("{} is already set up; `fwitter db migrate` applies pending migrations and "
                                "`fwitter db reset` builds it again from nothing", storage::shown_address(path)),
                    kFailed};
  }
  // rake db:setup and db:reset create the database first: a server may not have it yet
  if ((name == "setup" || name == "reset") && postgres && !storage::database_exists(path)) db_create(path);
  auto env = open_environment(std::move(app), path, o);
  if (name == "migrate") return db_migrate(env);
  if (name == "load-schema") {
    env.load_schema();
    std::cout << "Loaded " << env.app().schema->path << " into " << path << std::endl;
    return kOk;
  }
  if (name == "rollback") return db_rollback(env, o.steps);
  if (name == "setup" || name == "reset") {
    db_migrate(env);
    return console::seed(env, std::cout, std::cerr);
  }
  if (name == "seed") return console::seed(env, std::cout, std::cerr);
  throw Failure{"unknown db command " + name, kUsage};
}

// An ActiveRecord app, in one line: what was found and where, then what was passed over.
void describe_app(const console::Environment& env, const console::DatabaseChoice& db, const console::Session& session) {
  const auto& app = env.app();
  if (app.kind != storage::AppKind::ActiveRecord) return;
  std::cerr << fmt::format("fwitter: {} (an ActiveRecord app): {} model{} from app/models, {} migration{} in db/migrate, "
                           "database {}{}\n",
                           app.name, session.app().models().size(), session.app().models().size() == 1 ? "" : "s",
                           app.migrations.size(), app.migrations.size() == 1 ? "" : "s", storage::shown_address(db.path),
                           db.from.empty() ? "" : " (" + db.from + ")");
  // a configuration file may point anywhere: say so when it leaves the folder
  if (!db.from.empty() && db.path != ":memory:" && !storage::is_postgres_address(db.path))
    if (auto real = storage::outside_folder(app.root, db.path))
      std::cerr << fmt::format("fwitter: note: the database {} ({}) is outside the app's folder\n", *real, db.from);
  for (const auto& note : app.notes) std::cerr << "fwitter: note: " << note << "\n";
  for (const auto& note : db.notes) std::cerr << "fwitter: note: " << note << "\n";
  for (const auto& note : session.model_notes()) std::cerr << "fwitter: " << note << "\n";
}

// --web or --web-share: the browser view, started before the first statement.
void start_view(const Options& o, console::Session& session) {
  if (!o.web) return;
  try {
    session.start_view(*o.web);
  } catch (const fw::Error& e) {
    throw Failure{e.what(), kUsage};
  }
}

int statements_command(CLI::App& cli, const Options& o) {
  bool interactive = o.statements.empty() && !cli.got_subcommand("run") && isatty(STDIN_FILENO);
  auto app = load_app(o);
  auto db = database_of(o, app);
  auto env = open_environment(std::move(app), db.path, o);
  console::prepare_database(env, std::cerr);
  console::Session session(env, settings_of(o), std::cout, std::cerr);
  describe_app(env, db, session);
  start_view(o, session);
  if (!o.statements.empty()) {
    std::string text;
    for (const auto& s : o.statements) text += s + "\n";
    return session.run_script("-e", text);
  }
  if (cli.got_subcommand("run")) {
    int status = kOk;
    for (const auto& file : o.files) {
      std::string text;
      try {
        text = console::read_script(file);
      } catch (const fw::Error& e) {
        throw Failure{e.what(), kUsage};
      }
      int ran = session.run_script(file, text);
      status = std::max(status, ran);
      if ((status != kOk && !o.keep_going) || ran == console::kInterruptedStatus) break;  // Ctrl-C stops them all
    }
    return status;
  }
  if (interactive) return session.run_interactive();
  return session.run_script("(stdin)", read_all(std::cin));
}

// A lesson's title: its first comment paragraph (up to a "#" line), without
// the "# Lesson: " opening, on one line.
std::string lesson_title(const storage::AppSource& app) {
  std::istringstream in(app.lesson->text);
  std::string title, line;
  while (std::getline(in, line) && line.rfind("# ", 0) == 0) {
    for (const char* prefix : {"# Lesson: ", "# "})
      if (line.rfind(prefix, 0) == 0) {
        line.erase(0, std::string(prefix).size());
        break;
      }
    title += (title.empty() ? "" : " ") + line;
  }
  return title;
}

// `fwitter lesson`: the built-in lessons, one a line.
int list_lessons() {
  std::vector<storage::AppSource> apps{storage::AppSource::builtin()};
  for (const auto& name : storage::AppSource::example_names()) apps.push_back(storage::AppSource::example(name));
  std::cout << "Lessons (run one with `fwitter lesson NAME`; it runs on a fresh database, and nothing it does is kept):\n";
  for (const auto& app : apps)
    if (app.lesson) std::cout << fmt::format("  {:<8} {}\n", app.name, lesson_title(app));
  return kOk;
}

// The app whose lesson `fwitter lesson NAME` runs: --app DIR's, the built-in
// app's ("fwitter"), or a built-in example's.
storage::AppSource lesson_app(const Options& o) {
  if (!o.app_dir.empty() && !(o.app_found && !o.lesson.empty())) {
    if (!o.lesson.empty()) throw Failure{"lesson takes a NAME or --app DIR, not both", kUsage};
    return load_app(o);
  }
  if (o.lesson == "fwitter") return load_app(o);
  auto names = storage::AppSource::example_names();
  if (std::find(names.begin(), names.end(), o.lesson) == names.end())
    throw Failure{fmt::format("no lesson named {}; the lessons are fwitter, {} (`fwitter lesson` lists them)", o.lesson,
                              fmt::join(names, ", ")),
                  kUsage};
  auto app = storage::AppSource::example(o.lesson);
  if (!o.seed_path.empty()) app.seed = load_app(o).seed;
  return app;
}

// `fwitter lesson NAME`: on a terminal the lesson live, a step at a time;
// else the lesson as a handout, each statement echoed before its result. On
// a fresh in-memory database (or --db, in a sandbox).
int lesson_command(const Options& o) {
  if (o.lesson.empty() && (o.app_dir.empty() || o.app_found)) return list_lessons();
  auto app = lesson_app(o);
  if (!app.lesson) throw Failure{"the app " + app.name + " has no lesson.fw", kUsage};
  std::string path = o.db_path.empty() ? ":memory:" : o.db_path;
  console::Environment env(app, path, db_options(true), environment_of(o));
  std::ostringstream setup;
  try {
    console::prepare_database(env, setup);
  } catch (const std::exception&) {
    std::cerr << setup.str();
    throw;
  }
  auto settings = settings_of(o);
  settings.echo = true;
  settings.sandbox = true;
  console::Session session(env, settings, std::cout, std::cerr);
  start_view(o, session);
  auto lesson = *env.app().lesson;
  // On a terminal the lesson steps, live; piped or written to a file it is the handout.
  if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) return session.run_lesson(lesson.path, lesson.text);
  return session.run_script(lesson.path, lesson.text);
}

int run(CLI::App& cli, const Options& o) {
  if (cli.got_subcommand("lesson")) return lesson_command(o);
  for (auto* db : cli.get_subcommand("db")->get_subcommands()) return db_command(db->get_name(), o);
  if (cli.got_subcommand("db"))
    throw Failure{"db needs a command: create, drop, setup, migrate, rollback, status, seed, reset or load-schema", kUsage};
  if (cli.got_subcommand("diagram")) return diagram_command(o);
  return statements_command(cli, o);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  CLI::App cli{"fwitter: an interactive console for exploring ActiveRecord-style associations over SQLite or PostgreSQL",
               "fwitter"};
  cli.set_version_flag("--version", std::string("fwitter ") + FWITTER_VERSION, "Print the version and exit");
  cli.option_defaults()->always_capture_default(false);
  cli.add_option("--app", o.app_dir,
                 "The app's folder: an ActiveRecord app (app/models/*.rb, db/migrate/*.rb), or db/models.fw with SQL "
                 "migrations; default: the folder fwitter starts in when it is an ActiveRecord app, else the built-in "
                 "fwitter app")
      ->check(CLI::ExistingDirectory);
  cli.add_option("--env", o.environment,
                 "An ActiveRecord app's environment: which config/database.yml entry to open (default: RAILS_ENV, "
                 "RACK_ENV or SINATRA_ENV, else development)");
  cli.add_option("--db", o.db_path, "The database: an SQLite file, or a PostgreSQL address postgres://user:password@host:port/dbname (or FWITTER_DB); default: config/database.yml's, DIR/db/development.sqlite3 or ./fwitter.sqlite3");
  cli.add_option("--seed", o.seed_path, "The seed script for a new database and `db seed`; default: the app's scripts/seed.fw (FWITTER_SEED for the built-in app)");
  cli.add_option("--format", o.format, "Output: table (the default), inspect, json or csv")
      ->check(CLI::IsMember({"table", "inspect", "json", "csv"}));
  cli.add_flag("--sql", o.sql, "Print the SQL each statement runs, with its values and time, on standard error");
  cli.add_flag("--sandbox", o.sandbox, "Roll back every change when the session ends");
  cli.add_flag("--keep-going", o.keep_going, "In a script, roll back a failed statement and go on");
  cli.add_flag("--no-transaction", o.no_transaction, "Do not wrap a script in one transaction");
  cli.add_flag("--echo", o.echo, "Print each statement of a script before its result");
  cli.add_flag("--no-color", o.no_color, "Never use colour");
  cli.add_option("--timeout", o.timeout, "Stop (and roll back) a statement still running after SECONDS")
      ->check(CLI::Range(1, 86400))
      ->type_name("SECONDS");
  cli.add_option("-e", o.statements, "Run a statement, then exit (may be repeated)")->allow_extra_args(false);
  std::string web_port, share_port;
  auto* web = cli.add_option("--web", web_port,
                             "Start a live view of this session in the browser on 127.0.0.1 (PORT: default 8765, or "
                             "the next free one; 0 any free port) and print its address; also `web` at the prompt")
                  ->expected(0, 1)
                  ->check(CLI::Range(0, 65535))
                  ->type_name("[PORT]");
  auto* share = cli.add_option("--web-share", share_port,
                               "The same view on the network, for the learners' laptops: read-only, behind a random "
                               "token in the address it prints")
                    ->expected(0, 1)
                    ->check(CLI::Range(0, 65535))
                    ->type_name("[PORT]");
  cli.fallthrough();

  cli.add_subcommand("console", "Start the interactive console (the default)");
  auto* run_cmd = cli.add_subcommand("run", "Run statement scripts, then exit");
  run_cmd->add_option("FILE", o.files, "Script files")->required()->check(CLI::ExistingFile);
  auto* db = cli.add_subcommand("db", "The database, as rake db:...: create, drop, setup, migrate, rollback [--steps N], "
                                     "status, seed, reset, load-schema (fwitter db --help says each)");
  db->add_subcommand("create", "Create the database (on a PostgreSQL server, or an empty SQLite file), as rake db:create");
  db->add_subcommand("drop", "Drop the database (on a PostgreSQL server, or delete the SQLite file), as rake db:drop");
  db->add_subcommand("setup", "Create the database, migrate it and run the seed script");
  db->add_subcommand("migrate", "Apply pending migrations");
  db->add_subcommand("rollback", "Revert the last migration (or --steps N)")
      ->add_option("--steps", o.steps, "How many migrations to revert");
  db->add_subcommand("status", "List every migration as up or down");
  db->add_subcommand("seed", "Run the app's seed script (or --seed FILE)");
  db->add_subcommand("reset", "Drop the database and set it up again (on PostgreSQL, a role that may not create "
                                "databases has its tables dropped instead)");
  db->add_subcommand("load-schema", "Load an ActiveRecord app's db/schema.rb into the database");
  db->require_subcommand(0, 1);
  cli.add_subcommand("diagram", "Print the models' association diagram (Mermaid erDiagram, or DOT for Graphviz)")
      ->add_option("--format", o.diagram_format, "mermaid (the default) or dot")
      ->check(CLI::IsMember({"mermaid", "dot"}));
  cli.add_subcommand("lesson", "List the lessons, or run one: fwitter lesson clinic (live, a step at a time, on a terminal; else a handout)")
      ->add_option("NAME", o.lesson, "fwitter, or one of the example apps (store, airbnb, clinic, music, guides)");
  cli.require_subcommand(0, 1);

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return cli.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return cli.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "fwitter: " << e.what() << "\nRun `fwitter --help` for the commands and options." << std::endl;
    return kUsage;
  }

  if (share->count() > 0) {
    o.web = "share " + share_port;
  } else if (web->count() > 0) {
    o.web = web_port;
  }
  console::Session::set_view_starter(&web::start_view);
  if (o.app_dir.empty() && storage::AppSource::is_active_record_app(".")) {  // a learner's app, opened where it is
    o.app_dir = ".";
    o.app_found = true;
  }
  try {
    return run(cli, o);
  } catch (const Failure& f) {
    std::cerr << "fwitter: " << f.message << std::endl;
    return f.status;
  } catch (const storage::DbError& e) {
    std::cerr << "fwitter: " << e.what() << std::endl;
    return e.is_unavailable() ? kUnavailable : kFailed;
  } catch (const fw::Error& e) {
    std::cerr << "fwitter: " << e.what() << std::endl;
    return kFailed;
  } catch (const std::exception& e) {
    std::cerr << "fwitter: " << e.what() << std::endl;
    return kFailed;
  }
}
