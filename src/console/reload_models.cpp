// What reload! does once its statement has ended: the app's model files
// read again after the learner edits them, without leaving the console.
#include <fmt/format.h>

#include "base/text.hpp"
#include "console/session.hpp"
#include "lang/parser.hpp"

namespace fw::console {

namespace {

// Whether a value holds nothing of the old models (records, relations,
// classes, procs): such a value stays in its variable across reload!.
bool plain(const lang::Object& v, int depth = 0) {
  if (depth > 16) return false;
  if (auto a = v.get<lang::Ref<lang::Array>>())
    return std::all_of((*a)->begin(), (*a)->end(), [&](const lang::Object& x) { return plain(x, depth + 1); });
  if (auto h = v.get<lang::Ref<lang::Hash>>())
    return std::all_of((*h)->begin(), (*h)->end(),
                       [&](const auto& p) { return plain(p.first, depth + 1) && plain(p.second, depth + 1); });
  if (auto r = v.get<lang::Ref<lang::Range>>()) return plain((*r)->first, depth + 1) && plain((*r)->last, depth + 1);
  Value scalar;
  return v.is_nil() || v.to_value(scalar) || v.is<lang::Symbol>() || v.is<Decimal>() || v.is<Time>() || v.is<Date>();
}

}  // namespace

// Reads the model files again and starts a new runtime over them. Plain
// values stay in their variables; a saved record is read again as a record
// of the new model; the rest (relations, unsaved records) is dropped, and
// the console says which. A model file with an error keeps the old models.
void Session::reload_models() {
  auto& source = env_.app();
  storage::AppSource fresh = source;
  std::unique_ptr<lang::Runtime> runtime;
  try {
    if (!source.root.empty()) {
      auto read = storage::AppSource::from_directory(source.root);
      fresh.models = read.models;
      fresh.ruby_models = read.ruby_models;
      fresh.config = read.config;
      fresh.notes = read.notes;
    }
    runtime = std::make_unique<lang::Runtime>(fresh, env_.db(), env_.environment());
    // A file being edited that does not parse yet: the models stay as they were, rather than one going broken.
    if (auto failed = runtime->models().failures(); !failed.empty()) throw fw::Error(join(failed, "\n"));
  } catch (const fw::Error& e) {
    err_ << "fwitter: reload! kept the models as they were: " << e.what() << '\n';
    return;
  }
  // What the variables hold, before the old models go.
  std::vector<std::pair<std::string, lang::Object>> kept;
  std::vector<std::string> records, finds;  // a variable's name, and "User.find(3)" for it
  std::vector<std::string> dropped;
  for (const auto& name : runtime_->interpreter().variable_names()) {
    const lang::Object* value = runtime_->interpreter().variable(name);
    if (!value) continue;  // a method's name
    if (plain(*value)) {
      kept.emplace_back(name, *value);
    } else if (auto r = value->get<model::RecordPtr>(); r && *r && (*r)->persisted() && runtime->app().find((*r)->model().name)) {
      records.push_back(name);
      finds.push_back(fmt::format("{} = {}.find({})", name, (*r)->model().name, value_to_s((*r)->id())));
    } else if (name != "_") {  // irb's last value: the next statement sets it again
      dropped.push_back(name);
    }
  }
  auto functions = runtime_->interpreter().functions();
  source = std::move(fresh);
  start_runtime(std::move(runtime));
  runtime_->interpreter().set_functions(std::move(functions));
  for (auto& [name, value] : kept) runtime_->interpreter().set_variable(name, std::move(value));
  std::vector<std::string> read_again;
  for (size_t i = 0; i < finds.size(); ++i) {
    try {
      lang::Parser parser(finds[i]);
      runtime_->interpreter().run(*parser.next_statement());
      read_again.push_back(records[i]);
    } catch (const fw::Error&) {
      dropped.push_back(records[i]);  // its row is gone
    }
  }
  out_ << fmt::format("Reloading... {} model{}", runtime_->app().models().size(), runtime_->app().models().size() == 1 ? "" : "s");
  if (!read_again.empty()) out_ << "; records read again: " << fmt::format("{}", fmt::join(read_again, ", "));
  if (!dropped.empty()) out_ << "; dropped (they held the old models): " << fmt::format("{}", fmt::join(dropped, ", "));
  out_ << '\n';
  for (const auto& note : runtime_->notes()) err_ << "fwitter: " << note << '\n';
}

}  // namespace fw::console
