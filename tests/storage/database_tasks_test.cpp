#include <doctest/doctest.h>
#include <dlfcn.h>

#include <filesystem>
#include <fstream>

#include "storage/database.hpp"
#include "storage/database_tasks.hpp"
#include "../support/process.hpp"
#include "../support/skip.hpp"

using namespace fw::storage;
namespace fs = std::filesystem;

TEST_CASE("An SQLite database created and dropped whole, as rake db:create and db:drop") {
  fw::test::TempDir dir;
  std::string path = dir / "db/nested/dev.sqlite3";
  CHECK(database_name(path) == path);
  CHECK_FALSE(database_exists(path));
  CHECK(create_database(path));  // its folder too
  CHECK(database_exists(path));
  CHECK_FALSE(create_database(path));
  CHECK(Database(path).tables().empty());
  std::ofstream(path + "-wal") << "";
  std::ofstream(path + "-shm") << "";
  CHECK(drop_database(path));
  for (const char* suffix : {"", "-wal", "-shm"}) CHECK_FALSE(fs::exists(path + suffix));
  CHECK_FALSE(drop_database(path));
  CHECK(may_create_databases(path));
}

TEST_CASE("A PostgreSQL address's database is named by its dbname, in either form") {
  if (!dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)) FW_SKIP("libpq.so.5 is not installed");  // libpq reads the address
  CHECK(database_name("postgres://ann:secret@db.example:5433/tutorial_development") == "tutorial_development");
  CHECK(database_name("postgresql:///lab?host=/var/run/postgresql") == "lab");
  CHECK(database_name("dbname='tutorial_development' host='/tmp' user='ann'") == "tutorial_development");
  CHECK_THROWS_WITH(database_name("postgres://ann:secret@db.example/?port=5432"),
                    "the PostgreSQL address postgres://ann@db.example/?port=5432 names no database");
}
