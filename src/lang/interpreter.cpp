#include "lang/interpreter.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/text.hpp"
#include "lang/convert.hpp"
#include "lang/errors.hpp"
#include "lang/inspect.hpp"
#include "model/errors.hpp"
#include "model/inflector.hpp"

namespace fw::lang {

using model::RecordPtr;
using model::Relation;

namespace {

void arity(const std::vector<Object>& args, size_t min, size_t max) {
  if (args.size() < min || args.size() > max)
    throw wrong_arguments(args.size(), min == max ? std::to_string(min) : fmt::format("{}..{}", min, max));
}

const std::vector<std::string>& relation_methods() {
  static const std::vector<std::string> names = {
      "all", "first", "last", "take", "find", "find_by", "find_by!", "where", "order", "limit", "offset",
      "count", "size", "length", "empty?", "any?", "none?", "exists?", "pluck", "ids", "create", "create!",
      "new", "build", "destroy_all", "delete_all", "to_a", "delete", "include?", "reload", "to_sql"};
  return names;
}

const std::vector<std::string>& record_methods() {
  static const std::vector<std::string> names = {
      "save", "save!", "update", "update!", "destroy", "destroy!", "reload", "valid?", "invalid?", "errors",
      "attributes", "new_record?", "persisted?", "destroyed?", "changed?", "changes", "id", "attribute_names"};
  return names;
}

}  // namespace

// ---- statements ----

std::vector<std::string> Interpreter::variable_names() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : variables_) out.push_back(k);
  return out;
}

std::optional<Object> Interpreter::run(const Node& statement) {
  at_ = statement.pos;
  self_.clear();
  if (statement.kind == Node::Kind::ConsoleCommand) {
    if (!commands_) throw RuntimeError("the console command '" + statement.name + "' works in the console only");
    return commands_(statement);
  }
  if (statement.kind == Node::Kind::ClassDef)
    throw RuntimeError("classes are declared in the app's db/models.fw, which fwitter reads when it starts");
  Object value = eval(statement);
  variables_["_"] = value;
  return value;
}

Relation Interpreter::run_scope(const Node& body, const Relation& relation) {
  self_.push_back(Object::relation(relation));
  struct Pop {
    std::vector<Object>& s;
    ~Pop() { s.pop_back(); }
  } pop{self_};
  Object result = eval(body);
  if (auto r = result.get<RelationPtr>()) return **r;
  if (auto m = result.get<ModelRef>()) return Relation(*m->model);
  throw type_error("a scope's body must give a relation (such as where(...)), not " + class_name(result));
}

Object Interpreter::eval(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: case Node::Kind::True: case Node::Kind::False: case Node::Kind::Integer:
    case Node::Kind::Float: case Node::Kind::String: case Node::Kind::Symbol: case Node::Kind::Regex:
      return eval_literal(n);
    case Node::Kind::Self:
      return self_.empty() ? Object(std::string("main")) : self_.back();
    case Node::Kind::Array: {
      Array items;
      for (const auto& i : n.items) items.push_back(eval(*i));
      return Object::array(std::move(items));
    }
    case Node::Kind::Hash: {
      Hash items;
      for (size_t i = 0; i + 1 < n.items.size(); i += 2) items.push_back({eval(*n.items[i]), eval(*n.items[i + 1])});
      return Object::hash(std::move(items));
    }
    case Node::Kind::Variable: {
      auto it = variables_.find(n.name);
      if (it != variables_.end()) return it->second;
      return eval_call(n);
    }
    case Node::Kind::Call: return eval_call(n);
    case Node::Kind::Constant: {
      if (const auto* m = store_.app().find(n.name)) return ModelRef{m};
      at_ = n.pos;
      throw RuntimeError("uninitialized constant " + n.name + with_suggestion(n.name, store_.app().model_names()));
    }
    case Node::Kind::Assign: {
      Object value = eval(*n.items[0]);
      variables_[n.name] = value;
      return value;
    }
    case Node::Kind::AttrAssign: {
      Object target = eval(*n.receiver);
      Object value = eval(*n.items[0]);
      at_ = n.pos;
      assign_attribute(target, n.name, value);
      return value;
    }
    case Node::Kind::Binary: return eval_binary(n);
    case Node::Kind::Not: return Object(!eval(*n.items[0]).truthy());
    case Node::Kind::Negate: {
      Object v = eval(*n.items[0]);
      if (auto i = v.get<std::int64_t>()) {
        if (*i == INT64_MIN) throw RuntimeError("integer overflow (fwitter's integers are 64-bit)");
        return Object(-*i);
      }
      if (auto d = v.get<double>()) return Object(-*d);
      throw no_method("-@", class_name(v), {});
    }
    case Node::Kind::And: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? eval(*n.items[1]) : left;
    }
    case Node::Kind::Or: {
      Object left = eval(*n.items[0]);
      return left.truthy() ? left : eval(*n.items[1]);
    }
    case Node::Kind::Index: {
      Object self = eval(*n.receiver);
      std::vector<Object> args{eval(*n.items[0])};
      at_ = n.pos;
      return call(self, "[]", args);
    }
    case Node::Kind::Lambda: return Lambda{n.items[0].get()};
    case Node::Kind::Command: return eval_command(n);
    case Node::Kind::ClassDef:
    case Node::Kind::ConsoleCommand:
    case Node::Kind::CommandPair:
      break;
  }
  throw RuntimeError("this cannot be used as a value");
}

