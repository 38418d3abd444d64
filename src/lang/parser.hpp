#pragma once
// A recursive-descent parser for the statement language, one function per
// grammar rule (the whole grammar is in docs/grammar.md, and each rule
// stands above its function).
// It reads one statement at a time, so a script runs as it is read.
#include <initializer_list>
#include <set>
#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "lang/ast.hpp"
#include "lang/lexer.hpp"

namespace fw::lang {

// A statement that cannot be parsed. `incomplete` means the input ended
// before the statement did (the console then reads another line).
class SyntaxError : public fw::Error {
 public:
  SyntaxError(const std::string& message, SourcePos pos, size_t offset, bool incomplete)
      : fw::Error(message), pos(pos), offset(offset), incomplete(incomplete) {}
  SourcePos pos;
  size_t offset;
  bool incomplete;
};

// A console command as the parser needs to know it: its name, and whether
// its argument is a whole statement (explain), which ';' does not end. The
// console's command registry supplies them; without them no word is a command.
struct CommandWord {
  std::string name;
  bool takes_statement = false;
};

class Parser {
 public:
  static constexpr int kMaxDepth = 200;       // nested rules (brackets, unary operators)
  static constexpr int kMaxTreeDepth = 500;  // a statement's tree, chains of calls and operators included
  static constexpr size_t kMaxSource = 64 * 1024 * 1024;

  explicit Parser(std::string_view source, std::vector<CommandWord> commands = {});

  // The next statement, or null at the end of input. Throws SyntaxError;
  // after one, the parser has skipped to the next statement.
  NodePtr next_statement();
  const Lexer& lexer() const { return lexer_; }
  // Where the last statement returned ended in the source (its heredocs' bodies included).
  size_t statement_end() const { return lexer_.past_heredocs(previous_.end); }
  // Off: a command-form line with literal values goes the general way too,
  // not read straight from the source (plain_command_line). Tests compare the two.
  void set_plain_commands(bool on) { plain_commands_ = on; }

 private:
  NodePtr plain_command_line();
  // tokens
  void advance();
  bool check(Tok type) const { return current_.type == type; }
  bool match(Tok type);
  const Token& consume(Tok type, const char* what);
  [[noreturn]] void error_at(const Token& token, const std::string& message);
  void skip_newlines();
  bool at_statement_end() const;
  void end_statement();
  void synchronize();
  const Token& peek_token(int ahead);

  // rules
  NodePtr statement();
  NodePtr body_statement();
  NodePtr body(std::initializer_list<Tok> ends, const char* opener);
  void enter_body();
  void leave_body();
  NodePtr ternary();
  NodePtr range();
  NodePtr power();
  NodePtr interpolation();
  NodePtr words();
  NodePtr if_expr();
  NodePtr while_expr();
  NodePtr case_expr();
  NodePtr def();
  NodePtr jump();
  void optional_block(Node& call);
  void block_params(Node& n);
  void params(Node& n, Tok close);
  std::string param(Node& n, bool in_parens);
  NodePtr begin_block();
  void rescue_clauses(Node& begin);
  bool is_multi_assign();
  NodePtr multi_assign();
  std::string assign_target();
  bool rest_is_blank(size_t offset) const;
  bool starts_command_argument(bool after_dot) const;
  NodePtr class_def();
  NodePtr module_def();
  std::string constant_path(const char* what);
  void definitions(Node& owner, const std::string& what);
  NodePtr command();
  NodePtr console_command();
  NodePtr expression();
  NodePtr assignment();
  NodePtr binary_from(int lowest);
  NodePtr or_expr();
  NodePtr not_expr();
  NodePtr unary();
  NodePtr postfix(NodePtr left = nullptr);
  NodePtr primary();
  NodePtr array();
  NodePtr hash();
  NodePtr lambda();
  NodePtr label_key();
  void arguments(Node& call);
  void bare_arguments(Node& call);
  void argument(Node& call, NodePtr& trailing_hash);
  NodePtr command_value(const std::string& key);
  std::optional<Token> bare_word_after_assign();
  NodePtr bare_value(Token word);

  NodePtr node(Node::Kind kind, const Token& at);
  // Sets a node's depth from its children, refusing trees too deep to run.
  NodePtr& deepen(NodePtr& n);
  bool starts_bare_argument() const;
  bool is_command_form();
  bool is_console_command();
  const CommandWord* command_word(const std::string& name) const;

  Lexer lexer_;
  Token current_, previous_;
  std::vector<Token> lookahead_;
  std::vector<CommandWord> commands_;
  std::set<std::string> locals_;  // names assigned so far: `x -1` is x - 1 when x is one
  int loops_ = 0;                 // blocks and loops around: where break and next work
  int defs_ = 0;                  // defs and lambdas around: where return works
  bool no_do_ = false;            // in a while's condition, `do` starts its body
  int depth_ = 0;
  bool plain_commands_ = true;
};

}  // namespace fw::lang
