#include "lang/inspect.hpp"

#include <algorithm>
#include <cmath>

#include "base/text.hpp"

namespace fw::lang {

using model::RecordPtr;

namespace {

// ActiveRecord's inspect reads 11 records to know whether there are more than 10.
constexpr std::int64_t kRelationPeek = 11;

// Ruby's String#[0, n]: the first n characters (code points), not bytes.
std::string first_chars(const std::string& s, size_t n) {
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    bool starts_char = (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
    if (starts_char && chars++ == n) return s.substr(0, i);
  }
  return s;
}

size_t char_count(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// "2026-11-21 10:00:00[.123456]" -> Time#to_s(:inspect): "2026-11-21 10:00:00.123456000 +0000".
std::string time_for_inspect(const std::string& stored) {
  if (stored.size() < 19 || stored[10] != ' ') return stored;
  std::string fraction = stored.size() > 20 && stored[19] == '.' ? stored.substr(20, 9) : "";
  fraction.resize(9, '0');
  return stored.substr(0, 19) + "." + fraction + " +0000";
}

class Inspector {
 public:
  explicit Inspector(model::Store* store) : store_(store) {}
  std::string operator()(const Object& o);

 private:
  std::string array(const Array& a);
  std::string hash(const Hash& h);
  std::string record(const model::Record& r);
  std::string relation(const model::Relation& r);
  static std::string match_data(const MatchData& m);
  bool seen(const void* p) const { return std::find(open_.begin(), open_.end(), p) != open_.end(); }

  model::Store* store_;
  std::vector<const void*> open_;  // Ruby prints an array that contains itself as [...]
};

// ActiveRecord's Model.inspect: User(id: integer, username: string, ...).
std::string model_class(const model::ModelClass& m) {
  if (m.columns.empty()) return m.name + "(Table doesn't exist)";
  std::string text = m.name + "(";
  for (size_t i = 0; i < m.columns.size(); ++i)
    text.append(i ? ", " : "").append(m.columns[i].name).append(": ").append(model::column_type_name(m.columns[i].type));
  return text + ")";
}

std::string Inspector::operator()(const Object& o) {
  if (auto s = o.get<Symbol>()) return ":" + s->name();
  if (auto d = o.get<Decimal>()) return d->inspect();
  if (auto t = o.get<Time>()) return fw::inspect(*t);
  if (auto d = o.get<Date>()) return fw::inspect(*d);
  if (auto r = o.get<Regex>()) return "/" + r->source + "/" + r->flags;
  if (auto a = o.get<Ref<Array>>()) return seen(a->get()) ? "[...]" : array(**a);
  if (auto h = o.get<Ref<Hash>>()) return seen(h->get()) ? "{...}" : hash(**h);
  if (auto r = o.get<RecordPtr>()) return record(**r);
  if (auto m = o.get<ModelRef>()) return model_class(*m->model);
  if (auto k = o.get<BuiltinClass>()) return k->name();
  if (auto e = o.get<Ref<Exception>>())
    return "#<" + (*e)->class_name + ": " + ((*e)->message.empty() ? (*e)->class_name : (*e)->message) + ">";
  if (auto d = o.get<Ref<Duration>>()) return inspect_duration(**d);
  if (auto e = o.get<Ref<Enumerator>>()) return "#<Enumerator: " + array((*e)->items) + ":cycle>";
  if (auto m = o.get<MatchData>()) return match_data(*m);
  if (auto b = o.get<BcryptPassword>()) return inspect_value(Value(b->digest));
  if (auto rel = o.get<RelationPtr>()) return relation(**rel);
  if (auto e = o.get<ErrorsRef>()) return "#<ActiveModel::Errors [" + join(e->record->errors().full_messages(), ", ") + "]>";
  if (auto p = o.get<Ref<Proc>>()) return (*p)->lambda ? "#<Proc (lambda)>" : "#<Proc>";
  if (auto r = o.get<Ref<Range>>())
    return ((*r)->first.is_nil() ? "" : (*this)((*r)->first)) + ((*r)->exclusive ? "..." : "..") +
           ((*r)->last.is_nil() ? "" : (*this)((*r)->last));
  Value v;
  o.to_value(v);
  return inspect_value(v);
}

// #<MatchData "ab" 1:"b">, #<MatchData "ab" first:"a" second:nil>
std::string Inspector::match_data(const MatchData& m) {
  auto text = [](const std::optional<std::string>& g) { return g ? inspect_value(Value(*g)) : std::string("nil"); };
  std::string out = "#<MatchData " + text(m.groups[0]);
  for (size_t i = 1; i < m.groups.size(); ++i)
    out += " " + (i <= m.names.size() ? m.names[i - 1] : std::to_string(i)) + ":" + text(m.groups[i]);
  return out + ">";
}

std::string Inspector::array(const Array& a) {
  open_.push_back(&a);
  std::vector<std::string> parts;
  for (const auto& x : a) parts.push_back((*this)(x));
  open_.pop_back();
  return "[" + join(parts, ", ") + "]";
}

std::string Inspector::hash(const Hash& h) {
  open_.push_back(&h);
  std::vector<std::string> parts;
  for (const auto& [k, v] : h) parts.push_back((*this)(k) + "=>" + (*this)(v));
  open_.pop_back();
  return "{" + join(parts, ", ") + "}";
}

std::string Inspector::record(const model::Record& r) {
  const auto& m = r.model();
  std::vector<std::string> parts;
  for (size_t i = 0; i < m.columns.size(); ++i)
    parts.push_back(m.columns[i].name + ": " +
                    (m.columns[i].is_enum() ? attribute_for_inspect(m.columns[i].enum_name(r.at(i)), model::ColumnType::String)
                                            : attribute_for_inspect(r.at(i), m.columns[i].type)));
  return "#<" + m.name + " " + join(parts, ", ") + ">";
}

std::string Inspector::relation(const model::Relation& r) {
  std::string name = r.owner() ? "ActiveRecord::Associations::CollectionProxy" : "ActiveRecord::Relation";
  if (!store_) return "#<" + name + ">";
  std::int64_t peek = std::min(r.limit_value().value_or(kRelationPeek), kRelationPeek);
  std::vector<std::string> parts;
  for (const auto& rec : store_->queries().to_a(r.limit(peek))) parts.push_back(record(*rec));
  if (parts.size() == static_cast<size_t>(kRelationPeek)) parts.back() = "...";
  return "#<" + name + " [" + join(parts, ", ") + "]>";
}

}  // namespace

std::string attribute_for_inspect(const Value& v, model::ColumnType type) {
  if (type == model::ColumnType::Decimal) {
    if (auto d = std::get_if<double>(&v)) {
      if (auto decimal = Decimal::from_double(*d)) return decimal->inspect();
    }
    if (auto i = std::get_if<std::int64_t>(&v)) return Decimal::from_int(*i).inspect();
  }
  auto s = std::get_if<std::string>(&v);
  if (!s) return inspect_value(v);
  if (type == model::ColumnType::DateTime) return "\"" + time_for_inspect(*s) + "\"";
  if (char_count(*s) > 50) return quote_string(first_chars(*s, 50) + "...");
  return quote_string(*s);
}

// As ActiveSupport 6.1: "2 days", "1 day and 2 hours", "1 hour, 2 minutes, and 3 seconds".
std::string inspect_duration(const Duration& d) {
  static constexpr const char* names[] = {"year", "month", "week", "day", "hour", "minute", "second"};
  std::vector<std::string> parts;
  for (size_t i = 0; i < Duration::kUnits; ++i) {
    double n = d.parts[i];
    if (n == 0) continue;
    std::string amount = n == std::floor(n) && std::fabs(n) < 1e15 ? std::to_string(static_cast<long long>(n)) : format_float(n);
    parts.push_back(amount + " " + names[i] + (n == 1 ? "" : "s"));
  }
  if (parts.empty()) return "0 seconds";
  if (parts.size() == 1) return parts[0];
  if (parts.size() == 2) return parts[0] + " and " + parts[1];
  std::string last = parts.back();
  parts.pop_back();
  return join(parts, ", ") + ", and " + last;
}

std::string inspect(const Object& o) { return Inspector(nullptr)(o); }

std::string inspect(const Object& o, model::Store& store) { return Inspector(&store)(o); }

}  // namespace fw::lang
