#pragma once
// Reads that refuse every write, borrowed on a connection another owner
// uses (the browser view's pages on the console's own connection, web/pages.cpp).
#include "storage/database.hpp"

namespace fw::storage {

// While it lives, `db` is borrowed for reads by someone other than its
// owner, who is not using it meanwhile (the caller sees to that):
//   - nothing can write: SQLite's query_only is on (and put back as it was
//     after); PostgreSQL's reads run in a read-only transaction of their own
//     or, inside the owner's, under a savepoint made read-only and rolled
//     back after, so that an error in them cannot abort the owner's
//     transaction, and the SAVEPOINT and RELEASE waiting to go with the
//     owner's next statement are sent first, in their order;
//   - the owner's listeners hear none of its queries, and the owner's open
//     transactions are not announced to anyone (Database::set_listeners_aside);
//   - the open transactions (levels, their savepoints, the journal) are left
//     as they were: reads see what the owner's transaction sees.
class BorrowedReads {
 public:
  explicit BorrowedReads(Database& db);
  ~BorrowedReads();
  BorrowedReads(const BorrowedReads&) = delete;
  BorrowedReads& operator=(const BorrowedReads&) = delete;

 private:
  void end() noexcept;
  Database& db_;
  bool began_ = false;            // PostgreSQL: a read-only transaction of its own
  bool savepoint_ = false;        // PostgreSQL: a read-only savepoint in the owner's
  bool set_query_only_ = false;   // SQLite: switched on here
};

}  // namespace fw::storage
