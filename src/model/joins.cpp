// joins / left_joins by association name, nested and through, with the
// table aliases ActiveRecord gives a table the query already names.
#include <fmt/format.h>

#include <algorithm>

#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/relation.hpp"

namespace fw::model {

using storage::quote_identifier;

Relation Relation::joins(const std::vector<AssociationTree>& associations) const {
  return add_joins(associations, false);
}

Relation Relation::left_joins(const std::vector<AssociationTree>& associations) const {
  return add_joins(associations, true);
}

Relation Relation::add_joins(const std::vector<AssociationTree>& associations, bool outer) const {
  Relation r = chained();
  for (const auto& node : associations) r.join_tree(node, *model_, model_->table, "", outer);
  return r;
}

// Joins one association (once: a path already joined keeps its join), then
// the associations nested under it, from its target's table.
void Relation::join_tree(const AssociationTree& node, const ModelClass& from, const std::string& from_alias,
                         const std::string& path, bool outer) {
  const Reflection* reflection = from.reflection(node.name);
  if (const Reflection* broken = reflection ? nullptr : from.broken_reflection(node.name)) broken->raise_broken();
  if (!reflection)
    throw ModelError(fmt::format("Can't join '{}' to association named '{}'; perhaps you misspelled it?{}", from.name,
                                 node.name, suggestion_suffix(node.name, from.association_names())));
  std::string here = path.empty() ? node.name : path + "." + node.name;
  auto done = std::find_if(joined_.begin(), joined_.end(), [&](const Joined& j) { return j.path == here; });
  if (done == joined_.end()) join_association(*reflection, from_alias, here, outer);
  std::string alias = std::find_if(joined_.begin(), joined_.end(), [&](const Joined& j) { return j.path == here; })->alias;
  if (!node.nested.empty() && !reflection->klass) polymorphic_has_no_table(*reflection);
  for (const auto& child : node.nested) join_tree(child, *reflection->klass, alias, here, outer);
}

// The association's steps, each `JOIN table [alias] ON alias.to_key = previous.from_key`.
// A step's table already in the query is aliased as ActiveRecord does:
// followings_users for the target, active_follows_users_join for a through step.
void Relation::join_association(const Reflection& reflection, const std::string& from_alias, const std::string& path,
                                bool outer) {
  if (reflection.is_instance_dependent()) instance_dependent_scope(reflection);
  auto hops = association_path(reflection);
  std::string previous = from_alias;
  for (size_t i = 0; i < hops.size(); ++i) {
    const Hop& hop = hops[i];
    bool last = i + 1 == hops.size();
    const std::string& step_name = last || !reflection.is_through() ? reflection.name : reflection.through;
    std::string candidate = inflector::pluralize(step_name) + "_" + reflection.owner->table + (last ? "" : "_join");
    std::string alias = alias_for(hop.to_table, candidate);
    std::string table = quote_identifier(hop.to_table) + (alias == hop.to_table ? "" : " " + quote_identifier(alias));
    joins_.push_back(fmt::format("{} {} ON {}.{} = {}.{}{}", outer ? "LEFT OUTER JOIN" : "INNER JOIN", table,
                                 quote_identifier(alias), quote_identifier(hop.to_key), quote_identifier(previous),
                                 quote_identifier(hop.from_key), type_filter(hop, alias)));
    if (last) joined_.push_back({path, reflection.name, reflection.klass, alias});
    else if (reflection.is_through() && hops.size() == 2)
      joined_.push_back({"", reflection.through, reflection.through_reflection->klass, alias});
    else joined_.push_back({"", "", nullptr, alias});
    previous = alias;
  }
}

std::string Relation::alias_for(const std::string& table, const std::string& candidate) const {
  auto used = [&](const std::string& name) {
    if (name == model_->table) return true;
    return std::any_of(joined_.begin(), joined_.end(), [&](const Joined& j) { return j.alias == name; });
  };
  if (!used(table)) return table;
  if (!used(candidate)) return candidate;
  for (int n = 2;; ++n)
    if (!used(fmt::format("{}_{}", candidate, n))) return fmt::format("{}_{}", candidate, n);
}

void check_associations(const ModelClass& model, const std::vector<AssociationTree>& associations) {
  for (const auto& node : associations) {
    const Reflection* r = model.reflection(node.name);
    if (const Reflection* broken = r ? nullptr : model.broken_reflection(node.name)) broken->raise_broken();
    if (!r)
      throw ModelError(fmt::format("Association named '{}' was not found on {}; perhaps you misspelled it?{}",
                                   node.name, model.name, suggestion_suffix(node.name, model.association_names())));
    if (node.nested.empty()) continue;
    if (!r->klass) polymorphic_has_no_table(*r);  // what follows it depends on each record's type
    check_associations(*r->klass, node.nested);
  }
}

}  // namespace fw::model
