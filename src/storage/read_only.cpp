#include "storage/read_only.hpp"

namespace fw::storage {

void make_read_only(Database& db) {
  db.exec_script(db.engine() == Engine::PostgreSQL ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
                                                   : "PRAGMA query_only = ON");
}

}  // namespace fw::storage
