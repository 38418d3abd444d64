#pragma once

#include <cstddef>

// SQLite's memory, kept for reuse. Debian builds SQLite without lookaside
// (SQLITE_OMIT_LOOKASIDE), so every small object of a statement is a malloc
// and a free, and a savepoint's in-memory sub-journal takes and gives back a
// 1 KB chunk for each quarter page it saves: some thirty a statement. These
// blocks are kept in per-thread lists by size, up to a bound, and handed
// back to SQLite before asking malloc again.
namespace fw::storage::sqlite_memory {

// Makes SQLite allocate through the lists. Only before SQLite initializes,
// so the first Database does it; false if it was too late (then SQLite keeps
// using malloc directly, which is only slower). Sanitizer builds keep malloc,
// so a use after free inside SQLite stays visible.
bool install();

// What a block of `bytes` is rounded up to; how many freed bytes this thread
// keeps now, and at most.
std::size_t block_size(std::size_t bytes);
std::size_t kept_bytes();
constexpr std::size_t kLargestKept = 2560;
constexpr std::size_t kKeptBytes = 1 << 20;

// Whether blocks are kept at all: not under AddressSanitizer.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kKeepsBlocks = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kKeepsBlocks = false;
#else
constexpr bool kKeepsBlocks = true;
#endif
#else
constexpr bool kKeepsBlocks = true;
#endif

}  // namespace fw::storage::sqlite_memory
