#include "storage/read_only.hpp"

namespace fw::storage {

namespace {
constexpr const char* kSavepoint = "fw_borrowed";
}

BorrowedReads::BorrowedReads(Database& db) : db_(db) {
  db_.set_listeners_aside();
  try {
    if (db_.engine() == Engine::SQLite) {
      Value on = db_.scalar({"SCHEMA", "PRAGMA query_only", {}});  // SCHEMA: heard by no listener
      auto n = std::get_if<std::int64_t>(&on);
      if (!n || *n == 0) {  // (on already for a deleted file's connection: left so)
        db_.exec_script("PRAGMA query_only = ON");
        set_query_only_ = true;
      }
    } else if (db_.transaction_depth() == 0) {
      db_.exec_script("BEGIN READ ONLY");
      began_ = true;
    } else {
      db_.exec_script(std::string("SAVEPOINT ") + kSavepoint);
      savepoint_ = true;
      db_.exec_script("SET LOCAL transaction_read_only = on");  // undone with the savepoint
    }
  } catch (...) {
    end();
    throw;
  }
}

BorrowedReads::~BorrowedReads() { end(); }

void BorrowedReads::end() noexcept {
  try {
    if (set_query_only_) db_.exec_script("PRAGMA query_only = OFF");
  } catch (...) {
  }
  set_query_only_ = false;
  try {
    if (began_) db_.exec_script("ROLLBACK");
    if (savepoint_) {
      db_.exec_script(std::string("ROLLBACK TO SAVEPOINT ") + kSavepoint);
      db_.exec_script(std::string("RELEASE SAVEPOINT ") + kSavepoint);
    }
  } catch (...) {  // the connection went: the console finds it so at its next statement
  }
  began_ = savepoint_ = false;
  db_.bring_listeners_back();
}

}  // namespace fw::storage
