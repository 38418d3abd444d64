// The table of validation kinds, with ActiveModel 6.1's options and messages.
#include "model/validator_kinds.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "base/regex.hpp"
#include "base/text.hpp"
#include "model/associations.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"
#include "model/persistence.hpp"
#include "model/queries.hpp"
#include "model/store.hpp"

namespace fw::model {

using storage::quote_identifier;

bool Pattern::search(const std::string& text) const {
  if (!compiled_) {
    try {
      compiled_ = make_regex(ecmascript_, flags_);
    } catch (const std::regex_error& e) {
      throw NamedError("RegexpError", label_ + ": invalid regular expression /" + source_ + "/: " + e.what());
    }
  }
  return std::regex_search(text, *compiled_);
}

namespace {

using Add = std::function<void(const std::string&)>;

size_t utf8_length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string characters(std::int64_t count) {
  return fmt::format("{} character{}", count, count == 1 ? "" : "s");
}

std::string name_of(const Arg& a) { return a.is_name() ? a.text : value_to_s(a.to_value()); }

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

// A numericality or comparison operand: a symbol names a column of the record.
Value operand(const Record& record, const Arg& a) { return a.kind == Arg::Kind::Symbol ? record.get(a.text) : a.to_value(); }

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

// Ruby's regular expressions in ECMAScript's dialect: \A and \z anchor the
// string; Ruby's ^ and $ anchor lines, as std::regex's multiline does.
std::optional<Pattern> ruby_regex(const Arg& a, bool multiline, Compiling& c) {
  bool line_anchor = false;
  const std::string& s = a.text;
  std::string out = ecmascript_pattern(s, &line_anchor);
  if (line_anchor && !multiline) {
    c.problem(c.label +
              ": the regular expression uses the line anchors ^ or $, which let a value with a newline "
              "through; did you mean \\A and \\z, or to add multiline: true?");
    return std::nullopt;
  }
  auto flags = std::regex::ECMAScript;
  if (a.flags.find('i') != std::string::npos) flags |= std::regex::icase;
  if (multiline) flags |= std::regex::multiline;
  return Pattern(c.label, s, std::move(out), flags);
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

storage::Query uniqueness_query(const Checking& c) {
  const ModelClass& m = c.record.model();
  const Validator& v = c.v;
  storage::Query q;
  q.label = m.name + " Exists?";
  q.binds.reserve(v.scope.size() + 3);
  if (is_null(c.value)) q.binds.push_back({v.attribute, Value{}});  // a marker: IS NULL binds nothing
  else q.binds.push_back({v.attribute, v.case_sensitive ? cast_for_database(m.columns[static_cast<size_t>(c.column)].type, c.value) : c.value});
  for (const auto& s : v.scope) q.binds.push_back({s, cast_for_database(m.column(s)->type, c.record.get(s))});
  if (!c.record.new_record()) q.binds.push_back({m.primary_key, c.record.id()});
  q.sql = uniqueness_sql(m, v, q.binds, c.record.new_record());
  q.binds.erase(std::remove_if(q.binds.begin(), q.binds.end(), [](const storage::Bind& b) { return is_null(b.value); }),
                q.binds.end());
  q.binds.push_back({"LIMIT", std::int64_t{1}});
  return q;
}

void check_uniqueness(Checking& c) {
  if (!is_null(c.store.db().scalar(uniqueness_query(c)))) c.add("has already been taken");
}

void check_numericality(Checking& c) {
  bool integral = false;
  auto number = as_number(c.record.before_cast(static_cast<size_t>(c.column)), integral);
  if (!number) return c.add("is not a number");
  if (c.v.only_integer && !integral) return c.add("must be an integer");
  for (const auto& [check, arg] : c.v.checks) {
    if (check == "odd" || check == "even") {
      auto n = static_cast<std::int64_t>(*number);
      if (arg.to_value() == Value(true) && (n % 2 != 0) != (check == "odd")) c.add("must be " + check);
      continue;
    }
    Value limit = operand(c.record, arg);
    auto compared = compare(Value(*number), limit);
    if (!compared) continue;
    if (!holds(check, *compared)) c.add(check_words(check) + " " + value_to_s(limit));
  }
}

void check_comparison(Checking& c) {
  if (is_blank(c.value)) return c.add("can't be blank");
  for (const auto& [check, arg] : c.v.checks) {
    Value other = operand(c.record, arg);
    auto compared = compare(c.value, other);
    if (!compared) return c.add(fmt::format("comparison of {} with {} failed", ruby_class(c.value), ruby_class(other)));
    if (!holds(check, *compared)) c.add(check_words(check) + " " + value_to_s(other));
  }
}

bool listed(const Validator& v, const Value& value) {
  return std::any_of(v.in.begin(), v.in.end(), [&](const Value& x) { return values_equal(x, value); });
}

// length:'s minimum:, maximum: and is: take a whole number.
// A range of whole numbers' bounds (in: 6..20), the end one less when exclusive.
std::optional<std::pair<std::int64_t, std::int64_t>> integer_bounds(const Arg& range) {
  if (range.kind != Arg::Kind::Range) return std::nullopt;
  auto lo = std::get_if<std::int64_t>(&range.items[0].scalar), hi = std::get_if<std::int64_t>(&range.items[1].scalar);
  if (!lo || !hi || range.items[0].kind != Arg::Kind::Integer || range.items[1].kind != Arg::Kind::Integer)
    return std::nullopt;
  return std::pair{*lo, range.flags == "..." ? *hi - 1 : *hi};
}

bool read_length(Compiling& c, const std::string& key, const Arg& value) {
  if (key == "in" || key == "within") {  // length: { in: 6..20 }
    auto bounds = integer_bounds(value);
    if (!bounds) {
      c.problem(fmt::format("{} {}: takes a range of whole numbers (6..20)", c.label, key));
      return false;
    }
    c.v.minimum = bounds->first;
    c.v.maximum = bounds->second;
    return true;
  }
  if (key == "too_long" || key == "too_short" || key == "wrong_length") {
    c.v.length_messages[key] = value.is_name() ? value.text : value_to_s(value.to_value());
    return true;
  }
  auto i = std::get_if<std::int64_t>(&value.scalar);
  if (!i || value.kind != Arg::Kind::Integer) {
    c.problem(fmt::format("{} {}: takes a whole number", c.label, key));
    (key == "minimum" ? c.v.minimum : key == "maximum" ? c.v.maximum : c.v.is) = std::nullopt;
    return false;
  }
  (key == "minimum" ? c.v.minimum : key == "maximum" ? c.v.maximum : c.v.is) = *i;
  return true;
}

bool read_format(Compiling& c, const std::string& key, const Arg& value) {
  if (key == "multiline") return true;
  if (value.kind != Arg::Kind::Regex) {
    c.problem(c.label + " " + key + ": takes a /regular expression/");
    return false;
  }
  bool multiline = false;
  for (const auto& [k, v] : c.options)
    if (k == "multiline") multiline = v.to_value() == Value(true);
  auto re = ruby_regex(value, multiline, c);
  if (!re) return false;
  (key == "with" ? c.v.with : c.v.without) = std::move(re);
  return true;
}

// in: and within: take an [array] of the values, or a range of whole numbers.
bool read_list(Compiling& c, const std::string&, const Arg& value) {
  if (auto bounds = integer_bounds(value); bounds && bounds->second - bounds->first < 100000) {
    for (std::int64_t i = bounds->first; i <= bounds->second; ++i) c.v.in.push_back(i);
    return true;
  }
  if (value.kind != Arg::Kind::Array) {
    c.problem(c.label + " in: takes an [array]");
    return false;
  }
  for (const auto& item : value.items) c.v.in.push_back(item.to_value());
  return true;
}

bool read_check(Compiling& c, const std::string& key, const Arg& value) {
  if (key == "only_integer") c.v.only_integer = value.to_value() == Value(true);
  else c.v.checks.push_back({key, value});
  return true;
}

const std::vector<std::string> comparisons = {"greater_than", "greater_than_or_equal_to", "equal_to", "less_than",
                                              "less_than_or_equal_to", "other_than"};

// Each kind, as the table lists it.

ValidatorKind presence() {
  ValidatorKind k{"presence"};
  k.check = [](Checking& c) { if (is_blank(c.value)) c.add("can't be blank"); };
  k.on_association = [](bool present, const Add& add) { if (!present) add("can't be blank"); };
  return k;
}

ValidatorKind absence() {
  ValidatorKind k{"absence"};
  k.check = [](Checking& c) { if (!is_blank(c.value)) c.add("must be blank"); };
  k.on_association = [](bool present, const Add& add) { if (present) add("must be blank"); };
  return k;
}

ValidatorKind uniqueness() {
  ValidatorKind k{"uniqueness"};
  k.options = {"scope", "case_sensitive"};
  k.read = [](Compiling& c, const std::string& key, const Arg& value) {
    if (key == "case_sensitive") c.v.case_sensitive = value.to_value() != Value(false);
    else if (value.kind == Arg::Kind::Array) for (const auto& s : value.items) c.v.scope.push_back(name_of(s));
    else c.v.scope.push_back(name_of(value));
    return true;
  };
  k.finish = [](Compiling& c) {
    for (auto& s : c.v.scope)  // scope: :followee, a belongs_to: its key, as ActiveRecord 6.1 reads the association
      if (const Reflection* r = c.model.reflection(s); r && r->is_belongs_to() && !c.model.column(s)) s = r->foreign_key;
    for (const auto& s : c.v.scope)
      if (!c.model.columns.empty() && !c.model.column(s))
        c.problem(fmt::format("{} scope :{} is not a column of {}.{}", c.label, s, c.model.table,
                              suggestion_suffix(s, c.model.column_names())));
    return true;  // the validator stands, its problem said
  };
  k.check = check_uniqueness;
  k.lookup = uniqueness_query;
  k.needs_column = true;
  return k;
}

ValidatorKind length() {
  ValidatorKind k{"length"};
  k.options = {"minimum", "maximum", "is", "in", "within", "too_long", "too_short", "wrong_length"};
  k.read = read_length;
  k.check = [](Checking& c) {
    const Validator& v = c.v;
    if (is_null(c.value) && !v.minimum && !v.is) return;
    auto length = static_cast<std::int64_t>(utf8_length(value_to_s(c.value)));
    // too_long: "%{count} at most" as ActiveModel interpolates it
    auto said = [&](const char* key, const std::string& standard, std::int64_t count) {
      auto it = v.length_messages.find(key);
      if (it == v.length_messages.end()) return c.add(standard);
      std::string m = it->second;
      for (size_t at; (at = m.find("%{count}")) != std::string::npos;) m.replace(at, 8, std::to_string(count));
      c.add(m);
    };
    if (v.is && length != *v.is) said("wrong_length", "is the wrong length (should be " + characters(*v.is) + ")", *v.is);
    if (v.minimum && length < *v.minimum) said("too_short", "is too short (minimum is " + characters(*v.minimum) + ")", *v.minimum);
    if (v.maximum && length > *v.maximum) said("too_long", "is too long (maximum is " + characters(*v.maximum) + ")", *v.maximum);
  };
  return k;
}

ValidatorKind format() {
  ValidatorKind k{"format"};
  k.options = {"with", "without", "multiline"};
  k.read = read_format;
  k.finish = [](Compiling& c) {
    if (c.v.with || c.v.without) return true;
    c.problem(c.label + " needs with: /regex/ or without: /regex/");
    return false;
  };
  k.check = [](Checking& c) {
    std::string s = value_to_s(c.value);
    if ((c.v.with && !c.v.with->search(s)) || (c.v.without && c.v.without->search(s)))
      c.add("is invalid");
  };
  return k;
}

ValidatorKind numericality() {
  ValidatorKind k{"numericality"};
  k.options = {"only_integer"};
  k.options.insert(k.options.end(), comparisons.begin(), comparisons.end());
  k.options.insert(k.options.end(), {"odd", "even"});
  k.read = read_check;
  k.check = check_numericality;
  k.needs_column = true;
  return k;
}

ValidatorKind inclusion() {
  ValidatorKind k{"inclusion"};
  k.options = {"in", "within"};
  k.read = read_list;
  k.check = [](Checking& c) { if (!listed(c.v, c.value)) c.add("is not included in the list"); };
  return k;
}

ValidatorKind exclusion() {
  ValidatorKind k{"exclusion"};
  k.options = {"in", "within"};
  k.read = read_list;
  k.check = [](Checking& c) { if (listed(c.v, c.value)) c.add("is reserved"); };
  return k;
}

ValidatorKind comparison() {
  ValidatorKind k{"comparison"};
  k.options = comparisons;
  k.read = read_check;
  k.check = check_comparison;
  return k;
}

ValidatorKind confirmation() {
  ValidatorKind k{"confirmation"};
  k.finish = [](Compiling& c) {  // the attribute_confirmation the check reads
    std::string confirmation = c.v.attribute + "_confirmation";
    if (!c.model.is_virtual(confirmation)) c.model.virtual_attributes.push_back(confirmation);
    return true;
  };
  k.check = [](Checking& c) {  // its message goes on the confirmation, naming the attribute
    const Value& confirmation = c.record.virtual_value(c.v.attribute + "_confirmation");
    if (!is_null(confirmation) && !values_equal(confirmation, c.value))
      c.record.errors().add(c.v.attribute + "_confirmation",
                            c.v.message.empty() ? "doesn't match " + inflector::humanize(c.v.attribute) : c.v.message);
  };
  return k;
}

// ActiveModel's: a virtual attribute when no column has the name; nil passes
// unless allow_nil: false; accept: replaces what counts as accepted.
ValidatorKind acceptance() {
  ValidatorKind k{"acceptance"};
  k.options = {"accept"};
  k.read = [](Compiling& c, const std::string&, const Arg& value) {
    for (const Arg& a : value.kind == Arg::Kind::Array ? value.items : std::vector<Arg>{value}) c.v.in.push_back(a.to_value());
    return true;
  };
  k.finish = [](Compiling& c) {
    bool given = std::any_of(c.options.begin(), c.options.end(), [](const auto& o) { return o.first == "accept"; });
    if (!given) c.v.in = {Value(std::string("1")), Value(true)};
    return true;
  };
  k.check = [](Checking& c) { if (!listed(c.v, c.value)) c.add("must be accepted"); };
  k.nil_passes = true;
  k.defines_attribute = true;
  return k;
}

// The loader's own: a belongs_to that is not optional.
ValidatorKind required() {
  ValidatorKind k{"required", false};
  k.on_association = [](bool present, const Add& add) { if (!present) add("must exist"); };
  return k;
}

// The loader's own: has_secure_password's digest is set.
ValidatorKind secure_password() {
  ValidatorKind k{"secure_password", false};
  k.check = [](Checking& c) {
    if (is_blank(c.record.get(c.v.attribute + "_digest"))) c.add("can't be blank");
  };
  return k;
}

}  // namespace

// validate :method_name and validate do ... end: the class body's code adds the errors (Persistence::run_validator).
ValidatorKind custom() { return ValidatorKind{"custom", false}; }

// validates_associated :books (validates :books, associated: true), as
// ActiveRecord's AssociatedValidator: the records the association holds,
// loaded if need be, are each valid, or "Books is invalid" once. A
// belongs_to's validate: true (or autosave: true) checks a new target only,
// and with autosave: gives its errors ("Coffee name can't be blank").
ValidatorKind associated() {
  ValidatorKind k{"associated"};
  k.on_records = [](Checking& c, const Reflection& r) {
    auto owner = std::shared_ptr<Record>(&c.record, [](Record*) {});  // held by the caller
    Persistence& persistence = c.store.persistence();
    if (c.v.new_target_only) {
      auto it = c.record.targets().find(r.name);
      if (it == c.record.targets().end() || !it->second || !it->second->new_record() || persistence.valid(*it->second))
        return;
      if (!r.autosave) return c.add("is invalid");
      for (const auto& [attribute, message] : it->second->errors().items())
        c.record.errors().add(r.name + "." + attribute, message);
      return;
    }
    std::vector<RecordPtr> records;
    if (r.is_collection()) records = c.store.queries().to_a(c.store.associations().collection(owner, r));
    else if (RecordPtr target = c.store.associations().target(owner, r)) records.push_back(target);
    bool all_valid = true;
    for (const auto& record : records) all_valid = persistence.valid(*record) && all_valid;  // each gets its errors
    if (!all_valid) c.add("is invalid");
  };
  return k;
}

const std::vector<ValidatorKind>& validator_kinds() {
  static const std::vector<ValidatorKind> kinds = {presence(), absence(), uniqueness(), length(), format(),
                                                   numericality(), inclusion(), exclusion(), comparison(),
                                                   confirmation(), acceptance(), required(), secure_password(),
                                                   custom(), associated()};
  return kinds;
}

const ValidatorKind* find_validator_kind(const std::string& name) {
  for (const auto& k : validator_kinds())
    if (k.name == name) return &k;
  return nullptr;
}

std::vector<std::string> declared_validator_names() {
  std::vector<std::string> names;
  for (const auto& k : validator_kinds())
    if (k.declared) names.push_back(k.name);
  return names;
}

}  // namespace fw::model
