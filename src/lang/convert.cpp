#include "lang/convert.hpp"

#include <fmt/format.h>

#include "lang/errors.hpp"

namespace fw::lang {

using model::RecordPtr;

std::string name_arg(const Object& o, const char* method) {
  if (auto s = o.get<Symbol>()) return s->name();
  if (auto s = o.get<std::string>()) return *s;
  throw type_error(fmt::format("{} takes column names (:name), not {}", method, class_name(o)));
}

std::int64_t int_arg(const Object& o, const char* method) {
  if (auto i = o.get<std::int64_t>()) return *i;
  throw type_error(fmt::format("{} takes an integer, not {}", method, class_name(o)));
}

const Hash& hash_arg(const Object& o, const char* method) {
  if (auto h = o.get<Ref<Hash>>()) return **h;
  throw type_error(fmt::format("{} takes key: value pairs, not {}", method, class_name(o)));
}

Object from_attribute(const Value& v, model::ColumnType type) {
  if (type == model::ColumnType::Decimal) {
    if (auto i = std::get_if<std::int64_t>(&v)) return Object(Decimal::from_int(*i));
    if (auto d = std::get_if<double>(&v)) {
      if (auto decimal = Decimal::from_double(*d)) return Object(*decimal);
    }
  }
  if (auto s = std::get_if<std::string>(&v)) {  // as stored; other text stays a string
    if (type == model::ColumnType::DateTime) {
      if (auto t = Time::parse(*s)) return Object(*t);
    }
    if (type == model::ColumnType::Date) {
      if (auto d = Date::parse(*s)) return Object(*d);
    }
  }
  return Object::from(v);
}

Object from_row(std::vector<Value>&& row, const std::vector<model::ColumnType>& types) {
  auto type = [&](size_t i) { return i < types.size() ? types[i] : model::ColumnType::Untyped; };
  if (row.size() == 1) return from_attribute(row[0], type(0));
  Array items;
  for (size_t i = 0; i < row.size(); ++i) items.push_back(from_attribute(row[i], type(i)));
  return Object::array(std::move(items));
}

model::Input to_input(const Object& o) {
  if (auto r = o.get<RecordPtr>()) return model::Input(*r);
  if (auto r = o.get<Ref<Range>>()) {
    Value first, last;
    if (!(*r)->first.to_value(first) || !(*r)->last.to_value(last))
      throw type_error("a range of " + class_name((*r)->first) + " cannot be compared with a column");
    return model::Input::range(first, last, (*r)->exclusive);
  }
  if (auto r = o.get<RelationPtr>()) return model::Input::subquery(**r);  // where(id: other.select(:id))
  if (auto m = o.get<ModelRef>()) return model::Input::subquery(model::Relation(*m->model));
  if (auto h = o.get<Ref<Hash>>()) {  // where(tweets: { user_id: 1 })
    std::vector<std::pair<std::string, model::Input>> conditions;
    for (const auto& [k, v] : **h) conditions.push_back({name_arg(k, "where"), to_input(v)});
    return model::Input::hash_of(std::move(conditions));
  }
  if (auto a = o.get<Ref<Array>>()) {
    std::vector<model::Input> items;
    for (const auto& x : **a) items.push_back(to_input(x));
    return model::Input::list_of(std::move(items));
  }
  Value v;
  if (o.to_value(v)) return model::Input(v);
  throw type_error("a " + class_name(o) + " cannot be stored in a column or compared with one");
}

model::Attributes to_attributes(const Object& hash, const char* method) {
  model::Attributes out;
  for (const auto& [k, v] : hash_arg(hash, method)) out.push_back({name_arg(k, method), to_input(v)});
  return out;
}

model::Arg to_arg(const Object& o) {
  using model::Arg;
  if (o.is_nil()) return Arg{};
  if (auto b = o.get<bool>()) return Arg::boolean(*b);
  if (auto i = o.get<std::int64_t>()) return Arg::integer(*i);
  if (auto d = o.get<double>()) {
    Arg a;
    a.kind = Arg::Kind::Float;
    a.scalar = *d;
    return a;
  }
  if (auto s = o.get<std::string>()) return Arg::string(*s);
  if (auto s = o.get<Symbol>()) return Arg::symbol(s->name());
  if (auto r = o.get<Regex>()) return Arg::regex(r->source, r->flags);
  if (auto a = o.get<Ref<Array>>()) {
    std::vector<Arg> items;
    for (const auto& x : **a) items.push_back(to_arg(x));
    return Arg::array(std::move(items));
  }
  if (auto h = o.get<Ref<Hash>>()) {
    std::vector<std::pair<std::string, Arg>> items;
    for (const auto& [k, v] : **h) items.push_back({name_arg(k, "a declaration"), to_arg(v)});
    return Arg::hash_of(std::move(items));
  }
  throw type_error("a declaration takes literal values, not " + class_name(o));
}

}  // namespace fw::lang
