// Giving a record its attributes: Model.new, attribute writers (a column, a
// belongs_to, has_secure_password's password), accepts_nested_attributes_for's
// <association>_attributes=, and authenticate.
#include <fmt/format.h>

#include "base/password.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/store.hpp"

namespace fw::model {

namespace {

// What an attribute cannot take, named for its error; empty for one value or a record.
std::string many_kind(const Input& value) {
  switch (value.kind) {
    case Input::Kind::List: return "a list";
    case Input::Kind::Range: return "a range";
    case Input::Kind::Subquery: return "a relation";
    case Input::Kind::Hash: return "a hash";
    default: return "";
  }
}

}  // namespace

RecordPtr Persistence::build(const ModelClass& model, const Attributes& attributes) {
  auto record = std::make_shared<Record>(model);
  for (const auto& [name, value] : attributes) assign(*record, name, value);
  if (model.runs_on_load) run_callbacks(*record, CallbackKind::AfterInitialize);
  return record;
}

void Persistence::assign_nested(Record& record, const ModelClass::NestedAttributes& nested, const Input& value) {
  const Reflection& r = *nested.reflection;
  std::vector<const Input*> items;  // an array of hashes, or a hash of them keyed "0", "1", ... as a form sends them
  bool keyed = value.kind == Input::Kind::Hash && !value.hash.empty() &&
               std::all_of(value.hash.begin(), value.hash.end(), [](const auto& kv) { return kv.second.kind == Input::Kind::Hash; });
  if (value.kind == Input::Kind::List) {
    for (const auto& i : value.list) items.push_back(&i);
  } else if (keyed && r.is_collection()) {
    for (const auto& kv : value.hash) items.push_back(&kv.second);
  } else if (value.kind == Input::Kind::Hash) {
    items.push_back(&value);
  } else if (value.kind != Input::Kind::Scalar || !is_null(value.value)) {
    throw ModelError(fmt::format("{}_attributes takes {}", r.name, r.is_collection() ? "an array of hashes" : "a hash"));
  }
  RecordPtr owner;
  try {
    owner = record.shared_from_this();
  } catch (const std::bad_weak_ptr&) {
    owner = RecordPtr(&record, [](Record*) {});
  }
  for (const Input* item : items) {
    if (item->kind != Input::Kind::Hash) throw ModelError(fmt::format("{}_attributes takes hashes of attributes", r.name));
    Attributes attributes;
    Value id;
    bool destroy = false;
    for (const auto& [key, v] : item->hash) {
      if (key == "id") id = v.value;
      else if (key == "_destroy") destroy = cast_to_column(ColumnType::Boolean, v.value) == Value(true);  // "1", "t", true
      else attributes.push_back({key, v});
    }
    bool blank = std::all_of(attributes.begin(), attributes.end(),
                             [](const auto& kv) { return kv.second.kind == Input::Kind::Scalar && is_blank(kv.second.value); });
    if (nested.reject_all_blank && is_null(id) && blank) continue;
    if (is_null(id)) {
      if (!(destroy && nested.allow_destroy)) record.nested_changes().push_back({&r, build(*r.klass, attributes), false});
      continue;
    }
    RecordPtr child = record.new_record() ? nullptr
                                          : store_.queries().find_by(store_.associations().collection(owner, r),
                                                                     {{r.klass->primary_key, id}});
    if (!child)
      throw RecordNotFound(fmt::format("Couldn't find {} with ID={} for {} with ID={}", r.klass->name, value_to_s(id),
                                       record.model().name, value_to_s(record.id())));
    if (destroy && nested.allow_destroy) {
      record.nested_changes().push_back({&r, child, true});
      continue;
    }
    for (const auto& [key, v] : attributes) assign(*child, key, v);
    record.nested_changes().push_back({&r, child, false});
  }
}

bool Persistence::authenticate(const Record& record, const std::string& attribute, const std::string& password) const {
  const Value& digest = record.get(attribute + "_digest");
  if (is_null(digest)) throw ModelError("invalid hash");  // BCrypt::Errors::InvalidHash, as the gem raises it
  try {
    return bcrypt_matches(password, value_to_s(digest));
  } catch (const fw::Error& e) {
    throw ModelError(e.what());
  }
}

void Persistence::assign(Record& record, const std::string& name, const Input& value) {
  const ModelClass& m = record.model();
  if (record.destroyed()) throw ModelError("can't modify frozen " + m.name);
  int column = m.column_index(name);
  if (column < 0 && !m.nested_attributes.empty())
    if (const auto* nested = m.nested(name)) return assign_nested(record, *nested, value);
  // has_secure_password's password (and its confirmation) are attributes of
  // their own even where a column has the name, as ActiveModel's writer shadows it.
  bool secure = !m.secure_passwords.empty() && (m.is_secure_password(name) ||
                                                (name.size() > 13 && name.compare(name.size() - 13, 13, "_confirmation") == 0 &&
                                                 m.is_secure_password(name.substr(0, name.size() - 13))));
  if ((column < 0 || secure) && m.is_virtual(name)) {
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one value, not {}", m.name, name, many_kind(value)));
    Value v = value.kind == Input::Kind::Record ? Value{} : value.value;
    if (m.is_secure_password(name)) {  // as ActiveModel::SecurePassword#password=
      if (is_null(v)) {
        record.set(name + "_digest", Value{});
      } else if (!value_to_s(v).empty()) {
        record.set(name + "_digest", bcrypt_digest(value_to_s(v), password_cost_));
      } else {
        return;  // an empty password changes nothing
      }
    }
    record.set_virtual(name, std::move(v));
    return;
  }
  if (column >= 0) {
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one value, not {}", m.name, name, many_kind(value)));
    Value v = value.kind == Input::Kind::Record ? (value.record ? value.record->id() : Value{}) : value.value;
    if (const Column& c = m.columns[static_cast<size_t>(column)]; c.is_enum()) v = c.enum_value(v);
    record.set(static_cast<size_t>(column), v);
    return;
  }
  const Reflection* r = m.reflection(name);
  if (r && r->polymorphic) {  // imageable: product(1) sets imageable_type and imageable_id
    if (!many_kind(value).empty())
      throw ModelError(fmt::format("{}.{} takes one record, not {}", m.name, name, many_kind(value)));
    if (value.kind != Input::Kind::Record && !is_null(value.value))
      throw ModelError(fmt::format("{}.{} is polymorphic: give it a record (or set {} and {})", m.name, name,
                                   r->foreign_type, r->foreign_key));
    record.targets()[name] = value.record;
    record.set(r->foreign_type, value.record ? Value(value.record->model().name) : Value{});
    record.set(r->foreign_key, value.record ? value.record->id() : Value{});
    if (!value.record) record.targets().erase(name);
    return;
  }
  if (r && r->is_belongs_to()) {
    if (value.kind == Input::Kind::Record && value.record) {
      if (&value.record->model() != r->klass)
        throw ModelError(fmt::format("{}({}) expected, got {} which is an instance of {}", r->klass->name,
                                     r->klass->name, value.record->model().name, value.record->model().name));
      record.targets()[name] = value.record;
      record.set(r->foreign_key, value.record->get(r->primary_key));
    } else if (!many_kind(value).empty()) {
      throw ModelError(fmt::format("{}.{} takes one {}, not {}", m.name, name, r->klass->name, many_kind(value)));
    } else {
      record.targets().erase(name);
      record.set(r->foreign_key, value.kind == Input::Kind::Record ? Value{} : value.value);
    }
    return;
  }
  if (r) throw ModelError(fmt::format("{} is a {} association of {}; add records with {}.{} << record", name,
                                      macro_name(r->macro), m.name, inflector::underscore(m.name), name));
  std::vector<std::string> names = m.column_names();
  for (const auto& refl : m.reflections)
    if (refl->is_belongs_to()) names.push_back(refl->name);
  throw UnknownAttributeError(m.name, name, names);
}

}  // namespace fw::model
