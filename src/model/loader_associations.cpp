// The loader's reflections: each association declared, resolved to its
// target model, keys and through path, and checked as ActiveRecord checks it.
#include "model/loader.hpp"

#include <algorithm>

#include "base/text.hpp"
#include "base/diagnostic.hpp"
#include "model/association.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/validator_kinds.hpp"

namespace fw::model::loading {

void Loader::add_reflection(ModelClass& owner, const ModelDecl::Association& a) {
  auto r = std::make_unique<Reflection>();
  r->macro = a.macro;
  r->name = a.name;
  r->at = a.at;
  r->owner = &owner;
  r->scope = a.scope;
  r->owner_scope = a.owner_scope;
  r->optional = !owner_decl(owner).belongs_to_required;
  std::string label = fmt::format("{} {} :{}", owner.name, macro_name(a.macro), a.name);
  if (owner.reflection(a.name)) problem(a.at, label + ": declared twice");
  const auto& allowed = allowed_options(a.macro);
  for (const auto& [key, value] : a.options) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string hint = suggestion_suffix(key, allowed);
      std::string text = fmt::format("{}: unknown option :{}.{}", label, key,
                                     hint.empty() ? " Valid options: " + join(allowed, ", ") : hint);
      auto valid = active_record_keys(a.macro, a.options);
      if (!lenient_ || std::find(valid.begin(), valid.end(), key) == valid.end())
        break_model(owner, a.at, text, "ArgumentError",
                    fmt::format("Unknown key: :{}. Valid keys are: {}", key, symbols(valid)));
      else  // an option ActiveRecord takes and fwitter does not apply
        problem(a.at, fmt::format("{}: fwitter does not apply :{}, and passes it over", label, key));
      continue;
    }
    if (key == "class_name") r->class_name = name_of(value);
    else if (key == "foreign_key") r->foreign_key = name_of(value);
    else if (key == "primary_key") r->primary_key = name_of(value);
    else if (key == "through") r->through = name_of(value);
    else if (key == "source") r->source = name_of(value);
    else if (key == "join_table") r->join_table = name_of(value);
    else if (key == "association_foreign_key") r->association_foreign_key = name_of(value);
    else if (key == "foreign_type") r->foreign_type = name_of(value);
    else if (key == "as") r->as = name_of(value);
    else if (key == "inverse_of") r->inverse_of = name_of(value);
    else if (key == "polymorphic") r->polymorphic = value.to_value() == Value(true);
    else if (key == "counter_cache") {
      if (value.is_name()) r->counter_cache = value.text;
      else if (value.to_value() == Value(true)) r->counter_cache = inflector::pluralize(inflector::underscore(owner.name)) + "_count";
      else if (value.to_value() != Value(false))
        problem(a.at, label + ": counter_cache: takes true or the name of the count column");
    } else if (key == "touch") {
      if (value.is_name()) {  // touch: :last_tweet_at
        r->touch = true;
        r->touch_column = value.text;
      } else if (value.to_value() == Value(true)) r->touch = true;
      else if (value.to_value() != Value(false))
        problem(a.at, label + ": touch: takes true, false or the name of a column to touch");
    }
    else if (key == "optional") r->optional = value.to_value() == Value(true);
    else if (key == "validate") r->validate = value.to_value() == Value(true);
    else if (key == "autosave") r->autosave = value.to_value() == Value(true);
    else if (key == "required") r->optional = value.to_value() != Value(true);
    else if (key == "dependent") {
      auto valid = valid_dependents(a.macro);
      std::string d = name_of(value);
      if (std::find(valid.begin(), valid.end(), d) == valid.end()) {
        std::vector<std::string> ar = valid;  // ActiveRecord 6.1's list, in its order
        if (a.macro == Macro::HasMany || a.macro == Macro::HasAndBelongsToMany)
          ar = {"destroy", "delete_all", "nullify", "restrict_with_error", "restrict_with_exception", "destroy_async"};
        else if (a.macro == Macro::HasOne)
          ar = {"destroy", "destroy_async", "delete", "nullify", "restrict_with_error", "restrict_with_exception"};
        else ar = {"destroy", "delete", "destroy_async"};
        break_model(owner, a.at,
                    fmt::format("{}: dependent: :{} is not one of :{}.{}", label, d, join(valid, ", :"),
                                suggestion_suffix(d, valid)),
                    "ArgumentError",
                    fmt::format("The :dependent option must be one of [{}], but is :{}", symbols(ar), d));
      } else {
        r->dependent = parse_dependent(d);
      }
    }
  }
  if (a.macro == Macro::BelongsTo && !r->through.empty()) problem(a.at, label + ": belongs_to has no through:");
  if (r->polymorphic && !r->class_name.empty())
    problem(a.at, label + ": a polymorphic association takes its class from the " + a.name +
                      "_type column; remove class_name:");
  if (!r->as.empty() && !r->through.empty()) problem(a.at, label + ": as: and through: cannot be used together");
  if (r->polymorphic) r->class_name.clear();
  else if (r->class_name.empty() && r->through.empty())
    r->class_name = r->is_collection() ? inflector::classify(a.name) : inflector::camelize(a.name);
  r->kind_ = &Association::of(*r);  // what it does: its kind of association
  owner.reflections.push_back(std::move(r));
}

