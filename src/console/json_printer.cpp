#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "console/printer.hpp"
#include "lang/inspect.hpp"
#include "lang/interpreter.hpp"

namespace fw::console {

using nlohmann::json;

namespace {

// One character, or an integer, straight into the stream's buffer: `out << c`
// builds a sentry each time, a tenth of printing a large array.
void put(std::ostream& out, char c) { out.rdbuf()->sputc(c); }
void put(std::ostream& out, std::int64_t i) {
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, i).ptr;
  out.rdbuf()->sputn(digits, end - digits);
}

// Invalid UTF-8 in a value becomes U+FFFD rather than an exception.
std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json scalar(const Value& v, model::ColumnType type) {
  struct {
    model::ColumnType type;
    json operator()(std::monostate) const { return nullptr; }
    json operator()(bool b) const { return b; }
    json operator()(std::int64_t i) const {
      return type == model::ColumnType::Decimal ? json(Decimal::from_int(i).to_plain()) : json(i);  // "100.0"
    }
    json operator()(double d) const {
      if (type == model::ColumnType::Decimal) {  // a BigDecimal is a string in JSON: "12.5", "0.00001"
        if (auto decimal = Decimal::from_double(d)) return json(decimal->to_plain());
      }
      return std::isfinite(d) ? json(d) : json(nullptr);
    }
    json operator()(const std::string& s) const {
      return type == model::ColumnType::DateTime ? json(json_time(s)) : json(s);
    }
  } convert{type};
  return std::visit(convert, v);
}

// A key that is not a string, as to_json writes it (its to_s): a time as
// "2017-05-24 00:00:00 UTC", a BigDecimal as "12.5"; others as inspect.
std::string json_key(const lang::Object& k) {
  if (auto t = k.get<Time>()) return to_s(*t);
  if (auto d = k.get<Date>()) return to_s(*d);
  if (auto d = k.get<Decimal>()) return d->to_plain();
  return lang::inspect(k);
}

}  // namespace

std::string json_time(const std::string& stored) {
  // "YYYY-MM-DD HH:MM:SS[.ffffff]" -> "YYYY-MM-DDTHH:MM:SS.fffZ"
  if (stored.size() < 19 || stored[10] != ' ') return stored;
  std::string out = stored.substr(0, 10) + "T" + stored.substr(11, 8);
  std::string fraction = stored.size() > 20 && stored[19] == '.' ? stored.substr(20, 3) : "";
  while (fraction.size() < 3) fraction += '0';
  return out + "." + fraction + "Z";
}

void JsonPrinter::write_record(std::ostream& out, const model::Record& r) {
  const auto& m = r.model();
  out << '{';
  bool first = true;
  for (size_t i = 0; i < m.columns.size(); ++i) {
    if (static_cast<int>(i) == m.inheritance_index) continue;  // as ActiveRecord's as_json leaves it out
    if (!first) out << ',';
    first = false;
    const auto& c = m.columns[i];
    out << dump(c.name) << ':' << dump(c.is_enum() ? scalar(c.enum_name(r.at(i)), model::ColumnType::String) : scalar(r.at(i), c.type));
  }
  out << '}';
}

