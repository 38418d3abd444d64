// Validations run in declaration order, each by its kind's check (validator_kinds.cpp).
#include <algorithm>

#include "base/clock.hpp"
#include "model/errors.hpp"
#include "model/relation.hpp"
#include "model/store.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model {

bool Persistence::valid(Record& record) {
  record.errors().clear();
  if (!run_callbacks(record, CallbackKind::BeforeValidation)) return false;  // throw :abort: invalid, with no errors
  ahead_record_ = nullptr;
  if (store_.db().reads_ahead()) read_ahead(record);
  for (const auto& v : record.model().validators) {
    if (!v.on.empty() && (v.on == "create") != record.new_record()) continue;
    run_validator(record, v);
  }
  for (auto& change : record.nested_changes()) {  // accepts_nested_attributes_for: "Posts title can't be blank"
    if (change.destroy) continue;
    // Its belongs_to back to `record` is `record` while it is checked, as ActiveRecord's inverse is.
    Record& child = *change.record;
    std::vector<std::string> inverse;
    for (const auto& b : child.model().reflections)
      if (b->is_belongs_to() && b->foreign_key == change.reflection->foreign_key && b->klass == &record.model() &&
          !child.targets().count(b->name)) {
        child.targets()[b->name] = RecordPtr(&record, [](Record*) {});
        inverse.push_back(b->name);
      }
    bool ok = valid(child);
    for (const auto& name : inverse) child.targets().erase(name);
    if (ok) continue;
    for (const auto& [attribute, message] : change.record->errors().items())
      record.errors().add(change.reflection->name + "." + attribute, message);
  }
  run_callbacks(record, CallbackKind::AfterValidation);
  if (!record.errors().empty()) ahead_record_ = nullptr;
  return record.errors().empty();
}

// The kind's check, on the attribute's value: the column's, or the virtual
// attribute's; on an association, whether it is there.
void Persistence::run_validator(Record& record, const Validator& v) {
  const ModelClass& m = record.model();
  const ValidatorKind& kind = *v.kind;
  if (!guards_pass(v.guards, store_.code(), record)) return;
  if (!v.broken_class.empty()) throw NamedError(v.broken_class, v.broken_message);
  if (v.custom) {  // validate :method_name (or an EachValidator's validate_each): its code adds the errors
    if (v.allow_nil.value_or(false) || v.allow_blank) {  // an EachValidator's allow_nil: and allow_blank:
      int i = m.column_index(v.attribute);
      const Value* value = i >= 0 ? &record.at(static_cast<size_t>(i)) : m.is_virtual(v.attribute) ? &record.virtual_value(v.attribute) : nullptr;
      if (value && (v.allow_blank ? is_blank(*value) : is_null(*value))) return;
    }
    v.custom(store_.code(), record);
    return;
  }
  std::function<void(const std::string&)> add = [&](const std::string& message) {
    record.errors().add(v.attribute, v.message.empty() ? message : v.message);
  };
  if (v.association && kind.on_records) {
    Value none;
    Checking checking{store_, record, v, none, -1, add};
    return kind.on_records(checking, *v.association);
  }
  if (v.association) {
    auto self = std::shared_ptr<Record>(&record, [](Record*) {});
    bool present = false;
    if (auto it = record.targets().find(v.association->name); it != record.targets().end() && it->second)
      present = true;  // assigned as a record (saved with this one if new)
    else if (v.association->is_belongs_to() && is_null(record.get(v.association->foreign_key)))
      present = false;
    else
      present = v.association->is_collection()
                    ? store_.queries().exists(store_.associations().collection(self, *v.association))
                    : store_.associations().target(self, *v.association) != nullptr;
    if (kind.on_association) kind.on_association(present, add);
    return;
  }
  int index = -1;
  const Value* value = checked_value(record, v, index);
  if (!value) return;
  Checking checking{store_, record, v, *value, index, add};
  if (kind.check) kind.check(checking);
}

const Value* Persistence::checked_value(Record& record, const Validator& v, int& index) const {
  const ModelClass& m = record.model();
  index = m.column_index(v.attribute);
  if (index >= 0 && !m.secure_passwords.empty() && m.is_virtual(v.attribute)) index = -1;  // password beside its digest
  if (index < 0 && v.kind->needs_column) return nullptr;  // no column to ask
  const Value& value = index >= 0 ? record.at(static_cast<size_t>(index)) : record.virtual_value(v.attribute);
  if (v.allow_nil.value_or(v.kind->nil_passes) && is_null(value)) return nullptr;
  if (v.allow_blank && is_blank(value)) return nullptr;
  return &value;
}

