#include <doctest/doctest.h>
#include <sqlite3.h>

#include <cstring>
#include <thread>

#include "base/block_lists.hpp"
#include "storage/database.hpp"
#include "storage/sqlite_memory.hpp"

using namespace fw::storage;

TEST_CASE("Opening a database makes SQLite allocate through the kept blocks (malloc itself under a sanitizer)") {
  Database db(":memory:");
  CHECK(db.scalar({"", "SELECT 1", {}}) == fw::Value(std::int64_t{1}));
  CHECK(sqlite_memory::install() == fw::block_lists::kKeepsBlocks);
  if (!fw::block_lists::kKeepsBlocks) return;  // SQLite's own malloc: nothing of ours to check

  SUBCASE("a freed block is handed back for the next request of its size") {
    // On a thread of its own: its lists start empty, whatever the tests
    // before this one left kept on the main thread (up to the bound).
    void *first = nullptr, *again = nullptr;
    size_t usable = 0;
    std::thread([&] {
      first = sqlite3_malloc(1000);
      usable = static_cast<size_t>(sqlite3_msize(first));
      sqlite3_free(first);
      again = sqlite3_malloc(995);
      sqlite3_free(again);
    }).join();
    CHECK(usable >= 1000);
    CHECK(again == first);
  }
  SUBCASE("growing keeps the bytes, and a block that has room is kept as it is") {
    auto* text = static_cast<char*>(sqlite3_malloc(10));
    std::strcpy(text, "fwitter");
    CHECK(sqlite3_realloc(text, 16) == text);  // 16 usable bytes: a slab block
    auto* bigger = static_cast<char*>(sqlite3_realloc(text, 4000));
    REQUIRE(bigger != nullptr);
    CHECK(std::strcmp(bigger, "fwitter") == 0);
    CHECK(sqlite3_msize(bigger) >= 4000);
    sqlite3_free(bigger);
  }
}
