#pragma once
// A connection that refuses every write: the browser view's own (web/).
#include "storage/database.hpp"

namespace fw::storage {

// From now on `db` refuses every write: SQLite's query_only, PostgreSQL's
// read-only transactions. A write then fails as the engine words it.
void make_read_only(Database& db);

}  // namespace fw::storage
