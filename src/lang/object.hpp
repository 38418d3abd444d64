#pragma once
// The values statements compute: Ruby's scalars, arrays and hashes, and the
// model layer's records, relations and model classes.
#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/calendar.hpp"
#include "base/decimal.hpp"
#include "base/value.hpp"
#include "lang/array.hpp"
#include "lang/chunked.hpp"
#include "lang/names.hpp"
#include "lang/ref.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"

namespace fw::lang {

struct Node;
class Object;
using Array = ArrayOf<Object>;  // lang/array.hpp

// A Symbol is its interned name: one word, compared by address.
struct Symbol {
  Symbol(std::string_view text) : id(intern(text)) {}  // NOLINT: :name from its text
  explicit Symbol(Name interned) : id(interned) {}
  Name id;
  const std::string& name() const { return *id; }
  bool operator==(const Symbol& o) const { return id == o.id; }
};
struct Regex {
  std::string source, flags;
};
struct ModelRef {  // a model class: User
  const model::ModelClass* model;
};
struct BuiltinClass {  // Time, Date: the classes whose class methods a statement calls (Time.now)
  BuiltinClass(std::string_view text) : id(intern(text)) {}  // NOLINT
  Name id;
  const std::string& name() const { return *id; }
};
struct ErrorsRef {  // record.errors
  model::RecordPtr record;
};
// An exception as a value: what `rescue => e` binds and `raise` throws.
struct Exception {
  std::string class_name;   // "RuntimeError", "ActiveRecord::RecordNotFound"
  std::string message;
  model::RecordPtr record;  // ActiveRecord::RecordInvalid's record (e.record)
};
// An ActiveSupport::Duration: 2.days, 1.hour + 30.minutes. Its parts are kept
// apart, as ActiveSupport keeps them: a month added to a time is a calendar
// month, not a number of seconds.
struct Duration {
  enum Unit { Years, Months, Weeks, Days, Hours, Minutes, Seconds, kUnits };
  std::array<double, kUnits> parts{};
  // Its length in seconds, as to_i counts it (a month 2629746 s, a year 31556952 s).
  double seconds() const;
};
// An endless Enumerator: [1, 2].cycle, which first(n), take(n) and each
// with break read from.
struct Enumerator {
  Array items;  // one round of it
};
// A MatchData: what String#match gives and $~ holds after a match.
struct MatchData {
  std::vector<std::optional<std::string>> groups;  // the match, then each group (nothing: it took no part)
  std::vector<std::string> names;                   // the groups' names, when the pattern names them
  std::string pre, post;                            // the text before and after the match
};
// A BCrypt::Password: a bcrypt digest ("$2a$12$..."), a String in the gem.
struct BcryptPassword {
  std::string digest;
};
struct Proc;   // a block, lambda or &:name (below)
struct Range;  // 1..5 (below)

// The most a string or an array the language builds may hold. Past it, the
// statement fails with NoMemoryError (std::bad_alloc), as Ruby's "failed to
// allocate memory", rather than the console exhausting the machine's memory.
constexpr std::size_t kMaxStringBytes = std::size_t{256} << 20;  // 256 MiB
constexpr std::size_t kMaxArrayLength = 10'000'000;               // as many as a range expands to
inline void check_string_size(std::size_t bytes) {
  if (bytes > kMaxStringBytes) throw std::bad_alloc();
}
inline void check_array_length(std::size_t items) {
  if (items > kMaxArrayLength) throw std::bad_alloc();
}
struct WhereChain;  // Model.where with no arguments, waiting for .not (below)
class Hash;  // below

// A String: an object every variable and container holding it shares, as in
// Ruby; `<<` and the ! methods change it in place, freeze stops them.
struct Str {
  std::string text;
  bool frozen = false;
};
using RelationPtr = Ref<model::Relation>;

// The values an Object keeps in a box of their own, read through get<T>() as
// the others: those wider than a word (a record's shared_ptr, a time) or
// rarely made (a BigDecimal, a regular expression), so that every value is
// one word and a tag, 16 bytes.
template <typename T> struct Boxed : std::false_type {};
template <> struct Boxed<model::RecordPtr> : std::true_type {};
template <> struct Boxed<ErrorsRef> : std::true_type {};
template <> struct Boxed<Time> : std::true_type {};
template <> struct Boxed<Decimal> : std::true_type {};
template <> struct Boxed<Regex> : std::true_type {};
template <> struct Boxed<MatchData> : std::true_type {};
template <> struct Boxed<BcryptPassword> : std::true_type {};

class Object {
 public:
  using Variant = std::variant<std::monostate, bool, std::int64_t, double, Ref<Str>, Symbol,
                               Ref<const Regex>,
                               Ref<Array>, Ref<Hash>, Ref<const model::RecordPtr>, RelationPtr,
                               ModelRef, Ref<const ErrorsRef>, Ref<Proc>, Ref<Range>,
                               Ref<WhereChain>, Ref<const Decimal>, Ref<const Time>, Date, BuiltinClass,
                               Ref<Exception>, Ref<Duration>, Ref<Enumerator>, Ref<const MatchData>,
                               Ref<const BcryptPassword>>;

