#pragma once
// The values statements compute: Ruby's scalars, arrays and hashes, and the
// model layer's records, relations and model classes.
#include <cstddef>
#include <map>
#include <memory>
#include <new>
#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/calendar.hpp"
#include "base/decimal.hpp"
#include "base/value.hpp"
#include "model/record.hpp"
#include "model/relation.hpp"

namespace fw::lang {

struct Node;
class Object;

struct Symbol {
  std::string name;
  bool operator==(const Symbol& o) const { return name == o.name; }
};
struct Regex {
  std::string source, flags;
};
struct ModelRef {  // a model class: User
  const model::ModelClass* model;
};
struct BuiltinClass {  // Time, Date: the classes whose class methods a statement calls (Time.now)
  std::string name;
};
struct ErrorsRef {  // record.errors
  model::RecordPtr record;
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
using Array = std::vector<Object>;
struct WhereChain;  // Model.where with no arguments, waiting for .not (below)
using Hash = std::vector<std::pair<Object, Object>>;  // in insertion order
using RelationPtr = std::shared_ptr<model::Relation>;

class Object {
 public:
  using Variant = std::variant<std::monostate, bool, std::int64_t, double, std::string, Symbol, Regex,
                               std::shared_ptr<Array>, std::shared_ptr<Hash>, model::RecordPtr, RelationPtr,
                               ModelRef, ErrorsRef, std::shared_ptr<Proc>, std::shared_ptr<Range>,
                               std::shared_ptr<WhereChain>, Decimal, Time, Date, BuiltinClass>;

  Object() = default;
  template <typename T, typename = std::enable_if_t<std::is_constructible_v<Variant, T>>>
  Object(T&& v) : v_(std::forward<T>(v)) {  // NOLINT: every alternative converts
    // Every string and array value passes here: none grows past the caps above.
    using Held = std::decay_t<T>;
    if constexpr (std::is_same_v<Held, std::string>) check_string_size(std::get<std::string>(v_).size());
    if constexpr (std::is_same_v<Held, std::shared_ptr<Array>>) {
      if (const auto& items = std::get<std::shared_ptr<Array>>(v_)) check_array_length(items->size());
    }
  }
  Object(const char* s) : v_(std::string(s)) {}  // NOLINT
  static Object from(const Value& v);
  static Object array(Array items) { return Object(std::make_shared<Array>(std::move(items))); }
  static Object hash(Hash items) { return Object(std::make_shared<Hash>(std::move(items))); }
  static Object relation(model::Relation r) { return Object(std::make_shared<model::Relation>(std::move(r))); }
  static Object record(model::RecordPtr r) { return r ? Object(std::move(r)) : Object(); }

  const Variant& variant() const { return v_; }
  template <typename T> const T* get() const { return std::get_if<T>(&v_); }
  template <typename T> bool is() const { return std::holds_alternative<T>(v_); }
  bool is_nil() const { return is<std::monostate>(); }
  bool truthy() const { return !is_nil() && !(is<bool>() && !*get<bool>()); }
  // The database value it stands for, if it is a scalar (symbols as their name).
  bool to_value(Value& out) const;

 private:
  Variant v_;
};

// The variables of one scope: the top level, a def's body, a block's call.
// A block's scope sees its parent's variables (a closure).
struct Env {
  std::map<std::string, Object> vars;
  std::shared_ptr<Env> parent;
};

struct Proc {
  std::vector<std::string> params;
  const Node* body = nullptr;          // a Body node
  std::shared_ptr<const Node> tree;    // keeps `body` alive when the proc outlives its statement
  std::shared_ptr<Env> env;            // the variables it closes over
  Object self;                         // the receiver of calls without one inside it (a scope's relation)
  bool lambda = false;                 // -> and lambda: strict arity; return leaves it
  std::string symbol;                  // &:name: calls `name` on its first argument
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
// Ruby's ==.
bool equal(const Object& a, const Object& b);
// A BigDecimal, an Integer or a Float as a BigDecimal (nothing for NaN,
// infinities and other values): what BigDecimal's arithmetic takes.
std::optional<Decimal> as_decimal(const Object& o);
// A time, or a date as its midnight (UTC): what times and dates compare as,
// as ActiveSupport compares them. Nothing for other values.
std::optional<Time> as_time(const Object& o);

}  // namespace fw::lang