Object Interpreter::eval_literal(const Node& n) {
  switch (n.kind) {
    case Node::Kind::Nil: return Object();
    case Node::Kind::True: return Object(true);
    case Node::Kind::False: return Object(false);
    case Node::Kind::Integer: {
      auto v = parse_int(n.text);
      if (!v) throw RuntimeError("integer " + n.text + " is too large");
      return Object(*v);
    }
    case Node::Kind::Float: return Object(parse_float(n.text).value_or(0.0));
    case Node::Kind::String: return Object(n.text);
    case Node::Kind::Symbol: return Symbol{n.text};
    default: return Regex{n.text, n.flags};
  }
}

std::vector<Object> Interpreter::eval_args(const Node& call) {
  std::vector<Object> args;
  for (const auto& a : call.items) args.push_back(eval(*a));
  return args;
}

Object Interpreter::eval_call(const Node& n) {
  if (!n.receiver) {
    auto args = eval_args(n);
    at_ = n.pos;
    if (!self_.empty()) return call(self_.back(), n.name, args);
    return call_self(n.name, args, n);
  }
  Object self = eval(*n.receiver);
  auto args = eval_args(n);
  at_ = n.pos;
  return call(self, n.name, args);
}

// Calls with no receiver at the top level: user(1) and friends.
Object Interpreter::call_self(const std::string& name, std::vector<Object>& args, const Node& at) {
  if (const auto* m = store_.app().find_by_singular(name); m && at.parens) {
    arity(args, 1, 1);
    Value id;
    if (!args[0].to_value(id)) throw type_error(name + "(id) takes an id, not " + class_name(args[0]));
    return Object::record(store_.find(Relation(*m), id));
  }
  std::vector<std::string> known;
  for (const auto& v : variable_names())
    if (v != "_") known.push_back(v);
  for (const auto& m : store_.app().models()) known.push_back(model::inflector::underscore(m->name));
  if (at.parens) throw no_method(name, "main", known);  // with parentheses, Ruby's word is method
  throw no_name(name, known);
}

Object Interpreter::eval_binary(const Node& n) {
  Object left = eval(*n.items[0]);
  Object right = eval(*n.items[1]);
  at_ = n.pos;
  const std::string& op = n.name;
  if (op == "==") return Object(equal(left, right));
  if (op == "!=") return Object(!equal(left, right));
  std::vector<Object> args{right};
  return call(left, op, args);
}

// heart user=2 tweet=5  ==  Heart.create!(user_id: 2, tweet_id: 5)
Object Interpreter::eval_command(const Node& n) {
  const auto* m = store_.app().find_by_singular(n.name);
  if (!m) {
    std::vector<std::string> names;
    for (const auto& x : store_.app().models()) names.push_back(model::inflector::underscore(x->name));
    throw RuntimeError("no model named " + n.name + " for the command form (model key=value ...)." +
                       suggestion_suffix(n.name, names));
  }
  model::Attributes attributes;
  for (const auto& pair : n.items) {
    Object value = eval(*pair->items[0]);
    at_ = pair->pos;
    if (pair->path.empty()) {
      attributes.push_back({pair->name, to_input(value)});
      continue;
    }
    // assoc.column=value: the associated record found by that column.
    const model::Reflection* r = m->reflection(pair->name);
    if (!r || !r->is_belongs_to())
      throw RuntimeError(fmt::format("{} has no belongs_to association {} to look up by {}.{}", m->name, pair->name,
                                     pair->path, suggestion_suffix(pair->name, m->association_names())));
    auto found = store_.find_by(Relation(*r->klass), {{pair->path, to_input(value)}});
    if (!found) {
      Value v;
      value.to_value(v);
      throw model::RecordNotFound::by(r->klass->name, pair->path, v);
    }
    attributes.push_back({pair->name, model::Input(found)});
  }
  at_ = n.pos;
  auto record = store_.build(*m, attributes);
  store_.save_strict(*record);
  return Object::record(record);
}

