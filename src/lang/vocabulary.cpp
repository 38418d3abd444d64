#include "lang/vocabulary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <map>

#include "lang/errors.hpp"

namespace fw::lang {

namespace {

// name or alias -> method, for one table, built at its first look-up. The
// names are the tables' string literals, so the index holds views of them.
using Index = std::map<std::string_view, const Method*, std::less<>>;

Index build_index(const std::vector<Method>& table) {
  Index index;
  for (const auto& m : table) {
    index.emplace(m.name, &m);
    std::string_view aliases = m.aliases;
    while (!aliases.empty()) {
      auto space = aliases.find(' ');
      if (space != 0) index.emplace(aliases.substr(0, space), &m);
      aliases.remove_prefix(space == std::string_view::npos ? aliases.size() : space + 1);
    }
  }
  return index;
}

const Index& index_of(Kind kind) {
  static std::array<std::optional<Index>, static_cast<size_t>(Kind::Main) + 1> indexes;
  auto& index = indexes.at(static_cast<size_t>(kind));
  if (!index) index = build_index(methods_of(kind));
  return *index;
}

}  // namespace

const std::vector<Method>& methods_of(Kind kind) {
  switch (kind) {
    case Kind::Model: return methods::model();
    case Kind::Relation: return methods::relation();
    case Kind::WhereChain: return methods::where_chain();
    case Kind::Record: return methods::record();
    case Kind::Errors: return methods::errors();
    case Kind::Integer: return methods::integer();
    case Kind::Float: return methods::float_();
    case Kind::Decimal: return methods::decimal();
    case Kind::Numeric: return methods::numeric();
    case Kind::String: return methods::string();
    case Kind::Symbol: return methods::symbol();
    case Kind::Regexp: return methods::regexp();
    case Kind::Array: return methods::array();
    case Kind::Hash: return methods::hash();
    case Kind::Range: return methods::range();
    case Kind::Time: return methods::time();
    case Kind::Date: return methods::date();
    case Kind::DateAndTime: return methods::date_and_time();
    case Kind::TimeClass: return methods::time_class();
    case Kind::DateClass: return methods::date_class();
    case Kind::Class: return methods::class_();
    case Kind::Exception: return methods::exception();
    case Kind::Duration: return methods::duration();
    case Kind::Enumerator: return methods::enumerator();
    case Kind::Enumerable: return methods::enumerable();
    case Kind::Nil: return methods::nil();
    case Kind::Boolean: return methods::boolean();
    case Kind::Proc: return methods::proc();
    case Kind::MatchData: return methods::match_data();
    case Kind::SecureRandom: return methods::secure_random();
    case Kind::Digest: return methods::digest();
    case Kind::PasswordClass: return methods::password_class();
    case Kind::BcryptEngine: return methods::bcrypt_engine();
    case Kind::SecurePassword: return methods::secure_password();
    case Kind::Password: return methods::password();
    case Kind::Object: return methods::object();
    case Kind::Main: return methods::main();
  }
  return methods::object();
}

const char* kind_name(Kind kind) {
  switch (kind) {
    case Kind::Model: return "Model";
    case Kind::Relation: return "Relation";
    case Kind::WhereChain: return "WhereChain";
    case Kind::Record: return "Record";
    case Kind::Errors: return "Errors";
    case Kind::Integer: return "Integer";
    case Kind::Float: return "Float";
    case Kind::Decimal: return "BigDecimal";
    case Kind::Numeric: return "Numeric";
    case Kind::String: return "String";
    case Kind::Symbol: return "Symbol";
    case Kind::Regexp: return "Regexp";
    case Kind::Array: return "Array";
    case Kind::Hash: return "Hash";
    case Kind::Range: return "Range";
    case Kind::Time: return "Time";
    case Kind::Date: return "Date";
    case Kind::DateAndTime: return "DateAndTime";
    case Kind::TimeClass: return "Time class";
    case Kind::DateClass: return "Date class";
    case Kind::Class: return "Class";
    case Kind::Exception: return "Exception";
    case Kind::Duration: return "Duration";
    case Kind::Enumerator: return "Enumerator";
    case Kind::Enumerable: return "Enumerable";
    case Kind::Nil: return "NilClass";
    case Kind::Boolean: return "Boolean";
    case Kind::Proc: return "Proc";
    case Kind::MatchData: return "MatchData";
    case Kind::SecureRandom: return "SecureRandom";
    case Kind::Digest: return "Digest";
    case Kind::PasswordClass: return "BCrypt::Password class";
    case Kind::BcryptEngine: return "BCrypt::Engine";
    case Kind::SecurePassword: return "ActiveModel::SecurePassword";
    case Kind::Password: return "BCrypt::Password";
    case Kind::Object: return "Object";
    case Kind::Main: return "main";
  }
  return "?";
}

const Method* find_method(Kind kind, std::string_view name) {
  const auto& index = index_of(kind);
  auto it = index.find(name);
  return it == index.end() ? nullptr : it->second;
}

const Method* method_for(Kind kind, std::string_view name) {
  for (Kind k : ancestors(kind))
    if (const Method* m = find_method(k, name)) return m;
  return nullptr;
}

const std::vector<Kind>& ancestors(Kind kind) {
  static const std::map<Kind, std::vector<Kind>> chains = {
      {Kind::Model, {Kind::Model, Kind::Relation, Kind::Enumerable, Kind::Object}},
      {Kind::Relation, {Kind::Relation, Kind::Enumerable, Kind::Object}},
      {Kind::WhereChain, {Kind::WhereChain, Kind::Object}},
      {Kind::Record, {Kind::Record, Kind::Object}},
      {Kind::Errors, {Kind::Errors, Kind::Object}},
      {Kind::Integer, {Kind::Integer, Kind::Numeric, Kind::Object}},
      {Kind::Float, {Kind::Float, Kind::Numeric, Kind::Object}},
      {Kind::Decimal, {Kind::Decimal, Kind::Numeric, Kind::Object}},
      {Kind::Numeric, {Kind::Numeric, Kind::Object}},
      {Kind::String, {Kind::String, Kind::Object}},
      {Kind::Symbol, {Kind::Symbol, Kind::Object}},
      {Kind::Regexp, {Kind::Regexp, Kind::Object}},
      {Kind::Array, {Kind::Array, Kind::Enumerable, Kind::Object}},
      {Kind::Hash, {Kind::Hash, Kind::Enumerable, Kind::Object}},
      {Kind::Range, {Kind::Range, Kind::Enumerable, Kind::Object}},
      {Kind::Time, {Kind::Time, Kind::DateAndTime, Kind::Object}},
      {Kind::Date, {Kind::Date, Kind::DateAndTime, Kind::Object}},
      {Kind::DateAndTime, {Kind::DateAndTime, Kind::Object}},
      {Kind::TimeClass, {Kind::TimeClass, Kind::Class, Kind::Object}},
      {Kind::DateClass, {Kind::DateClass, Kind::Class, Kind::Object}},
      {Kind::Class, {Kind::Class, Kind::Object}},
      {Kind::Exception, {Kind::Exception, Kind::Object}},
      {Kind::Duration, {Kind::Duration, Kind::Object}},
      {Kind::Enumerator, {Kind::Enumerator, Kind::Object}},
      {Kind::Enumerable, {Kind::Enumerable, Kind::Object}},
      {Kind::Nil, {Kind::Nil, Kind::Object}},
      {Kind::Boolean, {Kind::Boolean, Kind::Object}},
      {Kind::Proc, {Kind::Proc, Kind::Object}},
      {Kind::MatchData, {Kind::MatchData, Kind::Object}},
      {Kind::SecureRandom, {Kind::SecureRandom, Kind::Class, Kind::Object}},
      {Kind::Digest, {Kind::Digest, Kind::Class, Kind::Object}},
      {Kind::PasswordClass, {Kind::PasswordClass, Kind::Class, Kind::Object}},
      {Kind::BcryptEngine, {Kind::BcryptEngine, Kind::Class, Kind::Object}},
      {Kind::SecurePassword, {Kind::SecurePassword, Kind::Class, Kind::Object}},
      {Kind::Password, {Kind::Password, Kind::Object}},
      {Kind::Object, {Kind::Object}},
      {Kind::Main, {Kind::Main, Kind::Object}},
  };
  return chains.at(kind);
}

std::vector<std::string> method_names(Kind kind) {
  std::vector<std::string> names;
  for (Kind k : ancestors(kind))
    for (const auto& [name, m] : index_of(k)) names.emplace_back(name);
  return names;
}

void check_arity(const Method& m, size_t given) {
  auto n = static_cast<int>(given);
  if (n >= m.min_args && (m.max_args == kAnyNumber || n <= m.max_args)) return;
  std::string expected = m.max_args == kAnyNumber ? fmt::format("{}+", m.min_args)
                         : m.min_args == m.max_args ? std::to_string(m.min_args)
                                                    : fmt::format("{}..{}", m.min_args, m.max_args);
  throw wrong_arguments(given, expected);
}

std::vector<Member> record_members(const model::ModelClass& model) {
  std::vector<Member> out;
  for (const auto& c : model.columns) out.push_back({Member::Type::Column, c.name});
  for (const auto& c : model.columns) out.push_back({Member::Type::Predicate, c.name + "?"});
  for (const auto& r : model.reflections)
    out.push_back({Member::Type::Association, r->name, r->klass, r->is_collection()});
  for (const auto& d : model.delegations) out.push_back({Member::Type::Delegation, d.method});
  return out;
}

std::vector<Member> class_members(const model::ModelClass& model) {
  std::vector<Member> out;
  for (const auto& s : model.scopes) out.push_back({Member::Type::Scope, s.name, &model});
  return out;
}

}  // namespace fw::lang

