// A record's methods: user(1).save, user(1).errors. Its columns,
// associations and delegations are members of its model (call_record_member).
#include <fmt/format.h>

#include "lang/methods/support.hpp"
#include "model/errors.hpp"

namespace fw::lang {

namespace {

const model::RecordPtr& record(Call& c) { return *c.self.get<model::RecordPtr>(); }

Object save(Call& c) {
  if (c.name == "save!") return store(c).persistence().save_strict(*record(c)), Object(true);
  return Object(store(c).persistence().save(*record(c)));
}

Object update(Call& c) {
  auto attributes = to_attributes(c.args[0], c.name.c_str());
  if (c.name == "update!") return store(c).persistence().update_strict(*record(c), attributes), Object(true);
  return Object(store(c).persistence().update(*record(c), attributes));
}

// update_attribute(:name, value): through the model's writer, saved without validations.
Object update_attribute(Call& c) {
  const auto& r = record(c);
  std::string name = name_arg(c.args[0], c.name.c_str());
  std::vector<Object> value{c.args[1]};
  if (c.in.defines_method(r->model(), name + "=")) c.in.call(c.self, name + "=", value);
  else store(c).persistence().assign(*r, name, to_input(c.args[1]));
  if (r->destroyed()) throw model::ModelError("can't modify frozen " + r->model().name);
  return Object(store(c).persistence().save_without_validations(*r));
}

// update_columns(a: 1), update_column(:a, 1): straight to the row.
Object update_columns(Call& c) {
  model::Attributes attributes;
  if (c.name == "update_column") {
    if (c.args.size() != 2) throw wrong_arguments(c.args.size(), "2");
    attributes.push_back({name_arg(c.args[0], c.name.c_str()), to_input(c.args[1])});
  } else {
    if (c.args.size() != 1) throw wrong_arguments(c.args.size(), "1");
    attributes = to_attributes(c.args[0], c.name.c_str());
  }
  store(c).persistence().update_columns(*record(c), attributes);
  return Object(true);
}

// becomes(Other): the same attributes as a record of another model of its table (single-table inheritance).
Object becomes(Call& c) {
  auto m = c.args[0].get<ModelRef>();
  if (!m) throw type_error("becomes takes a model class, not " + class_name(c.args[0]));
  const auto& r = record(c);
  auto other = r->becomes(*m->model);
  if (c.name == "becomes!" && other->model().has_inheritance_column())
    other->set(other->model().inheritance_column, other->model().superclass ? Value(other->model().name) : Value{});
  return Object::record(other);
}

Object destroy(Call& c) {
  const auto& r = record(c);
  if (store(c).persistence().destroy(*r)) return c.self;
  if (c.name == "destroy!") {
    const auto& m = r->model();
    throw model::RecordNotDestroyed(fmt::format("Failed to destroy {} with {}={}", m.name, m.primary_key, value_to_s(r->id())));
  }
  return Object(false);
}

Object reload(Call& c) { return store(c).persistence().reload(*record(c)), c.self; }

Object valid(Call& c) {
  bool ok = store(c).persistence().valid(*record(c));
  return Object(c.name == "valid?" ? ok : !ok);
}

Object errors_of(Call& c) { return Object(ErrorsRef{record(c)}); }

Object attributes(Call& c) {
  const auto& r = record(c);
  Hash h;
  for (size_t i = 0; i < r->model().columns.size(); ++i) h.push_back({Object(r->model().columns[i].name), from_attribute(r->at(i), r->model().columns[i].type)});
  return Object::hash(std::move(h));
}

Object attribute_names(Call& c) { return strings(record(c)->model().column_names()); }
Object new_record(Call& c) { return Object(record(c)->new_record()); }
Object persisted(Call& c) { return Object(record(c)->persisted()); }
Object destroyed(Call& c) { return Object(record(c)->destroyed()); }
Object changed(Call& c) { return Object(record(c)->changed()); }

Object changes(Call& c) {
  Hash h;
  const auto& m = record(c)->model();
  for (const auto& [col, change] : record(c)->changes()) {
    auto type = m.column(col) ? m.column(col)->type : model::ColumnType::Untyped;
    h.push_back({Object(col), Object::array({from_attribute(change.first, type), from_attribute(change.second, type)})});
  }
  return Object::hash(std::move(h));
}

Object id(Call& c) { return Object::from(record(c)->id()); }

// record[:name], read_attribute(:name): the attribute, as its reader gives it.
Object read_attribute(Call& c) {
  const auto& r = record(c);
  std::string name = name_arg(c.args[0], c.name.c_str());
  int i = r->model().column_index(name);
  if (i >= 0) return from_attribute(r->at(static_cast<size_t>(i)), r->model().columns[static_cast<size_t>(i)].type);
  if (r->model().is_virtual(name)) return Object::from(r->virtual_value(name));
  if (c.name == "[]") throw model::UnknownAttributeError(r->model().name, name, r->model().column_names());
  return Object();  // read_attribute of no attribute: nil, as ActiveRecord's
}

// record[:name] = value, write_attribute(:name, value).
Object write_attribute(Call& c) {
  store(c).persistence().assign(*record(c), name_arg(c.args[0], c.name.c_str()), to_input(c.args[1]));
  return c.args[1];
}

// changed: the names of the attributes changed since the record was loaded or saved.
Object changed_names(Call& c) {
  std::vector<std::string> names;
  for (size_t i : record(c)->changed_columns()) names.push_back(record(c)->model().columns[i].name);
  return strings(names);
}

// increment!(:col, by = 1), decrement!: one UPDATE, no validations, as ActiveRecord's.
Object increment(Call& c) {
  std::string column = name_arg(c.args[0], c.name.c_str());
  Value by = std::int64_t{1};
  if (c.args.size() > 1 && !c.args[1].to_value(by)) throw type_error(c.name + " takes a number to add");
  if (c.name == "decrement!") {
    if (auto i = std::get_if<std::int64_t>(&by)) by = -*i;
    else if (auto d = std::get_if<double>(&by)) by = -*d;
  }
  store(c).persistence().increment(*record(c), column, by);
  return c.self;
}

Object toggle(Call& c) {
  store(c).persistence().toggle(*record(c), name_arg(c.args[0], "toggle!"));
  return Object(true);
}

Object touch(Call& c) {
  std::vector<std::string> columns;
  for (const auto& a : c.args) columns.push_back(name_arg(a, "touch"));
  store(c).persistence().touch(*record(c), columns);
  return Object(true);
}

}  // namespace

const std::vector<Method>& methods::record() {
  static const std::vector<Method> table = {
      {"save", "", 0, 0, Returns::Boolean, "validates and saves; false (with errors) when invalid", save},
      {"save!", "", 0, 0, Returns::Boolean, "validates and saves; raises when invalid", save},
      {"update", "", 1, 1, Returns::Boolean, "assigns key: value pairs and saves", update, kTakesAttributes},
      {"update!", "", 1, 1, Returns::Boolean, "assigns key: value pairs and saves; raises when invalid", update, kTakesAttributes},
      {"destroy", "", 0, 0, Returns::Record, "deletes the row and runs dependent: options", destroy},
      {"destroy!", "", 0, 0, Returns::Record, "destroy, raising when it is stopped", destroy},
      {"reload", "", 0, 0, Returns::Self, "reads the row again from the database", reload},
      {"valid?", "", 0, 0, Returns::Boolean, "runs the validations", valid},
      {"invalid?", "", 0, 0, Returns::Boolean, "runs the validations; true when any fails", valid},
      {"errors", "", 0, 0, Returns::Errors, "what the last validation found", errors_of, kReads},
      {"attributes", "", 0, 0, Returns::Hash, "the columns and their values", attributes, kReads},
      {"attribute_names", "", 0, 0, Returns::Array, "the column names", attribute_names},
      {"new_record?", "", 0, 0, Returns::Boolean, "not saved yet", new_record},
      {"persisted?", "", 0, 0, Returns::Boolean, "saved and not destroyed", persisted},
      {"destroyed?", "", 0, 0, Returns::Boolean, "destroyed", destroyed},
      {"changed?", "", 0, 0, Returns::Boolean, "has unsaved changes", changed},
      {"changes", "", 0, 0, Returns::Hash, "unsaved changes: column => [old, new]", changes, kReads},
      {"changed", "", 0, 0, Returns::Array, "the names of the attributes with unsaved changes", changed_names},
      {"[]", "read_attribute", 1, 1, Returns::Any, "an attribute by name: user[:username]", read_attribute},
      {"[]=", "write_attribute", 2, 2, Returns::Any, "sets an attribute by name: user[:username] = \"ann\"", write_attribute},
      {"id", "", 0, 0, Returns::Integer, "the primary key", id},
      {"increment!", "", 1, 2, Returns::Self, "adds to a column and saves it at once, without validations", increment},
      {"decrement!", "", 1, 2, Returns::Self, "subtracts from a column and saves it at once", increment},
      {"toggle!", "", 1, 1, Returns::Boolean, "flips a boolean column and saves it, without validations", toggle},
      {"touch", "", 0, kAnyNumber, Returns::Boolean, "sets updated_at (and the columns named) to now", touch},
      {"update_attribute", "", 2, 2, Returns::Boolean, "sets one attribute and saves without validations",
       update_attribute},
      {"update_columns", "", 1, 1, Returns::Boolean, "writes columns to the row at once: no validations, callbacks "
       "or timestamps", update_columns},
      {"update_column", "", 2, 2, Returns::Boolean, "writes one column to the row at once", update_columns},
      {"becomes", "", 1, 1, Returns::Record, "the record as another model of its table: u.becomes(Moderator)", becomes},
      {"becomes!", "", 1, 1, Returns::Record, "becomes, with the type column set to the new class", becomes},
  };
  return table;
}

namespace {
// ActiveModel::Dirty's per-attribute methods: name_changed?, name_was,
// name_change, will_save_change_to_name?, name_in_database.
std::optional<Object> dirty_member(const model::Record& r, const std::string& name) {
  static const std::pair<const char*, const char*> forms[] = {
      {"", "_changed?"}, {"", "_was"}, {"", "_change"}, {"will_save_change_to_", "?"}, {"", "_in_database"}};
  const auto& m = r.model();
  for (const auto& [prefix, suffix] : forms) {
    std::string_view p(prefix), s(suffix);
    if (name.size() <= p.size() + s.size() || name.compare(0, p.size(), p) != 0 ||
        name.compare(name.size() - s.size(), s.size(), s) != 0)
      continue;
    int i = m.column_index(name.substr(p.size(), name.size() - p.size() - s.size()));
    if (i < 0) continue;
    auto column = static_cast<size_t>(i);
    auto type = m.columns[column].type;
    bool changed = false;
    for (size_t k : r.changed_columns()) changed = changed || k == column;
    if (s == "_was" || s == "_in_database") return from_attribute(r.saved(column), type);
    if (s == "_change") return changed ? Object::array({from_attribute(r.saved(column), type), from_attribute(r.at(column), type)}) : Object();
    return Object(changed);
  }
  return std::nullopt;
}
}  // namespace

// enum status: [:draft, :published]: draft? asks, published! saves (update!).
std::optional<Object> enum_member(Call& c, const model::RecordPtr& r) {
  const std::string& name = c.name;
  if (name.size() < 2 || (name.back() != '?' && name.back() != '!')) return std::nullopt;
  std::string bare = name.substr(0, name.size() - 1);
  for (size_t i = 0; i < r->model().columns.size(); ++i) {
    const auto& column = r->model().columns[i];
    for (const auto& [value_name, stored] : column.enum_values) {
      if (column.enum_prefix + value_name + column.enum_suffix != bare) continue;
      if (!c.args.empty()) throw wrong_arguments(c.args.size(), "0");
      if (name.back() == '?') return Object(r->at(i) == stored);
      store(c).persistence().update_strict(*r, {{column.name, model::Input(Value(value_name))}});
      return Object(true);
    }
  }
  return std::nullopt;
}

std::optional<Object> call_record_member(Call& c) {
  const auto& r = *c.self.get<model::RecordPtr>();
  const auto& m = r->model();
  const std::string& name = c.name;
  auto none = [&] {
    if (!c.args.empty()) throw wrong_arguments(c.args.size(), "0");
  };
  if (!m.secure_passwords.empty() && m.is_virtual(name) && m.column(name))  // password beside password_digest
    return none(), Object::from(r->virtual_value(name));
  if (int i = m.column_index(name); i >= 0) {
    const auto& column = m.columns[static_cast<size_t>(i)];
    if (column.is_enum()) return none(), Object::from(column.enum_name(r->at(static_cast<size_t>(i))));
    return none(), from_attribute(r->at(static_cast<size_t>(i)), column.type);
  }
  if (m.is_virtual(name)) return none(), Object::from(r->virtual_value(name));
  for (const auto& attribute : m.secure_passwords)
    if (name == "authenticate_" + attribute || (attribute == "password" && name == "authenticate")) {
      if (c.args.size() != 1) throw wrong_arguments(c.args.size(), "1");
      Value given;
      c.args[0].to_value(given);
      return store(c).persistence().authenticate(*r, attribute, value_to_s(given)) ? Object::record(r) : Object(false);
    }
  if (name.size() > 1 && name.back() == '?' && m.column(name.substr(0, name.size() - 1)))
    return none(), Object(!model::is_blank(r->get(name.substr(0, name.size() - 1))));
  if (auto dirty = dirty_member(*r, name)) return none(), *dirty;
  if (const auto* refl = m.reflection(name)) {
    none();
    if (refl->is_collection()) return Object::relation(store(c).associations().collection(r, *refl));
    return Object::record(store(c).associations().target(r, *refl));
  }
  if (const auto* broken = m.broken_reflection(name)) broken->raise_broken();
  if (auto v = enum_member(c, r)) return v;
  if (const auto* d = m.delegation(name)) {
    // delegate :size, to: :label: an association's target, or any method's value, as ActiveSupport's delegate
    std::vector<Object> none_given;
    const auto* to = m.reflection(d->to);
    Object target = to ? Object::record(store(c).associations().target(r, *to)) : c.in.call(c.self, d->to, none_given);
    if (target.is_nil()) {
      if (d->allow_nil) return Object();
      throw RuntimeError(fmt::format("{}#{} delegated to {}.{}, but {} is nil", m.name, name, d->to, name, d->to));
    }
    return c.in.call(target, name, c.args, c.block);
  }
  return std::nullopt;
}

}  // namespace fw::lang
