// The command line, through the real binary.
#include <doctest/doctest.h>

#include <random>

#include "../support/process.hpp"
#include "storage/database.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

TEST_CASE("--help lists the commands and options and exits 0") {
  auto r = fwitter({"--help"});
  CHECK(r.status == 0);
  for (auto word : {"console", "run", "db", "diagram", "--app", "--db", "--format", "--sql", "--sandbox",
                    "--keep-going", "--no-transaction", "--echo", "--no-color", "--version", "-e", "create, drop, setup, migrate"})
    CHECK_MESSAGE(r.out.find(word) != std::string::npos, word);
}

TEST_CASE("--version prints the version") {
  auto r = fwitter({"--version"});
  CHECK(r.status == 0);
  CHECK(r.out.rfind("fwitter ", 0) == 0);
}

TEST_CASE("Bad usage exits 2 with a clear message") {
  auto unknown = fwitter({"--frobnicate"});
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("--frobnicate") != std::string::npos);
  CHECK(fwitter({"--format", "xml", "-e", "1"}).status == 2);
  CHECK(fwitter({"db", "frobnicate"}).status == 2);
  CHECK(fwitter({"run"}).status == 2);
  CHECK(fwitter({"run", "/no/such/file.fw"}).status == 2);
  TempDir dir;
  CHECK(fwitter({"--db", dir / "x.sqlite3", "db", "rollback", "--steps", "0"}).status == 2);
}

TEST_CASE("db migrate, status and rollback on a new file") {
  TempDir dir;
  auto db = dir / "t.sqlite3";
  auto migrate = fwitter({"--db", db, "db", "migrate"});
  CHECK(migrate.status == 0);
  CHECK(migrate.out.find("== 0005 create_hearts: migrated") != std::string::npos);
  auto status = fwitter({"db", "status", "--db", db});  // options after the subcommand too
  CHECK(status.status == 0);
  CHECK(status.out.find("  up     0001            create_users") != std::string::npos);
  CHECK(status.out.find("down") == std::string::npos);
  auto rollback = fwitter({"--db", db, "db", "rollback", "--steps", "99"});
  CHECK(rollback.status == 0);
  CHECK(rollback.out.find("== 0001 create_users: reverted") != std::string::npos);
  auto after = fwitter({"--db", db, "db", "status"});
  CHECK(after.out.find("  down   0003            create_messages") != std::string::npos);
  CHECK(after.out.find(" up ") == std::string::npos);
}

TEST_CASE("db status on a missing file creates nothing") {
  TempDir dir;
  auto r = fwitter({"--db", dir / "none.sqlite3", "db", "status"});
  CHECK(r.status == 0);
  CHECK(r.out.find("does not exist yet") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(dir / "none.sqlite3"));
}

TEST_CASE("A random 4 KB file given as --db exits 3") {
  TempDir dir;
  std::mt19937 random(7);
  {
    std::ofstream out(dir / "junk.sqlite3", std::ios::binary);
    for (int i = 0; i < 4096; ++i) out.put(static_cast<char>(random()));
  }
  auto r = fwitter({"--db", dir / "junk.sqlite3", "db", "migrate"});
  CHECK(r.status == 3);
  CHECK(r.err.find("not a database") != std::string::npos);
  CHECK(fwitter({"--db", dir / "junk.sqlite3", "-e", "User.count"}).status == 3);
}

// Another program's write transaction on the file, held while it lives: taken
// before the constructor returns, so nothing waits on a guess of timing.
struct WriteLock {
  fw::storage::Database db;
  explicit WriteLock(const std::string& path) : db(path, fw::storage::Database::Options{0, false}) {
    db.exec_script("BEGIN IMMEDIATE");
  }
  ~WriteLock() { db.exec_script("COMMIT"); }
};

TEST_CASE("A database locked past the busy timeout exits 3") {
  TempDir dir;
  auto db = dir / "locked.sqlite3";
  REQUIRE(fwitter({"--db", db, "db", "migrate"}).status == 0);
  // With nothing pending fwitter only reads: roll one back, and let fwitter
  // try to apply it again while this test holds the write lock.
  REQUIRE(fwitter({"--db", db, "db", "rollback"}).status == 0);
  {
    WriteLock held(db);
    auto r = fwitter({"--db", db, "db", "migrate"}, "", "FWITTER_BUSY_TIMEOUT_MS=200");
    CHECK(r.status == 3);
    CHECK(r.err.find("locked") != std::string::npos);
  }
  CHECK(fwitter({"--db", db, "db", "migrate"}).status == 0);  // nothing was corrupted
}

TEST_CASE("A statement runs while another session holds the write lock") {
  TempDir dir;
  auto db = dir / "shared.sqlite3";
  REQUIRE(fwitter({"--db", db, "-e", "User.count"}).status == 0);  // created and seeded
  WriteLock held(db);
  // A session that only reads must not wait on a writer: any write at start-up would make this fail.
  auto r = fwitter({"--db", db, "-e", "User.count"}, "", "FWITTER_BUSY_TIMEOUT_MS=200");
  CHECK(r.status == 0);
  CHECK(r.out == "=> 3\n");
}
