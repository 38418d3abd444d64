#pragma once

// SQLite's memory, from the kept blocks of base/block_lists. Debian builds
// SQLite without lookaside (SQLITE_OMIT_LOOKASIDE), so every small object of
// a statement is a malloc and a free, and a savepoint's in-memory sub-journal
// takes and gives back a 1 KB chunk for each quarter page it saves: some
// thirty a statement.
namespace fw::storage::sqlite_memory {

// Makes SQLite allocate through the lists. Only before SQLite initializes,
// so the first Database does it; false if it was too late (then SQLite keeps
// using malloc directly, which is only slower). Sanitizer builds keep malloc,
// so a use after free inside SQLite stays visible.
bool install();

}  // namespace fw::storage::sqlite_memory
