// status: the app, database, environment and settings a console runs with,
// through the real binary.
#include <doctest/doctest.h>

#include "../support/process.hpp"
#include "storage/database.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

TEST_CASE("status names the app, the database with its migrations, the environment and the settings") {
  TempDir dir;
  auto db = dir / "status.sqlite3";
  auto r = fwitter({"--db", db, "--format", "inspect", "-e", "sql on\nstatus"});
  REQUIRE(r.status == 0);
  CHECK(r.out.find("app:          fwitter, built in (5 models)\n") != std::string::npos);
  CHECK(r.out.find("database:     " + db + " (5 migrations applied, none pending)\n") != std::string::npos);
  CHECK(r.out.find("environment:  development\n") != std::string::npos);
  CHECK(r.out.find("format:       inspect; sql on; timer off\n") != std::string::npos);
  CHECK(r.out.find("transaction:  none open\n") != std::string::npos);
}

TEST_CASE("status says when the database has pending migrations, and in a sandbox") {
  TempDir dir;
  auto db = dir / "pending.sqlite3";
  REQUIRE(fwitter({"--db", db, "db", "migrate"}).status == 0);
  // the last migration's record gone, its table still there: pending, and the models still load
  fw::storage::Database(db).exec_script("DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)");
  auto r = fwitter({"--db", db, "--sandbox", "-e", "status"});
  REQUIRE(r.status == 0);
  CHECK(r.out.find("(4 applied, 1 pending: `fwitter db migrate` applies them)") != std::string::npos);
  CHECK(r.out.find("sandbox: everything is rolled back when you leave") != std::string::npos);
}

TEST_CASE("status takes nothing") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "x.sqlite3", "-e", "status now"});
  CHECK(r.status == 1);
  CHECK(r.err.find("-e:1:1: error: status takes nothing") != std::string::npos);
}