  Object() = default;
  template <typename T, typename = std::enable_if_t<std::is_constructible_v<Variant, T>>>
  Object(T&& v) : v_(std::forward<T>(v)) {  // NOLINT: every alternative converts
    // Every string and array value passes here: none grows past the caps above.
    using Held = std::decay_t<T>;
    if constexpr (std::is_same_v<Held, Ref<Array>>) {
      if (const auto& items = std::get<Ref<Array>>(v_)) check_array_length(items->size());
    }
  }
  template <typename T, typename = std::enable_if_t<Boxed<T>::value>>
  Object(T v) : v_(make_ref<const T>(std::move(v))) {}  // NOLINT: a boxed value
  Object(std::string s) {  // NOLINT: a new String
    check_string_size(s.size());
    v_ = make_ref<Str>(Str{std::move(s), false});
  }
  Object(const char* s) : Object(std::string(s)) {}  // NOLINT
  static Object from(const Value& v);
  static Object array(Array items) { return Object(make_ref<Array>(std::move(items))); }
  static Object hash(Hash items);  // (below: Hash is defined after Object)
  static Object relation(model::Relation r) { return Object(make_ref<model::Relation>(std::move(r))); }
  static Object record(model::RecordPtr r) { return r ? Object(std::move(r)) : Object(); }

  const Variant& variant() const { return v_; }
  template <typename T> const T* get() const {
    if constexpr (Boxed<T>::value) {
      auto box = std::get_if<Ref<const T>>(&v_);
      return box ? box->get() : nullptr;
    } else {
      return std::get_if<T>(&v_);
    }
  }
  template <typename T> bool is() const {
    if constexpr (Boxed<T>::value)
      return std::holds_alternative<Ref<const T>>(v_);
    else
      return std::holds_alternative<T>(v_);
  }
  // An Integer held, to change in place (x += 1 in a loop); null for other values.
  std::int64_t* mutable_integer() { return std::get_if<std::int64_t>(&v_); }
  // A string's text, to change in place; raises FrozenError when it is frozen.
  std::string& mutable_string() const;
  bool is_nil() const { return is<std::monostate>(); }
  bool truthy() const { return !is_nil() && !(is<bool>() && !*get<bool>()); }
  // The database value it stands for, if it is a scalar (symbols as their name).
  bool to_value(Value& out) const;

 private:
  Variant v_;
};

// Ruby's eql? (1 and 1.0 are different keys, "a" and :a too) and the hash
// code that agrees with it: what a Hash looks its keys up by.
bool eql(const Object& a, const Object& b);
size_t hash_code(const Object& o);

// A Hash: pairs in insertion order, looked up by their keys' hash codes, with
// the default value or block Hash.new gives it.
class Hash {
 public:
  using Pair = std::pair<Object, Object>;
  // Walks the live pairs in order by place, skipping deleted ones. A place
  // past the pairs' end (they were compacted meanwhile) is the end: a block
  // that deletes or adds keys while a walk is under way cannot make it read
  // outside the pairs.
  template <typename H, typename P> class Walk {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Pair;
    using difference_type = std::ptrdiff_t;
    using pointer = P*;
    using reference = P&;
    Walk(H* hash, size_t place) : hash_(hash), place_(place) { skip(); }
    P& operator*() const { return hash_->items_[place_]; }
    P* operator->() const { return &hash_->items_[place_]; }
    Walk& operator++() {
      ++place_;
      skip();
      return *this;
    }
    Walk operator++(int) {
      Walk before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Walk& o) const {
      size_t end = hash_->items_.size();
      return std::min(place_, end) == std::min(o.place_, end);
    }
    bool operator!=(const Walk& o) const { return !(*this == o); }

   private:
    void skip() {
      while (place_ < hash_->items_.size() && hash_->dead(place_)) ++place_;
    }
    H* hash_;
    size_t place_;
  };
  using iterator = Walk<Hash, Pair>;
  using const_iterator = Walk<const Hash, const Pair>;

  Hash() = default;
  Hash(std::initializer_list<Pair> pairs) {
    for (const auto& p : pairs) set(p.first, p.second);
  }

  iterator begin() { return {this, 0}; }
  iterator end() { return {this, items_.size()}; }
  const_iterator begin() const { return {this, 0}; }
  const_iterator end() const { return {this, items_.size()}; }
  size_t size() const { return items_.size() - deleted_; }
  bool empty() const { return size() == 0; }

  // The value for `key`, or null when it is missing.
  Object* find(const Object& key);
  const Object* find(const Object& key) const { return const_cast<Hash*>(this)->find(key); }
  // Sets the value of a key: a new key goes at the end, a known one keeps its place.
  Object& set(const Object& key, Object value);
  void push_back(Pair pair) { set(pair.first, std::move(pair.second)); }
  // Removes a key; false when it was missing.
  bool erase(const Object& key, Object* value = nullptr);
  void clear() {
    items_.clear();
    slots_.clear();
    dead_.clear();
    indexed_ = deleted_ = 0;
  }

