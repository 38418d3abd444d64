// Destroying records: destroy with its callbacks and the dependent: options
// (a has_*'s before the row goes, a belongs_to's after), destroy_all, and
// delete_all, which runs neither.
#include "model/store.hpp"

#include "model/errors.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

// A has_* dependent: is a before_destroy callback of its own, declared with
// the association: callbacks and cascades run in the order they were
// declared, those with prepend: true first.
bool Persistence::run_before_destroy(Record& record) {
  const ModelClass& m = record.model();
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto cascades_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next)
      if (!m.reflections[next]->kind().before_destroy(store_, record, *m.reflections[next])) return false;
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::BeforeDestroy)) {
    if (!c->prepend && !cascades_until(c->after_associations)) return false;
    if (!c->body(store_.code(), record)) return false;  // throw :abort: nothing destroyed
  }
  if (!cascades_until(m.reflections.size())) return false;
  for (const auto& r : m.reflections) r->kind().remove_links(store_, record, *r);
  return true;
}

bool Persistence::destroy(Record& record) {
  const ModelClass& m = record.model();
  record.errors().clear();
  if (record.destroyed()) return true;
  if (record.new_record()) {
    record.mark_destroyed();
    return true;
  }
  Store::OutermostEnd ends(store_);
  Store::KeepOrRollBack records(store_);
  storage::Transaction tx(store_.db());
  size_t enrolled = store_.enroll(record);
  if (!run_before_destroy(record)) return false;  // the transaction rolls back what ran
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  int deleted = store_.write(Change::Kind::Delete, m.table, self.delete_query(label(m, "Destroy")), &self);
  if (deleted > 0)  // a belongs_to's counter_cache: and touch:
    for (const auto& r : m.reflections)
      if (r->kind().follows_writes(*r))
        r->kind().after_write(store_, record, *r, false, true,
                              record.saved(static_cast<size_t>(m.column_index(r->foreign_key))));
  // A belongs_to's dependent: is an after_destroy callback of its own: they run as declared.
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto parents_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next)
      if (!m.reflections[next]->kind().after_destroy(store_, record, *m.reflections[next])) return false;
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::AfterDestroy)) {
    if (!parents_until(c->after_associations)) return false;
    c->body(store_.code(), record);
  }
  if (!parents_until(m.reflections.size())) return false;
  store_.completed(enrolled, OnDestroy);
  tx.commit();
  store_.remember(record);
  record.mark_destroyed();
  records.keep();
  ends.committed();
  return true;
}

std::vector<RecordPtr> Queries::destroy_all(const Relation& relation) {
  Store::OutermostEnd ends(store_);
  Store::KeepOrRollBack undo(store_);
  storage::Transaction tx(store_.db());
  auto records = to_a(relation);
  for (const auto& r : records) store_.persistence().destroy(*r);
  // ActiveRecord marks the association loaded and empty: u.tweets.size is 0 now
  if (relation.is_association()) relation.owner()->keep({});
  tx.commit();
  undo.keep();
  ends.committed();
  return records;
}

int Queries::delete_all(const Relation& relation) {
  const ModelClass& m = relation.model();
  int deleted = store_.write(Change::Kind::Delete, m.table, relation.delete_query(label(m, "Delete All")), &relation);
  if (relation.is_association()) relation.owner()->keep({});
  return deleted;
}

}  // namespace fw::model
