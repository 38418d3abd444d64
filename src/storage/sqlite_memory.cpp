#include "storage/sqlite_memory.hpp"

#include <sqlite3.h>

#include <cstring>

#include "base/block_lists.hpp"

namespace fw::storage::sqlite_memory {
namespace {

using namespace block_lists;

void* allocate(int bytes) { return take(static_cast<std::size_t>(bytes)); }
void release(void* block) { give(block); }
int size_of(void* block) { return static_cast<int>(usable_size(block)); }
int round_up(int bytes) { return static_cast<int>(rounded(static_cast<std::size_t>(bytes))); }

void* reallocate(void* block, int bytes) {
  std::size_t has = usable_size(block);
  if (static_cast<std::size_t>(bytes) <= has) return block;
  void* bigger = take(static_cast<std::size_t>(bytes));
  if (!bigger) return nullptr;
  std::memcpy(bigger, block, has);
  give(block);
  return bigger;
}

int init(void*) { return SQLITE_OK; }
void shutdown(void*) {}

}  // namespace

bool install() {
  if (!kKeepsBlocks) return false;
  static const sqlite3_mem_methods methods = {allocate, release, reallocate, size_of, round_up, init, shutdown, nullptr};
  static const bool installed = sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) == SQLITE_OK;
  return installed;
}

}  // namespace fw::storage::sqlite_memory
