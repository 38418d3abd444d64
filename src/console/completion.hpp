#pragma once
// Tab completion by the type of what stands before the cursor: the names a
// record, a model class, a relation or a variable's value answers to (from
// the vocabulary tables), columns inside where( and pluck(, and at the start
// of a line models, variables, functions and console commands.
#include <optional>
#include <string>
#include <vector>

#include "console/line_editor.hpp"
#include "lang/vocabulary.hpp"

namespace fw::console {

class Session;

// What completion knows of a value: its kind and model, and the value itself
// when it was read (a variable's) or safely evaluated.
struct Guess {
  Guess(lang::Kind kind, const model::ModelClass* model = nullptr, std::optional<lang::Object> value = std::nullopt)
      : kind(kind), model(model), value(std::move(value)) {}
  lang::Kind kind;
  const model::ModelClass* model;
  std::optional<lang::Object> value;
};

class Completer {
 public:
  explicit Completer(Session& session) : session_(session) {}
  Completion complete(const std::string& before_cursor);
  // The type of a receiver's text (`user(1).tweets`), or nothing.
  std::optional<Guess> guess(const std::string& receiver);

 private:
  std::vector<std::string> names_after_dot(const std::string& receiver);
  std::vector<std::string> line_start_names();
  std::vector<std::string> expression_names();
  std::optional<std::vector<std::string>> command_argument(const std::string& head);
  std::optional<std::vector<std::string>> column_names(const std::string& head, bool symbol);
  std::optional<Guess> guess_head(const std::string& head);
  std::optional<Guess> guess_member(const Guess& on, const std::string& name);
  std::optional<Guess> evaluate(const std::vector<std::string>& segments);
  Session& session_;
};

// ---- the text before the cursor, read backwards ----
// Where the word being completed starts (a name, or a :symbol).
size_t word_start(const std::string& text);
// Where the receiver ending at the end of `text` starts: names, calls with
// their arguments, dots; "" when there is none.
size_t receiver_start(const std::string& text);
// `user(1).tweets.first` -> `user(1)`, `tweets`, `first` (`&.` too).
std::vector<std::string> split_calls(const std::string& receiver);
// After a command whose row completes files (`load "scripts/se`): the
// folder's entries that begin with the name's last part; nothing otherwise.
std::optional<Completion> file_argument(const std::string& before_cursor);
// The name of the call whose bracket is open at the end of `text`, and the
// text before that name: `User.where(us` -> {"User.where", ...}.
std::optional<size_t> open_call(const std::string& text);

}  // namespace fw::console