namespace fw::lang {

Kind kind_of(const Object& self) {
  if (self.is<ModelRef>()) return Kind::Model;
  if (self.is<RelationPtr>()) return Kind::Relation;
  if (self.is<Ref<WhereChain>>()) return Kind::WhereChain;
  if (self.is<model::RecordPtr>()) return Kind::Record;
  if (self.is<ErrorsRef>()) return Kind::Errors;
  if (self.is<std::int64_t>()) return Kind::Integer;
  if (self.is<double>()) return Kind::Float;
  if (self.is<Decimal>()) return Kind::Decimal;
  if (self.is<Time>()) return Kind::Time;
  if (self.is<Date>()) return Kind::Date;
  if (auto k = self.get<BuiltinClass>()) {
    static const std::map<std::string_view, Kind> own = {
        {"Time", Kind::TimeClass}, {"ActiveSupport::TimeZone", Kind::TimeClass}, {"Date", Kind::DateClass},
        {"SecureRandom", Kind::SecureRandom},
        {"Digest::SHA1", Kind::Digest}, {"Digest::SHA256", Kind::Digest}, {"Digest::MD5", Kind::Digest},
        {"BCrypt::Password", Kind::PasswordClass}, {"BCrypt::Engine", Kind::BcryptEngine},
        {"ActiveModel::SecurePassword", Kind::SecurePassword}};
    auto it = own.find(k->name());
    return it == own.end() ? Kind::Class : it->second;
  }
  if (self.is<MatchData>()) return Kind::MatchData;
  if (self.is<BcryptPassword>()) return Kind::Password;
  if (self.is<Ref<Exception>>()) return Kind::Exception;
  if (self.is<Ref<Duration>>()) return Kind::Duration;
  if (self.is<Ref<Enumerator>>()) return Kind::Enumerator;
  if (self.is<std::string>()) return Kind::String;
  if (self.is<Symbol>()) return Kind::Symbol;
  if (self.is<Regex>()) return Kind::Regexp;
  if (self.is<Ref<Array>>()) return Kind::Array;
  if (self.is<Ref<Hash>>()) return Kind::Hash;
  if (self.is_nil()) return Kind::Nil;
  if (self.is<bool>()) return Kind::Boolean;
  if (self.is<Ref<Proc>>()) return Kind::Proc;
  if (self.is<Ref<Range>>()) return Kind::Range;
  return Kind::Object;
}

const std::vector<Kind>& ancestors(const Object& self) { return ancestors(kind_of(self)); }

const model::ModelClass* model_of(const Object& self) {
  if (auto m = self.get<ModelRef>()) return m->model;
  if (auto r = self.get<RelationPtr>()) return &(*r)->model();
  if (auto r = self.get<model::RecordPtr>()) return &(*r)->model();
  return nullptr;
}

std::vector<std::string> names_for(const Object& self) {
  std::vector<std::string> names = method_names(kind_of(self));
  std::vector<Member> members;
  if (const auto* m = model_of(self)) members = self.is<model::RecordPtr>() ? record_members(*m) : class_members(*m);
  for (const auto& member : members) names.push_back(member.name);
  return names;
}

}  // namespace fw::lang

namespace fw::lang {

std::vector<std::string> names_for(Kind kind, const model::ModelClass* model) {
  std::vector<std::string> names = method_names(kind);
  std::vector<Member> members;
  if (model) members = kind == Kind::Record ? record_members(*model) : class_members(*model);
  for (const auto& member : members) names.push_back(member.name);
  return names;
}

std::vector<std::pair<Kind, const Method*>> methods_named(std::string_view name) {
  std::vector<std::pair<Kind, const Method*>> out;
  for (int k = 0; k <= static_cast<int>(Kind::Main); ++k)
    if (const Method* m = find_method(static_cast<Kind>(k), name)) out.emplace_back(static_cast<Kind>(k), m);
  return out;
}

}  // namespace fw::lang
