// What a belongs_to's counter_cache: and touch: do to the parent when a record
// is created, moved to another parent, or destroyed.
#include "model/store.hpp"

#include "base/clock.hpp"
#include "model/store_support.hpp"

namespace fw::model {

using storage::quote_identifier;

// belongs_to counter_cache: and touch: after a record was created, updated
// (its parent changed: the old one's count goes down, the new one's up) or destroyed.
void Store::after_write_parents(Record& record, bool created, bool destroyed,
                                const std::vector<std::pair<const Reflection*, Value>>& old_keys) {
  for (const auto& [r, old_key] : old_keys) {
    Value key = record.get(r->foreign_key);
    bool moved = !created && !destroyed && !values_equal(old_key, key);
    if (!r->counter_cache.empty()) {
      if (destroyed) {
        if (!is_null(old_key)) update_counter(*r, old_key, -1);
      } else if (created || moved) {
        if (moved && !is_null(old_key)) update_counter(*r, old_key, -1);
        if (!is_null(key)) update_counter(*r, key, +1);
      }
      // A loaded parent's count follows, as increment! keeps it.
      const RecordPtr* cached = record.cached_target(r->name);
      if (cached && *cached && (created || moved || destroyed)) {
        Record& parent = **cached;
        int by = values_equal(parent.get(r->primary_key), key) ? (destroyed ? -1 : +1)
                 : values_equal(parent.get(r->primary_key), old_key) && (moved || destroyed) ? -1 : 0;
        int column = r->klass->column_index(r->counter_cache);
        if (by != 0 && column >= 0) {
          const Value& count = parent.at(static_cast<size_t>(column));
          auto n = std::get_if<std::int64_t>(&count);
          parent.set(static_cast<size_t>(column), std::int64_t{(n ? *n : 0) + by});
          parent.clear_change(static_cast<size_t>(column));
        }
      }
    }
    if (r->touch) {
      std::string now = utc_timestamp();
      for (const Value& k : moved ? std::vector<Value>{old_key, key} : std::vector<Value>{destroyed ? old_key : key}) {
        if (is_null(k) || !r->klass->column("updated_at")) continue;
        Relation parent = Relation(*r->klass).where({{r->primary_key, k}});
        write(Change::Kind::Update, r->klass->table,
              parent.update_query({{"updated_at", now}}, label(*r->klass, "Update All")), &parent);
        if (const RecordPtr* cached = record.cached_target(r->name); cached && *cached && values_equal((*cached)->get(r->primary_key), k)) {
          (*cached)->set("updated_at", now);
          (*cached)->clear_change(static_cast<size_t>(r->klass->column_index("updated_at")));
        }
      }
    }
  }
}

// UPDATE "authors" SET "books_count" = COALESCE("books_count", 0) + ? WHERE "authors"."id" = ?, as
// ActiveRecord's update_counters; a loaded parent's attribute follows.
void Store::update_counter(const Reflection& r, const Value& parent_key, int by) {
  const ModelClass& parent = *r.klass;
  Relation row = Relation(parent).where({{r.primary_key, parent_key}});
  std::string column = quote_identifier(r.counter_cache);
  write(Change::Kind::Update, parent.table,
        row.update_query(column + " = COALESCE(" + column + ", 0) + ?", {{r.counter_cache, std::int64_t{by}}},
                         label(parent, "Update All")),
        &row);
}

}  // namespace fw::model