void Interpreter::assign_attribute(const Object& target, const std::string& name, const Object& value) {
  auto r = target.get<RecordPtr>();
  if (!r) throw no_method(name + "=", class_name(target), {});
  store_.assign(**r, name, to_input(value));
}

// ---- method calls ----

Object Interpreter::call(const Object& self, const std::string& name, std::vector<Object>& args) {
  if (auto m = self.get<ModelRef>()) return call_model(*m, name, args);
  if (auto r = self.get<RelationPtr>()) return call_relation(**r, name, args, self);
  if (auto r = self.get<RecordPtr>()) return call_record(*r, name, args);
  if (auto e = self.get<ErrorsRef>()) return call_errors(*e, name, args);
  return call_value(self, name, args);
}

Object Interpreter::call_model(const ModelRef& m, const std::string& name, std::vector<Object>& args) {
  if (name == "name" || name == "to_s") return Object(m.model->name);
  if (name == "table_name") return Object(m.model->table);
  if (name == "column_names") {
    Array names;
    for (const auto& c : m.model->column_names()) names.push_back(Object(c));
    return Object::array(std::move(names));
  }
  return call_relation(Relation(*m.model), name, args, Object(m));
}

Object Interpreter::call_relation(const Relation& r, const std::string& name, std::vector<Object>& args,
                                  const Object& self) {
  const auto& m = r.model();
  if (name == "all" || name == "reload") return arity(args, 0, 0), Object::relation(r);
  if (name == "to_a") {
    Array items;
    store_.each(r, [&](const RecordPtr& rec) { items.push_back(Object::record(rec)); });
    return Object::array(std::move(items));
  }
  if (name == "first" || name == "last" || name == "take") {
    arity(args, 0, 1);
    if (args.empty()) {
      if (name == "take") {
        auto rows = store_.to_a(r.limit(1));
        return rows.empty() ? Object() : Object::record(rows[0]);
      }
      return Object::record(name == "first" ? store_.first(r) : store_.last(r));
    }
    std::int64_t n = int_arg(args[0], name.c_str());
    if (n < 0) throw RuntimeError("negative array size");
    Array items;
    auto rows = store_.to_a(name == "take" ? r.limit(n) : r.ordered_for_first(name == "last").limit(n));
    if (name == "last") std::reverse(rows.begin(), rows.end());
    for (auto& rec : rows) items.push_back(Object::record(rec));
    return Object::array(std::move(items));
  }
  if (name == "find") {
    if (args.empty()) throw wrong_arguments(0, "1+");
    std::vector<Object> ids = args;
    bool many = args.size() > 1;
    if (auto a = args[0].get<std::shared_ptr<Array>>(); a && args.size() == 1) ids = **a, many = true;
    Array found;
    for (const auto& id : ids) {
      Value v;
      if (!id.to_value(v)) throw type_error("find takes ids, not " + class_name(id));
      found.push_back(Object::record(store_.find(r, v)));
    }
    return many ? Object::array(std::move(found)) : found.front();
  }
  if (name == "find_by" || name == "find_by!") {
    arity(args, 1, 1);
    auto rec = store_.find_by(r, to_attributes(args[0], name.c_str()));
    if (!rec && name == "find_by!") throw model::RecordNotFound::plain(m.name);
    return Object::record(rec);
  }
  if (name == "where") {
    arity(args, 1, 1);
    if (args[0].is<std::string>())
      throw RuntimeError("where takes key: value pairs (where(username: \"ann\")); SQL strings are not run, so values are always bound");
    return Object::relation(r.where(to_attributes(args[0], "where")));
  }
  if (name == "order") {
    if (args.empty()) throw wrong_arguments(0, "1+");
    Relation out = r;
    for (const auto& a : args) {
      if (auto h = a.get<std::shared_ptr<Hash>>()) {
        for (const auto& [k, v] : **h) {
          std::string dir = name_arg(v, "order");
          std::transform(dir.begin(), dir.end(), dir.begin(), ::tolower);
          if (dir != "asc" && dir != "desc") throw RuntimeError("Direction \"" + dir + "\" is invalid. Valid directions are: [:asc, :desc]");
          out = out.order(name_arg(k, "order"), dir == "desc");
        }
      } else {
        std::string spec = name_arg(a, "order");
        auto space = spec.find(' ');
        std::string column = spec.substr(0, space), dir = space == std::string::npos ? "asc" : spec.substr(space + 1);
        std::transform(dir.begin(), dir.end(), dir.begin(), ::tolower);
        out = out.order(column, dir == "desc");
      }
    }
    return Object::relation(out);
  }
  if (name == "limit" || name == "offset") {
    arity(args, 1, 1);
    std::int64_t n = int_arg(args[0], name.c_str());
    return Object::relation(name == "limit" ? r.limit(n) : r.offset(n));
  }
  if (name == "count" || name == "size" || name == "length") {
    arity(args, 0, 0);
    return Object(store_.count(r));
  }
  if (name == "exists?" || name == "any?") return arity(args, 0, 0), Object(store_.exists(r));
  if (name == "empty?" || name == "none?") return arity(args, 0, 0), Object(!store_.exists(r));
  if (name == "pluck" || name == "ids") {
    std::vector<std::string> columns;
    if (name == "ids") arity(args, 0, 0), columns.push_back(m.primary_key);
    for (const auto& a : args) columns.push_back(name_arg(a, "pluck"));
    if (columns.empty()) throw wrong_arguments(0, "1+");
    Array values;
    store_.pluck(r, columns, [&](std::vector<Value>&& row) { values.push_back(from_row(std::move(row))); });
    return Object::array(std::move(values));
  }
  if (name == "new" || name == "build" || name == "create" || name == "create!") {
    arity(args, 0, 1);
    model::Attributes attributes = args.empty() ? model::Attributes{} : to_attributes(args[0], name.c_str());
    if (name == "new" || name == "build")
      return Object::record(r.owner() ? store_.build_in(r, attributes) : store_.build(m, attributes));
    if (r.owner()) return Object::record(store_.create_in(r, attributes, name == "create!"));
    auto rec = store_.build(m, attributes);
    if (name == "create!") store_.save_strict(*rec);
    else store_.save(*rec);
    return Object::record(rec);
  }
  if (name == "destroy_all") {
    Array items;
    for (auto& rec : store_.destroy_all(r)) items.push_back(Object::record(rec));
    return Object::array(std::move(items));
  }
  if (name == "delete_all") return arity(args, 0, 0), Object(static_cast<std::int64_t>(store_.delete_all(r)));
  if (name == "<<" || name == "push" || name == "concat") {
    for (const auto& a : args) {
      if (auto arr = a.get<std::shared_ptr<Array>>()) {
        for (const auto& x : **arr) {
          auto rec = x.get<RecordPtr>();
          if (!rec) throw type_error(m.name + " expected, got " + class_name(x));
          if (!store_.add(r, *rec)) return Object(false);
        }
        continue;
      }
      auto rec = a.get<RecordPtr>();
      if (!rec) throw type_error(m.name + "(#" + m.name + ") expected, got " + inspect(a) + " which is an instance of " + class_name(a));
      if (!store_.add(r, *rec)) return Object(false);
    }
    return self;
  }
  if (name == "delete" || name == "include?") {
    arity(args, 1, 1);
    auto rec = args[0].get<RecordPtr>();
    if (!rec) throw type_error(m.name + " expected, got " + class_name(args[0]));
    if (name == "include?") return Object(store_.includes(r, *rec));
    store_.remove(r, *rec);
    return Object::array({args[0]});
  }
  if (name == "to_sql") return Object(r.select(storage::quote_identifier(m.table) + ".*", "").sql);
  if (const auto* s = m.scope(name)) {
    arity(args, 0, 0);
    return Object::relation(s->body(r));
  }
  std::vector<std::string> known = relation_methods();
  for (const auto& s : m.scopes) known.push_back(s.name);
  try {
    return call_common(self, name, args);
  } catch (const RuntimeError&) {
    std::string receiver = self.is<ModelRef>() ? "class " + m.name
                           : r.owner()          ? "an instance of ActiveRecord::Associations::CollectionProxy"
                                                : "an instance of ActiveRecord::Relation";
    throw no_method(name, receiver, known);
  }
}

