// Validations, with ActiveModel's messages, in declaration order.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <regex>

#include "base/regex.hpp"
#include "base/text.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/store.hpp"

namespace fw::model {

using storage::quote_identifier;

namespace {

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string characters(std::int64_t count) {
  return fmt::format("{} character{}", count, count == 1 ? "" : "s");
}

// Ruby's <=>: nothing when the two cannot be compared.
std::optional<int> compare(const Value& a, const Value& b) {
  auto number = [](const Value& v) -> std::optional<double> {
    if (auto i = std::get_if<std::int64_t>(&v)) return static_cast<double>(*i);
    if (auto d = std::get_if<double>(&v)) return *d;
    return std::nullopt;
  };
  if (auto x = number(a), y = number(b); x && y) return *x < *y ? -1 : *x > *y ? 1 : 0;
  auto sa = std::get_if<std::string>(&a), sb = std::get_if<std::string>(&b);
  if (sa && sb) return sa->compare(*sb) < 0 ? -1 : sa->compare(*sb) > 0 ? 1 : 0;
  return std::nullopt;
}

const char* ruby_class(const Value& v) {
  switch (v.index()) {
    case 0: return "NilClass";
    case 1: return std::get<bool>(v) ? "TrueClass" : "FalseClass";
    case 2: return "Integer";
    case 3: return "Float";
    default: return "String";
  }
}

bool holds(const std::string& check, int c) {
  if (check == "greater_than") return c > 0;
  if (check == "greater_than_or_equal_to") return c >= 0;
  if (check == "equal_to") return c == 0;
  if (check == "less_than") return c < 0;
  if (check == "less_than_or_equal_to") return c <= 0;
  return c != 0;  // other_than
}

std::string check_words(const std::string& check) {
  std::string words = check;
  std::replace(words.begin(), words.end(), '_', ' ');
  return "must be " + words;
}

// Kernel#Float's idea of a number, for numericality.
std::optional<double> as_number(const Value& raw, bool& integral) {
  integral = false;
  if (auto i = std::get_if<std::int64_t>(&raw)) return integral = true, static_cast<double>(*i);
  if (auto d = std::get_if<double>(&raw)) return *d;  // 2.0 is a number but, for only_integer, no integer
  if (auto s = std::get_if<std::string>(&raw)) {
    static const std::regex integer = make_regex(R"(^\s*[+-]?\d+\s*$)"),
                            decimal = make_regex(R"(^\s*[+-]?(\d+(\.\d+)?|\.\d+)([eE][+-]?\d+)?\s*$)");
    if (std::regex_match(*s, integer)) return integral = true, std::strtod(s->c_str(), nullptr);
    if (std::regex_match(*s, decimal)) return std::strtod(s->c_str(), nullptr);
  }
  return std::nullopt;
}

// The text of a uniqueness check, built once a shape. `binds` holds the
// value, then each scope's, then (a saved record) the id; a nil one is
// matched with IS NULL.
const std::string& uniqueness_sql(const ModelClass& m, const Validator& v, const std::vector<storage::Bind>& binds,
                                  bool new_record) {
  unsigned shape = new_record ? 1u : 0u;
  for (size_t i = 0; i <= v.scope.size() && i < 31; ++i)
    if (is_null(binds[i].value)) shape |= 2u << i;
  auto& sql = v.uniqueness_sql[shape];
  if (!sql.empty() && v.scope.size() < 31) return sql;
  std::string table = quote_identifier(m.table);
  auto match = [&](const std::string& column, const Value& value, bool lower) {
    std::string c = table + "." + quote_identifier(column);
    if (is_null(value)) return c + " IS NULL";
    return lower ? "LOWER(" + c + ") = LOWER(?)" : c + " = ?";
  };
  sql = "SELECT 1 AS one FROM " + table + " WHERE " + match(v.attribute, binds[0].value, !v.case_sensitive);
  for (size_t i = 0; i < v.scope.size(); ++i) sql += " AND " + match(v.scope[i], binds[i + 1].value, false);
  if (!new_record) sql += " AND " + table + "." + quote_identifier(m.primary_key) + " != ?";
  sql += " LIMIT ?";
  return sql;
}

}  // namespace

bool Store::valid(Record& record) {
  record.errors().clear();
  if (!run_callbacks(record, CallbackKind::BeforeValidation)) return false;  // throw :abort: invalid, with no errors
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
  return record.errors().empty();
}

void Store::run_validator(Record& record, const Validator& v) {
  const ModelClass& m = record.model();
  auto add = [&](const std::string& message) {
    record.errors().add(v.attribute, v.message.empty() ? message : v.message);
  };
  auto operand = [&](const Arg& a) { return a.kind == Arg::Kind::Symbol ? record.get(a.text) : a.to_value(); };

  if (v.kind == Validator::Kind::Required || v.association) {
    auto self = std::shared_ptr<Record>(&record, [](Record*) {});
    bool present = false;
    if (auto it = record.targets().find(v.association->name); it != record.targets().end() && it->second)
      present = true;  // assigned as a record (saved with this one if new)
    else if (v.association->is_belongs_to() && is_null(record.get(v.association->foreign_key)))
      present = false;
    else
      present = v.association->is_collection() ? exists(collection(self, *v.association)) : target(self, *v.association) != nullptr;
    if (v.kind == Validator::Kind::Required && !present) add("must exist");
    if (v.kind == Validator::Kind::Presence && !present) add("can't be blank");
    if (v.kind == Validator::Kind::Absence && present) add("must be blank");
    return;
  }

  int index = m.column_index(v.attribute);
  if (index < 0 && (v.kind == Validator::Kind::Uniqueness || v.kind == Validator::Kind::Numericality)) return;  // no column to ask
  const Value& value = index >= 0 ? record.at(static_cast<size_t>(index)) : record.virtual_value(v.attribute);
  if (v.allow_nil && is_null(value)) return;
  if (v.allow_blank && is_blank(value)) return;

  switch (v.kind) {
    case Validator::Kind::Presence:
      if (is_blank(value)) add("can't be blank");
      break;
    case Validator::Kind::Absence:
      if (!is_blank(value)) add("must be blank");
      break;
    case Validator::Kind::Uniqueness: {
      storage::Query q;
      q.label = m.name + " Exists?";
      q.binds.reserve(v.scope.size() + 3);
      if (is_null(value)) q.binds.push_back({v.attribute, Value{}});  // a marker: IS NULL binds nothing
      else q.binds.push_back({v.attribute, v.case_sensitive ? cast_for_database(m.columns[static_cast<size_t>(index)].type, value) : value});
      for (const auto& s : v.scope) q.binds.push_back({s, cast_for_database(m.column(s)->type, record.get(s))});
      if (!record.new_record()) q.binds.push_back({m.primary_key, record.id()});
      q.sql = uniqueness_sql(m, v, q.binds, record.new_record());
      q.binds.erase(std::remove_if(q.binds.begin(), q.binds.end(), [](const storage::Bind& b) { return is_null(b.value); }),
                    q.binds.end());
      q.binds.push_back({"LIMIT", std::int64_t{1}});
      if (!is_null(db_.scalar(q))) add("has already been taken");
      break;
    }
    case Validator::Kind::Length: {
      if (is_null(value) && !v.minimum && !v.is) break;
      auto length = static_cast<std::int64_t>(utf8_length(value_to_s(value)));
      if (v.is && length != *v.is) add("is the wrong length (should be " + characters(*v.is) + ")");
      if (v.minimum && length < *v.minimum) add("is too short (minimum is " + characters(*v.minimum) + ")");
      if (v.maximum && length > *v.maximum) add("is too long (maximum is " + characters(*v.maximum) + ")");
      break;
    }
    case Validator::Kind::Format: {
      std::string s = value_to_s(value);
      if ((v.with && !std::regex_search(s, *v.with)) || (v.without && std::regex_search(s, *v.without)))
        add("is invalid");
      break;
    }
    case Validator::Kind::Numericality: {
      bool integral = false;
      auto number = as_number(record.before_cast(static_cast<size_t>(index)), integral);
      if (!number) { add("is not a number"); break; }
      if (v.only_integer && !integral) { add("must be an integer"); break; }
      for (const auto& [check, arg] : v.checks) {
        if (check == "odd" || check == "even") {
          auto n = static_cast<std::int64_t>(*number);
          if (arg.to_value() == Value(true) && (n % 2 != 0) != (check == "odd")) add("must be " + check);
          continue;
        }
        Value limit = operand(arg);
        auto c = compare(Value(*number), limit);
        if (!c) continue;
        if (!holds(check, *c)) add(check_words(check) + " " + value_to_s(limit));
      }
      break;
    }
    case Validator::Kind::Inclusion:
    case Validator::Kind::Exclusion: {
      bool found = std::any_of(v.in.begin(), v.in.end(), [&](const Value& x) { return values_equal(x, value); });
      if (v.kind == Validator::Kind::Inclusion && !found) add("is not included in the list");
      if (v.kind == Validator::Kind::Exclusion && found) add("is reserved");
      break;
    }
    case Validator::Kind::Comparison: {
      if (is_blank(value)) { add("can't be blank"); break; }
      for (const auto& [check, arg] : v.checks) {
        Value other = operand(arg);
        auto c = compare(value, other);
        if (!c) {
          add(fmt::format("comparison of {} with {} failed", ruby_class(value), ruby_class(other)));
          break;
        }
        if (!holds(check, *c)) add(check_words(check) + " " + value_to_s(other));
      }
      break;
    }
    case Validator::Kind::SecurePassword:
      if (is_blank(record.get(v.attribute + "_digest"))) add("can't be blank");
      break;
    case Validator::Kind::Confirmation: {
      const Value& confirmation = record.virtual_value(v.attribute + "_confirmation");
      if (!is_null(confirmation) && !values_equal(confirmation, value))
        record.errors().add(v.attribute + "_confirmation",
                            v.message.empty() ? "doesn't match " + inflector::humanize(v.attribute) : v.message);
      break;
    }
    case Validator::Kind::Required: break;
  }
}

}  // namespace fw::model
