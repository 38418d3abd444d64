#pragma once
// The app's code that the model layer runs: each scope body, callback,
// custom validation and if: condition of the class bodies, as the language
// reads it, kept under the model::CodeId that the model layer holds. The
// Runtime runs them for the model layer (model::CodeRunner), in its one
// interpreter; the language calls a scope with arguments itself.
#include <functional>
#include <memory>
#include <vector>

#include "lang/object.hpp"
#include "model/declaration.hpp"
#include "model/relation.hpp"

namespace fw::lang {

class Interpreter;

class CodeTable {
 public:
  // A scope's body: on the relation, with its arguments (an association
  // scope that takes its owner: the owner).
  using Scope = std::function<model::Relation(Interpreter&, const model::Relation&, const std::vector<Object>& args)>;
  // A callback, custom validation or condition on a record: false when the
  // callback threw :abort, or the condition's value is falsy.
  using OnRecord = std::function<bool(Interpreter&, model::Record&)>;

  model::CodeId add(Scope scope) {
    entries_.push_back({std::move(scope), {}});
    return entries_.size() - 1;
  }
  model::CodeId add(OnRecord on_record) {
    entries_.push_back({{}, std::move(on_record)});
    return entries_.size() - 1;
  }
  model::Relation run_scope(model::CodeId code, Interpreter& in, const model::Relation& relation,
                            const std::vector<Object>& args) const {
    return entry(code).scope(in, relation, args);
  }
  bool run_on_record(model::CodeId code, Interpreter& in, model::Record& record) const {
    return entry(code).on_record(in, record);
  }

 private:
  struct Entry {
    Scope scope;
    OnRecord on_record;
  };
  // An id the table never gave, or code of the other kind, is a bug of the language's.
  const Entry& entry(model::CodeId code) const { return entries_.at(code); }
  std::vector<Entry> entries_;
};

}  // namespace fw::lang
