#pragma once
// The loader's own header, for its files only (loader.cpp: the classes,
// single-table inheritance and callbacks; loader_associations.cpp: the
// reflections; loader_validations.cpp: validations and delegations).
#include <fmt/format.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "model/app.hpp"
#include "model/declaration.hpp"
#include "model/validator_kinds.hpp"
#include "storage/database.hpp"

namespace fw::model::loading {

using Problems = std::vector<std::string>;

std::string where(const DeclPos& at);
std::string name_of(const Arg& a);
std::vector<std::string> names_of(const std::vector<std::unique_ptr<ModelClass>>& models);
const std::vector<std::string>& allowed_options(Macro macro);
Dependent parse_dependent(const std::string& s);
std::vector<std::string> valid_dependents(Macro macro);
bool has_option(const Options& options, const char* key);
// ActiveRecord 6.1's valid keys for each macro, as its ArgumentError lists them.
std::vector<std::string> active_record_keys(Macro macro, const Options& options);
std::string symbols(const std::vector<std::string>& names);

class Loader {
 public:
  Loader(std::vector<ModelDecl>& decls, storage::Database& db, bool lenient)
      : decls_(decls), db_(db), lenient_(lenient) {}

  std::vector<std::unique_ptr<ModelClass>> run();

  std::vector<std::string> warnings() { return std::move(warnings_); }

 private:
  // A problem ActiveRecord finds at the statement, if ever: a models file is
  // refused over it; a Ruby app opens, and it is a warning at start.
  void problem(const DeclPos& at, const std::string& message);

  // What ActiveRecord refuses while running the class body (an ArgumentError):
  // a models file is refused; in a Ruby app the model does not load, and a
  // statement that reaches it raises the error, as a class whose file failed.
  void break_model(ModelClass& m, const DeclPos& at, const std::string& problem_text, const std::string& error_class,
                   const std::string& error_message);

  // An association ActiveRecord accepts but cannot follow: a statement that
  // reaches it raises `error_class`.
  void break_reflection(Reflection& r, const std::string& problem_text, const std::string& error_class,
                        const std::string& error_message);

  // Single-table inheritance: each subclass's declarations after its
  // superclass's, as Ruby runs the superclass's class body first.
  void inherit();

  void link_superclasses();

  // In a Ruby app, the associations that could not be resolved leave the
  // model's list for broken_reflections: a statement that reaches one raises its error.
  void set_aside_broken(ModelClass& m);

  ModelClass* find(const std::string& name);

  void add_class(ModelDecl& d);

  // enum status: [:draft, :published]: the column reads and writes the names.
  void add_enum(ModelClass& m, const ModelDecl::Enum& e);

  // A declared callback with its options: prepend: true, and on: for after_commit and after_rollback.
  Callback callback(const std::string& model, const ModelDecl::Callback& c);

  static Value parse_default(ColumnType type, const Value& literal);

  void add_reflection(ModelClass& owner, const ModelDecl::Association& a);

  void check_column(const ModelClass& m, const std::string& column, const Reflection& r, const std::string& label,
                    const std::string& option);

  // Works out a direct association's class and keys, and checks them.
  void resolve_direct(Reflection& r, const std::string& label);

  // Resolves a through association (its through and source, themselves
  // possibly through associations), or a direct one, once.
  bool resolve(Reflection& r);

  // inverse_of: names an association of the target that leads back to the owner's model.
  void check_inverse(const Reflection& r);

  void resolve_through(Reflection& r, const std::string& label);

  void add_nested_attributes(ModelClass& m, const ModelDecl& d);

  void add_validations(ModelClass& m, const ModelDecl& d);

  // has_secure_password's validations, as ActiveModel 6.1 adds them: the
  // digest is set, the password at most 72 characters, its confirmation matches.
  void add_secure_password(ModelClass& m, const ModelDecl::SecurePassword& p);

  // validate :method_name, validate do ... end: the code adds its own errors.
  void add_custom_validation(ModelClass& m, const ModelDecl::CustomValidation& c);

  const ModelDecl& owner_decl(const ModelClass& owner) const;

  void compile_validation(ModelClass& m, const ModelDecl::Validation& decl);

  bool read_common(Validator& v, const std::string& key, const Arg& value, const std::string& label, const DeclPos& at);

  // One kind of a validates line: its options read by the kind's entry.
  bool compile_kind(Validator& v, ModelClass& m, const ValidatorKind& kind, const Arg& arg, const std::string& label,
                    const DeclPos& at);

  void add_delegations(ModelClass& m, const ModelDecl& d);

  std::vector<ModelDecl>& decls_;
  storage::Database& db_;
  bool lenient_;
  std::vector<std::unique_ptr<ModelClass>> models_;
  Problems problems_;
  std::vector<std::string> warnings_;
  std::set<const Reflection*> resolved_, resolving_;
};

}  // namespace fw::model::loading