void Loader::check_column(const ModelClass& m, const std::string& column, const Reflection& r, const std::string& label,
                  const std::string& option) {
  if (m.columns.empty() || m.column(column)) return;
  std::vector<std::string> keys;
  for (const auto& c : m.columns)
    if (c.name.size() > 3 && c.name.compare(c.name.size() - 3, 3, "_id") == 0) keys.push_back(c.name);
  auto guess = did_you_mean(column, keys);
  problem(r.at, fmt::format("{}: table {} has no column {}; {}", label, m.table, column,
                            guess ? fmt::format("did you mean {}: \"{}\"?", option, *guess)
                                  : fmt::format("add it in a migration, or name the column with {}:", option)));
}

void Loader::resolve_direct(Reflection& r, const std::string& label) {
  if (r.polymorphic) {
    if (r.foreign_key.empty()) r.foreign_key = r.name + "_id";
    if (r.foreign_type.empty()) r.foreign_type = r.name + "_type";
    check_column(*r.owner, r.foreign_key, r, label, "foreign_key");
    check_column(*r.owner, r.foreign_type, r, label, "foreign_type");
    if (!r.counter_cache.empty()) problem(r.at, label + ": counter_cache: on a polymorphic association is not supported");
    if (r.touch) problem(r.at, label + ": touch: on a polymorphic association is not supported");
    return;
  }
  ModelClass* target = find(r.class_name);
  if (!target) {
    std::string missing = fmt::format("uninitialized constant {}::{}", r.owner->name, r.class_name);
    // Only a plural name given no class_name (belongs_to :users) is the plural mistake.
    std::string singular = inflector::camelize(inflector::singularize(r.name));
    if (r.macro == Macro::BelongsTo && r.class_name == inflector::camelize(r.name) && singular != r.class_name &&
        find(singular)) {
      break_reflection(r, fmt::format("{}: belongs_to takes a singular name: belongs_to :{}", label,
                                      inflector::singularize(r.name)),
                       "NameError", missing);
    } else {
      break_reflection(r,
                       fmt::format("{}: no model named {}.{}{}", label, r.class_name,
                                   suggestion_suffix(r.class_name, names_of(models_)),
                                   r.class_name == inflector::camelize(r.name) ||
                                           r.class_name == inflector::classify(r.name)
                                       ? " (add class_name: if the association's name is not the model's)"
                                       : ""),
                       "NameError", missing);
    }
    return;
  }
  r.klass = target;
  const ModelClass& owner = *r.owner;
  switch (r.macro) {
    case Macro::BelongsTo:
      if (r.foreign_key.empty()) r.foreign_key = r.name + "_id";
      if (r.primary_key == "id") r.primary_key = target->primary_key;
      check_column(owner, r.foreign_key, r, label, "foreign_key");
      if (!r.counter_cache.empty() && !target->columns.empty() && !target->column(r.counter_cache))
        problem(r.at, fmt::format("{}: counter_cache: table {} has no column {}; add it in a migration "
                                  "(integer, default 0), or name the column: counter_cache: :count_column",
                                  label, target->table, r.counter_cache));
      if (!r.touch_column.empty() && !target->columns.empty() && !target->column(r.touch_column))
        problem(r.at, fmt::format("{}: touch: table {} has no column {}; add it in a migration, or name another column",
                                  label, target->table, r.touch_column));
      break;
    case Macro::HasMany:
    case Macro::HasOne:
      if (r.foreign_key.empty()) r.foreign_key = r.as.empty() ? inflector::foreign_key(owner.name) : r.as + "_id";
      if (!r.as.empty() && r.foreign_type.empty()) r.foreign_type = r.as + "_type";
      if (r.primary_key == "id") r.primary_key = owner.primary_key;
      check_column(*target, r.foreign_key, r, label, "foreign_key");
      if (!r.as.empty()) check_column(*target, r.foreign_type, r, label, "foreign_type");
      break;
    case Macro::HasAndBelongsToMany: {
      if (r.foreign_key.empty()) r.foreign_key = inflector::foreign_key(owner.name);
      if (r.association_foreign_key.empty()) r.association_foreign_key = inflector::foreign_key(target->name);
      if (r.join_table.empty()) {
        std::vector<std::string> t = {owner.table, target->table};
        std::sort(t.begin(), t.end());
        r.join_table = t[0] + "_" + t[1];
      }
      r.primary_key = owner.primary_key;
      if (!db_.table_exists(r.join_table)) {
        std::string guess = suggestion_suffix(r.join_table, db_.tables());
        problem(r.at, fmt::format("{}: the database has no join table {}{}; add a migration that creates it, "
                                  "or name it with join_table:",
                                  label, r.join_table, guess.empty() ? "" : "." + guess));
      } else {
        std::set<std::string> cols;
        for (const auto& c : db_.columns(r.join_table)) cols.insert(c.name);
        for (const auto& [key, option] : {std::pair{r.foreign_key, "foreign_key"},
                                          std::pair{r.association_foreign_key, "association_foreign_key"}})
          if (!cols.count(key))
            problem(r.at, fmt::format("{}: join table {} has no column {}; name it with {}:", label, r.join_table,
                                      key, option));
      }
      break;
    }
  }
}

