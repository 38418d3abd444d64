#include "console/completion.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <set>

#include "console/commands.hpp"
#include "console/help.hpp"
#include "console/printer.hpp"
#include "console/session.hpp"
#include "lang/parser.hpp"

namespace fs = std::filesystem;

namespace fw::console {

using lang::Kind;

namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }

// Index of the quote that opens the string closing at text[end - 1], or npos.
size_t string_start(const std::string& text, size_t end) {
  char quote = text[end - 1];
  for (size_t i = end - 1; i > 0; --i)
    if (text[i - 1] == quote && (i < 2 || text[i - 2] != '\\')) return i - 1;
  return std::string::npos;
}

// A segment of a call chain: its name, and the text inside its brackets.
struct CallText {
  std::string name, args;
  bool has_args = false;
};

CallText parse_call(const std::string& segment) {
  CallText c;
  size_t i = 0;
  while (i < segment.size() && (is_name_char(segment[i]) || segment[i] == '?' || segment[i] == '!')) ++i;
  c.name = segment.substr(0, i);
  if (i < segment.size() && segment[i] == '(' && segment.back() == ')') {
    c.has_args = true;
    c.args = segment.substr(i + 1, segment.size() - i - 2);
  }
  return c;
}

// Arguments made only of literals: strings without #{}, numbers, symbols,
// labels, nil/true/false, brackets and commas. No names, so no calls.
bool literal_arguments(const std::string& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    char c = args[i];
    if (c == '"' || c == '\'') {
      size_t close = args.find(c, i + 1);
      if (close == std::string::npos || args.substr(i, close - i).find("#{") != std::string::npos) return false;
      i = close;
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t end = i;
      while (end < args.size() && is_name_char(args[end])) ++end;
      std::string word = args.substr(i, end - i);
      bool symbol = i > 0 && args[i - 1] == ':', label = end < args.size() && args[end] == ':';
      if (!symbol && !label && word != "nil" && word != "true" && word != "false") return false;
      i = end - 1;
    } else if (!std::isdigit(static_cast<unsigned char>(c)) && !std::strchr(" ,:.-[]()", c)) {
      return false;
    }
  }
  return true;
}

std::optional<Kind> kind_of_column(model::ColumnType type) {
  switch (type) {
    case model::ColumnType::Integer: return Kind::Integer;
    case model::ColumnType::Float: return Kind::Float;
    case model::ColumnType::Decimal: return Kind::Decimal;
    case model::ColumnType::DateTime: return Kind::Time;
    case model::ColumnType::Date: return Kind::Date;
    case model::ColumnType::Boolean: return Kind::Boolean;
    case model::ColumnType::Untyped: return std::nullopt;
    default: return Kind::String;  // text, and times of day as the strings they are read as
  }
}

std::optional<Guess> guess_returns(const Guess& on, lang::Returns returns) {
  using lang::Returns;
  switch (returns) {
    case Returns::Any: return std::nullopt;
    case Returns::Nil: return Guess{Kind::Nil};
    case Returns::Boolean: return Guess{Kind::Boolean};
    case Returns::Integer: return Guess{Kind::Integer};
    case Returns::Float: return Guess{Kind::Float};
    case Returns::String: return Guess{Kind::String};
    case Returns::Symbol: return Guess{Kind::Symbol};
    case Returns::Array: return Guess{Kind::Array};
    case Returns::Hash: return Guess{Kind::Hash};
    case Returns::Range: return Guess{Kind::Range};
    case Returns::Record: return Guess{Kind::Record, on.model};
    case Returns::Relation: return Guess{Kind::Relation, on.model};
    case Returns::Model: return Guess{Kind::Model, on.model};
    case Returns::Errors: return Guess{Kind::Errors};
    case Returns::Self: return Guess{on.kind, on.model};
    case Returns::Proc: return Guess{Kind::Proc};
  }
  return std::nullopt;
}

// Names worth offering: methods and members, not operators (nor __send__
// unless asked for with an underscore).
std::vector<std::string> matching(const std::vector<std::string>& names, const std::string& word) {
  std::set<std::string> out;
  for (const auto& n : names)
    if (!n.empty() && (is_name_char(n[0]) || n[0] == ':') && (n.rfind("__", 0) != 0 || !word.empty()) &&
        n.compare(0, word.size(), word) == 0)
      out.insert(n);
  return {out.begin(), out.end()};
}

std::vector<std::string> model_names(const model::App& app) {
  std::vector<std::string> out;
  for (const auto& m : app.models()) out.push_back(m->name);
  return out;
}

