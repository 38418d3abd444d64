#include "base/block_lists.hpp"

#include <malloc.h>
#include <sys/mman.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <mutex>
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

// Blocks of up to 64 bytes come from slabs: one region of address space per
// size (16, 32, 48, 64), reserved once and used from the start, its pages
// made as they are first written. A slab block has no header and is not
// rounded up to malloc's next step, so a two-element array's 32 bytes take
// 32, not 48; which region a pointer is in tells its size. Slab blocks are
// never given back to malloc: a freed one waits on its thread's list.
constexpr std::size_t kSlabs = 4;
constexpr std::size_t kSlabStep = 16;
constexpr std::size_t kSlabBytes = std::size_t{8} << 30;  // address space, not memory
constexpr std::size_t kCarved = std::size_t{64} << 10;    // what a thread takes from a region at a time
constexpr std::size_t slab_of_request(std::size_t bytes) { return bytes <= kSlabStep ? 0 : (bytes - 1) / kSlabStep; }
constexpr std::size_t slab_size(std::size_t slab) { return (slab + 1) * kSlabStep; }

struct Regions {
  char* base = nullptr;  // kSlabs regions of kSlabBytes, one after the other; null: no slabs
  std::atomic<std::size_t> used[kSlabs] = {};
  std::mutex orphans_lock;
  Free* orphans[kSlabs] = {};  // blocks of threads that ended
};
// The slabs' base, once regions() has made them: read on every give, where
// the function-local static's guard cost as much as the rest of the test.
std::atomic<char*> slab_base{nullptr};
Regions& regions() {
  static Regions* r = [] {
    auto* made = new (std::malloc(sizeof(Regions))) Regions;  // never destroyed: blocks outlive static destructors
    void* base = mmap(nullptr, kSlabs * kSlabBytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base != MAP_FAILED) slab_base.store(made->base = static_cast<char*>(base), std::memory_order_release);  // else (a limit on address space): malloc only
    return made;
  }();
  return *r;
}
// The slab a block is in, or kSlabs when it is malloc's.
std::size_t slab_of_block(const void* block) {
  const char* base = slab_base.load(std::memory_order_acquire);  // null before regions() made any slab, so no block is in one
  auto at = static_cast<const char*>(block);
  if (!base || at < base || at >= base + kSlabs * kSlabBytes) return kSlabs;
  return static_cast<std::size_t>(at - base) / kSlabBytes;
}

// Trivially destructible, so it stays usable while a thread's other
// thread_locals are destroyed; Drain empties it at the thread's end.
struct Lists {
  Free* head[kLists];
  Free* slab_head[kSlabs];
  char* carved[kSlabs];      // the next unused block of this thread's piece of each slab
  char* carved_end[kSlabs];
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
    std::lock_guard<std::mutex> hold(regions().orphans_lock);  // others may take these
    for (std::size_t slab = 0; slab < kSlabs; ++slab)
      while (Free* block = lists.slab_head[slab]) {
        lists.slab_head[slab] = block->next;
        regions().orphans[slab] = new (block) Free{regions().orphans[slab]};
      }
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

void* take_slab(std::size_t slab) {
  if (Free* block = lists.slab_head[slab]) {
    lists.slab_head[slab] = block->next;
    return block;
  }
  if (lists.carved[slab] == lists.carved_end[slab]) {
    Regions& r = regions();
    {
      std::lock_guard<std::mutex> hold(r.orphans_lock);
      if (Free* block = r.orphans[slab]) {
        r.orphans[slab] = block->next;
        return block;
      }
    }
    if (!r.base) return nullptr;
    std::size_t at = r.used[slab].fetch_add(kCarved);
    if (at + kCarved > kSlabBytes) return nullptr;  // the region is used up: malloc from here on
    if (!lists.armed) {  // its thread's end hands its free slab blocks on
      drain.armed = true;
      lists.armed = true;
    }
    lists.carved[slab] = r.base + slab * kSlabBytes + at;
    lists.carved_end[slab] = lists.carved[slab] + kCarved;
  }
  return std::exchange(lists.carved[slab], lists.carved[slab] + slab_size(slab));
}

void keep_slab(void* block, std::size_t slab) {
  if (lists.closed) {  // its thread is ending
    Regions& r = regions();
    std::lock_guard<std::mutex> hold(r.orphans_lock);
    r.orphans[slab] = new (block) Free{r.orphans[slab]};
    return;
  }
  if (!lists.armed) {  // its thread's end hands its free slab blocks on
    drain.armed = true;
    lists.armed = true;
  }
  lists.slab_head[slab] = new (block) Free{lists.slab_head[slab]};
}

}  // namespace

std::size_t rounded(std::size_t bytes) {
  if (kKeepsBlocks && bytes <= kSlabs * kSlabStep) return slab_size(slab_of_request(bytes));
  return bytes > kLargestKept ? bytes : usable_of_list(list_of_request(bytes));
}

void* take(std::size_t bytes) {
  if (kKeepsBlocks && bytes <= kSlabs * kSlabStep && !lists.closed) {
    if (void* block = take_slab(slab_of_request(bytes))) return block;
  }
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
  if (std::size_t slab = slab_of_block(block); slab < kSlabs) return keep_slab(block, slab);
  std::size_t usable = malloc_usable_size(block);
  if (usable > kLargestKept || usable < usable_of_list(1)) return std::free(block);  // the latter: not glibc's
  keep(block, list_of_usable(usable));
}

void give(void* block, std::size_t bytes) {
  if (!kKeepsBlocks || !block) return std::free(block);
  if (std::size_t slab = slab_of_block(block); slab < kSlabs) return keep_slab(block, slab);
  if (bytes > kLargestKept) return std::free(block);
  keep(block, list_of_request(bytes));
}

std::size_t usable_size(void* block) {
  if (!block) return 0;
  if (std::size_t slab = slab_of_block(block); slab < kSlabs) return slab_size(slab);
  return malloc_usable_size(block);
}

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
