// A model class's own methods: User.name, User.column_names. Every relation
// method answers on a model class too (User.where, User.first).
#include "lang/methods/support.hpp"

namespace fw::lang {

namespace {

const model::ModelClass& model(Call& c) { return *c.self.get<ModelRef>()->model; }

Object name(Call& c) { return Object(model(c).name); }
Object table_name(Call& c) { return Object(model(c).table); }
Object column_names(Call& c) { return strings(model(c).column_names()); }

}  // namespace

const std::vector<Method>& methods::model() {
  static const std::vector<Method> table = {
      {"name", "to_s", 0, 0, Returns::String, "the class's name", name},
      {"table_name", "", 0, 0, Returns::String, "the table its records live in", table_name},
      {"column_names", "", 0, 0, Returns::Array, "the table's columns, in order", column_names},
  };
  return table;
}

}  // namespace fw::lang