void JsonPrinter::write(std::ostream& out, const lang::Object& v, int depth) {
  using namespace lang;
  // Ruby's JSON refuses deeper nesting the same way; an array that contains itself ends here.
  if (depth > 100) throw fw::Error("nesting of 101 is too deep");
  if (auto i = v.get<std::int64_t>()) return put(out, *i);  // the commonest value, written straight
  if (auto r = v.get<model::RecordPtr>()) return write_record(out, **r);
  if (auto rel = v.get<RelationPtr>()) {
    bool first = true;  // '[' waits for the query to run, so its --sql line comes first
    store_.queries().each(**rel, [&](const model::RecordPtr& rec) {
      out << (first ? '[' : ',');
      first = false;
      write_record(out, *rec);
    });
    out << (first ? "[]" : "]");
    return;
  }
  if (auto a = v.get<Ref<Array>>()) {
    put(out, '[');
    for (size_t i = 0; i < (*a)->size(); ++i) {
      if (i) put(out, ',');
      write(out, (**a)[i], depth + 1);
    }
    put(out, ']');
    return;
  }
  if (auto h = v.get<Ref<Hash>>()) {
    put(out, '{');
    bool first = true;
    for (const auto& [k, val] : **h) {
      if (!first) put(out, ',');
      first = false;
      std::string key = k.get<Symbol>() ? k.get<Symbol>()->name() : k.get<std::string>() ? *k.get<std::string>() : json_key(k);
      out << dump(json(key)) << ':';
      write(out, val, depth + 1);
    }
    out << '}';
    return;
  }
  if (auto e = v.get<ErrorsRef>()) {
    std::vector<std::pair<std::string, std::vector<std::string>>> grouped;
    for (const auto& item : e->record->errors().items()) {
      const auto& attr = item.first;  // not a structured binding: the lambda captures it (C++17)
      const auto& message = item.second;
      auto it = std::find_if(grouped.begin(), grouped.end(), [&](const auto& g) { return g.first == attr; });
      if (it == grouped.end()) grouped.push_back({attr, {message}});
      else it->second.push_back(message);
    }
    out << '{';
    for (size_t i = 0; i < grouped.size(); ++i)
      out << (i ? "," : "") << dump(grouped[i].first) << ':' << dump(json(grouped[i].second));
    out << '}';
    return;
  }
  if (auto s = v.get<Symbol>()) return void(out << dump(json(s->name())));
  if (auto m = v.get<ModelRef>()) return void(out << dump(m->model->name));
  if (auto d = v.get<Decimal>()) return void(out << dump(json(d->to_plain())));  // as_json: "12.5"
  if (auto t = v.get<Time>()) return void(out << dump(json(to_json(*t))));      // "2017-05-24T00:00:00.000Z"
  if (auto d = v.get<Date>()) return void(out << dump(json(to_json(*d))));      // "2017-05-24"
  if (auto d = v.get<lang::Ref<lang::Duration>>()) {                      // as_json: its seconds
    double seconds = (*d)->seconds();
    if (seconds == std::floor(seconds)) return void(out << dump(json(static_cast<std::int64_t>(seconds))));
    return void(out << dump(json(seconds)));
  }
  Value scalar_value;
  if (v.to_value(scalar_value)) return void(out << dump(scalar(scalar_value, model::ColumnType::Untyped)));
  out << dump(json(inspect(v)));
}

namespace {
// Whether writing `v` cannot fail: numbers, strings, symbols, true, false and
// nil, in arrays and hashes nested a few deep (no query to run, no nesting
// too deep, no array that contains itself).
bool cannot_fail(const lang::Object& v, int depth) {
  using namespace lang;
  if (v.is_nil() || v.is<bool>() || v.is<std::int64_t>() || v.is<double>() || v.is<std::string>() || v.is<Symbol>())
    return true;
  if (depth == 8) return false;
  if (auto a = v.get<Ref<Array>>())
    return std::all_of((*a)->begin(), (*a)->end(), [&](const Object& x) { return cannot_fail(x, depth + 1); });
  if (auto h = v.get<Ref<Hash>>())
    return std::all_of((*h)->begin(), (*h)->end(),
                       [&](const Hash::Pair& p) { return cannot_fail(p.first, depth + 1) && cannot_fail(p.second, depth + 1); });
  return false;
}
}  // namespace

void JsonPrinter::value(const lang::Object& v) {
  // A relation streams, so memory does not grow with its rows; so does a value
  // that cannot fail half-way (a large array is not held twice, as text too).
  if (v.is<lang::RelationPtr>() || cannot_fail(v, 0)) {
    write(out_, v);
  } else {  // built whole first, so a failure prints no half line
    std::stringstream line;  // read back through rdbuf(), not copied out by str()
    write(line, v);
    if (line.tellp() > 0) out_ << line.rdbuf();
  }
  out_ << '\n';
}

void JsonPrinter::error(const std::string& message) {
  out_ << dump(json{{"error", message}}) << '\n';
}

}  // namespace fw::console