// The queries valid() will ask, in its order, predicted from the same code
// that asks them: a belongs_to's target (Relation::target_query) and a
// kind's lookup. A validator with if:/unless: is passed over (its condition
// is the app's code, run once, when it is checked), and so is everything
// after a query that cannot be told in advance. A prediction the validators
// then do not ask is only wasted: the storage layer hands a read-ahead
// result only to the very query it was asked for.
//
// Where the statement's failure undoes everything around it (a seed
// script's `heart user=3 tweet=17`: Database::writes_ahead), a new record's
// INSERT goes too, after the lookups, when nothing runs between its
// validations and its INSERT (no callbacks, no new parent to save first)
// and the validations that ask nothing pass: the statement is then one
// round trip. It is sent made to write only where the lookups agree (WHERE
// EXISTS the belongs_to's rows AND NOT EXISTS a duplicate), so an invalid
// record takes no id from a sequence, as ActiveRecord's takes none; the
// storage layer takes it back unless insert() asks for exactly it.
void Persistence::read_ahead(Record& record) {
  const ModelClass& m = record.model();
  // Whether the INSERT may go too; only then are the validations that ask
  // nothing run here (to send no INSERT they would refuse) and the lookups
  // written as its conditions.
  bool insert_too = record.new_record() && m.callbacks.empty() && record.targets().empty() &&
                    record.nested_changes().empty() && store_.db().writes_ahead();
  std::vector<storage::Query> queries;
  std::vector<std::string> conditions;  // each lookup as the INSERT's condition
  std::vector<const Reflection*> targets;  // each loaded once, then remembered on the record
  auto self = std::shared_ptr<Record>(&record, [](Record*) {});
  std::function<void(const std::string&)> fail = [&](const std::string&) { insert_too = false; };
  for (const auto& v : m.validators) {
    if (!v.on.empty() && (v.on == "create") != record.new_record()) continue;
    const Reflection* r = v.association;
    if (!v.guards.empty() || !v.broken_class.empty() || v.custom ||
        (r && (v.kind->on_records || !r->is_belongs_to() || r->polymorphic))) {
      insert_too = false;  // what follows is asked one query at a time
      break;
    }
    if (r) {
      if (record.targets().count(r->name) || is_null(record.get(r->foreign_key)) ||
          std::find(targets.begin(), targets.end(), r) != targets.end()) {
        if (is_null(record.get(r->foreign_key))) insert_too = false;  // (no target either, when insert_too)
        continue;
      }
      auto query = Relation::target_query(self, *r, r->klass->name + " Load");
      if (!query) {
        insert_too = false;
        break;
      }
      if (insert_too) conditions.push_back("EXISTS (" + query->sql + ")");
      queries.push_back(std::move(*query));
      targets.push_back(r);
      continue;
    }
    int index = -1;
    const Value* value = checked_value(record, v, index);
    if (!value) continue;
    Checking checking{store_, record, v, *value, index, fail};
    if (!v.kind->lookup) {
      if (insert_too && v.kind->check) v.kind->check(checking);
      continue;
    }
    queries.push_back(v.kind->lookup(checking));
    if (insert_too) conditions.push_back("NOT EXISTS (" + queries.back().sql + ")");
  }
  storage::Query insert;
  if (insert_too && !queries.empty()) {
    std::string now = utc_timestamp();
    queries.push_back(insert_query(record, now));
    insert = conditional_insert(queries, conditions);
    if (insert.sql.empty()) {
      queries.pop_back();  // (no VALUES to make conditional)
    } else {
      ahead_now_ = std::move(now);
      ahead_record_ = &record;
    }
  }
  if (queries.size() > 1) store_.db().read_ahead(queries, insert.sql.empty() ? nullptr : &insert);
}

// The last of `queries`, an INSERT ... VALUES (...), as INSERT ... SELECT ...
// WHERE each condition holds, the others' values bound after its own.
storage::Query Persistence::conditional_insert(const std::vector<storage::Query>& queries,
                                               const std::vector<std::string>& conditions) {
  const storage::Query& plain = queries.back();
  size_t values = plain.sql.find(" VALUES (");
  size_t end = values == std::string::npos ? values : plain.sql.find(')', values);
  if (end == std::string::npos) return {};
  storage::Query q{plain.label, "", plain.binds};
  q.sql = plain.sql.substr(0, values) + " SELECT " + plain.sql.substr(values + 9, end - values - 9) + " WHERE ";
  for (size_t i = 0; i < conditions.size(); ++i) q.sql += (i ? " AND " : "") + conditions[i];
  q.sql += plain.sql.substr(end + 1);
  for (size_t i = 0; i + 1 < queries.size(); ++i) q.binds.insert(q.binds.end(), queries[i].binds.begin(), queries[i].binds.end());
  return q;
}

}  // namespace fw::model
