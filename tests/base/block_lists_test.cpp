#include "base/block_lists.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <thread>
#include <vector>

using namespace fw::block_lists;

TEST_CASE("A request is rounded up to malloc's next usable size: 16-byte steps from 24; large ones stay") {
  CHECK(rounded(0) == 24);
  CHECK(rounded(1) == 24);
  CHECK(rounded(24) == 24);
  CHECK(rounded(25) == 40);
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
  if (!kKeepsBlocks) return;
  SUBCASE("given with its size") {
    void* first = take(30);
    give(first, 30);
    CHECK(take(40) == first);  // both round to 40
    give(first, 40);
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
  if (!kKeepsBlocks) return;
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
