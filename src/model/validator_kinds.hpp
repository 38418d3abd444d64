#pragma once
// The kinds of validation (presence:, length:, ...), one entry each: its
// options, how it reads them into a Validator, and its check with its messages.
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/declaration.hpp"
#include "storage/database.hpp"

namespace fw::model {

class ModelClass;
class Record;
struct Reflection;
class Store;
struct Validator;

// What a kind's reader is given while the loader compiles `validates`.
struct Compiling {
  Validator& v;
  ModelClass& model;
  const Options& options;  // every option of this kind, for one that depends on another (multiline:)
  const std::string& label;  // "User validates :name length:", the start of each problem
  const DeclPos& at;
  std::function<void(const std::string&)> problem;
};

// What a kind's check is given: the record, the attribute's value, and `add`,
// which adds a message to the attribute (or the validator's message: instead).
struct Checking {
  Store& store;
  Record& record;
  const Validator& v;
  const Value& value;
  int column;  // the attribute's column index, or -1 (a virtual attribute)
  const std::function<void(const std::string&)>& add;
};

struct ValidatorKind {
  explicit ValidatorKind(std::string kind_name, bool in_validates = true)
      : name(std::move(kind_name)), declared(in_validates) {}

  std::string name;
  // Written in validates (presence: true); false for those the loader adds
  // itself (a belongs_to's "must exist", has_secure_password's digest check).
  bool declared = true;
  std::vector<std::string> options;  // beyond message:, on:, allow_nil: and allow_blank:
  // Reads one of `options` into c.v; false when it was refused (a problem said).
  std::function<bool(Compiling& c, const std::string& key, const Arg& value)> read = {};
  // After every option: false when the validator is incomplete (a problem said).
  std::function<bool(Compiling& c)> finish = {};
  std::function<void(Checking& c)> check = {};
  // The query `check` asks the database, when it asks one (uniqueness). The
  // validations ask those of all their validators at once where the engine
  // can (Persistence::read_ahead: one round trip on PostgreSQL).
  std::function<storage::Query(const Checking& c)> lookup = {};
  // On an association (validates :author, presence: true): whether it is there decides.
  std::function<void(bool present, const std::function<void(const std::string&)>& add)> on_association = {};
  // On an association whose records it checks itself (associated:), instead.
  std::function<void(Checking& c, const Reflection& association)> on_records = {};
  bool needs_column = false;      // passed over when the attribute is no column
  bool nil_passes = false;        // allow_nil's default
  bool defines_attribute = false;  // a virtual attribute of that name when there is no column
};

// Every kind, in the order "Known: ..." lists them.
const std::vector<ValidatorKind>& validator_kinds();
const ValidatorKind* find_validator_kind(const std::string& name);
// The kinds written in validates, by name.
std::vector<std::string> declared_validator_names();

}  // namespace fw::model
