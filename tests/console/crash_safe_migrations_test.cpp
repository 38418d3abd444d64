// Migrations that a kill, a full disk or a file size limit interrupts leave
// the schema and schema_migrations agreeing, as ActiveRecord does on SQLite
// (each migration one transaction with its row): every migration is applied
// and recorded, or neither; PRAGMA integrity_check says ok; the next run
// finishes. Through the real binary, killed with SIGKILL at points it reports
// (db load-schema, which reports nothing until it is done: at eighths of a
// whole run's CPU time, as the kernel counts the child's).
#include <doctest/doctest.h>
#include <sys/resource.h>

#include <algorithm>
#include <string>

#include "../support/child.hpp"
#include "../support/lab.hpp"
#include "../support/process.hpp"
#include "../support/wait.hpp"
#include "base/value.hpp"
#include "storage/database.hpp"

using fw::test::Child;
using fw::test::contains;
using fw::test::Lab;
using fw::test::Output;
using fw::test::TempDir;

namespace {

constexpr int kFirst = 5, kLast = 24, kRows = 20000;

std::string version(int n) { return (n < 10 ? "00" : "0") + std::to_string(n); }

// Migrations 005..024 after the lab's four: each creates a table and fills it
// with kRows rows, so that a kill lands inside one as often as between two.
void add_migrations(const Lab& lab) {
  for (int n = kFirst; n <= kLast; ++n) {
    std::string t = "t" + std::to_string(n);
    lab.write("db/migrate/" + version(n) + "_create_" + t + ".rb",
              "class Create" + std::string("T") + std::to_string(n) + " < ActiveRecord::Migration[6.1]\n"
              "  def up\n"
              "    create_table :" + t + " do |t|\n      t.string :data\n    end\n"
              "    execute \"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " +
                  std::to_string(kRows) + ") INSERT INTO " + t + " (data) SELECT hex(randomblob(40)) FROM n\"\n"
              "  end\n"
              "  def down\n    execute \"DELETE FROM " + t + "\"\n    drop_table :" + t + "\n  end\n"
              "end\n");
  }
}

// The database as another program sees it: intact, and each migration's
// table there (whole) exactly when its version is recorded. Returns how many are.
int applied_whole(const std::string& path) {
  fw::storage::Database db(path, fw::storage::Database::Options{5000, false});
  auto one = [&](const std::string& sql) { return fw::value_to_s(db.scalar({"", sql, {}})); };
  CHECK(one("PRAGMA integrity_check") == "ok");
  int applied = 0;
  for (int n = kFirst; n <= kLast; ++n) {
    std::string t = "t" + std::to_string(n);
    bool recorded = one("SELECT COUNT(*) FROM schema_migrations WHERE CAST(version AS INTEGER) = " + std::to_string(n)) == "1";
    CAPTURE(n);
    CHECK(db.table_exists(t) == recorded);
    if (recorded && db.table_exists(t)) CHECK(one("SELECT COUNT(*) FROM " + t) == std::to_string(kRows));
    applied += recorded;
  }
  return applied;
}

}  // namespace

TEST_SUITE("stress") {

TEST_CASE("SIGKILL during db migrate and db rollback leaves each migration applied and recorded, or neither") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);  // the lab's own four
  add_migrations(lab);
  std::vector<std::string> args = {"--app", lab.root.string(), "db", "migrate"};
  int before = 0;
  for (int reported : {1, 4, 9, 15}) {  // killed once that many migrations have said they are done
    TempDir io;
    Child child(io, "migrate", args);
    bool reached = child.wait_for_output(": migrated", reported);
    child.signal(SIGKILL);
    int status = child.wait();
    CAPTURE(reported);
    CAPTURE(child.err());
    CHECK((reached ? status == -SIGKILL : status == 0));
    int applied = applied_whole(lab.db());
    CHECK(applied >= before + (reached ? reported : 0));
    before = applied;
  }
  Output finished = lab.run({"db", "migrate"});
  CHECK(finished.status == 0);
  CHECK(applied_whole(lab.db()) == kLast - kFirst + 1);

  for (int reported : {2, 6, 11}) {
    TempDir io;
    Child child(io, "rollback", {"--app", lab.root.string(), "db", "rollback", "--steps", "20"});
    bool reached = child.wait_for_output(": reverted", reported);
    child.signal(SIGKILL);
    int status = child.wait();
    CAPTURE(reported);
    CHECK((reached ? status == -SIGKILL : status == 0));
    int applied = applied_whole(lab.db());
    CHECK(applied <= before - (reached ? reported : 0));
    before = applied;
  }
  CHECK(lab.run({"db", "rollback", "--steps", "20"}).status == 0);
  CHECK(applied_whole(lab.db()) == 0);
  CHECK(lab.run({"-e", "User.count"}).out == "=> 2\n");  // the lab's own migrations and rows are untouched
}

