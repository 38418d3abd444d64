#include <doctest/doctest.h>

#include "storage/app_source.hpp"
#include "storage/migrator.hpp"

#include "../support/process.hpp"

using namespace fw;
using namespace fw::storage;

namespace {
Migration make(const std::string& version, const std::string& up, const std::string& down) {
  return parse_migration("db/migrate/" + version + "_m" + version + ".sql",
                         "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n");
}
std::int64_t count_tables(Database& db) {
  return std::get<std::int64_t>(db.scalar({"", "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'", {}}));
}
}  // namespace

TEST_CASE("parse_migration splits the up and down parts") {
  auto m = parse_migration("db/migrate/0007_create_things.sql", "-- migrate:up\nCREATE TABLE x (a);\n-- migrate:down\nDROP TABLE x;\n");
  CHECK(m.version == "0007");
  CHECK(m.name == "create_things");
  CHECK(m.up.find("CREATE TABLE x") != std::string::npos);
  CHECK(m.up.find("DROP") == std::string::npos);
  CHECK(m.down.find("DROP TABLE x") != std::string::npos);
  CHECK_THROWS_WITH_AS(parse_migration("db/migrate/1_x.sql", "CREATE TABLE x (a);"),
                       "db/migrate/1_x.sql: no `-- migrate:up` marker", fw::Error);
  CHECK(!m.postgresql_up);
}

TEST_CASE("parse_migration keeps a PostgreSQL section of its own apart") {
  auto m = parse_migration("db/migrate/0008_views.sql",
                           "-- migrate:up\nCREATE VIEW v AS SELECT datetime('now');\n"
                           "-- migrate:up postgresql\nCREATE VIEW v AS SELECT now();\n"
                           "-- migrate:down\nDROP VIEW v;\n");
  CHECK(m.up == "CREATE VIEW v AS SELECT datetime('now');\n");
  REQUIRE(m.postgresql_up);
  CHECK(*m.postgresql_up == "CREATE VIEW v AS SELECT now();\n");
  CHECK(m.down == "DROP VIEW v;\n");
  CHECK(!m.postgresql_down);  // the shared down serves PostgreSQL too
  auto options = parse_migration("db/migrate/0009_x.sql", "-- migrate:up transaction:false\nSELECT 1;\n");
  CHECK(options.up == "SELECT 1;\n");  // dbmate's options after a marker are passed over
  CHECK_THROWS_WITH_AS(parse_migration("db/migrate/9_x.sql", "-- migrate:up\nSELECT 1;\n-- migrate:sideways\n"),
                       "db/migrate/9_x.sql: unknown marker `-- migrate:sideways` (up, down, up postgresql, down "
                       "postgresql)", fw::Error);
}

TEST_CASE("Migrations go up in order, report status, and come down") {
  Database db(":memory:");
  Migrator migrator(db, {make("2", "CREATE TABLE b (id INTEGER)", "DROP TABLE b"),
                         make("1", "CREATE TABLE a (id INTEGER)", "DROP TABLE a")});
  CHECK(migrator.pending().size() == 2);
  std::vector<std::string> order;
  CHECK(migrator.migrate([&](const Migration& m) { order.push_back(m.version); }) == 2);
  CHECK(order == std::vector<std::string>{"2", "1"});  // as given; AppSource sorts
  auto status = migrator.status();
  REQUIRE(status.size() == 2);
  CHECK(status[0].version == "1");
  CHECK(status[0].up);
  CHECK(migrator.migrate() == 0);
  CHECK(migrator.rollback(1) == 1);
  CHECK_FALSE(db.table_exists("b"));  // the highest version goes first
  CHECK(db.table_exists("a"));
  CHECK(migrator.rollback(99) == 1);
  CHECK(count_tables(db) == 1);  // schema_migrations alone
}

TEST_CASE("A failing migration leaves the database as it was and names the file") {
  Database db(":memory:");
  Migrator migrator(db, {make("1", "CREATE TABLE a (id INTEGER)", "DROP TABLE a"),
                         make("2", "CREATE TABLE b (id INTEGER); CRATE TABLE c (id)", "DROP TABLE b")});
  try {
    migrator.migrate();
    FAIL("no error");
  } catch (const MigrationError& e) {
    std::string message = e.what();
    CHECK(message.find("db/migrate/2_m2.sql") != std::string::npos);
    CHECK(message.find("syntax error") != std::string::npos);
  }
  CHECK(db.table_exists("a"));       // the first migration stays applied
  CHECK_FALSE(db.table_exists("b"));  // the failed one left nothing
  auto status = migrator.status();
  CHECK(status[0].up);
  CHECK_FALSE(status[1].up);
}

