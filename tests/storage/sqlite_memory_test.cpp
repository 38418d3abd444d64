#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstring>
#include <thread>
#include <vector>

#include "storage/database.hpp"
#include "storage/sqlite_memory.hpp"

using namespace fw::storage;

TEST_CASE("SQLite's small blocks are rounded to 32 bytes with their header, large ones to 8") {
  CHECK(sqlite_memory::block_size(1) == 24);
  CHECK(sqlite_memory::block_size(24) == 24);
  CHECK(sqlite_memory::block_size(25) == 56);
  CHECK(sqlite_memory::block_size(1020) == 1048);  // a sub-journal chunk
  CHECK(sqlite_memory::block_size(sqlite_memory::kLargestKept) == sqlite_memory::kLargestKept);
  CHECK(sqlite_memory::block_size(5001) == 5008);
}

TEST_CASE("Opening a database makes SQLite allocate through the kept lists (malloc itself under a sanitizer)") {
  Database db(":memory:");
  CHECK(db.scalar({"", "SELECT 1", {}}) == fw::Value(std::int64_t{1}));
  CHECK(sqlite_memory::install() == sqlite_memory::kKeepsBlocks);
  if (!sqlite_memory::kKeepsBlocks) return;  // SQLite's own malloc: nothing of ours to check

  SUBCASE("a freed block is handed back for the next request of its size") {
    void* first = sqlite3_malloc(1000);
    CHECK(sqlite3_msize(first) == 1016);
    sqlite3_free(first);
    void* again = sqlite3_malloc(1010);
    CHECK(again == first);
    sqlite3_free(again);
  }
  SUBCASE("growing keeps the bytes, and a block that has room is kept as it is") {
    auto* text = static_cast<char*>(sqlite3_malloc(10));
    std::strcpy(text, "fwitter");
    CHECK(sqlite3_realloc(text, 20) == text);  // 24 usable bytes
    auto* bigger = static_cast<char*>(sqlite3_realloc(text, 4000));
    REQUIRE(bigger != nullptr);
    CHECK(std::strcmp(bigger, "fwitter") == 0);
    CHECK(sqlite3_msize(bigger) >= 4000);
    sqlite3_free(bigger);
  }
  SUBCASE("at most kKeptBytes are kept; the rest goes back to malloc") {
    std::vector<void*> blocks;
    for (int i = 0; i < 2000; ++i) blocks.push_back(sqlite3_malloc(2000));
    for (void* b : blocks) sqlite3_free(b);
    CHECK(sqlite_memory::kept_bytes() <= sqlite_memory::kKeptBytes);
    CHECK(sqlite_memory::kept_bytes() > sqlite_memory::kKeptBytes - 2048);
    blocks.clear();
    void* large = sqlite3_malloc(100000);  // larger than any kept block
    sqlite3_free(large);
    CHECK(sqlite_memory::kept_bytes() <= sqlite_memory::kKeptBytes);
  }
  SUBCASE("a thread's kept blocks go back to malloc when it ends, and another thread's blocks can be freed") {
    void* made_here = sqlite3_malloc(300);
    std::thread other([&] {
      Database db2(":memory:");
      CHECK(db2.scalar({"", "SELECT 2", {}}) == fw::Value(std::int64_t{2}));
      sqlite3_free(made_here);
      CHECK(sqlite_memory::kept_bytes() > 0);
    });
    other.join();
  }
}
