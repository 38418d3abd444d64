// The store's unit of work: the one place rows change (write), the journal
// that puts records back as they were when a transaction rolls back, and the
// records that wait for after_commit and after_rollback. What is done with
// records and relations is the operations' (store.hpp names them).
#include "model/store.hpp"

#include "model/errors.hpp"

namespace fw::model {

// ---- after_commit and after_rollback ----

size_t Store::enroll(Record& record) {
  if (!record.model().has_transaction_callbacks()) return kNotEnrolled;
  for (size_t i = 0; i < enrolled_.size(); ++i)
    if (enrolled_[i].record.get() == &record) return i;
  auto self = record.weak_from_this().lock();
  if (!self) return kNotEnrolled;  // a scratch record nobody holds
  enrolled_.push_back({std::move(self), 0});
  return enrolled_.size() - 1;
}

// Created then updated in one transaction is a create; destroyed is a destroy.
void Store::completed(size_t enrolled, unsigned action) {
  if (enrolled >= enrolled_.size()) return;
  unsigned& done = enrolled_[enrolled].action;
  if (done == 0 || action == OnDestroy) done = action;
}

// Each record once, in the order its first save or destroy began; their
// callbacks may save records again, whose own callbacks follow.
void Store::end_transaction(bool committed, size_t mark) {
  for (int round = 0; enrolled_.size() > mark; ++round) {
    if (round == 100) {
      enrolled_.resize(mark);
      throw ModelError("after_commit callbacks kept saving records with callbacks of their own; stopped after 100 rounds");
    }
    std::vector<Enrolled> ended(enrolled_.begin() + static_cast<std::ptrdiff_t>(mark), enrolled_.end());
    enrolled_.resize(mark);
    for (const auto& e : ended) {
      if (e.action == 0) continue;
      for (const Callback* c : e.record->model().transaction_callbacks(committed, static_cast<TransactionAction>(e.action))) {
        if (guards_pass(c->guards, code(), *e.record)) c->body(code(), *e.record);  // a throw :abort here halts nothing: the transaction has ended
      }
    }
  }
}

// ---- Rollbacks ----

void Store::remember(Record& record) {
  if (db_.transaction_depth() == 0) return;  // nothing can roll it back
  journal_.push_back({changes_remembered_++, record.weak_from_this(), record.database_state()});
  if (journal_.size() < compact_journal_at_) return;
  // A record nothing holds cannot be seen again, so its state need not come back.
  journal_.erase(std::remove_if(journal_.begin(), journal_.end(), [](const JournalEntry& e) { return e.record.expired(); }),
                 journal_.end());
  compact_journal_at_ = std::max<size_t>(1024, 2 * journal_.size());
}

// Newest first, so each record ends as it was at the mark.
void Store::roll_back_to(size_t mark) {
  while (!journal_.empty() && journal_.back().mark >= mark) {
    if (auto record = journal_.back().record.lock()) record->restore(journal_.back().state);
    journal_.pop_back();
  }
}

// ---- The one place rows change ----

int Store::write(Change::Kind, const std::string&, const storage::Query& query, const Relation*) {
  try {
    return db_.changes(query);
  } catch (const storage::DbError& e) {
    if (e.is_unavailable() || e.is_stale_plan()) throw;  // the caller's to handle: not the statement's error
    throw StatementInvalid::from(e);
  }
}

}  // namespace fw::model
