// status: which app, database and environment this console runs on, and its
// settings: the first thing to check when a record is not where it should be.
#include <fmt/format.h>

#include "storage/dialect.hpp"
#include "console/commands.hpp"
#include "console/session.hpp"

namespace fw::console {

void command_status(Session& s, const std::string& args) {
  if (!args.empty()) throw fw::Error("status takes nothing: it shows the app, database and settings of this console");
  Environment& env = s.env();
  const Settings& settings = s.settings();
  size_t applied = 0, pending = 0;
  for (const auto& m : env.migrator().status()) ++(m.up ? applied : pending);
  std::string app = env.app().root.empty() ? env.app().name + ", built in" : env.app().root;
  std::string migrations = pending == 0 ? fmt::format("{} migration{} applied, none pending", applied, applied == 1 ? "" : "s")
                                        : fmt::format("{} applied, {} pending: `fwitter db migrate` applies them", applied, pending);
  std::string transaction = s.in_user_transaction() ? "open (commit keeps it, rollback undoes it)" : "none open";
  if (settings.sandbox) transaction += "; sandbox: everything is rolled back when you leave";
  s.out() << fmt::format("app:          {} ({} model{})\n", app, s.app().models().size(), s.app().models().size() == 1 ? "" : "s")
          << fmt::format("database:     {} ({})\n", storage::shown_address(env.db_path()), migrations)
          << fmt::format("environment:  {}\n", env.environment())
          << fmt::format("format:       {}; sql {}; timer {}\n", settings.format, settings.sql ? "on" : "off",
                         settings.timer ? "on" : "off")
          << fmt::format("transaction:  {}\n", transaction);
}

}  // namespace fw::console