  Object default_value;  // Hash.new(0)
  Object default_proc;   // Hash.new { |h, k| ... }: a Proc, or nil

 private:
  // Open addressing over items_: each slot 0 (empty), or 1 + a key's place in
  // items_ in the bits below the table's size, and the bits of its hash code
  // the slot's position does not use above (compared before the key is
  // read); at least half the slots empty. Built once the hash has more than
  // a few keys.
  void reindex();
  void index_last_of(size_t place);
  // A deleted key keeps its place, marked dead, so that a delete costs what a
  // look-up does, as in Ruby; the dead are dropped once they are half.
  bool dead(size_t place) const { return !dead_.empty() && dead_[place]; }
  void compact();
  size_t place_of(const Object& key);  // items_.size() when missing
  Chunked<Pair> items_;
  std::vector<std::uint32_t> slots_;
  std::vector<bool> dead_;  // empty until a key of a large hash is deleted
  size_t indexed_ = 0;      // how many of items_ slots_ holds
  size_t deleted_ = 0;      // how many of items_ are dead
};

// A String reads as its text: get<std::string>() and is<std::string>() see through the sharing.
template <> inline const std::string* Object::get<std::string>() const {
  auto s = std::get_if<Ref<Str>>(&v_);
  return s ? &(*s)->text : nullptr;
}
template <> inline bool Object::is<std::string>() const { return std::holds_alternative<Ref<Str>>(v_); }

inline Object Object::hash(Hash items) { return Object(make_ref<Hash>(std::move(items))); }

// The variables of one scope: the top level, a def's body, a block's call.
// A block's scope sees its parent's variables (a closure).
struct Env {
  // A scope's names and values. A block's or method's few are found by a scan
  // that compares the interned names' addresses; a scope that grows past a
  // few (a script's top level) is indexed by a hash as well.
  class Vars {
   public:
    Object* find(Name name);
    Object& operator[](Name name);  // a new name starts as nil
    Object* find(const std::string& name) { return find(intern(name)); }
    Object& operator[](const std::string& name) { return (*this)[intern(name)]; }
    void clear() {
      items_.clear();
      index_.clear();
    }
    auto begin() const { return items_.begin(); }
    auto end() const { return items_.end(); }

   private:
    static constexpr size_t kScanned = 12;
    std::vector<std::pair<Name, Object>> items_;
    std::unordered_map<Name, size_t> index_;  // name -> place, once there are more than kScanned
  };
  Vars vars;
  std::shared_ptr<Env> parent;
};

struct Proc {
  std::vector<std::string> params;
  std::vector<Name> param_vars;        // params interned, on its first call (intern_all)
  const Node* body = nullptr;          // a Body node
  std::shared_ptr<const Node> tree;    // keeps `body` alive when the proc outlives its statement
  std::shared_ptr<Env> env;            // the variables it closes over
  Object self;                         // the receiver of calls without one inside it (a scope's relation)
  bool lambda = false;                 // -> and lambda: strict arity; return leaves it
  std::string symbol;                  // &:name: calls `name` on its first argument
  const std::vector<std::unique_ptr<Node>>* defaults = nullptr;  // a lambda's parameters' defaults (in `tree`)
  std::shared_ptr<Env> spare;  // the scope of its last call, when nothing kept it: reused by the next
};

struct Range {
  Object first, last;  // nil for an endless or beginless range
  bool exclusive = false;
};

struct WhereChain {
  model::Relation relation;
};

// Ruby's class name for a value: Integer, String, User, ActiveRecord::Relation.
std::string class_name(const Object& o);
// Whether a value is an instance of the class `name` or of a class below it
// (Integer is a Numeric and Comparable; ActiveRecord::RecordNotFound an
// ActiveRecord::ActiveRecordError and a StandardError).
bool is_kind_of(const Object& o, const std::string& name);
// A class's ancestors, itself first: Integer, Numeric, Comparable, Object, Kernel, BasicObject.
std::vector<std::string> class_ancestors(const std::string& name);
// Whether `name` is one of the Ruby and ActiveRecord classes a statement may name (Integer, ArgumentError).
bool is_builtin_class(const std::string& name);
// A regular expression the standard library names (URI::MailTo::EMAIL_REGEXP), as its source; null for any other name.
const char* library_regexp(const std::string& name);
// Whether the exception class `name` is `ancestor` or below it.
bool exception_is_a(const std::string& name, const std::string& ancestor);
// Ruby's ==.
bool equal(const Object& a, const Object& b);
// A BigDecimal, an Integer or a Float as a BigDecimal (nothing for NaN,
// infinities and other values): what BigDecimal's arithmetic takes.
std::optional<Decimal> as_decimal(const Object& o);
// A time, or a date as its midnight (UTC): what times and dates compare as,
// as ActiveSupport compares them. Nothing for other values.
std::optional<Time> as_time(const Object& o);

}  // namespace fw::lang
