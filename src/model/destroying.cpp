// Destroying records: destroy with its callbacks and the dependent: options
// (a has_*'s before the row goes, a belongs_to's after), destroy_all, and
// delete_all, which runs neither.
#include "model/store.hpp"

#include <cctype>

#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

// A has_* dependent: is a before_destroy callback of its own, declared with
// the association: callbacks and cascades run in the order they were
// declared, those with prepend: true first.
bool Store::run_before_destroy(Record& record) {
  const ModelClass& m = record.model();
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto cascades_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next)
      if (!run_dependent(record, *m.reflections[next])) return false;
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::BeforeDestroy)) {
    if (!c->prepend && !cascades_until(c->after_associations)) return false;
    if (!c->body(code(), record)) return false;  // throw :abort: nothing destroyed
  }
  if (!cascades_until(m.reflections.size())) return false;
  for (const auto& r : m.reflections) {
    if (r->macro != Macro::HasAndBelongsToMany) continue;
    storage::Query q{r->join_table + " Delete All",
                     "DELETE FROM " + quote_identifier(r->join_table) + " WHERE " +
                         quote_identifier(r->join_table) + "." + quote_identifier(r->foreign_key) + " = ?",
                     {{r->foreign_key, record.get(r->primary_key)}}};
    write(Change::Kind::Delete, r->join_table, q, nullptr);
  }
  return true;
}

bool Store::run_dependent(Record& record, const Reflection& reflection) {
  const Reflection* r = &reflection;
  if (r->dependent == Dependent::None || r->is_belongs_to()) return true;
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});  // borrowed for the relations below
  {
    followed(*r);
    // A through association's dependents are its join records.
    const Reflection& step = r->is_through() ? *r->through_reflection : *r;
    Relation children = Relation::association(owner, step, code());
    switch (r->dependent) {
      case Dependent::RestrictWithError:
        if (exists(children)) {
          std::string what = inflector::humanize(r->name);
          what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
          record.errors().add("base", r->macro == Macro::HasOne
                                          ? "Cannot delete record because a dependent " + what + " exists"
                                          : "Cannot delete record because dependent " + what + " exist");
          return false;
        }
        break;
      case Dependent::RestrictWithException:
        if (exists(children)) throw DeleteRestrictionError(r->name);
        break;
      case Dependent::Destroy:
        for (const auto& child : to_a(children)) {
          if (!destroy(*child)) {
            for (const auto& message : child->errors().full_messages()) record.errors().add("base", message);
            return false;
          }
        }
        break;
      case Dependent::Delete:
      case Dependent::DeleteAll: delete_all(children); break;
      case Dependent::Nullify: {
        const Reflection& direct = step;
        std::vector<storage::Bind> sets = {{direct.foreign_key, Value{}}};
        if (!direct.as.empty()) sets.push_back({direct.foreign_type, Value{}});
        write(Change::Kind::Update, direct.klass->table,
              children.update_query(sets, label(*direct.klass, "Update All")), &children);
        break;
      }
      case Dependent::None: break;
    }
  }
  return true;
}

bool Store::destroy(Record& record) {
  const ModelClass& m = record.model();
  record.errors().clear();
  if (record.destroyed()) return true;
  if (record.new_record()) {
    record.mark_destroyed();
    return true;
  }
  OutermostEnd ends(*this);
  KeepOrRollBack records(*this);
  storage::Transaction tx(db_);
  size_t enrolled = enroll(record);
  if (!run_before_destroy(record)) return false;  // the transaction rolls back what ran
  Relation self = Relation(m).where({{m.primary_key, record.id()}});
  int deleted = write(Change::Kind::Delete, m.table, self.delete_query(label(m, "Destroy")), &self);
  std::vector<std::pair<const Reflection*, Value>> parents;
  for (const auto& r : m.reflections)
    if (r->is_belongs_to() && !r->polymorphic && (!r->counter_cache.empty() || r->touch))
      parents.push_back({r.get(), record.saved(static_cast<size_t>(m.column_index(r->foreign_key)))});
  if (deleted > 0) after_write_parents(record, false, true, parents);
  // A belongs_to's dependent: is an after_destroy callback of its own: they run as declared.
  auto owner = std::shared_ptr<Record>(&record, [](Record*) {});
  size_t next = 0;  // the next reflection whose dependent: has not run
  auto parents_until = [&](size_t end) {
    for (; next < end && next < m.reflections.size(); ++next) {
      const Reflection& r = *m.reflections[next];
      if (!r.is_belongs_to() || r.dependent == Dependent::None) continue;
      followed(r);
      Relation parent = Relation::association(owner, r, code());
      if (r.dependent == Dependent::Delete) {
        delete_all(parent);
      } else if (auto p = first(parent); p && !destroy(*p)) {
        for (const auto& message : p->errors().full_messages()) record.errors().add("base", message);
        return false;
      }
    }
    return true;
  };
  for (const Callback* c : m.callbacks_of(CallbackKind::AfterDestroy)) {
    if (!parents_until(c->after_associations)) return false;
    c->body(code(), record);
  }
  if (!parents_until(m.reflections.size())) return false;
  completed(enrolled, OnDestroy);
  tx.commit();
  remember(record);
  record.mark_destroyed();
  records.keep();
  ends.committed();
  return true;
}

std::vector<RecordPtr> Store::destroy_all(const Relation& relation) {
  OutermostEnd ends(*this);
  KeepOrRollBack undo(*this);
  storage::Transaction tx(db_);
  auto records = to_a(relation);
  for (const auto& r : records) destroy(*r);
  // ActiveRecord marks the association loaded and empty: u.tweets.size is 0 now
  if (relation.is_association()) relation.owner()->keep({});
  tx.commit();
  undo.keep();
  ends.committed();
  return records;
}

int Store::delete_all(const Relation& relation) {
  const ModelClass& m = relation.model();
  int deleted = write(Change::Kind::Delete, m.table, relation.delete_query(label(m, "Delete All")), &relation);
  if (relation.is_association()) relation.owner()->keep({});
  return deleted;
}

}  // namespace fw::model
