#pragma once
// The verbs of a class body as ModelFile reads them: each call of a class
// body (has_many, validates, validate, enum, a gem's macro, ...) is given to
// its verb's handler, which adds it to the model's declaration.
#include <map>
#include <string>
#include <vector>

#include "lang/code_table.hpp"
#include "lang/model_file.hpp"
#include "model/declaration_verbs.hpp"

namespace fw::lang {

// A call without a receiver (has_many :tweets, private).
bool is_call(const Node& item);
// What a learner's app has that fwitter passes over, as "FILE:LINE:COL: note: passed over: ...".
std::string passed_over(const std::string& path, SourcePos pos, const std::string& what);

using Methods = std::map<std::string, const Node*>;

// A call of a class body, as its verb's handler reads it.
struct Declaring {
  model::ModelDecl& decl;
  const Node& item;
  const model::DeclPos& at;
  const model::DeclarationVerb& verb;
  const Methods& methods;       // the class's defs, which a models file's callbacks name
  const Constants* constants;   // a Ruby class body's constants; null in a models file
  std::vector<std::string>& notes;
  const std::map<std::string, std::pair<const Node*, std::string>>& validator_classes;
  CodeTable& code;              // where the bodies it declares are kept
};

using Handler = void (*)(const Declaring&);
// The handler of a verb's kind, or null for a kind ModelFile reads itself.
Handler handler(model::VerbKind kind);
// validates_presence_of :a, :b and the other validates_*_of; false for any other call.
bool validates_of(model::ModelDecl& decl, const Node& item, const model::DeclPos& at, const Constants* constants,
                  CodeTable& code);

}  // namespace fw::lang
