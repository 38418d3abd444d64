#pragma once
// The console's look at the app: `models`, `schema [Model]` and
// `associations Model`, as tables of text. Reads only.
#include <string>

#include "console/display.hpp"
#include "model/app.hpp"
#include "storage/database.hpp"

namespace fw::console {

// Each model, its table and how many rows it holds.
std::string models_text(const model::App& app, storage::Database& db, const Terminal& terminal);
// A model's columns (type, null, default, primary key), indexes and foreign
// keys; every model's when `name` is "".
std::string schema_text(const model::App& app, storage::Database& db, const std::string& name, const Terminal& terminal);
// A model's associations with every option, and the inverse where there is one.
std::string associations_text(const model::App& app, const std::string& name, const Terminal& terminal);

// The model of that class name; throws fw::Error with a suggestion.
const model::ModelClass& model_named(const model::App& app, const std::string& name);
// The association on the target model that points back, or null.
const model::Reflection* inverse_of(const model::Reflection& r);

}  // namespace fw::console
