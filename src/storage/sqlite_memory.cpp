#include "storage/sqlite_memory.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>

namespace fw::storage::sqlite_memory {
namespace {

// A block is a header holding its usable size, then SQLite's bytes: 8-byte
// aligned, as SQLite asks. Sizes up to kLargestKept are rounded to kQuantum.
constexpr std::size_t kHeader = 8;
constexpr std::size_t kQuantum = 32;
constexpr std::size_t kClasses = kLargestKept / kQuantum + 1;

// A freed block keeps the next one of its list in its first bytes.
struct Free {
  Free* next;
};

// Trivially destructible, so it stays usable while a thread's other
// thread_locals are destroyed; Drain empties it at the thread's end.
struct Lists {
  Free* head[kClasses];
  std::size_t bytes;  // kept, all lists together
  bool closed;        // the thread is ending: give blocks back to malloc
};
thread_local Lists lists;

struct Drain {
  bool armed = false;  // written at a thread's first kept block, which registers ~Drain
  ~Drain() {
    for (auto*& head : lists.head)
      while (head) std::free(reinterpret_cast<char*>(std::exchange(head, head->next)) - kHeader);
    lists.bytes = 0;
    lists.closed = true;
  }
};
thread_local Drain drain;

std::size_t& usable(void* p) { return *reinterpret_cast<std::size_t*>(static_cast<char*>(p) - kHeader); }

// The list a block of `size` usable bytes belongs on, or 0 if none.
std::size_t list_of(std::size_t size) {
  std::size_t total = size + kHeader;
  return total % kQuantum == 0 && total <= kLargestKept ? total / kQuantum : 0;
}

void* allocate(int requested) {
  std::size_t size = block_size(static_cast<std::size_t>(requested));
  if (std::size_t list = list_of(size); list && lists.head[list]) {
    Free* block = lists.head[list];
    lists.head[list] = block->next;
    lists.bytes -= size;
    return block;
  }
  char* base = static_cast<char*>(std::malloc(size + kHeader));
  if (!base) return nullptr;
  *reinterpret_cast<std::size_t*>(base) = size;
  return base + kHeader;
}

void release(void* p) {
  if (!p) return;
  std::size_t size = usable(p);
  std::size_t list = list_of(size);
  if (list && !lists.closed && lists.bytes + size <= kKeptBytes) {
    drain.armed = true;
    lists.head[list] = new (p) Free{lists.head[list]};
    lists.bytes += size;
    return;
  }
  std::free(static_cast<char*>(p) - kHeader);
}

void* reallocate(void* p, int requested) {
  if (static_cast<std::size_t>(requested) <= usable(p)) return p;
  void* bigger = allocate(requested);
  if (!bigger) return nullptr;
  std::memcpy(bigger, p, usable(p));
  release(p);
  return bigger;
}

int size_of(void* p) { return p ? static_cast<int>(usable(p)) : 0; }
int round_up(int n) { return static_cast<int>(block_size(static_cast<std::size_t>(n))); }
int init(void*) { return SQLITE_OK; }
void shutdown(void*) {}

}  // namespace

std::size_t block_size(std::size_t bytes) {
  std::size_t total = bytes + kHeader;
  if (total <= kLargestKept) return (total + kQuantum - 1) / kQuantum * kQuantum - kHeader;
  return (bytes + 7) / 8 * 8;
}

std::size_t kept_bytes() { return lists.bytes; }

bool install() {
  if (!kKeepsBlocks) return false;
  static const sqlite3_mem_methods methods = {allocate, release, reallocate, size_of, round_up, init, shutdown, nullptr};
  static const bool installed = sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
  return installed;
}

}  // namespace fw::storage::sqlite_memory
