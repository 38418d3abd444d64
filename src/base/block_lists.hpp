#pragma once

#include <cstddef>

// Freed small blocks, kept for reuse. A statement makes and frees a few
// hundred small objects (the strings of a record's values, its vectors, SQLite's
// own parse of the SQL), in many sizes; glibc's per-thread cache holds only
// seven blocks of each size, so most of them went back through malloc's bins.
// Here blocks are kept in per-thread lists by usable size (16-byte steps), up
// to a bound, and handed out again before malloc is asked. The C++ program's
// operator new and delete and SQLite's memory (storage/sqlite_memory) use them.
#if defined(__SANITIZE_ADDRESS__)
#define FWITTER_BLOCK_LISTS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FWITTER_BLOCK_LISTS 0
#endif
#endif
#ifndef FWITTER_BLOCK_LISTS
#define FWITTER_BLOCK_LISTS 1
#endif

namespace fw::block_lists {

// A block with at least `bytes` usable, 16-byte aligned; null if malloc fails.
void* take(std::size_t bytes);
// Gives back a block of take(): kept, or freed. The sized form is for a
// block taken for exactly `bytes`; it spares looking its size up.
void give(void* block);
void give(void* block, std::size_t bytes);
// The usable bytes of a block of take().
std::size_t usable_size(void* block);
// What take(bytes) rounds a kept size up to (larger ones are as asked).
std::size_t rounded(std::size_t bytes);

// How many freed bytes this thread keeps now, and at most; the largest block kept.
std::size_t kept_bytes();
constexpr std::size_t kKeptBytes = 1 << 20;
constexpr std::size_t kLargestKept = 2552;

// Whether blocks are kept at all: not under AddressSanitizer, so a use after
// free stays visible (nor is operator new replaced there).
constexpr bool kKeepsBlocks = FWITTER_BLOCK_LISTS;

}  // namespace fw::block_lists