Object Interpreter::call_record(const RecordPtr& r, const std::string& name, std::vector<Object>& args) {
  const auto& m = r->model();
  if (int i = m.column_index(name); i >= 0) return arity(args, 0, 0), Object::from(r->at(static_cast<size_t>(i)));
  if (name.size() > 1 && name.back() == '?' && m.column(name.substr(0, name.size() - 1)))
    return Object(!model::is_blank(r->get(name.substr(0, name.size() - 1))));
  if (const auto* refl = m.reflection(name)) {
    arity(args, 0, 0);
    if (refl->is_collection()) return Object::relation(store_.collection(r, *refl));
    return Object::record(store_.target(r, *refl));
  }
  if (const auto* d = m.delegation(name)) {
    auto target = store_.target(r, *m.reflection(d->to));
    if (!target) {
      if (d->allow_nil) return Object();
      throw RuntimeError(fmt::format("{}#{} delegated to {}.{}, but {} is nil", m.name, name, d->to, name, d->to));
    }
    return call_record(target, name, args);
  }
  if (name == "save" || name == "save!") {
    arity(args, 0, 0);
    if (name == "save!") return store_.save_strict(*r), Object(true);
    return Object(store_.save(*r));
  }
  if (name == "update" || name == "update!") {
    arity(args, 1, 1);
    auto attributes = to_attributes(args[0], name.c_str());
    if (name == "update!") return store_.update_strict(*r, attributes), Object(true);
    return Object(store_.update(*r, attributes));
  }
  if (name == "destroy" || name == "destroy!") {
    arity(args, 0, 0);
    if (store_.destroy(*r)) return Object::record(r);
    if (name == "destroy!")
      throw model::RecordNotDestroyed(fmt::format("Failed to destroy {} with {}={}", m.name, m.primary_key, value_to_s(r->id())));
    return Object(false);
  }
  if (name == "reload") return arity(args, 0, 0), store_.reload(*r), Object::record(r);
  if (name == "valid?" || name == "invalid?") {
    arity(args, 0, 0);
    bool ok = store_.valid(*r);
    return Object(name == "valid?" ? ok : !ok);
  }
  if (name == "errors") return arity(args, 0, 0), Object(ErrorsRef{r});
  if (name == "attributes") {
    Hash h;
    for (size_t i = 0; i < m.columns.size(); ++i) h.push_back({Object(m.columns[i].name), Object::from(r->at(i))});
    return Object::hash(std::move(h));
  }
  if (name == "attribute_names") {
    Array a;
    for (const auto& c : m.columns) a.push_back(Object(c.name));
    return Object::array(std::move(a));
  }
  if (name == "new_record?") return Object(r->new_record());
  if (name == "persisted?") return Object(r->persisted());
  if (name == "destroyed?") return Object(r->destroyed());
  if (name == "changed?") return Object(r->changed());
  if (name == "changes") {
    Hash h;
    for (const auto& [col, change] : r->changes())
      h.push_back({Object(col), Object::array({Object::from(change.first), Object::from(change.second)})});
    return Object::hash(std::move(h));
  }
  if (name == "id") return Object::from(r->id());
  std::vector<std::string> known = record_methods();
  for (const auto& c : m.column_names()) known.push_back(c);
  for (const auto& a : m.association_names()) known.push_back(a);
  try {
    return call_common(Object::record(r), name, args);
  } catch (const RuntimeError&) {
    throw no_method(name, "an instance of " + m.name, known);
  }
}