// Evaluates an expression's text (literals, a model, `user(1)`), as a
// statement's part: the session's `_` and variables stay as they were.
lang::Object evaluated(lang::Interpreter& interpreter, const std::string& text) {
  lang::Parser parser(text);
  auto expression = parser.next_statement();
  return expression ? interpreter.evaluate(*expression) : lang::Object();
}

}  // namespace

size_t word_start(const std::string& text) {
  size_t i = text.size();
  if (i > 0 && (text[i - 1] == '?' || text[i - 1] == '!')) --i;
  while (i > 0 && is_name_char(text[i - 1])) --i;
  if (i > 0 && text[i - 1] == ':' && (i < 2 || text[i - 2] != ':')) --i;  // a :symbol
  return i;
}

size_t receiver_start(const std::string& text) {
  size_t i = text.size();
  int depth = 0;
  while (i > 0) {
    char c = text[i - 1];
    if ((c == '"' || c == '\'') && i > 1) {
      size_t open = string_start(text, i);
      if (open == std::string::npos) break;
      i = open;
    } else if (c == ')' || c == ']' || c == '}') {
      ++depth, --i;
    } else if (c == '(' || c == '[' || c == '{') {
      if (depth == 0) break;
      --depth, --i;
    } else if (depth > 0 || is_name_char(c) || c == '.' || c == '?' || c == '!' ||
               (c == '&' && i < text.size() && text[i] == '.') || (c == ':' && i < text.size() && is_name_char(text[i]))) {
      --i;
    } else {
      break;
    }
  }
  return i;
}

std::vector<std::string> split_calls(const std::string& receiver) {
  std::vector<std::string> out(1);
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i < receiver.size(); ++i) {
    char c = receiver[i];
    if (quote) quote = c == quote && receiver[i - 1] != '\\' ? 0 : quote;
    else if (c == '"' || c == '\'') quote = c;
    else if (c == '(' || c == '[' || c == '{') ++depth;
    else if (c == ')' || c == ']' || c == '}') --depth;
    if (depth == 0 && !quote && c == '.' && !(i + 1 < receiver.size() && std::isdigit(static_cast<unsigned char>(receiver[i + 1])))) {
      if (!out.back().empty() && out.back().back() == '&') out.back().pop_back();
      out.emplace_back();
      continue;
    }
    out.back() += c;
  }
  return out;
}

std::optional<size_t> open_call(const std::string& text) {
  int depth = 0;
  for (size_t i = text.size(); i > 0; --i) {
    char c = text[i - 1];
    if (c == ')' || c == ']' || c == '}') ++depth;
    else if (c == '[' || c == '{') --depth;
    else if (c == '(' && depth-- == 0) return i - 1;
    if (depth < 0) return std::nullopt;
  }
  return std::nullopt;
}

// `load "scripts/se`: the entries of the folder named so far that begin
// with the rest, a folder's with a `/` after it; for a command whose row
// completes files, once its quote is open.
std::optional<Completion> file_argument(const std::string& before_cursor) {
  size_t a = before_cursor.find_first_not_of(" \t");
  if (a == std::string::npos) return std::nullopt;
  size_t name_end = before_cursor.find_first_of(" \t", a);
  if (name_end == std::string::npos) return std::nullopt;
  const Command* command = find_command(before_cursor.substr(a, name_end - a));
  size_t quote = before_cursor.find_first_not_of(" \t", name_end);
  if (!command || command->completes != Completes::Files || quote == std::string::npos ||
      (before_cursor[quote] != '"' && before_cursor[quote] != '\''))
    return std::nullopt;
  std::string path = before_cursor.substr(quote + 1);
  if (path.find(before_cursor[quote]) != std::string::npos) return std::nullopt;  // the name is closed
  size_t slash = path.rfind('/');
  std::string folder = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  Completion c{path.substr(folder.size()), {}};
  std::error_code error;
  for (fs::directory_iterator it(folder.empty() ? fs::path(".") : fs::path(folder), error), end; !error && it != end;
       it.increment(error)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, c.word.size(), c.word) != 0 || (name[0] == '.' && (c.word.empty() || c.word[0] != '.')))
      continue;
    std::error_code is_dir_error;
    c.candidates.push_back(name + (it->is_directory(is_dir_error) ? "/" : ""));
  }
  std::sort(c.candidates.begin(), c.candidates.end());
  return c;
}

Completion Completer::complete(const std::string& before_cursor) {
  if (auto files = file_argument(before_cursor)) return *files;
  size_t start = word_start(before_cursor);
  Completion c{before_cursor.substr(start), {}};
  std::string head = before_cursor.substr(0, start);
  std::vector<std::string> names;
  if (!head.empty() && head.back() == '.') {
    std::string text = head.substr(0, head.size() - (head.size() > 1 && head[head.size() - 2] == '&' ? 2 : 1));
    names = names_after_dot(text.substr(receiver_start(text)));
  } else if (auto args = command_argument(head)) {
    names = *args;
  } else if (auto columns = column_names(head, !c.word.empty() && c.word[0] == ':')) {
    names = *columns;
  } else if (head.find_first_not_of(" \t") == std::string::npos) {
    names = line_start_names();
  } else {
    names = expression_names();
  }
  c.candidates = matching(names, c.word);
  return c;
}

