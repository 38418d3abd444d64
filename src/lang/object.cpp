#include "lang/object.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>
#include <cctype>
#include <new>
#include <regex>
#include <stdexcept>

#include "base/password.hpp"
#include "base/text.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"

namespace fw::lang {

Object Object::from(const Value& v) {
  struct {
    Object operator()(std::monostate) const { return Object(); }
    Object operator()(bool b) const { return Object(b); }
    Object operator()(std::int64_t i) const { return Object(i); }
    Object operator()(double d) const { return Object(d); }
    Object operator()(const std::string& s) const { return Object(s); }
  } convert;
  return std::visit(convert, v);
}

std::string& Object::mutable_string() const {
  const auto& s = std::get<Ref<Str>>(v_);
  if (s->frozen) throw RuntimeError("can't modify frozen String: " + inspect_value(Value(s->text)));
  return s->text;
}

Object* Env::Vars::find(Name name) {
  if (items_.size() > kScanned) {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &items_[it->second].second;
  }
  for (auto& [k, v] : items_)
    if (k == name) return &v;
  return nullptr;
}

Object& Env::Vars::operator[](Name name) {
  if (Object* found = find(name)) return *found;
  items_.emplace_back(name, Object());
  if (items_.size() > kScanned) {
    if (index_.empty())
      for (size_t i = 0; i < items_.size(); ++i) index_.emplace(items_[i].first, i);
    else
      index_.emplace(name, items_.size() - 1);
  }
  return items_.back().second;
}

bool Object::to_value(Value& out) const {
  if (is_nil()) return out = Value{}, true;
  if (auto b = get<bool>()) return out = *b, true;
  if (auto i = get<std::int64_t>()) return out = *i, true;
  if (auto d = get<double>()) return out = *d, true;
  if (auto s = get<std::string>()) return out = *s, true;
  if (auto s = get<Symbol>()) return out = s->name(), true;
  if (auto d = get<Decimal>()) return out = d->to_double(), true;  // as ActiveRecord binds a BigDecimal to SQLite
  if (auto t = get<Time>()) return out = t->stored(), true;         // "2017-05-24 00:00:00"
  if (auto d = get<Date>()) return out = d->stored(), true;         // "2017-05-24"
  if (auto p = get<BcryptPassword>()) return out = p->digest, true;  // a String in the gem
  return false;
}

std::optional<Decimal> as_decimal(const Object& o) {
  if (auto d = o.get<Decimal>()) return *d;
  if (auto i = o.get<std::int64_t>()) return Decimal::from_int(*i);
  if (auto f = o.get<double>()) return Decimal::from_double(*f);
  return std::nullopt;
}

std::optional<Time> as_time(const Object& o) {
  if (auto t = o.get<Time>()) return *t;
  if (auto d = o.get<Date>()) return d->midnight();
  return std::nullopt;
}

std::string class_name(const Object& o) {
  switch (o.variant().index()) {
    case 0: return "NilClass";
    case 1: return *o.get<bool>() ? "TrueClass" : "FalseClass";
    case 2: return "Integer";
    case 3: return "Float";
    case 4: return "String";
    case 5: return "Symbol";
    case 6: return "Regexp";
    case 7: return "Array";
    case 8: return "Hash";
    case 9: return (*o.get<model::RecordPtr>())->model().name;
    case 10: {  // user.tweets; user.tweets.where(...); User.where(...)
      const auto& r = **o.get<RelationPtr>();
      if (!r.owner()) return "ActiveRecord::Relation";
      return r.is_association() ? "ActiveRecord::Associations::CollectionProxy" : "ActiveRecord::AssociationRelation";
    }
    case 11: return "Class";
    case 12: return "ActiveModel::Errors";
    case 13: return "Proc";
    case 14: return "Range";
    case 15: return "ActiveRecord::QueryMethods::WhereChain";
    case 16: return "BigDecimal";
    case 17: return o.get<Time>()->with_zone ? "ActiveSupport::TimeWithZone" : "Time";
    case 18: return "Date";
    case 20: return (*o.get<Ref<Exception>>())->class_name;
    case 21: return "ActiveSupport::Duration";
    case 22: return "Enumerator";
    case 23: return "MatchData";
    case 24: return "BCrypt::Password";
    default: return "Class";
  }
}

namespace {
// Each exception class a statement meets, with its superclass.
const std::map<std::string, std::string>& exception_parents() {
  static const std::map<std::string, std::string> parents = {
      {"Exception", ""},
      {"NoMemoryError", "Exception"},
      {"ScriptError", "Exception"},
      {"NotImplementedError", "ScriptError"},
      {"SignalException", "Exception"},
      {"Interrupt", "SignalException"},
      {"SystemStackError", "Exception"},
      {"SecurityError", "Exception"},
      {"StandardError", "Exception"},
      {"ArgumentError", "StandardError"},
      {"UncaughtThrowError", "ArgumentError"},
      {"EncodingError", "StandardError"},
      {"FiberError", "StandardError"},
      {"IOError", "StandardError"},
      {"IndexError", "StandardError"},
      {"KeyError", "IndexError"},
      {"StopIteration", "IndexError"},
      {"LocalJumpError", "StandardError"},
      {"NameError", "StandardError"},
      {"NoMethodError", "NameError"},
      {"RangeError", "StandardError"},
      {"FloatDomainError", "RangeError"},
      {"RegexpError", "StandardError"},
      {"RuntimeError", "StandardError"},
      {"FrozenError", "RuntimeError"},
      {"TypeError", "StandardError"},
      {"ZeroDivisionError", "StandardError"},
      {"ActiveRecord::ActiveRecordError", "StandardError"},
      {"ActiveRecord::RecordInvalid", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::RecordNotFound", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::RecordNotSaved", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::RecordNotDestroyed", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::DeleteRestrictionError", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::StatementInvalid", "ActiveRecord::ActiveRecordError"},
      {"ActiveRecord::RecordNotUnique", "ActiveRecord::StatementInvalid"},
      {"ActiveRecord::NotNullViolation", "ActiveRecord::StatementInvalid"},
      {"ActiveRecord::InvalidForeignKey", "ActiveRecord::StatementInvalid"},
      {"ActiveRecord::AssociationTypeMismatch", "ActiveRecord::ActiveRecordError"},
      {"ActiveModel::UnknownAttributeError", "NoMethodError"},
      {"BCrypt::Error", "StandardError"},
      {"BCrypt::Errors::InvalidHash", "BCrypt::Error"},
  };
  return parents;
}

// The classes and modules a value is, its own class first.
std::vector<std::string> ancestors_of(const Object& o) {
  if (o.is<model::RecordPtr>()) return {class_name(o), "ActiveRecord::Base", "Object", "Kernel", "BasicObject"};
  return class_ancestors(class_name(o));
}
}  // namespace

std::vector<std::string> class_ancestors(const std::string& name) {
  std::vector<std::string> out;
  if (exception_parents().count(name)) {
    for (std::string c = name; !c.empty(); c = exception_parents().at(c)) out.push_back(c);
  } else {
    static const std::map<std::string, std::vector<std::string>> mixed_in = {
        {"Integer", {"Numeric", "Comparable"}},
        {"Float", {"Numeric", "Comparable"}},
        {"BigDecimal", {"Numeric", "Comparable"}},
        {"String", {"Comparable"}},
        {"Symbol", {"Comparable"}},
        {"Time", {"Comparable"}},
        {"Date", {"Comparable"}},
        {"ActiveSupport::TimeWithZone", {"Time", "Comparable"}},  // is_a?(Time), as ActiveSupport makes it
        {"Array", {"Enumerable"}},
        {"Hash", {"Enumerable"}},
        {"Range", {"Enumerable"}},
        {"ActiveRecord::Relation", {"Enumerable"}},
        {"BCrypt::Password", {"String", "Comparable"}}};
    out.push_back(name);
    if (auto it = mixed_in.find(name); it != mixed_in.end()) out.insert(out.end(), it->second.begin(), it->second.end());
  }
  for (const char* c : {"Object", "Kernel", "BasicObject"})
    if (name != c) out.push_back(c);
  return out;
}

bool exception_is_a(const std::string& name, const std::string& ancestor) {
  for (std::string c = name; !c.empty();) {
    if (c == ancestor) return true;
    auto it = exception_parents().find(c);
    if (it == exception_parents().end()) return ancestor == "StandardError" || ancestor == "Exception";
    c = it->second;
  }
  return false;
}

bool is_kind_of(const Object& o, const std::string& name) {
  auto all = ancestors_of(o);
  return std::find(all.begin(), all.end(), name) != all.end();
}

const char* library_regexp(const std::string& name) {
  // Ruby 3.1's uri/mailto.rb, which Rails apps validate emails with.
  if (name == "URI::MailTo::EMAIL_REGEXP")
    return R"(\A[a-zA-Z0-9.!\#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\z)";
  return nullptr;
}

bool is_builtin_class(const std::string& name) {
  static const std::set<std::string> classes = {
      "Integer", "Float", "String", "Symbol", "Array", "Hash", "NilClass", "TrueClass", "FalseClass", "Range", "Proc",
      "Regexp", "Numeric", "Comparable", "Enumerable", "Kernel", "Object", "BasicObject", "BigDecimal", "Time", "Date",
      "Class", "Module", "ActiveRecord::Base", "ActiveRecord::Relation", "ActiveSupport::TimeWithZone",
      "ActiveSupport::Duration", "Enumerator", "MatchData", "SecureRandom", "Digest::SHA1", "Digest::SHA256",
      "Digest::MD5", "BCrypt::Password", "BCrypt::Engine", "ActiveModel::SecurePassword"};
  return classes.count(name) > 0 || exception_parents().count(name) > 0;
}

double Duration::seconds() const {
  static constexpr std::array<double, kUnits> length = {31556952, 2629746, 604800, 86400, 3600, 60, 1};
  double total = 0;
  for (size_t i = 0; i < kUnits; ++i) total += parts[i] * length[i];
  return total;
}

bool eql(const Object& a, const Object& b) {
  if (a.variant().index() != b.variant().index()) return false;
  if (auto x = a.get<double>()) return *x == *b.get<double>() || (std::isnan(*x) && std::isnan(*b.get<double>()));
  if (auto x = a.get<Ref<Array>>()) {
    const auto& y = *b.get<Ref<Array>>();
    if (*x == y) return true;
    if ((*x)->size() != y->size()) return false;
    for (size_t i = 0; i < y->size(); ++i)
      if (!eql((**x)[i], (*y)[i])) return false;
    return true;
  }
  return equal(a, b);
}

namespace {
size_t hash_code_at(const Object& o, int depth) {
  auto mix = [](size_t seed, size_t h) { return seed ^ (h + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2)); };
  size_t kind = o.variant().index();
  if (auto i = o.get<std::int64_t>()) return mix(kind, std::hash<std::int64_t>()(*i));
  if (auto s = o.get<std::string>()) return mix(kind, std::hash<std::string>()(*s));
  if (auto s = o.get<Symbol>()) return mix(kind, std::hash<Name>()(s->id));
  if (auto d = o.get<double>()) return mix(kind, *d == 0 ? 0 : std::hash<double>()(*d));
  if (auto b = o.get<bool>()) return mix(kind, *b);
  if (auto r = o.get<model::RecordPtr>()) {
    Value id = (*r)->id();
    if (auto i = std::get_if<std::int64_t>(&id)) return mix(std::hash<const void*>()(&(*r)->model()), std::hash<std::int64_t>()(*i));
    return std::hash<const void*>()(r->get());
  }
  if (auto a = o.get<Ref<Array>>(); a && depth < 8) {
    size_t h = kind;
    for (const auto& x : **a) h = mix(h, hash_code_at(x, depth + 1));
    return h;
  }
  return kind;  // times, dates, hashes and the rest: one bucket each, told apart by eql?
}
}  // namespace

size_t hash_code(const Object& o) { return hash_code_at(o, 0); }

namespace {
constexpr size_t kScannedKeys = 8;  // up to this many keys, a look along them costs less than a hash code
constexpr size_t kMostSlots = size_t{1} << 31;  // a slot's 32 bits hold a place below half of them
// A hash code spread over 32 bits (Fibonacci hashing, its top half), so that
// keys with a common stride (multiples of 1024) do not pile up: the bits
// under the mask choose the first slot to look at, those above it are kept
// in the slot to tell keys apart before reading one.
std::uint32_t spread(size_t code) { return static_cast<std::uint32_t>((code * 0x9e3779b97f4a7c15ULL) >> 32); }
}  // namespace

void Hash::reindex() {
  size_t slots = 16;
  while (slots < 2 * items_.size()) slots *= 2;
  if (slots > kMostSlots) throw std::bad_alloc();
  std::vector<std::uint32_t>().swap(slots_);  // the old slots go before the new are made
  slots_.assign(slots, 0);
  for (indexed_ = 0; indexed_ < items_.size();) index_last_of(indexed_);
}

// Puts items_[place], the first not yet indexed, in its slot.
void Hash::index_last_of(size_t place) {
  std::uint32_t code = spread(hash_code(items_[place].first));
  std::uint32_t mask = static_cast<std::uint32_t>(slots_.size() - 1);
  std::uint32_t i = code & mask;
  while (slots_[i]) i = (i + 1) & mask;
  slots_[i] = (code & ~mask) | static_cast<std::uint32_t>(place + 1);
  indexed_ = place + 1;
}

size_t Hash::place_of(const Object& key) {
  if (items_.size() <= kScannedKeys) {
    for (size_t p = 0; p < items_.size(); ++p)
      if (!dead(p) && eql(items_[p].first, key)) return p;
    return items_.size();
  }
  if (indexed_ != items_.size()) reindex();
  std::uint32_t code = spread(hash_code(key));
  std::uint32_t mask = static_cast<std::uint32_t>(slots_.size() - 1);
  for (std::uint32_t i = code & mask; slots_[i]; i = (i + 1) & mask) {
    if ((slots_[i] & ~mask) != (code & ~mask)) continue;
    size_t p = (slots_[i] & mask) - 1;
    if (!dead(p) && eql(items_[p].first, key)) return p;
  }
  return items_.size();
}

Object* Hash::find(const Object& key) {
  size_t p = place_of(key);
  return p == items_.size() ? nullptr : &items_[p].second;
}

Object& Hash::set(const Object& key, Object value) {
  if (Object* existing = find(key)) return *existing = std::move(value);
  // Ruby copies and freezes a String key, so changing the string later leaves the key as it was.
  Pair* added;
  if (auto text = key.get<std::string>(); text && !key.get<Ref<Str>>()->get()->frozen) {
    Object frozen(*text);
    (*frozen.get<Ref<Str>>())->frozen = true;
    added = &items_.emplace_back(std::move(frozen), std::move(value));
  } else {
    added = &items_.emplace_back(key, std::move(value));
  }
  if (!dead_.empty()) dead_.push_back(false);
  if (items_.size() > kScannedKeys && indexed_ + 1 == items_.size()) {  // the look-up above indexed the rest
    if (2 * items_.size() > slots_.size()) reindex();
    else index_last_of(items_.size() - 1);
  }
  return added->second;
}

bool Hash::erase(const Object& key, Object* value) {
  size_t p = place_of(key);
  if (p == items_.size()) return false;
  if (value) *value = std::move(items_[p].second);
  if (items_.size() <= kScannedKeys && dead_.empty()) {  // a few keys: moved up, nothing marked
    items_.erase(p);
    slots_.clear();
    indexed_ = 0;
    return true;
  }
  if (dead_.empty()) dead_.assign(items_.size(), false);
  dead_[p] = true;
  items_[p] = Pair();  // lets go of the key and value now
  if (++deleted_ * 2 > items_.size()) compact();
  return true;
}

// Drops the dead pairs; the live keep their order and are indexed again.
void Hash::compact() {
  size_t to = 0;
  for (size_t p = 0; p < items_.size(); ++p)
    if (!dead_[p]) items_[to++] = std::move(items_[p]);
  items_.shrink_to(to);
  dead_.clear();
  deleted_ = 0;
  slots_.clear();
  indexed_ = 0;
}

static bool equal_at(const Object& a, const Object& b, int depth);

bool equal(const Object& a, const Object& b) { return equal_at(a, b, 0); }

// Arrays can contain themselves (a << a): past a depth, only identity counts.
static bool equal_at(const Object& a, const Object& b, int depth) {
  if (auto s = a.get<std::string>()) {  // the common case, without copying either into a Value
    auto t = b.get<std::string>();
    return t && *s == *t;
  }
  if (auto x = a.get<std::int64_t>(), y = b.get<std::int64_t>(); x && y) return *x == *y;
  if (auto p = a.get<BcryptPassword>()) {  // BCrypt::Password#==: whether it is the digest of that password
    auto t = b.get<std::string>();
    return bcrypt_matches(t ? *t : b.is_nil() ? "" : inspect(b), p->digest);
  }
  if (a.is<Decimal>() || b.is<Decimal>()) {
    auto x = as_decimal(a), y = as_decimal(b);
    return x && y && compare(*x, *y) == 0;
  }
  if (a.is<Time>() || a.is<Date>() || b.is<Time>() || b.is<Date>()) {
    auto x = as_time(a), y = as_time(b);
    return x && y && compare(*x, *y) == 0;
  }
  Value x, y;
  if (a.to_value(x) && b.to_value(y) && !a.is<Symbol>() && !b.is<Symbol>()) return values_equal(x, y);
  if (auto s = a.get<Symbol>(), t = b.get<Symbol>(); s && t) return s->id == t->id;
  if (auto r = a.get<model::RecordPtr>(), q = b.get<model::RecordPtr>(); r && q) {
    if (*r == *q) return true;
    return &(*r)->model() == &(*q)->model() && !is_null((*r)->id()) && (*r)->id() == (*q)->id();
  }
  if (auto m = a.get<ModelRef>(), n = b.get<ModelRef>(); m && n) return m->model == n->model;
  if (a.is<Ref<Duration>>() || b.is<Ref<Duration>>()) {  // 1.day == 86400, as ActiveSupport
    auto length = [](const Object& o) -> std::optional<double> {
      if (auto d = o.get<Ref<Duration>>()) return (*d)->seconds();
      if (auto i = o.get<std::int64_t>()) return static_cast<double>(*i);
      if (auto f = o.get<double>()) return *f;
      return std::nullopt;
    };
    auto x = length(a), y = length(b);
    return x && y && *x == *y;
  }
  if (auto m = a.get<BuiltinClass>(), n = b.get<BuiltinClass>(); m && n) return m->id == n->id;
  if (auto r = a.get<Ref<Range>>(), q = b.get<Ref<Range>>(); r && q)
    return (*r)->exclusive == (*q)->exclusive && equal_at((*r)->first, (*q)->first, depth + 1) &&
           equal_at((*r)->last, (*q)->last, depth + 1);
  if (auto p = a.get<Ref<Proc>>(), q = b.get<Ref<Proc>>(); p && q) return *p == *q;
  if (auto h = a.get<Ref<Hash>>(), g = b.get<Ref<Hash>>(); h && g) {
    if (*h == *g) return true;
    if ((*h)->size() != (*g)->size() || depth > 100) return false;
    for (const auto& entry : **h) {
      const Object* other = (*g)->find(entry.first);
      if (!other || !equal_at(*other, entry.second, depth + 1)) return false;
    }
    return true;
  }
  if (auto x1 = a.get<Ref<Array>>(), y1 = b.get<Ref<Array>>(); x1 && y1) {
    if (*x1 == *y1) return true;
    if ((*x1)->size() != (*y1)->size() || depth > 100) return false;
    for (size_t i = 0; i < (*x1)->size(); ++i)
      if (!equal_at((**x1)[i], (**y1)[i], depth + 1)) return false;
    return true;
  }
  return false;
}

std::string with_suggestion(const std::string& word, const std::vector<std::string>& known) {
  bool is_name = !word.empty() && (std::isalpha(static_cast<unsigned char>(word[0])) || word[0] == '_');
  if (!is_name) return "";  // no "did you mean" for an operator: nil + 1 is not a typo of !
  auto matches = close_matches(word, known);
  return matches.empty() ? "" : ". Did you mean? " + join(matches, " or ");
}

RuntimeError no_method(const std::string& method, const std::string& receiver, const std::vector<std::string>& known) {
  return RuntimeError("undefined method '" + method + "' for " + receiver + with_suggestion(method, known));
}

RuntimeError no_name(const std::string& name, const std::vector<std::string>& known) {
  return RuntimeError("undefined local variable or method '" + name + "' for main" + with_suggestion(name, known));
}

RuntimeError wrong_arguments(size_t given, const std::string& expected) {
  return RuntimeError("wrong number of arguments (given " + std::to_string(given) + ", expected " + expected + ")");
}

RuntimeError type_error(const std::string& message) { return RuntimeError(message); }

RuntimeError type_mismatch(const std::string& model, const std::string& inspected, const std::string& class_name) {
  return RuntimeError(model + "(#" + model + ") expected, got " + inspected + " which is an instance of " + class_name);
}

}  // namespace fw::lang

namespace fw::lang {

std::string foreign_error_message(const std::exception& e) {
  try {
    throw;
  } catch (const std::regex_error& re) {
    if (re.code() == std::regex_constants::error_complexity || re.code() == std::regex_constants::error_stack)
      return "RegexpError: the regular expression is too complex for this text";
    return std::string("RegexpError: ") + e.what();
  } catch (const std::bad_alloc&) {
    return "failed to allocate memory (NoMemoryError)";
  } catch (const std::out_of_range&) {
    return std::string("RangeError: ") + e.what();
  } catch (const std::length_error&) {
    return std::string("RangeError: ") + e.what();
  } catch (...) {
    return std::string("internal error: ") + e.what();
  }
}

}  // namespace fw::lang