Object Interpreter::call_errors(const ErrorsRef& e, const std::string& name, std::vector<Object>& args) {
  const auto& errors = e.record->errors();
  auto strings = [](const std::vector<std::string>& v) {
    Array a;
    for (const auto& s : v) a.push_back(Object(s));
    return Object::array(std::move(a));
  };
  if (name == "full_messages" || name == "to_a") return strings(errors.full_messages());
  if (name == "count" || name == "size") return Object(static_cast<std::int64_t>(errors.size()));
  if (name == "empty?") return Object(errors.empty());
  if (name == "any?") return Object(!errors.empty());
  if (name == "[]" || name == "include?") {
    arity(args, 1, 1);
    auto on = errors.on(name_arg(args[0], name.c_str()));
    return name == "[]" ? strings(on) : Object(!on.empty());
  }
  if (name == "messages" || name == "to_hash") {
    Hash h;
    for (const auto& [attr, message] : errors.items()) {
      auto it = std::find_if(h.begin(), h.end(), [&](const auto& p) { return p.first.template get<Symbol>()->name == attr; });
      if (it == h.end()) h.push_back({Symbol{attr}, Object::array({Object(message)})}), it = h.end() - 1;
      else (*it->second.get<std::shared_ptr<Array>>())->push_back(Object(message));
    }
    return Object::hash(std::move(h));
  }
  try {
    return call_common(Object(e), name, args);
  } catch (const RuntimeError&) {
    throw no_method(name, "an instance of ActiveModel::Errors",
                    {"full_messages", "messages", "count", "size", "empty?", "any?", "include?", "[]"});
  }
}

}  // namespace fw::lang