std::vector<std::string> Completer::names_after_dot(const std::string& receiver) {
  if (receiver.empty()) return {};
  auto g = guess(receiver);
  if (!g) return {};
  auto names = g->value ? lang::names_for(*g->value) : lang::names_for(g->kind, g->model);
  // The model's own methods (def slug, def self.find_by_slug in its class body)
  const model::ModelClass* model = g->model;
  bool on_class = g->kind != lang::Kind::Record;
  if (g->value) {
    if (auto r = g->value->get<model::RecordPtr>()) model = &(*r)->model(), on_class = false;
    else if (auto m = g->value->get<lang::ModelRef>()) model = m->model, on_class = true;
  }
  if (model)
    for (auto& n : session_.interpreter().model_method_names(*model, on_class)) names.push_back(std::move(n));
  return names;
}

std::vector<std::string> Completer::expression_names() {
  auto& in = session_.interpreter();
  std::vector<std::string> names = in.variable_names();
  for (const auto& f : in.function_names()) names.push_back(f);
  const auto& app = session_.store().app();
  for (const auto& m : app.models()) names.push_back(m->name);
  for (const auto& singular : app.singular_names()) names.push_back(singular);  // user(1), the command form
  for (const auto& n : lang::method_names(Kind::Main)) names.push_back(n);
  return names;
}

std::vector<std::string> Completer::line_start_names() {
  auto names = expression_names();
  for (const auto& c : commands()) names.push_back(c.name);
  return names;
}

// After a console command's name: what its row says it completes.
std::optional<std::vector<std::string>> Completer::command_argument(const std::string& head) {
  size_t a = head.find_first_not_of(" \t"), b = head.find_last_not_of(" \t");
  if (a == std::string::npos || b + 1 == head.size()) return std::nullopt;
  const Command* command = find_command(head.substr(a, b - a + 1));
  if (!command) return std::nullopt;
  switch (command->completes) {
    case Completes::HelpTopics: {  // what help_text explains: its topics, the commands, every method and alias
      auto names = help_topic_names();
      for (const auto& c : commands()) names.push_back(c.name);
      for (int k = 0; k <= static_cast<int>(Kind::Main); ++k)
        for (auto& name : lang::method_names(static_cast<Kind>(k))) names.push_back(std::move(name));
      return names;
    }
    case Completes::ModelNames: return model_names(session_.store().app());
    case Completes::Formats: return formats();
    case Completes::OnOff: return std::vector<std::string>{"on", "off"};
    case Completes::Files:    // once its quote is open (file_argument)
    case Completes::Nothing: break;
  }
  return std::vector<std::string>{};
}

// Inside where( find_by( order( pluck( ...: the receiver's columns, as
// `name:` for methods that take key: value pairs and `:name` for the others.
std::optional<std::vector<std::string>> Completer::column_names(const std::string& head, bool symbol) {
  auto open = open_call(head);
  if (!open) return std::nullopt;
  std::string before = head.substr(0, *open);
  CallText call = parse_call(before.substr(word_start(before)));
  std::string receiver = before.substr(0, before.size() - call.name.size());
  if (call.name.empty() || receiver.empty() || receiver.back() != '.') return std::nullopt;
  receiver.pop_back();
  auto g = guess(receiver.substr(receiver_start(receiver)));
  if (!g || !g->model) return std::nullopt;
  const auto* method = lang::method_for(g->kind, call.name);
  unsigned takes = method ? method->traits : 0;
  if (!(takes & (lang::kTakesColumns | lang::kTakesPairs | lang::kTakesAttributes | lang::kTakesAssociations)))
    return std::nullopt;
  bool pairs = takes & (lang::kTakesPairs | lang::kTakesAttributes);
  bool as_symbol = (takes & lang::kTakesAssociations) || symbol || !pairs;
  std::vector<std::string> names;
  auto add = [&](const std::string& n) { names.push_back(as_symbol ? ":" + n : n + ":"); };
  if (takes & lang::kTakesAssociations) {
    for (const auto& r : g->model->reflections) add(r->name);
    return names;
  }
  for (const auto& col : g->model->columns) add(col.name);
  if ((takes & lang::kTakesAttributes) && !as_symbol)  // where(user: user(2))
    for (const auto& r : g->model->reflections)
      if (r->is_belongs_to()) add(r->name);
  return names;
}

