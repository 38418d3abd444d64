#include "base/block_lists.hpp"

#include <malloc.h>

#include <cstdlib>
#include <new>
#include <utility>

namespace fw::block_lists {
namespace {

// List i holds blocks of at least 16 * i + 8 usable bytes: malloc's own steps
// (a chunk is a multiple of 16 and keeps 8 bytes of header).
constexpr std::size_t kStep = 16;
constexpr std::size_t list_of_request(std::size_t bytes) { return bytes <= 24 ? 1 : (bytes - 8 + kStep - 1) / kStep; }
constexpr std::size_t list_of_usable(std::size_t usable) { return (usable - 8) / kStep; }
constexpr std::size_t usable_of_list(std::size_t list) { return list * kStep + 8; }
constexpr std::size_t kLists = list_of_usable(kLargestKept) + 1;
static_assert(usable_of_list(kLists - 1) == kLargestKept);

// A kept block holds the next one of its list in its first bytes.
struct Free {
  Free* next;
};

// Trivially destructible, so it stays usable while a thread's other
// thread_locals are destroyed; Drain empties it at the thread's end.
struct Lists {
  Free* head[kLists];
  std::size_t bytes;  // kept, all lists together
  bool armed;         // Drain is registered
  bool closed;        // the thread is ending: give blocks back to malloc
};
thread_local Lists lists;

struct Drain {
  bool armed = false;  // written once, at a thread's first kept block, which registers ~Drain
  ~Drain() {
    for (auto*& head : lists.head)
      while (head) std::free(std::exchange(head, head->next));
    lists.bytes = 0;
    lists.closed = true;
  }
};
thread_local Drain drain;

void keep(void* block, std::size_t list) {
  std::size_t size = usable_of_list(list);
  if (lists.closed || lists.bytes + size > kKeptBytes) return std::free(block);
  if (!lists.armed) {
    drain.armed = true;
    lists.armed = true;
  }
  lists.head[list] = new (block) Free{lists.head[list]};
  lists.bytes += size;
}

}  // namespace

std::size_t rounded(std::size_t bytes) { return bytes > kLargestKept ? bytes : usable_of_list(list_of_request(bytes)); }

void* take(std::size_t bytes) {
  if (!kKeepsBlocks || bytes > kLargestKept) return std::malloc(bytes);
  std::size_t list = list_of_request(bytes);
  if (Free* block = lists.head[list]) {
    lists.head[list] = block->next;
    lists.bytes -= usable_of_list(list);
    return block;
  }
  // Asked rounded, so the block belongs on its list whatever malloc rounds to.
  return std::malloc(usable_of_list(list));
}

void give(void* block) {
  if (!kKeepsBlocks || !block) return std::free(block);
  std::size_t usable = malloc_usable_size(block);
  if (usable > kLargestKept || usable < usable_of_list(1)) return std::free(block);  // the latter: not glibc's
  keep(block, list_of_usable(usable));
}

void give(void* block, std::size_t bytes) {
  if (!kKeepsBlocks || !block || bytes > kLargestKept) return std::free(block);
  keep(block, list_of_request(bytes));
}

std::size_t usable_size(void* block) { return block ? malloc_usable_size(block) : 0; }

std::size_t kept_bytes() { return lists.bytes; }

}  // namespace fw::block_lists

// The program's operator new and delete take and give blocks of the lists.
// The array forms and the nothrow forms of the C++ runtime call these; the
// aligned forms keep to aligned_alloc and free. Running out of memory throws
// std::bad_alloc at once: nothing here sets a new_handler to try first.
#if FWITTER_BLOCK_LISTS
void* operator new(std::size_t bytes) {
  if (void* block = fw::block_lists::take(bytes)) return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept { fw::block_lists::give(block); }
void operator delete(void* block, std::size_t bytes) noexcept { fw::block_lists::give(block, bytes); }
#endif