bool Loader::resolve(Reflection& r) {
  if (resolved_.count(&r)) return r.klass != nullptr;
  if (resolving_.count(&r)) {
    break_reflection(r, fmt::format("{} :{}: its through: chain comes back to itself", r.owner->name, r.name),
                     "SystemStackError", "stack level too deep");
    return false;
  }
  resolving_.insert(&r);
  std::string label = fmt::format("{} {} :{}", r.owner->name, macro_name(r.macro), r.name);
  if (!r.is_through()) {
    resolve_direct(r, label);
  } else {
    resolve_through(r, label);
  }
  resolving_.erase(&r);
  resolved_.insert(&r);
  return r.klass != nullptr;
}

void Loader::check_inverse(const Reflection& r) {
  if (r.inverse_of.empty() || !r.klass) return;
  const Reflection* back = r.klass->reflection(r.inverse_of);
  std::string label = fmt::format("{} {} :{}", r.owner->name, macro_name(r.macro), r.name);
  if (!back && lenient_) {  // ActiveRecord raises InverseOfAssociationNotFoundError where it looks for it
    problem(r.at, fmt::format("{}: inverse_of: :{} names no association of {}; fwitter passes it over", label,
                              r.inverse_of, r.klass->name));
    const_cast<Reflection&>(r).inverse_of.clear();
  } else if (!back)
    problem(r.at, fmt::format("{}: inverse_of: :{} names no association of {}.{}", label, r.inverse_of,
                              r.klass->name, suggestion_suffix(r.inverse_of, r.klass->association_names())));
  else if (back->klass && back->klass != r.owner)
    problem(r.at, fmt::format("{}: inverse_of: :{} leads to {}, not back to {}", label, r.inverse_of,
                              back->klass->name, r.owner->name));
  else if (r.is_through() || back->is_through())
    problem(r.at, label + ": inverse_of: on a through association is not supported");
}

void Loader::resolve_through(Reflection& r, const std::string& label) {
  auto* through = const_cast<Reflection*>(r.owner->reflection(r.through));
  if (!through) {
    std::string hint = suggestion_suffix(r.through, r.owner->association_names());
    // the join association must be declared too, and ActiveRecord wants it first
    if (hint.empty())
      hint = fmt::format(" Declare the join association as well, before this line: has_many :{}", r.through);
    break_reflection(r, fmt::format("{}: through: :{} names no association of {}.{}", label, r.through, r.owner->name, hint),
                     "ActiveRecord::HasManyThroughAssociationNotFoundError",
                     fmt::format("Could not find the association :{} in model {}", r.through, r.owner->name));
    return;
  }
  if (!resolve(*through)) {
    r.broken_class = through->broken_class;
    r.broken_message = through->broken_message;
    return;
  }
  r.through_reflection = through;
  ModelClass& middle = const_cast<ModelClass&>(*through->klass);
  std::vector<std::string> tries =
      r.source.empty() ? std::vector<std::string>{inflector::singularize(r.name), r.name} : std::vector<std::string>{r.source};
  Reflection* source = nullptr;
  for (const auto& t : tries)
    if (!source) source = const_cast<Reflection*>(middle.reflection(t));
  if (!source) {
    auto names = middle.association_names();
    std::string guess = r.source.empty() ? "" : suggestion_suffix(r.source, names);
    break_reflection(r,
                     fmt::format("{}: {} has no association :{}{}; name the one to follow with source: (one of :{})",
                                 label, middle.name, join(tries, " or :"), guess.empty() ? "" : "." + guess,
                                 join(names, ", :")),
                     "ActiveRecord::HasManyThroughSourceAssociationNotFoundError",
                     r.source.empty()
                         ? fmt::format("Could not find the source association(s) \"{}\" or :{} in model {}. Try "
                                       "'has_many :{}, :through => :{}, :source => <name>'. Is it one of {}?",
                                       tries[0], r.name, middle.name, r.name, r.through, join(names, ", "))
                         : fmt::format("Could not find the source association(s) :{} in model {}. Try 'has_many "
                                       ":{}, :through => :{}, :source => <name>'. Is it one of {}?",
                                       r.source, middle.name, r.name, r.through, join(names, ", ")));
    return;
  }
  if (!resolve(*source)) {
    r.broken_class = source->broken_class;
    r.broken_message = source->broken_message;
    return;
  }
  r.source_reflection = source;
  r.klass = source->klass;
  r.class_name = source->klass->name;
  if (r.dependent != Dependent::None && r.dependent != Dependent::Destroy && r.dependent != Dependent::DeleteAll)
    problem(r.at, label + ": a through association takes only dependent: :destroy or :delete_all (of its join records)");
}

}  // namespace fw::model::loading