TEST_CASE("SIGKILL at any moment of db load-schema leaves the whole schema or none of it; the next run finishes") {
  Lab lab;
  std::string schema = "ActiveRecord::Schema.define(version: 2024_01_01_000000) do\n";
  for (int n = 1; n <= 150; ++n) {
    std::string t = "s" + std::to_string(n);
    schema += "  create_table \"" + t + "\", force: :cascade do |t|\n    t.string \"name\"\n    t.integer \"rank\"\n" +
              "    t.index [\"name\"], name: \"index_" + t + "_on_name\"\n  end\n";
  }
  lab.write("db/schema.rb", schema + "end\n");
  auto load = [&](const std::string& db) {
    return fw::test::fwitter({"--app", lab.root.string(), "--db", db, "db", "load-schema"});
  };
  // The whole schema, recorded, integrity ok: what a run that finished leaves.
  auto whole_schema = [](const std::string& db) {
    fw::storage::Database peek(db, fw::storage::Database::Options{5000, false});
    auto one = [&](const std::string& sql) { return fw::value_to_s(peek.scalar({"", sql, {}})); };
    return one("PRAGMA integrity_check") == "ok" &&
           one("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 's[0-9]*'") == "150" &&
           peek.table_exists("schema_migrations") &&
           one("SELECT COUNT(*) FROM schema_migrations WHERE version = '20240101000000'") == "1";
  };
  // How much CPU time a whole run takes: the kills land at eighths of it,
  // reached by the child's own CPU time, so the moments spread over its run
  // however busy the machine is.
  auto children_cpu = [] {
    rusage r{};
    getrusage(RUSAGE_CHILDREN, &r);
    return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
  };
  double whole_cpu = 1e9;
  for (int run = 0; run < 2; ++run) {  // the quicker of two (the first may read the binary from disk)
    TempDir io;
    double before = children_cpu();
    Output r = load(io / "whole.sqlite3");
    REQUIRE_MESSAGE(r.status == 0, r.err);
    REQUIRE(whole_schema(io / "whole.sqlite3"));
    whole_cpu = std::min(whole_cpu, children_cpu() - before);
  }
  REQUIRE(whole_cpu > 0);
  int whole = 0, none = 0, cut = 0;
  for (int eighth = 0; eighth < 8; ++eighth) {  // the kill's moment varies; what it leaves may not
    TempDir io;
    std::string db = io / "loaded.sqlite3";
    Child child(io, "load", {"--app", lab.root.string(), "--db", db, "db", "load-schema"});
    double at = whole_cpu * eighth / 8;
    REQUIRE(fw::test::wait_until([&] { return child.ended() || child.cpu_seconds() >= at; }, 60));
    child.signal(SIGKILL);
    int status = child.wait();
    CAPTURE(eighth);
    CHECK((status == -SIGKILL || status == 0));
    cut += status == -SIGKILL;
    if (fw::test::slurp(db).size()) {
      fw::storage::Database peek(db, fw::storage::Database::Options{5000, false});
      auto one = [&](const std::string& sql) { return fw::value_to_s(peek.scalar({"", sql, {}})); };
      CHECK(one("PRAGMA integrity_check") == "ok");
      auto tables = one("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name GLOB 's[0-9]*'");
      bool recorded = peek.table_exists("schema_migrations") &&
                      one("SELECT COUNT(*) FROM schema_migrations WHERE version = '20240101000000'") == "1";
      CHECK((tables == "150" || tables == "0"));
      CHECK((tables == "150") == recorded);
      (tables == "150" ? whole : none) += 1;
    } else {
      ++none;
    }
    // The next run finishes, with the whole schema.
    auto again = load(db);
    CHECK_MESSAGE(again.status == 0, again.err);
    CHECK(whole_schema(db));
  }
  MESSAGE("load-schema killed at eighths of its CPU time: " << cut << " cut short, " << whole << " left the whole schema, "
                                                            << none << " none of it");
  // The first half of the kills land before it could have finished: the run
  // was cut short, and each of those left none of the schema.
  CHECK(cut >= 4);
  CHECK(none >= 4);
}

TEST_CASE("a full disk or a file size limit during a migration says so and applies nothing of it") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  // SQLite's own "disk full": the database may not grow past its size now.
  lab.write("db/migrate/005_fill.rb",
            "class Fill < ActiveRecord::Migration[6.1]\n  def up\n    create_table :blobs do |t|\n      t.string :data\n"
            "    end\n    execute \"PRAGMA max_page_count = 1\"\n"
            "    execute \"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000) "
            "INSERT INTO blobs (data) SELECT hex(randomblob(100)) FROM n\"\n  end\nend\n");
  Output full = lab.run({"db", "migrate"});
  CHECK(full.status != 0);
  CHECK(contains(full.err, "db/migrate/005_fill.rb:7:5: error: execute: database or disk is full"));
  CHECK(contains(full.err, "this and all later migrations canceled: nothing of db/migrate/005_fill.rb was applied"));
  auto nothing_of_it = [&] {
    fw::storage::Database db(lab.db(), fw::storage::Database::Options{5000, false});
    CHECK(fw::value_to_s(db.scalar({"", "PRAGMA integrity_check", {}})) == "ok");
    CHECK_FALSE(db.table_exists("blobs"));
    CHECK(fw::value_to_s(db.scalar({"", "SELECT COUNT(*) FROM schema_migrations", {}})) == "4");
  };
  nothing_of_it();

  // A file size limit (ulimit -f) stops the writes themselves.
  lab.write("db/migrate/005_fill.rb",
            "class Fill < ActiveRecord::Migration[6.1]\n  def up\n    create_table :blobs do |t|\n      t.string :data\n"
            "    end\n    execute \"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
            "INSERT INTO blobs (data) SELECT hex(randomblob(100)) FROM n\"\n  end\nend\n");
  Output limited = fw::test::fwitter({"--app", lab.root.string(), "db", "migrate"}, "", "trap '' XFSZ; ulimit -f 2000;");
  CHECK(limited.status != 0);
  CHECK(contains(limited.err, "db/migrate/005_fill.rb:6:5: error: execute: disk I/O error (the database file could "
                              "not be written or read"));
  nothing_of_it();

  Output finished = lab.run({"db", "migrate"});  // room again: it finishes
  CHECK(finished.status == 0);
  fw::storage::Database db(lab.db(), fw::storage::Database::Options{5000, false});
  CHECK(fw::value_to_s(db.scalar({"", "SELECT COUNT(*) FROM blobs", {}})) == "200000");
}

}  // TEST_SUITE