std::optional<Guess> Completer::guess(const std::string& receiver) {
  auto segments = split_calls(receiver);
  std::optional<Guess> g = guess_head(segments[0]);
  for (size_t i = 1; g && i < segments.size(); ++i) g = guess_member(*g, parse_call(segments[i]).name);
  if (g) return g;
  return evaluate(segments);
}

std::optional<Guess> Completer::guess_head(const std::string& head) {
  if (head.empty()) return std::nullopt;
  const auto& app = session_.store().app();
  CallText call = parse_call(head);
  switch (head[0]) {
    case '"': case '\'': return Guess{Kind::String};
    case '[': return Guess{Kind::Array};
    case '{': return Guess{Kind::Hash};
    case ':': return Guess{Kind::Symbol};
    case '/': return Guess{Kind::Regexp};
    default: break;
  }
  if (std::all_of(head.begin(), head.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
    return Guess{Kind::Integer};
  if (call.name.size() == head.size()) {
    if (const lang::Object* v = session_.interpreter().variable(head)) return Guess{lang::kind_of(*v), lang::model_of(*v), *v};
    if (is_upper(head[0]))
      if (const auto* m = app.find(head)) return Guess{Kind::Model, m};
    if (head == "Time") return Guess{Kind::TimeClass};  // as the interpreter reads them (Time.now)
    if (head == "Date") return Guess{Kind::DateClass};
    return std::nullopt;
  }
  if (call.has_args)
    if (const auto* m = app.find_by_singular(call.name)) return Guess{Kind::Record, m};  // user(1)
  return std::nullopt;
}

// What `name` gives on a value of this guess: a member of its model first,
// then the tables' return kinds.
std::optional<Guess> Completer::guess_member(const Guess& on, const std::string& name) {
  if (const auto* m = on.model) {
    if (on.kind == Kind::Record) {
      if (const auto* r = m->reflection(name)) return Guess{r->is_collection() ? Kind::Relation : Kind::Record, r->klass};
      if (const auto* col = m->column(name)) {
        if (auto k = kind_of_column(col->type)) return Guess{*k};
        return std::nullopt;
      }
      if (name.back() == '?' && m->column(name.substr(0, name.size() - 1))) return Guess{Kind::Boolean};
      if (const auto* d = m->delegation(name))
        if (const auto* to = m->reflection(d->to)) return guess_member(Guess{Kind::Record, to->klass}, name);
    } else if ((on.kind == Kind::Model || on.kind == Kind::Relation) && m->scope(name)) {
      return Guess{Kind::Relation, m};
    }
  }
  if (const auto* method = lang::method_for(on.kind, name)) return guess_returns(on, method->returns);
  return std::nullopt;
}

// The receiver's value, when static reading could not tell its type: run
// inside a transaction that is always rolled back, and only when made of
// variables, models, finders, associations and columns with literal arguments.
std::optional<Guess> Completer::evaluate(const std::vector<std::string>& segments) {
  const auto& app = session_.store().app();
  auto member = [](const lang::Object& value, const std::string& name) {
    const auto* m = lang::model_of(value);
    return m && (m->column(name) || m->reflection(name) || m->scope(name) || m->delegation(name));
  };
  CallText head = parse_call(segments[0]);
  bool variable = session_.interpreter().variable(segments[0]) != nullptr;
  if (!variable && !app.find(segments[0]) && !(head.has_args && app.find_by_singular(head.name))) return std::nullopt;
  if (!literal_arguments(head.args)) return std::nullopt;
  for (size_t i = 1; i < segments.size(); ++i) {
    CallText call = parse_call(segments[i]);
    if (call.name.size() + (call.has_args ? call.args.size() + 2 : 0) != segments[i].size()) return std::nullopt;
    if (!literal_arguments(call.args)) return std::nullopt;
  }
  std::optional<Guess> out;
  session_.peek([&](lang::Interpreter& interpreter) {
    lang::Object value = variable ? *interpreter.variable(segments[0]) : evaluated(interpreter, segments[0]);
    for (size_t i = 1; i < segments.size(); ++i) {
      CallText call = parse_call(segments[i]);
      // Only the model's own readers and the methods marked as reading are run.
      const auto* method = lang::method_for(lang::kind_of(value), call.name);
      if (!member(value, call.name) && !(method && (method->traits & lang::kReads))) return;
      std::vector<lang::Object> args;
      if (!call.args.empty())
        if (auto list = evaluated(interpreter, "[" + call.args + "]"); auto items = list.get<lang::Ref<lang::Array>>())
          args = **items;
      value = interpreter.call(value, call.name, args);
    }
    out = Guess{lang::kind_of(value), lang::model_of(value), value};
  });
  return out;
}

}  // namespace fw::console
