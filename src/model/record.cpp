#include "model/record.hpp"

#include <algorithm>

#include "model/errors.hpp"
#include "model/inflector.hpp"

namespace fw::model {

std::vector<std::string> Errors::on(const std::string& attribute) const {
  std::vector<std::string> out;
  for (const auto& [a, m] : items_)
    if (a == attribute) out.push_back(m);
  return out;
}

std::vector<std::string> Errors::full_messages() const {
  std::vector<std::string> out;
  for (const auto& [a, m] : items_) {  // a nested record's "posts.title" reads "Posts title", as ActiveModel's
    std::string name = a;
    std::replace(name.begin(), name.end(), '.', '_');
    out.push_back(a == "base" ? m : inflector::humanize(name) + " " + m);
  }
  return out;
}

Record::Record(const ModelClass& model) : model_(&model) {
  if (!model.broken_class.empty()) throw NamedError(model.broken_class, model.broken_message);
  for (const auto& c : model.columns) values_.push_back(c.default_value);
  // Single-table inheritance: a new Moderator's type is "Moderator" (the base class leaves it nil).
  if (model.superclass && model.inheritance_index >= 0) set(static_cast<size_t>(model.inheritance_index), Value(model.name));
}

Record::Record(const ModelClass& model, std::vector<Value> stored) : model_(&model), values_(std::move(stored)) {
  for (size_t i = 0; i < values_.size(); ++i) cast_from_database_in_place(model.columns[i].type, values_[i]);
  new_record_ = false;
}

std::shared_ptr<Record> Record::becomes(const ModelClass& other) const {
  if (other.table != model_->table || other.columns.size() != model_->columns.size())
    throw ModelError(model_->name + " cannot become " + other.name + ", which is not a model of its table");
  auto out = std::make_shared<Record>(*this);
  out->model_ = &other;
  return out;
}

const Value& Record::get(const std::string& column) const {
  int i = model_->column_index(column);
  if (i < 0) throw UnknownAttributeError(model_->name, column, model_->column_names());
  return values_[static_cast<size_t>(i)];
}

const Value& Record::virtual_value(const std::string& name) const {
  static const Value nil;
  auto it = virtuals_.find(name);
  return it == virtuals_.end() ? nil : it->second;
}

Value Record::id() const {
  int i = model_->column_index(model_->primary_key);
  return i < 0 ? Value{} : values_[static_cast<size_t>(i)];
}

const Value& Record::before_cast(size_t column) const {
  for (const auto& [i, input] : before_cast_)
    if (i == column) return input;
  return values_.at(column);
}

void Record::forget_before_cast(size_t column) {
  before_cast_.erase(std::remove_if(before_cast_.begin(), before_cast_.end(), [&](const auto& b) { return b.first == column; }),
                     before_cast_.end());
}

void Record::set(size_t column, const Value& input) {
  Value cast = cast_to_column(model_->columns[column].type, input);
  bool changed_by_cast = !(cast == input);
  set_cast(column, std::move(cast));
  if (changed_by_cast) before_cast_.emplace_back(column, input);
}

void Record::set_cast(size_t column, Value value) {
  if (saved_.empty()) saved_ = values_;  // the first change: keep what the database has
  forget_before_cast(column);
  values_.at(column) = std::move(value);
  // A belongs_to target whose key no longer matches its foreign key is stale
  // (ActiveRecord's stale_target): forget it, so the new key is what counts.
  const std::string& name = model_->columns[column].name;
  for (const auto& r : model_->reflections) {
    if (targets_.empty()) break;
    if (!r->is_belongs_to()) continue;
    bool type = r->polymorphic && r->foreign_type == name;
    if (!type && r->foreign_key != name) continue;  // (the timestamps of a save: no association's)
    auto it = targets_.find(r->name);
    if (it == targets_.end()) continue;
    if (type) {  // another type: another target
      if (!it->second || !values_equal(Value(it->second->model().name), values_[column])) targets_.erase(it);
      continue;
    }
    Value key = it->second ? it->second->get(r->primary_key) : Value{};
    if (!values_equal(key, values_[column])) targets_.erase(it);
  }
}

const RecordPtr* Record::cached_target(const std::string& association) const {
  auto it = targets_.find(association);
  return it == targets_.end() ? nullptr : &it->second;
}

const std::vector<RecordPtr>* Record::cached_collection(const std::string& association) const {
  auto it = collections_.find(association);
  return it == collections_.end() ? nullptr : &it->second;
}

void Record::clear_change(size_t column) {
  if (!saved_.empty()) saved_.at(column) = values_.at(column);
  forget_before_cast(column);
}

void Record::set(const std::string& column, const Value& input) {
  int i = model_->column_index(column);
  if (i < 0) throw UnknownAttributeError(model_->name, column, model_->column_names());
  set(static_cast<size_t>(i), input);
}

bool Record::changed() const { return !changed_columns().empty(); }

std::vector<size_t> Record::changed_columns() const {
  std::vector<size_t> out;
  for (size_t i = 0; i < values_.size(); ++i)
    if ((!saved_.empty() && values_[i] != saved_[i]) || (new_record_ && !is_null(values_[i]))) out.push_back(i);
  return out;
}

std::vector<std::pair<std::string, std::pair<Value, Value>>> Record::changes() const {
  std::vector<std::pair<std::string, std::pair<Value, Value>>> out;
  for (size_t i : changed_columns())
    out.push_back({model_->columns[i].name, {new_record_ ? Value{} : saved(i), values_[i]}});
  return out;
}

void Record::load(std::vector<Value> stored) {
  for (size_t i = 0; i < stored.size() && i < values_.size(); ++i)
    values_[i] = cast_from_database(model_->columns[i].type, stored[i]);
  saved_.clear();
  before_cast_.clear();
  new_record_ = false;
  destroyed_ = false;
}

void Record::mark_saved() {
  saved_.clear();
  before_cast_.clear();
  new_record_ = false;
}

void Record::restore(const DatabaseState& state) {
  saved_ = state.saved;
  new_record_ = state.new_record;
  destroyed_ = state.destroyed;
  int key = model_->column_index(model_->primary_key);
  if (key >= 0) {
    values_[static_cast<size_t>(key)] = state.id;
    forget_before_cast(static_cast<size_t>(key));
  }
}

}  // namespace fw::model
