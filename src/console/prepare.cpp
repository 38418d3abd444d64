// A new database brought up to date before statements run (migrated, from
// db/schema.rb, seeded), and the seed script run on its own.
#include <fmt/format.h>

#include "storage/dialect.hpp"
#include "console/session.hpp"

namespace fw::console {

int seed(Environment& env, std::ostream& out, std::ostream& err) {
  if (!env.app().seed) {
    err << "fwitter: " << env.app().name << " has no scripts/seed.fw; nothing to seed\n";
    return 0;
  }
  Settings quiet;
  quiet.quiet = true;
  Session session(env, quiet, out, err);
  return session.run_script(env.app().seed->path, env.app().seed->text);
}

void prepare_database(Environment& env, std::ostream& err) {
  if (env.is_new()) {
    // One transaction: if the seed fails, the file stays empty and the next run tries again.
    storage::Transaction tx(env.db());
    bool from_schema = env.app().migrations.empty() && env.app().schema;  // db/schema.rb stands for the migrations
    if (from_schema) env.load_schema();
    int migrations = env.migrator().migrate();
    bool seeded = env.app().seed.has_value();
    if (seeded && seed(env, err, err) != 0)
      throw fw::Error("the seed script " + env.app().seed->path + " failed, so nothing was created; fix it and run again");
    tx.commit();
    err << fmt::format("fwitter: created {} ({}{})\n", storage::shown_address(env.db_path()),
                       from_schema ? "from " + env.app().schema->path
                                   : fmt::format("{} migration{}", migrations, migrations == 1 ? "" : "s"),
                       seeded ? ", seeded from " + env.app().seed->path : "");
    return;
  }
  auto pending = env.migrator().pending();
  if (!pending.empty())
    err << fmt::format("fwitter: warning: {} pending migration{} ({}...); run `fwitter db migrate` to apply\n",
                       pending.size(), pending.size() == 1 ? "" : "s", pending.front().version + "_" + pending.front().name);
}

}  // namespace fw::console