TEST_CASE("The fwitter schema: five tables, indexes on every foreign key, rolled back entirely") {
  Database db(":memory:");
  auto app = AppSource::builtin();
  REQUIRE(app.migrations.size() == 5);
  Migrator migrator(db, app.migrations);
  migrator.migrate();
  for (auto t : {"users", "tweets", "messages", "follows", "hearts"}) {
    CHECK(db.table_exists(t));
    CHECK(db.scalar({"", std::string("SELECT count(*) FROM ") + t, {}}) == Value(std::int64_t{0}));
  }
  // every foreign key column is the first column of some index
  db.each({"", "SELECT m.name, f.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type='table'", {}},
          [&](const Row& row) {
            std::string table = value_to_s(row[0]), column = value_to_s(row[1]);
            auto indexed = db.scalar({"", "SELECT count(*) FROM pragma_index_list(?) l, pragma_index_info(l.name) i WHERE i.seqno = 0 AND i.name = ?",
                                      {{"t", table}, {"c", column}}});
            CHECK_MESSAGE(indexed != Value(std::int64_t{0}), table, ".", column, " has no index");
          });
  auto unique = [&](const std::string& index) {
    return db.scalar({"", "SELECT \"unique\" FROM pragma_index_list(?) WHERE name = ?",
                      {{"t", index.substr(6, index.find("_on_") - 6)}, {"n", index}}});
  };
  CHECK(unique("index_users_on_username") == Value(std::int64_t{1}));
  CHECK(unique("index_users_on_email") == Value(std::int64_t{1}));
  CHECK(unique("index_follows_on_follower_id_and_followed_id") == Value(std::int64_t{1}));
  CHECK(unique("index_hearts_on_user_id_and_tweet_id") == Value(std::int64_t{1}));
  CHECK(migrator.rollback(99) == 5);
  CHECK(count_tables(db) == 1);
}

TEST_CASE("The embedded apps are byte for byte the files in db/ and scripts/") {
  const auto& files = embedded_app_files();
  // fwitter: five migrations, models.fw, seed.fw, lesson.fw; five example apps
  // with 1 to 3 migrations each, models.fw, seed.fw and lesson.fw
  CHECK(files.size() == 8 + (2 + 3 + 1 + 3 + 3) + 5 * 3);
  for (const auto& f : files) {
    std::string on_disk = fw::test::slurp(std::string(FWITTER_SOURCE_DIR) + "/" + f.path);
    CHECK_MESSAGE(on_disk == std::string(f.data, f.size), f.path);
  }
  auto app = AppSource::builtin();
  CHECK(app.models.path == "db/models.fw");
  REQUIRE(app.seed);
  CHECK(app.seed->path == "scripts/seed.fw");
  REQUIRE(app.lesson);
  CHECK(app.lesson->path == "scripts/lesson.fw");
  CHECK(app.migrations.size() == 5);
}

TEST_CASE("The example apps are built in, each with its own files only") {
  CHECK(AppSource::example_names() == std::vector<std::string>{"airbnb", "clinic", "guides", "music", "store"});
  auto clinic = AppSource::example("clinic");
  CHECK(clinic.name == "clinic");
  CHECK(clinic.models.path == "db/examples/clinic/db/models.fw");
  REQUIRE(clinic.migrations.size() == 3);
  CHECK(clinic.migrations[2].name == "create_appointments");
  REQUIRE(clinic.seed);
  REQUIRE(clinic.lesson);
  CHECK(clinic.lesson->path == "db/examples/clinic/lesson.fw");
  auto from_disk = AppSource::from_directory(std::string(FWITTER_SOURCE_DIR) + "/db/examples/clinic");
  REQUIRE(from_disk.lesson);
  CHECK(from_disk.lesson->text == clinic.lesson->text);
  CHECK_THROWS_AS(AppSource::example("clinik"), fw::Error);
  CHECK_THROWS_AS(AppSource::example("../clinic"), fw::Error);
}

TEST_CASE("An app folder is read from disk") {
  fw::test::TempDir dir;
  std::filesystem::create_directories(dir.path() / "db" / "migrate");
  std::ofstream(dir / "db/migrate/0002_b.sql") << "-- migrate:up\nCREATE TABLE b (id);\n";
  std::ofstream(dir / "db/migrate/0010_c.sql") << "-- migrate:up\nCREATE TABLE c (id);\n";
  std::ofstream(dir / "db/migrate/README") << "not a migration";
  std::ofstream(dir / "db/models.fw") << "class B\nend\n";
  auto app = AppSource::from_directory(dir.path().string());
  REQUIRE(app.migrations.size() == 2);
  CHECK(app.migrations[0].version == "0002");
  CHECK(app.migrations[1].version == "0010");
  CHECK_FALSE(app.seed);
  CHECK_THROWS_AS(AppSource::from_directory((dir.path() / "db").string()), fw::Error);
}

TEST_CASE("Reading the migration status writes nothing") {
  Database db(":memory:");
  Migrator migrator(db, {make("1", "CREATE TABLE a (id INTEGER)", "DROP TABLE a")});
  CHECK(migrator.pending().size() == 1);
  CHECK_FALSE(migrator.status()[0].up);
  CHECK(count_tables(db) == 0);  // no schema_migrations until a migration runs
  migrator.migrate();
  CHECK(db.table_exists("schema_migrations"));
}
