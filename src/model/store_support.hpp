#pragma once
// What the model's operations (the store, Queries, Persistence, Associations
// and the association kinds) share and nothing outside them needs: the name a
// query is logged under, and the two guards a save or a destroy opens (the
// records' rollback, the end of the store's own transaction).
#include <string>

#include "model/store.hpp"

namespace fw::model {

// "User Load", "Tweet Update All": a query's name in the SQL log.
inline std::string label(const ModelClass& m, const char* what) { return m.name + " " + what; }

class Store::KeepOrRollBack {
 public:
  explicit KeepOrRollBack(Store& store) : store_(store), mark_(store.change_mark()) {}
  ~KeepOrRollBack() {
    if (!kept_) store_.roll_back_to(mark_);
  }
  KeepOrRollBack(const KeepOrRollBack&) = delete;
  KeepOrRollBack& operator=(const KeepOrRollBack&) = delete;
  void keep() { kept_ = true; }

 private:
  Store& store_;
  size_t mark_;
  bool kept_ = false;
};

class Store::OutermostEnd {
 public:
  // Made before the store's transaction begins: is none open around it?
  explicit OutermostEnd(Store& store) : store_(store), outermost_(store.db_.transaction_depth() == 0) {}
  ~OutermostEnd() {
    if (outermost_ && !done_) try {
        store_.end_transaction(false);
      } catch (...) {  // an after_rollback's error while an error unwinds: the first one is the statement's
      }
  }
  OutermostEnd(const OutermostEnd&) = delete;
  OutermostEnd& operator=(const OutermostEnd&) = delete;
  void committed() {
    done_ = true;
    if (outermost_) store_.end_transaction(true);
  }

 private:
  Store& store_;
  bool outermost_;
  bool done_ = false;
};

}  // namespace fw::model
