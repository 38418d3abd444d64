#include "lang/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <initializer_list>
#include <set>
#include <sstream>

#include "base/text.hpp"
#include "lang/operators.hpp"

namespace fw::lang {

namespace {

// Counts the nesting of rules, so no input can exhaust the stack.
class DepthGuard {
 public:
  DepthGuard(int& depth, const std::function<void()>& too_deep) : depth_(depth) {
    if (++depth_ > Parser::kMaxDepth) too_deep();
  }
  ~DepthGuard() { --depth_; }

 private:
  int& depth_;
};

}  // namespace

Parser::Parser(std::string_view source, std::vector<CommandWord> commands)
    : lexer_(source), commands_(std::move(commands)) {
  if (source.size() > kMaxSource) {
    current_.type = Tok::Error;
    current_.text = fmt::format("input too large ({} bytes; at most {})", source.size(), kMaxSource);
  } else {
    advance();
  }
}

// ---- tokens ----

void Parser::advance() {
  previous_ = std::move(current_);
  if (!lookahead_.empty()) {
    current_ = std::move(lookahead_.front());
    lookahead_.erase(lookahead_.begin());
  } else {
    current_ = lexer_.next();
  }
}

const Token& Parser::peek_token(int ahead) {
  while (static_cast<int>(lookahead_.size()) < ahead) lookahead_.push_back(lexer_.next());
  return lookahead_[static_cast<size_t>(ahead - 1)];
}

bool Parser::match(Tok type) {
  if (!check(type)) return false;
  advance();
  return true;
}

void Parser::error_at(const Token& token, const std::string& message) {
  if (token.type == Tok::Error) throw SyntaxError(token.text, token.pos, token.offset, token.unfinished);
  bool incomplete = token.type == Tok::Eof;
  if (incomplete) {  // point just past the last character, not at an empty last line
    auto source = lexer_.source();
    size_t end = std::min(token.offset, source.size());
    while (end > 0 && std::isspace(static_cast<unsigned char>(source[end - 1]))) --end;
    throw SyntaxError(message, lexer_.position(end), end, incomplete);
  }
  throw SyntaxError(message, token.pos, token.offset, incomplete);
}

const Token& Parser::consume(Tok type, const char* what) {
  if (!check(type)) error_at(current_, fmt::format("expected {}, found {}", what, describe(current_.type)));
  advance();
  return previous_;
}

void Parser::skip_newlines() {
  while (check(Tok::Newline)) advance();
}

bool Parser::at_statement_end() const {
  return check(Tok::Newline) || check(Tok::Semicolon) || check(Tok::Eof);
}

void Parser::end_statement() {
  if (!at_statement_end())
    error_at(current_, fmt::format("unexpected {}; a statement ends at a new line or ';'", describe(current_.type)));
}

// After an error: skip the rest of the line it happened on.
void Parser::synchronize() {
  if (current_.type == Tok::Eof) return;
  auto source = lexer_.source();
  size_t from = std::max(previous_.end, current_.offset);
  size_t newline = source.find('\n', std::min(current_.offset, from));
  lookahead_.clear();
  lexer_.reset(newline == std::string_view::npos ? source.size() : newline, 0);
  advance();
}

NodePtr Parser::node(Node::Kind kind, const Token& at) { return std::make_unique<Node>(kind, at.pos, at.offset); }

NodePtr& Parser::deepen(NodePtr& n) {
  int below = n->receiver ? n->receiver->depth : 0;
  for (const auto& item : n->items) below = std::max(below, item->depth);
  if (n->block) below = std::max(below, n->block->depth);
  n->depth = below + 1;
  if (n->depth > kMaxTreeDepth) error_at(current_, "statement nested too deeply");
  return n;
}

NodePtr Parser::next_statement() {
  while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
  if (check(Tok::Eof)) return nullptr;
  try {
    depth_ = 0, loops_ = 0, defs_ = 0, no_do_ = false;  // a statement starts at the top level
    NodePtr s = statement();
    end_statement();
    if (!check(Tok::Semicolon)) return s;
    // `a = 1; b = 2; [a, b]`: as irb, the statements of one line run as one
    // unit that gives the last one's value, and an error stops the rest.
    NodePtr line = std::make_unique<Node>(Node::Kind::Body, s->pos, s->offset);
    line->flags = "line";
    line->items.push_back(std::move(s));
    for (;;) {
      while (check(Tok::Semicolon)) advance();
      if (check(Tok::Newline) || check(Tok::Eof)) break;
      depth_ = 0, loops_ = 0, defs_ = 0, no_do_ = false;
      line->items.push_back(statement());
      end_statement();
    }
    if (line->items.size() == 1) return std::move(line->items[0]);
    return std::move(deepen(line));
  } catch (const SyntaxError&) {
    synchronize();
    throw;
  }
}

// statement = class_def | module_def | console_command | body_statement ;
NodePtr Parser::statement() {
  if (check(Tok::Class)) return class_def();
  if (check(Tok::Module)) return module_def();
  if (is_console_command()) return console_command();
  return body_statement();
}

// body_statement = command | expression { modifier } ;
// modifier       = ( "if" | "unless" | "while" | "until" | "rescue" ) expression ;
NodePtr Parser::body_statement() {
  if (is_command_form()) return command();
  if (is_multi_assign()) return multi_assign();
  NodePtr s = expression();
  while (check(Tok::If) || check(Tok::Unless) || check(Tok::While) || check(Tok::Until) || check(Tok::Rescue)) {
    if (match(Tok::Rescue)) {  // x rescue y: y when x raises
      NodePtr r = std::make_unique<Node>(Node::Kind::Rescue, s->pos, s->offset);
      r->items.push_back(std::move(s));
      r->items.push_back(expression());
      s = std::move(deepen(r));
      continue;
    }
    bool loop = check(Tok::While) || check(Tok::Until);
    NodePtr n = std::make_unique<Node>(loop ? Node::Kind::While : Node::Kind::If, s->pos, s->offset);
    n->negate = check(Tok::Unless) || check(Tok::Until);
    advance();
    n->items.push_back(expression());
    n->items.push_back(std::move(s));
    s = std::move(deepen(n));
  }
  return s;
}

// body = { separator } [ body_statement { separator { separator } body_statement } ] { separator } ;
// It runs to one of `ends`, which it leaves for the caller to take.
NodePtr Parser::body(std::initializer_list<Tok> ends, const char* opener) {
  auto at_end = [&] { return std::any_of(ends.begin(), ends.end(), [&](Tok t) { return check(t); }); };
  enter_body();
  NodePtr b = node(Node::Kind::Body, current_);
  for (;;) {
    while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
    if (at_end()) break;
    if (check(Tok::Eof)) error_at(current_, fmt::format("'{}' has no '{}'", opener, describe(*ends.begin())));
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    b->items.push_back(body_statement());
    if (!at_end()) end_statement();
  }
  leave_body();
  return std::move(deepen(b));
}

// Newlines end statements inside a body even within brackets; the lexer is
// told so before it reads past the body's first token, and again at its end.
void Parser::enter_body() {
  lookahead_.clear();
  lexer_.rewind(current_);
  lexer_.enter_body(current_.depth);
}

void Parser::leave_body() {
  lookahead_.clear();
  lexer_.leave_body();
  lexer_.rewind(current_);
}

// class_def  = "class" CONSTANT [ "<" constant_path [ "[" NUMBER "]" ] ] separator definitions "end" ;
// module_def = "module" constant_path separator definitions "end" ;
// definitions = { ( class_def | module_def | "class" "<<" "self" separator definitions "end"
//                 | body_statement ) separator } ;
NodePtr Parser::class_def() {
  Token at = current_;
  advance();
  if (check(Tok::Shovel)) error_at(current_, "class << self works inside a class body");
  const Token& name = consume(Tok::Constant, "a class name (such as User)");
  NodePtr cls = node(Node::Kind::ClassDef, at);
  cls->name = name.text;
  while (match(Tok::ColonColon)) cls->name += "::" + consume(Tok::Constant, "a class name").text;
  if (match(Tok::Lt)) {  // `< ApplicationRecord`, `< ActiveRecord::Migration[5.2]`
    cls->text = constant_path("a superclass name");
    if (check(Tok::LBracket) && previous_.end == current_.offset) {
      advance();
      if (!check(Tok::Float) && !check(Tok::Integer)) error_at(current_, "expected a version such as [6.1]");
      cls->flags = current_.text;
      advance();
      consume(Tok::RBracket, "']'");
    }
  }
  definitions(*cls, "class " + cls->name);
  return cls;
}

NodePtr Parser::module_def() {
  Token at = current_;
  advance();
  NodePtr mod = node(Node::Kind::ModuleDef, at);
  mod->name = constant_path("a module name");
  definitions(*mod, "module " + mod->name);
  return mod;
}

// A::B::C, as one name.
std::string Parser::constant_path(const char* what) {
  std::string path = consume(Tok::Constant, what).text;
  while (match(Tok::ColonColon)) path += "::" + consume(Tok::Constant, "a constant name").text;
  return path;
}

// A class or module body, up to its `end`. `class << self ... end` inside a
// class gives its defs a `self` receiver, as def self.name does.
void Parser::definitions(Node& owner, const std::string& what) {
  if (!check(Tok::Newline) && !check(Tok::Semicolon))
    error_at(current_, fmt::format("expected a new line after {}", what));
  for (;;) {
    while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
    if (match(Tok::End)) break;
    if (check(Tok::Eof)) error_at(current_, fmt::format("{} has no 'end'", what));
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    if (check(Tok::Class) && peek_token(1).type == Tok::Shovel) {
      Token at = current_;
      advance();
      advance();
      consume(Tok::Self, "self after class <<");
      NodePtr singleton = node(Node::Kind::ClassDef, at);
      definitions(*singleton, "class << self");
      for (auto& item : singleton->items) {
        if (item->kind != Node::Kind::Def) error_at(current_, "class << self holds method definitions (def name ... end)");
        item->receiver = node(Node::Kind::Self, at);
        owner.items.push_back(std::move(item));
      }
      continue;
    }
    if (check(Tok::Class)) {
      if (owner.kind == Node::Kind::ClassDef) error_at(current_, "a class cannot be declared inside another");
      owner.items.push_back(class_def());
    } else if (check(Tok::Module)) {
      owner.items.push_back(module_def());
    } else {
      owner.items.push_back(body_statement());
    }
    end_statement();
  }
}

const CommandWord* Parser::command_word(const std::string& name) const {
  for (const auto& c : commands_)
    if (c.name == name) return &c;
  return nullptr;
}

bool Parser::is_console_command() {
  if (!check(Tok::Ident) || !command_word(current_.text)) return false;
  const Token& next = peek_token(1);
  // `begin` alone, with nothing after it, opens a transaction; followed by
  // `;` or more lines it is Ruby's begin ... end.
  if (current_.text == "begin")
    return (next.type == Tok::Newline || next.type == Tok::Eof) && rest_is_blank(next.offset);
  switch (next.type) {
    case Tok::Newline: case Tok::Semicolon: case Tok::Eof: case Tok::Ident: case Tok::Constant:
    case Tok::String: case Tok::Integer:
      return true;
    default:
      return false;
  }
}

// console_command = COMMAND_NAME { any token } ;   (the rest of the statement, as text)
NodePtr Parser::console_command() {
  NodePtr cmd = node(Node::Kind::ConsoleCommand, current_);
  cmd->name = current_.text;
  bool whole_statement = command_word(cmd->name)->takes_statement;
  auto source = lexer_.source();
  size_t start = current_.end, end = start;
  char quote = 0;
  for (; end < source.size(); ++end) {
    char c = source[end];
    if (quote) {
      if (c == '\\') ++end;
      else if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '\n' || (c == ';' && !whole_statement) || c == '#') {
      break;
    }
  }
  std::string text(source.substr(start, end - start));
  size_t a = text.find_first_not_of(" \t\r"), b = text.find_last_not_of(" \t\r");
  cmd->text = a == std::string::npos ? "" : text.substr(a, b - a + 1);
  lookahead_.clear();
  lexer_.reset(end, 0);
  advance();
  return cmd;
}

// The command form starts with two names: `heart user=2`, `heart user.email=...`.
bool Parser::is_command_form() {
  if (!check(Tok::Ident)) return false;
  const Token& key = peek_token(1);
  if (key.type != Tok::Ident) return false;
  const Token& after = peek_token(2);
  if (after.type == Tok::Assign) return true;
  return after.type == Tok::Dot && peek_token(3).type == Tok::Ident && peek_token(4).type == Tok::Assign;
}

// command = IDENT pair { pair } ;
// pair    = IDENT [ "." IDENT ] "=" value ;
// value   = STRING | interpolation | "(" expression ")" | BARE_WORD ;
NodePtr Parser::command() {
  NodePtr cmd = node(Node::Kind::Command, current_);
  cmd->name = current_.text;
  advance();
  while (!at_statement_end() && !check(Tok::RBrace)) {  // a } ends it inside a block: { |n| tag name=(n) }
    NodePtr pair = node(Node::Kind::CommandPair, current_);
    pair->name = consume(Tok::Ident, "a column or association name (key=value)").text;
    if (match(Tok::Dot)) pair->path = consume(Tok::Ident, "a column name after '.'").text;
    if (!check(Tok::Assign))
      error_at(current_, fmt::format("expected '=' after {}{} (the command form is key=value)", pair->name,
                                     pair->path.empty() ? "" : "." + pair->path));
    if (auto word = bare_word_after_assign()) {
      pair->items.push_back(bare_value(std::move(*word)));
    } else {
      advance();
      pair->items.push_back(command_value(pair->name + (pair->path.empty() ? "" : "." + pair->path)));
    }
    cmd->items.push_back(std::move(pair));
  }
  return cmd;
}

NodePtr Parser::command_value(const std::string& key) {
  if (check(Tok::StringBegin)) return interpolation();  // content="tweet #{i}"
  if (check(Tok::String)) {
    NodePtr s = node(Node::Kind::String, current_);
    s->text = current_.text;
    advance();
    return s;
  }
  if (match(Tok::LParen)) {
    NodePtr e = expression();
    consume(Tok::RParen, "')'");
    return e;
  }
  if (check(Tok::Newline) || check(Tok::Semicolon) || check(Tok::Eof))
    error_at(current_, fmt::format("expected a value after {}=", key));
  lookahead_.clear();
  return bare_value(lexer_.raw_word(current_));
}

// The value after `=` when it plainly is a bare word (user=3,
// email=ann@example.com): read raw straight from the source, rather than
// lexed as a token first and read again. Anything else (a quote, a bracket,
// a space, a comment, the end) goes the general way, command_value.
std::optional<Token> Parser::bare_word_after_assign() {
  std::string_view source = lexer_.source();
  if (!lookahead_.empty() || current_.end >= source.size()) return std::nullopt;
  char c = source[current_.end];
  bool plain = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '+' || c == '.' || c == '@';
  if (!plain) return std::nullopt;
  Token from;
  from.offset = current_.end;
  from.depth = current_.depth;
  return lexer_.raw_word(from);
}

NodePtr Parser::bare_value(Token word) {
  NodePtr value = node(Node::Kind::String, word);
  value->text = word.text;
  value->bare = true;
  if (word.text == "nil") value->kind = Node::Kind::Nil;
  else if (word.text == "true") value->kind = Node::Kind::True;
  else if (word.text == "false") value->kind = Node::Kind::False;
  previous_ = std::move(word);  // the statement's text runs to the end of the word
  current_ = lexer_.next();
  return value;
}

// expression = assignment ;
NodePtr Parser::expression() {
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  return assignment();
}

// assignment = ( IDENT | postfix "." IDENT | postfix "[" expression "]" ) ( "=" | OP_ASSIGN ) assignment
//            | ternary ;
NodePtr Parser::assignment() {
  NodePtr left = ternary();
  if (!check(Tok::Assign) && !check(Tok::OpAssign)) return left;
  Token at = current_;
  advance();
  skip_newlines();
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  NodePtr value = assignment();
  bool constant = left->kind == Node::Kind::Constant && at.type == Tok::Assign;  // KINDS = %w[a b]
  bool variable = left->kind == Node::Kind::Variable || constant;
  bool attribute = left->kind == Node::Kind::Call && left->receiver && left->items.empty() && !left->parens && !left->block;
  bool index = left->kind == Node::Kind::Index;
  if (!variable && !attribute && !index)
    error_at(at, "cannot assign to this; assign to a variable (x = ...), an attribute (record.name = ...) or an element (h[k] = ...)");
  if (variable && !constant) locals_.insert(left->name);
  if (at.type == Tok::OpAssign) {  // x += 1, h[k] ||= [], u.name ||= "x"
    NodePtr a = std::make_unique<Node>(Node::Kind::OpAssign, left->pos, left->offset);
    a->name = at.text;
    a->op = static_cast<int>(operator_of(at.text));
    a->items.push_back(std::move(left));
    a->items.push_back(std::move(value));
    return std::move(deepen(a));
  }
  Node::Kind kind = variable ? Node::Kind::Assign : attribute ? Node::Kind::AttrAssign : Node::Kind::IndexAssign;
  NodePtr a = std::make_unique<Node>(kind, left->pos, left->offset);
  a->name = left->name;
  if (constant) a->flags = "constant";
  a->receiver = std::move(left->receiver);
  if (index) a->items.push_back(std::move(left->items[0]));
  a->items.push_back(std::move(value));
  return std::move(deepen(a));
}

// ternary = range [ "?" ternary ":" ternary ] ;
NodePtr Parser::ternary() {
  NodePtr condition = range();
  if (!check(Tok::Question)) return condition;
  NodePtr n = std::make_unique<Node>(Node::Kind::If, condition->pos, condition->offset);
  advance();
  skip_newlines();
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  n->items.push_back(std::move(condition));
  n->items.push_back(ternary());
  skip_newlines();
  consume(Tok::Colon, "':' (the ternary operator is a ? b : c)");
  skip_newlines();
  n->items.push_back(ternary());
  return std::move(deepen(n));
}

// range = or_expr [ ( ".." | "..." ) [ or_expr ] ] ;   (no end: an endless range)
NodePtr Parser::range() {
  NodePtr from = or_expr();
  if (!check(Tok::DotDot) && !check(Tok::DotDotDot)) return from;
  NodePtr n = std::make_unique<Node>(Node::Kind::Range, from->pos, from->offset);
  n->exclusive = check(Tok::DotDotDot);
  Token at = current_;
  advance();
  n->items.push_back(std::move(from));
  if (at_statement_end() || check(Tok::RParen) || check(Tok::RBracket) || check(Tok::Then))
    n->items.push_back(node(Node::Kind::Nil, at));
  else
    n->items.push_back(or_expr());
  return std::move(deepen(n));
}

namespace {
NodePtr binary(Node::Kind kind, std::string op, NodePtr left, NodePtr right) {
  NodePtr n = std::make_unique<Node>(kind, left->pos, left->offset);
  n->op = static_cast<int>(operator_of(op));
  n->name = std::move(op);
  n->items.push_back(std::move(left));
  n->items.push_back(std::move(right));
  return n;
}
}  // namespace

// The binary operators by level, loosest first, each left to right:
//   or_expr    = and_expr { ( "||" | "or" ) and_expr } ;
//   and_expr   = not_expr { ( "&&" | "and" ) not_expr } ;
//   not_expr   = ( "!" | "not" ) not_expr | equality ;
//   equality   = comparison { ( "==" | "!=" | "<=>" | "=~" | "!~" ) comparison } ;
//   comparison = bit_or { ( "<" | ">" | "<=" | ">=" ) bit_or } ;
//   bit_or     = bit_and { ( "|" | "^" ) bit_and } ;
//   bit_and    = shift { "&" shift } ;
//   shift      = additive { "<<" additive } ;
//   additive   = term { ( "+" | "-" ) term } ;
//   term       = unary { ( "*" | "/" | "%" ) unary } ;
// They are read by precedence climbing, so an operand that has no operator
// after it does not descend through every level.
namespace {
enum Level : int { kOr, kAnd, kNot, kEquality, kComparison, kBitOr, kBitAnd, kShift, kAdditive, kTerm };

struct BinaryOp {
  int level;
  const char* text;
  Node::Kind kind = Node::Kind::Binary;
};

std::optional<BinaryOp> binary_op(Tok type) {
  switch (type) {
    case Tok::OrOr: case Tok::Or: return BinaryOp{kOr, "||", Node::Kind::Or};
    case Tok::AndAnd: case Tok::And: return BinaryOp{kAnd, "&&", Node::Kind::And};
    case Tok::Eq: return BinaryOp{kEquality, "=="};
    case Tok::NotEq: return BinaryOp{kEquality, "!="};
    case Tok::Compare: return BinaryOp{kEquality, "<=>"};
    case Tok::Match: return BinaryOp{kEquality, "=~"};
    case Tok::NotMatch: return BinaryOp{kEquality, "!~"};
    case Tok::Lt: return BinaryOp{kComparison, "<"};
    case Tok::Gt: return BinaryOp{kComparison, ">"};
    case Tok::Le: return BinaryOp{kComparison, "<="};
    case Tok::Ge: return BinaryOp{kComparison, ">="};
    case Tok::Pipe: return BinaryOp{kBitOr, "|"};
    case Tok::Caret: return BinaryOp{kBitOr, "^"};
    case Tok::Amp: return BinaryOp{kBitAnd, "&"};
    case Tok::Shovel: return BinaryOp{kShift, "<<"};
    case Tok::Plus: return BinaryOp{kAdditive, "+"};
    case Tok::Minus: return BinaryOp{kAdditive, "-"};
    case Tok::Star: return BinaryOp{kTerm, "*"};
    case Tok::Slash: return BinaryOp{kTerm, "/"};
    case Tok::Percent: return BinaryOp{kTerm, "%"};
    default: return std::nullopt;
  }
}
}  // namespace

// An expression of the operators from `lowest` up; a new line after an
// operator continues the statement.
NodePtr Parser::binary_from(int lowest) {
  NodePtr left = lowest <= kNot ? not_expr() : unary();
  for (;;) {
    auto op = binary_op(current_.type);
    if (!op || op->level < lowest) return left;
    advance();
    skip_newlines();
    left = binary(op->kind, op->text, std::move(left), binary_from(op->level + 1));
    deepen(left);
  }
}

NodePtr Parser::or_expr() { return binary_from(kOr); }

NodePtr Parser::not_expr() {
  if (check(Tok::Bang) || check(Tok::Not)) {
    NodePtr n = node(Node::Kind::Not, current_);
    advance();
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    n->items.push_back(not_expr());
    return std::move(deepen(n));
  }
  return binary_from(kEquality);
}

// unary = ( "-" | "+" ) unary | power ;   (-3.abs is (-3).abs: a minus glued to a number is part of it)
NodePtr Parser::unary() {
  if (check(Tok::Minus) && (peek_token(1).type == Tok::Integer || peek_token(1).type == Tok::Float) &&
      peek_token(1).offset == current_.end) {
    Token minus = current_;
    advance();
    NodePtr number = node(check(Tok::Integer) ? Node::Kind::Integer : Node::Kind::Float, minus);
    number->text = "-" + current_.text;
    if (number->kind == Node::Kind::Integer) {
      auto value = parse_int(number->text);
      if (!value) error_at(current_, fmt::format("integer {} is too small (the limit is -9223372036854775808)", number->text));
      number->integer = *value;
    }
    advance();
    NodePtr value = postfix(std::move(number));
    if (!check(Tok::Pow)) return value;
    // -2 ** 2 is -(2 ** 2), as in Ruby
    value->text = value->kind == Node::Kind::Integer || value->kind == Node::Kind::Float ? value->text.substr(1) : value->text;
    if (value->kind == Node::Kind::Integer) {  // 2, of -(2 ** 2)
      auto positive = parse_int(value->text);
      if (!positive) error_at(previous_, fmt::format("integer {} is too large (the limit is 9223372036854775807)", value->text));
      value->integer = *positive;
    }
    NodePtr n = node(Node::Kind::Negate, minus);
    advance();
    n->items.push_back(binary(Node::Kind::Binary, "**", std::move(value), unary()));
    return std::move(deepen(n));
  }
  if (check(Tok::Plus)) {
    NodePtr n = node(Node::Kind::Call, current_);  // +"" (an unfrozen string), +x: the method +@
    advance();
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    n->name = "+@";
    n->receiver = unary();
    n->offset = n->receiver->offset;
    return std::move(deepen(n));
  }
  if (check(Tok::Minus)) {
    NodePtr n = node(Node::Kind::Negate, current_);
    advance();
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    n->items.push_back(unary());
    return std::move(deepen(n));
  }
  return power();
}

// power = postfix [ "**" unary ] ;   (right to left: 2 ** 3 ** 2 is 2 ** 9)
NodePtr Parser::power() {
  NodePtr base = postfix();
  if (!check(Tok::Pow)) return base;
  advance();
  skip_newlines();
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  NodePtr n = binary(Node::Kind::Binary, "**", std::move(base), unary());
  return std::move(deepen(n));
}

// postfix = primary { ( "." | "&." ) NAME [ arguments | bare_arguments ] [ block ] | "[" expression "]" } ;
NodePtr Parser::postfix(NodePtr left) {
  if (!left) left = primary();
  for (;;) {
    if (check(Tok::Dot) || check(Tok::SafeNav)) {
      bool safe = check(Tok::SafeNav);
      advance();
      skip_newlines();
      bool shorthand = check(Tok::LParen);  // f.(x) is f.call(x)
      if (!shorthand && !check(Tok::Ident) && !check(Tok::Constant))
        error_at(current_, fmt::format("expected a method name after '{}', found {}", safe ? "&." : ".", describe(current_.type)));
      NodePtr call = node(Node::Kind::Call, current_);  // errors point at the method's name
      call->name = shorthand ? "call" : current_.text;
      call->safe = safe;
      call->offset = left->offset;                      // the text starts at the receiver
      call->receiver = std::move(left);
      if (!shorthand) advance();
      if (check(Tok::LParen) && previous_.end == current_.offset) arguments(*call);
      else if (check(Tok::Label) || starts_command_argument(true)) bare_arguments(*call);
      optional_block(*call);
      left = std::move(deepen(call));
    } else if (check(Tok::LBracket) && previous_.end == current_.offset) {
      NodePtr index = node(Node::Kind::Index, current_);
      index->offset = left->offset;
      advance();
      index->receiver = std::move(left);
      index->items.push_back(expression());
      if (match(Tok::Comma)) index->items.push_back(expression());  // a[start, length]
      consume(Tok::RBracket, "']'");
      left = std::move(deepen(index));
    } else {
      return left;
    }
  }
}

// A paren-less argument after a method name and a space: `puts x`, `p 1`,
// `x.include? y`. A local variable followed by a value is not a call.
bool Parser::starts_command_argument(bool after_dot) const {
  if (previous_.end == current_.offset) return false;
  bool glued_to_next = [&] {
    auto source = lexer_.source();
    return current_.end < source.size() && !std::isspace(static_cast<unsigned char>(source[current_.end]));
  }();
  switch (current_.type) {
    case Tok::Ident: case Tok::Integer: case Tok::Float: case Tok::StringBegin: case Tok::Words: case Tok::Arrow:
    case Tok::Nil: case Tok::True: case Tok::False: case Tok::Self: case Tok::Symbol: case Tok::String:
    case Tok::Regex: case Tok::Constant: case Tok::Shell:
      return true;
    case Tok::LBracket: return true;  // puts [1, 2]; t.index ["name"] (schema.rb) as Ruby reads it: a.b([1])
    case Tok::LParen: return !after_dot;                        // puts (1..3).sum: the argument starts with (...)
    case Tok::Minus: return !after_dot && glued_to_next;  // puts -1; but a.b -1 subtracts
    case Tok::Amp: return glued_to_next;                  // map &:name
    default: return false;
  }
}

// block = "{" [ block_params ] body "}" | "do" [ block_params ] body "end" ;
void Parser::optional_block(Node& call) {
  if (call.block) return;
  bool brace = check(Tok::LBrace);
  if (!brace && !(check(Tok::Do) && !no_do_)) return;
  NodePtr b = node(Node::Kind::Block, current_);
  advance();
  block_params(*b);
  ++loops_;
  b->items.push_back(body({brace ? Tok::RBrace : Tok::End}, brace ? "{" : "do"));
  --loops_;
  consume(brace ? Tok::RBrace : Tok::End, brace ? "'}'" : "'end'");
  call.block = std::move(deepen(b));
}

// block_params = "|" [ params ] "|" ;
void Parser::block_params(Node& n) {
  if (!match(Tok::Pipe)) return;
  params(n, Tok::Pipe);
  consume(Tok::Pipe, "'|' after the block's parameters");
}

// params = param { "," param } ;   (up to `close`, which is left for the caller)
void Parser::params(Node& n, Tok close) {
  while (!check(close)) {
    n.params.push_back(param(n, close == Tok::RParen));
    if (!match(Tok::Comma)) break;
  }
}

// param = IDENT [ "=" ternary ] | "*" [ IDENT ] | "**" IDENT | "&" IDENT | LABEL [ ternary ]
//       | "(" param { "," param } ")" ;
// Written back as the pattern Node::params describes; defaults go to n.defaults.
// Defaults and keywords are for def and lambda (in parentheses), not blocks.
std::string Parser::param(Node& n, bool in_parens) {
  auto name = [&](const char* what) {
    std::string text = consume(Tok::Ident, what).text;
    locals_.insert(text);
    return text;
  };
  if (match(Tok::Star)) return check(Tok::Ident) ? "*" + name("a parameter name") : "*";
  if (match(Tok::Pow)) return "**" + name("a parameter name after '**'");
  if (match(Tok::Amp)) return "&" + name("a block parameter name after '&'");
  if (match(Tok::LParen)) {
    std::string inner;
    while (!check(Tok::RParen)) {
      inner += (inner.empty() ? "" : ",") + param(n, false);
      if (!match(Tok::Comma)) break;
    }
    consume(Tok::RParen, "')' after the parameters");
    return "(" + inner + ")";
  }
  if (in_parens && check(Tok::Label)) {
    std::string key = current_.text;
    locals_.insert(key);
    advance();
    if (check(Tok::Comma) || check(Tok::RParen)) return key + ":";
    n.defaults.push_back(ternary());
    return key + ":=";
  }
  std::string plain = name("a parameter name");
  if (in_parens && match(Tok::Assign)) {
    n.defaults.push_back(ternary());
    return plain + "=";
  }
  return plain;
}

// begin_block = "begin" body rescue_clauses "end" ;
NodePtr Parser::begin_block() {
  NodePtr b = node(Node::Kind::Begin, current_);
  advance();
  b->items.push_back(body({Tok::End, Tok::Rescue, Tok::Else, Tok::Ensure}, "begin"));
  rescue_clauses(*b);
  consume(Tok::End, "'end' to close 'begin'");
  return std::move(deepen(b));
}

// rescue_clauses = { "rescue" [ CONSTANT { "," CONSTANT } ] [ "=>" IDENT ] [ "then" ] body }
//                  [ "else" body ] [ "ensure" body ] ;
void Parser::rescue_clauses(Node& begin) {
  while (check(Tok::Rescue)) {
    NodePtr clause = node(Node::Kind::RescueClause, current_);
    advance();
    while (check(Tok::Constant)) {
      clause->items.push_back(primary());
      if (!match(Tok::Comma)) break;
      skip_newlines();
    }
    if (match(Tok::Rocket)) {
      clause->name = consume(Tok::Ident, "a variable name after '=>'").text;
      locals_.insert(clause->name);
    }
    match(Tok::Then);
    clause->items.push_back(body({Tok::End, Tok::Rescue, Tok::Else, Tok::Ensure}, "rescue"));
    begin.items.push_back(std::move(deepen(clause)));
  }
  if (match(Tok::Else)) begin.receiver = body({Tok::End, Tok::Ensure}, "else");
  if (match(Tok::Ensure)) begin.block = body({Tok::End}, "ensure");
}

// Whether the statement ahead is a multiple assignment (a, b = ...; *init, last = ...;
// x, (y, z) = ...): names, stars and parentheses separated by commas, then `=`.
bool Parser::is_multi_assign() {
  if (!check(Tok::Ident) && !check(Tok::Star) && !check(Tok::LParen)) return false;
  int depth = 0;
  bool list = false;
  for (int i = 0; i < 64; ++i) {
    Tok type = i == 0 ? current_.type : peek_token(i).type;  // a type, not a reference: peeking may move the tokens
    Tok next = peek_token(i + 1).type;
    switch (type) {
      case Tok::Ident:
        if (next != Tok::Comma && next != Tok::RParen && next != Tok::Assign) return false;
        break;
      case Tok::Star: list = true; break;
      case Tok::LParen: ++depth; break;
      case Tok::RParen:
        if (--depth < 0) return false;
        break;
      case Tok::Comma: list = true; break;
      case Tok::Assign: return depth == 0 && list;
      default: return false;
    }
  }
  return false;
}

// multi_assign = target { "," target } "=" expression { "," expression } ;
// target       = IDENT | "*" IDENT | "(" target { "," target } ")" ;
NodePtr Parser::multi_assign() {
  NodePtr n = node(Node::Kind::MultiAssign, current_);
  do {
    n->params.push_back(assign_target());
  } while (match(Tok::Comma));
  Token at = consume(Tok::Assign, "'='");
  skip_newlines();
  NodePtr values = node(Node::Kind::Array, current_);
  do {
    skip_newlines();
    values->items.push_back(expression());
  } while (match(Tok::Comma));
  if (values->items.size() == 1) n->items.push_back(std::move(values->items[0]));  // a, b = pair: taken apart
  else n->items.push_back(std::move(deepen(values)));
  return std::move(deepen(n));
}

std::string Parser::assign_target() {
  if (match(Tok::Star)) {
    std::string name = consume(Tok::Ident, "a variable name after '*'").text;
    locals_.insert(name);
    return "*" + name;
  }
  if (match(Tok::LParen)) {
    std::string inner;
    do {
      inner += (inner.empty() ? "" : ",") + assign_target();
    } while (match(Tok::Comma));
    consume(Tok::RParen, "')'");
    return "(" + inner + ")";
  }
  std::string name = consume(Tok::Ident, "a variable name").text;
  locals_.insert(name);
  return name;
}

// Whether the source from `offset` on holds nothing but spaces and comments.
bool Parser::rest_is_blank(size_t offset) const {
  auto source = lexer_.source();
  bool comment = false;
  for (size_t i = offset; i < source.size(); ++i) {
    char c = source[i];
    if (comment) {
      comment = c != '\n';
      continue;
    }
    if (c == '#') comment = true;
    else if (!std::isspace(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

bool Parser::starts_bare_argument() const {
  switch (current_.type) {
    case Tok::Symbol: case Tok::String: case Tok::Label: case Tok::Regex: case Tok::Constant:
      return true;
    default:
      return false;
  }
}

// primary = literal | array | hash | lambda | "(" expression ")" | CONSTANT
//         | IDENT [ arguments | bare_arguments ] ;
NodePtr Parser::primary() {
  Token t = current_;
  auto literal = [&](Node::Kind kind) {
    NodePtr n = node(kind, t);
    n->text = t.text;
    n->flags = t.flags;
    advance();
    return n;
  };
  switch (t.type) {
    case Tok::Integer: {
      auto value = parse_int(t.text);
      if (!value) error_at(t, fmt::format("integer {} is too large (the limit is 9223372036854775807)", t.text));
      NodePtr n = literal(Node::Kind::Integer);
      n->integer = *value;
      return n;
    }
    case Tok::Float: return literal(Node::Kind::Float);
    case Tok::String: return literal(Node::Kind::String);
    case Tok::Symbol: return literal(Node::Kind::Symbol);
    case Tok::Regex: return literal(Node::Kind::Regex);
    case Tok::True: return literal(Node::Kind::True);
    case Tok::False: return literal(Node::Kind::False);
    case Tok::Nil: return literal(Node::Kind::Nil);
    case Tok::Self: return literal(Node::Kind::Self);
    case Tok::DotDot: case Tok::DotDotDot: {  // ..5: a beginless range
      NodePtr n = node(Node::Kind::Range, t);
      n->exclusive = t.type == Tok::DotDotDot;
      advance();
      n->items.push_back(node(Node::Kind::Nil, t));
      n->items.push_back(or_expr());
      return std::move(deepen(n));
    }
    case Tok::LBracket: return array();
    case Tok::LBrace: return hash();
    case Tok::Arrow: return lambda();
    case Tok::StringBegin: return interpolation();
    case Tok::Words: return words();
    case Tok::Shell: {  // `cmd`: Kernel#` called with the command, which the interpreter refuses
      NodePtr n = node(Node::Kind::Call, t);
      n->name = "`";
      n->items.push_back(literal(Node::Kind::String));
      return n;
    }
    case Tok::If: case Tok::Unless: return if_expr();
    case Tok::While: case Tok::Until: return while_expr();
    case Tok::Case: return case_expr();
    case Tok::Def: return def();
    case Tok::Return: case Tok::Break: case Tok::Next: return jump();
    case Tok::LParen: {
      advance();
      skip_newlines();
      NodePtr e = expression();
      if (match(Tok::Rescue)) {  // (x rescue y)
        NodePtr r = std::make_unique<Node>(Node::Kind::Rescue, e->pos, e->offset);
        r->items.push_back(std::move(e));
        r->items.push_back(expression());
        e = std::move(deepen(r));
      }
      skip_newlines();
      consume(Tok::RParen, "')'");
      return e;
    }
    case Tok::Constant: {
      NodePtr c = literal(Node::Kind::Constant);
      c->name = t.text;
      while (match(Tok::ColonColon)) c->name += "::" + consume(Tok::Constant, "a constant name after '::'").text;
      if (check(Tok::LParen) && previous_.end == current_.offset) {  // Integer("42"): a method named like a class
        c->kind = Node::Kind::Call;
        arguments(*c);
        return std::move(deepen(c));
      }
      return c;
    }
    case Tok::Ident: {
      if (t.text == "begin" && !locals_.count(t.text)) return begin_block();
      advance();
      NodePtr call = node(Node::Kind::Call, t);
      call->name = t.text;
      bool local = locals_.count(t.text) > 0;
      if (check(Tok::LParen) && previous_.end == current_.offset) arguments(*call);
      else if (starts_bare_argument() || (!local && starts_command_argument(false))) bare_arguments(*call);
      else if (!local) optional_block(*call);
      if (call->items.empty() && !call->parens && !call->block) call->kind = Node::Kind::Variable;
      else optional_block(*call);
      return std::move(deepen(call));
    }
    case Tok::Label:
      error_at(t, fmt::format("unexpected key {}: outside a call or hash", t.text));
    default:
      error_at(t, fmt::format("unexpected {}, expected a value", describe(t.type)));
  }
}

// array = "[" [ expression { "," expression } [ "," ] ] "]" ;
NodePtr Parser::array() {
  NodePtr a = node(Node::Kind::Array, current_);
  advance();
  while (!check(Tok::RBracket)) {
    a->items.push_back(expression());
    if (!match(Tok::Comma)) break;
  }
  consume(Tok::RBracket, "']' or ','");
  return std::move(deepen(a));
}

// hash = "{" [ pair { "," pair } [ "," ] ] "}" ;
// pair = LABEL expression | expression "=>" expression ;
NodePtr Parser::hash() {
  NodePtr h = node(Node::Kind::Hash, current_);
  advance();
  while (!check(Tok::RBrace)) {
    if (check(Tok::Label)) {
      h->items.push_back(label_key());
    } else {
      h->items.push_back(expression());
      consume(Tok::Rocket, "'=>' or a key (name:)");
    }
    h->items.push_back(expression());
    if (!match(Tok::Comma)) break;
  }
  consume(Tok::RBrace, "'}' or ','");
  return std::move(deepen(h));
}

// `name:` is the symbol :name as a key.
NodePtr Parser::label_key() {
  NodePtr key = node(Node::Kind::Symbol, current_);
  key->text = current_.text;
  advance();
  return key;
}

// lambda = "->" [ "(" [ IDENT { "," IDENT } ] ")" ] ( "{" body "}" | "do" body "end" ) ;
NodePtr Parser::lambda() {
  NodePtr l = node(Node::Kind::Lambda, current_);
  advance();
  if (match(Tok::LParen)) {
    params(*l, Tok::RParen);
    consume(Tok::RParen, "')' after the lambda's parameters");
  }
  bool brace = check(Tok::LBrace);
  if (!brace && !check(Tok::Do)) error_at(current_, "expected '{' after '->'");
  advance();
  int loops = loops_, defs = defs_;
  loops_ = 0, defs_ = 1;  // return and next leave the lambda
  l->items.push_back(body({brace ? Tok::RBrace : Tok::End}, brace ? "->{" : "-> do"));
  loops_ = loops, defs_ = defs;
  consume(brace ? Tok::RBrace : Tok::End, brace ? "'}'" : "'end'");
  return std::move(deepen(l));
}

// interpolation = STRING_BEGIN [ expression ] { STRING_MID [ expression ] } STRING_END ;
NodePtr Parser::interpolation() {
  NodePtr n = node(Node::Kind::Interp, current_);
  auto text = [&] {
    NodePtr part = node(Node::Kind::String, current_);
    part->text = current_.text;
    n->items.push_back(std::move(part));
    advance();
  };
  text();
  for (;;) {
    if (!check(Tok::StringMid) && !check(Tok::StringEnd)) n->items.push_back(expression());
    if (check(Tok::StringMid)) {
      text();
      continue;
    }
    if (!check(Tok::StringEnd)) error_at(current_, "expected '}' to close '#{' in the string");
    text();
    return std::move(deepen(n));
  }
}

// words = WORDS ;   (%w[a b] is ["a", "b"]; %i[a b] is [:a, :b])
NodePtr Parser::words() {
  NodePtr a = node(Node::Kind::Array, current_);
  std::istringstream list(current_.text);
  for (std::string w; list >> w;) {
    NodePtr item = node(current_.flags == "i" ? Node::Kind::Symbol : Node::Kind::String, current_);
    item->text = w;
    a->items.push_back(std::move(item));
  }
  advance();
  return std::move(deepen(a));
}

// if_expr = ( "if" | "unless" ) expression [ "then" ] body
//           { "elsif" expression [ "then" ] body } [ "else" body ] "end" ;
NodePtr Parser::if_expr() {
  NodePtr n = node(Node::Kind::If, current_);
  n->negate = check(Tok::Unless);
  const char* opener = n->negate ? "unless" : "if";
  advance();
  n->items.push_back(expression());
  match(Tok::Then);
  n->items.push_back(body({Tok::Elsif, Tok::Else, Tok::End}, opener));
  std::vector<Node*> chain{n.get()};
  while (check(Tok::Elsif)) {
    NodePtr e = node(Node::Kind::If, current_);
    advance();
    e->items.push_back(expression());
    match(Tok::Then);
    e->items.push_back(body({Tok::Elsif, Tok::Else, Tok::End}, "elsif"));
    chain.push_back(e.get());
    chain[chain.size() - 2]->items.push_back(std::move(e));
  }
  if (match(Tok::Else)) chain.back()->items.push_back(body({Tok::End}, "else"));
  consume(Tok::End, fmt::format("'end' to close '{}'", opener).c_str());
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {  // depths from the innermost out
    int below = 0;
    for (const auto& item : (*it)->items) below = std::max(below, item->depth);
    (*it)->depth = below + 1;
  }
  if (n->depth > kMaxTreeDepth) error_at(current_, "statement nested too deeply");
  return n;
}

// while_expr = ( "while" | "until" ) expression [ "do" ] body "end" ;
NodePtr Parser::while_expr() {
  NodePtr n = node(Node::Kind::While, current_);
  n->negate = check(Tok::Until);
  advance();
  bool no_do = no_do_;
  no_do_ = true;  // the `do` here belongs to the loop, not to a call in its condition
  n->items.push_back(expression());
  no_do_ = no_do;
  match(Tok::Do);
  ++loops_;
  n->items.push_back(body({Tok::End}, n->negate ? "until" : "while"));
  --loops_;
  consume(Tok::End, "'end'");
  return std::move(deepen(n));
}

// case_expr = "case" [ expression ] { "when" expression { "," expression } [ "then" ] body }
//             [ "else" body ] "end" ;
NodePtr Parser::case_expr() {
  NodePtr n = node(Node::Kind::Case, current_);
  advance();
  n->items.push_back(at_statement_end() ? node(Node::Kind::Nil, previous_) : expression());
  skip_newlines();
  while (check(Tok::Semicolon) || check(Tok::Newline)) advance();
  if (!check(Tok::When)) error_at(current_, "expected 'when' after 'case'");
  while (check(Tok::When)) {
    NodePtr w = node(Node::Kind::When, current_);
    advance();
    do {
      skip_newlines();
      w->items.push_back(expression());
    } while (match(Tok::Comma));
    match(Tok::Then);
    w->items.push_back(body({Tok::When, Tok::Else, Tok::End}, "when"));
    n->items.push_back(std::move(deepen(w)));
  }
  if (match(Tok::Else)) n->receiver = body({Tok::End}, "else");
  consume(Tok::End, "'end' to close 'case'");
  return std::move(deepen(n));
}

// def = "def" [ "self" "." ] IDENT [ "(" [ IDENT { "," IDENT } ] ")" ] body "end" ;
NodePtr Parser::def() {
  NodePtr d = node(Node::Kind::Def, current_);
  advance();
  if (check(Tok::Self) && peek_token(1).type == Tok::Dot) {  // def self.find_by_slug: a class method
    d->receiver = node(Node::Kind::Self, current_);
    advance();
    advance();
  }
  d->name = consume(Tok::Ident, "a method name after 'def'").text;
  if (check(Tok::Assign) && previous_.end == current_.offset && peek_token(1).offset == current_.end) {
    advance();  // def name=(value): an attribute writer
    d->name += "=";
  }
  std::set<std::string> outer = std::move(locals_);  // a method sees only its parameters
  locals_.clear();
  int loops = loops_, defs = defs_;
  loops_ = 0, defs_ = 1;
  try {
    if (match(Tok::LParen)) {
      params(*d, Tok::RParen);
      consume(Tok::RParen, "')' after the parameters");
    } else if (check(Tok::Ident) || check(Tok::Star) || check(Tok::Pow) || check(Tok::Amp) || check(Tok::Label)) {
      params(*d, Tok::Newline);  // def greet name, greeting: "hi"
    }
    if (match(Tok::Assign)) {  // def twice(x) = x * 2: the endless def
      skip_newlines();
      NodePtr b = node(Node::Kind::Body, current_);
      b->items.push_back(body_statement());
      d->items.push_back(std::move(deepen(b)));
    } else {
      d->items.push_back(body({Tok::End, Tok::Rescue, Tok::Else, Tok::Ensure}, "def"));
      if (check(Tok::Rescue) || check(Tok::Else) || check(Tok::Ensure)) {  // def ... rescue ... end
        NodePtr b = node(Node::Kind::Begin, current_);
        b->items.push_back(std::move(d->items[0]));
        rescue_clauses(*b);
        d->items[0] = std::move(deepen(b));
      }
      consume(Tok::End, "'end' to close 'def'");
    }
  } catch (const SyntaxError&) {
    locals_ = std::move(outer);
    throw;
  }
  loops_ = loops, defs_ = defs;
  locals_ = std::move(outer);
  return std::move(deepen(d));
}

// jump = ( "return" | "break" | "next" ) [ expression ] ;
NodePtr Parser::jump() {
  Token at = current_;
  Node::Kind kind = at.type == Tok::Return ? Node::Kind::Return : at.type == Tok::Break ? Node::Kind::Break : Node::Kind::Next;
  if (kind == Node::Kind::Return ? defs_ == 0 : loops_ == 0)
    error_at(at, fmt::format("Invalid {}: {}", at.type == Tok::Return ? "return" : at.type == Tok::Break ? "break" : "next",
                             kind == Node::Kind::Return ? "return works inside def or a lambda"
                                                        : "it works inside a block or a loop"));
  NodePtr n = node(kind, at);
  advance();
  bool value = !at_statement_end() && !check(Tok::RBrace) && !check(Tok::End) && !check(Tok::If) &&
               !check(Tok::Unless) && !check(Tok::Else) && !check(Tok::Elsif) && !check(Tok::When);
  if (value) n->items.push_back(expression());
  return std::move(deepen(n));
}

// arguments = "(" [ argument { "," argument } [ "," ] ] ")" ;
void Parser::arguments(Node& call) {
  call.parens = true;
  advance();
  NodePtr trailing;
  while (!check(Tok::RParen)) {
    argument(call, trailing);
    if (!match(Tok::Comma)) break;
  }
  consume(Tok::RParen, "')' or ','");
  if (trailing) call.items.push_back(std::move(deepen(trailing)));
}

// bare_arguments = argument { "," argument } ;   (to the end of the line)
void Parser::bare_arguments(Node& call) {
  NodePtr trailing;
  do {
    skip_newlines();
    argument(call, trailing);
  } while (match(Tok::Comma));
  if (trailing) call.items.push_back(std::move(deepen(trailing)));
}

// argument = LABEL expression | expression [ "=>" expression ] ;
void Parser::argument(Node& call, NodePtr& trailing) {
  auto pair = [&](NodePtr key, NodePtr value) {
    if (!trailing) trailing = std::make_unique<Node>(Node::Kind::Hash, key->pos, key->offset);
    trailing->items.push_back(std::move(key));
    trailing->items.push_back(std::move(value));
  };
  if (check(Tok::Label)) {
    NodePtr key = label_key();
    pair(std::move(key), expression());
    return;
  }
  if (check(Tok::Amp)) {  // &:name, &block: the call's block
    NodePtr pass = node(Node::Kind::BlockPass, current_);
    advance();
    pass->items.push_back(unary());
    if (call.block) error_at(previous_, "a call takes one block");
    call.block = std::move(deepen(pass));
    return;
  }
  if (call.block) error_at(current_, "the block argument (&) comes last");
  NodePtr value = expression();
  if (match(Tok::Rocket)) {
    pair(std::move(value), expression());
    return;
  }
  if (trailing) error_at(previous_, "a plain argument cannot follow key: value arguments");
  call.items.push_back(std::move(value));
}

}  // namespace fw::lang
