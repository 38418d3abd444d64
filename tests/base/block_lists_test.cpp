#include "base/block_lists.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../support/skip.hpp"

using namespace fw::block_lists;

TEST_CASE("A request is rounded up: to its slab's size up to 64 bytes, to malloc's next usable size past; large ones stay") {
  if (kKeepsBlocks) {
    CHECK(rounded(0) == 16);
    CHECK(rounded(16) == 16);
    CHECK(rounded(17) == 32);
    CHECK(rounded(32) == 32);
    CHECK(rounded(64) == 64);
    CHECK(rounded(65) == 72);
  } else {  // malloc's steps throughout
    CHECK(rounded(0) == 24);
    CHECK(rounded(24) == 24);
    CHECK(rounded(25) == 40);
  }
  CHECK(rounded(1000) == 1000);
  CHECK(rounded(1001) == 1016);
  CHECK(rounded(kLargestKept) == kLargestKept);
  CHECK(rounded(5001) == 5001);
}

TEST_CASE("Every block taken has the bytes it was asked for, and none overlaps another, however they are given back") {
  std::mt19937 random(7);
  struct Block {
    unsigned char* bytes;
    std::size_t size;
    unsigned char mark;
  };
  std::vector<Block> live;
  auto check = [](const Block& b) {
    return std::all_of(b.bytes, b.bytes + b.size, [&](unsigned char c) { return c == b.mark; });
  };
  for (int round = 0; round < 20000; ++round) {
    if (live.size() < 300 && random() % 3 != 0) {
      std::size_t size = random() % 4000;
      auto* bytes = static_cast<unsigned char*>(take(size));
      REQUIRE(bytes != nullptr);
      CHECK(usable_size(bytes) >= size);
      CHECK(reinterpret_cast<std::uintptr_t>(bytes) % 16 == 0);
      auto mark = static_cast<unsigned char>(random());
      std::memset(bytes, mark, size);
      live.push_back({bytes, size, mark});
    } else if (!live.empty()) {
      std::size_t at = random() % live.size();
      REQUIRE(check(live[at]));
      if (random() % 2) give(live[at].bytes);
      else give(live[at].bytes, live[at].size);
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(at));
    }
  }
  for (auto& b : live) {
    CHECK(check(b));
    give(b.bytes);
  }
  CHECK(kept_bytes() <= kKeptBytes);
}

TEST_CASE("A given block is handed out again for the next request of its size (malloc itself under a sanitizer)") {
  if (!kKeepsBlocks) FW_SKIP("the block lists are off in this build (malloc itself under the sanitizers)");
  SUBCASE("given with its size") {
    void* first = take(70);
    give(first, 70);
    void* again = take(66);
    CHECK(again == first);  // both round to 72
    give(again, 66);
  }
  SUBCASE("a small block, from a slab: exactly its size, no header") {
    void* first = take(20);
    CHECK(usable_size(first) == 32);
    give(first, 20);
    void* again = take(30);
    CHECK(again == first);  // both in the 32-byte slab
    give(again);
    // Blocks made one after the other lie 48 bytes apart, where malloc's are 64.
    std::vector<char*> made;
    bool adjacent = false;
    for (int i = 0; i < 200 && !adjacent; ++i) {
      made.push_back(static_cast<char*>(take(48)));
      CHECK(usable_size(made.back()) == 48);
      adjacent = made.size() > 1 && made[made.size() - 2] + 48 == made.back();
    }
    CHECK(adjacent);
    for (char* block : made) give(block);
  }
  SUBCASE("given without: its size is malloc's") {
    void* first = take(1000);
    give(first);
    CHECK(take(990) == first);
    give(first);
  }
  SUBCASE("the program's operator new and delete use the lists") {
    const char* first;
    {
      std::string text(210, 'x');
      first = text.data();
    }
    std::string again(205, 'y');  // both 216 usable
    CHECK(again.data() == first);
  }
}

TEST_CASE("At most kKeptBytes are kept a thread; the rest, and large blocks, go back to malloc") {
  if (!kKeepsBlocks) FW_SKIP("the block lists are off in this build (malloc itself under the sanitizers)");
  std::vector<void*> blocks;
  for (int i = 0; i < 2000; ++i) blocks.push_back(take(2000));
  for (void* b : blocks) give(b);
  CHECK(kept_bytes() <= kKeptBytes);
  CHECK(kept_bytes() > kKeptBytes - kLargestKept);
  std::size_t kept = kept_bytes();
  give(take(100000));
  CHECK(kept_bytes() == kept);
}

TEST_CASE("A thread's kept blocks go back to malloc when it ends, and a block can be given back on another thread") {
  void* made_here = take(300);
  std::size_t kept_there = 0;
  std::thread other([&] {
    give(made_here);
    std::vector<std::string> texts(100, std::string(100, 'z'));
    texts.clear();
    kept_there = kept_bytes();
  });
  other.join();
  CHECK((kept_there > 0) == kKeepsBlocks);
}

TEST_CASE("A slab block freed on a thread that has ended is handed out again on another") {
  if (!kKeepsBlocks) FW_SKIP("the block lists are off in this build (malloc itself under the sanitizers)");
  void* freed = nullptr;
  std::thread([&] {
    freed = take(56);
    give(freed);
  }).join();
  void* again = nullptr;
  std::thread([&] {
    again = take(50);
    give(again);
  }).join();
  CHECK(again == freed);
}
