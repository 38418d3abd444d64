#pragma once
// The language's whole vocabulary. Each receiver kind (record, relation,
// model class, string, array, ...) has one table of its methods, in the file
// src/lang/methods/KIND.cpp that opens with it, as Lua's luaL_Reg arrays do.
// Dispatch, "did you mean", completion and help read these tables and
// nothing else; a model's own members (columns, associations, scopes) come
// from members() below.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lang/object.hpp"

namespace fw::lang {

class Interpreter;

// The receiver kinds, each with a table. A value answers to the tables of
// its ancestors, in order (ancestors() below), as a Ruby object does.
enum class Kind {
  Model,       // User: its class methods
  Relation,    // User.where(...), user.tweets
  WhereChain,  // User.where, before .not
  Record,      // user(1)
  Errors,      // record.errors
  Integer, Float, Decimal, Numeric,  // Decimal: BigDecimal
  String, Symbol, Regexp,
  Array, Hash, Range,
  Time, Date,  // Time: ActiveSupport::TimeWithZone (a datetime column's) and Time
  DateAndTime,  // what times and dates share
  TimeClass, DateClass,  // Time and Date themselves: Time.now, Date.today
  Class,       // the other classes as values: Integer, ArgumentError (x.class, rescue, is_a?)
  Exception,   // a rescued or raised error: e.message, e.record
  Duration,    // 2.days, 1.hour: ActiveSupport::Duration
  Enumerator,  // [1, 2].cycle: endless
  Enumerable,  // what arrays, hashes, ranges and relations share
  Nil, Boolean, Proc,
  MatchData,   // "ab".match(/b/), $~
  SecureRandom, Digest,    // SecureRandom; Digest::SHA1, Digest::SHA256, Digest::MD5
  PasswordClass, BcryptEngine, SecurePassword,  // BCrypt::Password, BCrypt::Engine, ActiveModel::SecurePassword
  Password,    // a BCrypt::Password
  Object,      // what every value answers to
  Main,        // calls with no receiver at the top level: puts, user(1)
};

// What a method gives back, for completion and help.
enum class Returns {
  Any, Nil, Boolean, Integer, Float, String, Symbol, Array, Hash, Range,
  Record,    // a record of the receiver's model
  Relation,  // a relation of the receiver's model
  Model, Errors, Self, Proc,
};

// One call being made: what a method's handler works with.
struct Call {
  Interpreter& in;
  const Object& self;
  const std::string& name;  // as written: the name or one of its aliases
  std::vector<Object>& args;
  const Object* block;      // the block given ({ |x| ... } or &:name), or null
};

using Handler = Object (*)(Call&);

constexpr int kAnyNumber = -1;

// What completion knows of a method beyond its name (Method::traits).
enum Trait : unsigned {
  kReads = 1u << 0,              // only reads: completion may call it to learn what it gives back
  kTakesColumns = 1u << 1,       // pluck(:name): the receiver's columns, as :name
  kTakesPairs = 1u << 2,         // update_all(name: ...): the columns, as name:
  kTakesAttributes = 1u << 3,    // where, create, update: the columns and belongs_to associations, as name:
  kTakesAssociations = 1u << 4,  // includes(:tweets): the associations, as :name
};

struct Method {
  const char* name;
  const char* aliases;  // space-separated other names, or ""
  int min_args;
  int max_args;         // kAnyNumber for no limit
  Returns returns;
  const char* summary;  // one line, for help
  Handler run;
  unsigned traits = 0;  // Trait bits
};

// ---- the tables ----
const std::vector<Method>& methods_of(Kind kind);
// The method `name` (or an alias of it) in `kind`'s own table.
const Method* find_method(Kind kind, std::string_view name);
// The method a value of `kind` answers `name` with: its own table's, else
// its nearest ancestor's.
const Method* method_for(Kind kind, std::string_view name);
Kind kind_of(const Object& self);
// The model of a model class, relation or record; null for other values.
const model::ModelClass* model_of(const Object& self);
// The tables a value answers to, most specific first.
const std::vector<Kind>& ancestors(const Object& self);
const std::vector<Kind>& ancestors(Kind kind);
// Every name and alias of `kind` and its ancestors.
std::vector<std::string> method_names(Kind kind);
const char* kind_name(Kind kind);  // "Relation", for help and tests

// The arity check every call goes through: "wrong number of arguments (given 2, expected 1)".
void check_arity(const Method& m, size_t given);

// ---- a model's own members ----
struct Member {
  enum class Type { Column, Predicate, Association, Delegation, Scope };
  Type type;
  std::string name;
  const model::ModelClass* target = nullptr;  // an association's model
  bool collection = false;                    // a has_many association
};
// What a record of `model` answers to beyond its table: columns, `column?`
// predicates, associations, delegations.
std::vector<Member> record_members(const model::ModelClass& model);
// What the model class and its relations answer to beyond theirs: scopes.
std::vector<Member> class_members(const model::ModelClass& model);
// Every name a value answers to: its members and its tables' methods, for
// suggestions and completion.
std::vector<std::string> names_for(const Object& self);

// Each table lives in the file of its kind (methods/*.cpp).
namespace methods {
const std::vector<Method>& model();
const std::vector<Method>& relation();
const std::vector<Method>& where_chain();
const std::vector<Method>& record();
const std::vector<Method>& errors();
const std::vector<Method>& integer();
const std::vector<Method>& float_();
const std::vector<Method>& decimal();
const std::vector<Method>& time();
const std::vector<Method>& date();
const std::vector<Method>& date_and_time();
const std::vector<Method>& time_class();
const std::vector<Method>& date_class();
const std::vector<Method>& class_();
const std::vector<Method>& exception();
const std::vector<Method>& duration();
const std::vector<Method>& enumerator();
const std::vector<Method>& numeric();
const std::vector<Method>& string();
const std::vector<Method>& symbol();
const std::vector<Method>& regexp();
const std::vector<Method>& array();
const std::vector<Method>& hash();
const std::vector<Method>& range();
const std::vector<Method>& enumerable();
const std::vector<Method>& nil();
const std::vector<Method>& boolean();
const std::vector<Method>& proc();
const std::vector<Method>& match_data();
const std::vector<Method>& secure_random();
const std::vector<Method>& digest();
const std::vector<Method>& password_class();
const std::vector<Method>& bcrypt_engine();
const std::vector<Method>& secure_password();
const std::vector<Method>& password();
const std::vector<Method>& object();
const std::vector<Method>& main();
}  // namespace methods

// ---- for completion and help (the console) ----
// Every name a value of `kind` answers to, its model's members included
// (records: columns, predicates, associations, delegations; model classes
// and relations: scopes), when only its kind and model are known.
std::vector<std::string> names_for(Kind kind, const model::ModelClass* model);
// Every table entry for `name` (or an alias of it), with the kind it is in.
std::vector<std::pair<Kind, const Method*>> methods_named(std::string_view name);

}  // namespace fw::lang
