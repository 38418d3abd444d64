#include "lang/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <initializer_list>

#include "base/text.hpp"

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
  previous_ = current_;
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
  if (token.type == Tok::Error) throw SyntaxError(token.text, token.pos, token.offset, false);
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
  n->depth = below + 1;
  if (n->depth > kMaxTreeDepth) error_at(current_, "statement nested too deeply");
  return n;
}

NodePtr Parser::next_statement() {
  while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
  if (check(Tok::Eof)) return nullptr;
  try {
    depth_ = 0;
    NodePtr s = statement();
    end_statement();
    return s;
  } catch (const SyntaxError&) {
    synchronize();
    throw;
  }
}

// statement = class_def | console_command | command | expression ;
NodePtr Parser::statement() {
  if (check(Tok::Class)) return class_def();
  if (is_console_command()) return console_command();
  if (is_command_form()) return command();
  return expression();
}

// class_def = "class" CONSTANT [ "<" CONSTANT { "::" CONSTANT } ] separator
//             { expression separator } "end" ;
NodePtr Parser::class_def() {
  Token at = current_;
  advance();
  const Token& name = consume(Tok::Constant, "a class name (such as User)");
  NodePtr cls = node(Node::Kind::ClassDef, at);
  cls->name = name.text;
  if (match(Tok::Lt)) {  // `< ApplicationRecord`: accepted, nothing to inherit
    consume(Tok::Constant, "a superclass name");
    while (match(Tok::ColonColon)) consume(Tok::Constant, "a class name");
  }
  if (!check(Tok::Newline) && !check(Tok::Semicolon))
    error_at(current_, fmt::format("expected a new line after class {}", cls->name));
  for (;;) {
    while (check(Tok::Newline) || check(Tok::Semicolon)) advance();
    if (match(Tok::End)) break;
    if (check(Tok::Eof)) error_at(current_, fmt::format("class {} has no 'end'", cls->name));
    if (check(Tok::Class)) error_at(current_, "a class cannot be declared inside another");
    cls->items.push_back(expression());
    end_statement();
  }
  return cls;
}

const CommandWord* Parser::command_word(const std::string& name) const {
  for (const auto& c : commands_)
    if (c.name == name) return &c;
  return nullptr;
}

bool Parser::is_console_command() {
  if (!check(Tok::Ident) || !command_word(current_.text)) return false;
  const Token& next = peek_token(1);
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
// value   = STRING | "(" expression ")" | BARE_WORD ;
NodePtr Parser::command() {
  NodePtr cmd = node(Node::Kind::Command, current_);
  cmd->name = current_.text;
  advance();
  while (!at_statement_end()) {
    NodePtr pair = node(Node::Kind::CommandPair, current_);
    pair->name = consume(Tok::Ident, "a column or association name (key=value)").text;
    if (match(Tok::Dot)) pair->path = consume(Tok::Ident, "a column name after '.'").text;
    if (!check(Tok::Assign))
      error_at(current_, fmt::format("expected '=' after {}{} (the command form is key=value)", pair->name,
                                     pair->path.empty() ? "" : "." + pair->path));
    advance();
    pair->items.push_back(command_value(pair->name + (pair->path.empty() ? "" : "." + pair->path)));
    cmd->items.push_back(std::move(pair));
  }
  return cmd;
}

NodePtr Parser::command_value(const std::string& key) {
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
  Token word = lexer_.raw_word(current_);
  NodePtr value = node(Node::Kind::String, word);
  value->text = word.text;
  value->bare = true;
  if (word.text == "nil") value->kind = Node::Kind::Nil;
  else if (word.text == "true") value->kind = Node::Kind::True;
  else if (word.text == "false") value->kind = Node::Kind::False;
  previous_ = word;  // the statement's text runs to the end of the word
  current_ = lexer_.next();
  return value;
}

// expression = assignment ;
NodePtr Parser::expression() {
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  return assignment();
}

// assignment = ( IDENT | postfix "." IDENT ) "=" assignment | or_expr ;
NodePtr Parser::assignment() {
  NodePtr left = or_expr();
  if (!check(Tok::Assign)) return left;
  Token at = current_;
  advance();
  skip_newlines();
  DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
  NodePtr value = assignment();
  if (left->kind == Node::Kind::Variable) {
    NodePtr a = std::make_unique<Node>(Node::Kind::Assign, left->pos, left->offset);
    a->name = left->name;
    a->items.push_back(std::move(value));
    return std::move(deepen(a));
  }
  if (left->kind == Node::Kind::Call && left->receiver && left->items.empty() && !left->parens) {
    NodePtr a = std::make_unique<Node>(Node::Kind::AttrAssign, left->pos, left->offset);
    a->name = left->name;
    a->receiver = std::move(left->receiver);
    a->items.push_back(std::move(value));
    return std::move(deepen(a));
  }
  error_at(at, "cannot assign to this; assign to a variable (x = ...) or an attribute (record.name = ...)");
}

namespace {
NodePtr binary(Node::Kind kind, std::string op, NodePtr left, NodePtr right) {
  NodePtr n = std::make_unique<Node>(kind, left->pos, left->offset);
  n->name = std::move(op);
  n->items.push_back(std::move(left));
  n->items.push_back(std::move(right));
  return n;
}
}  // namespace

// Parses `operand { op operand }` for the operators in `ops`, left to right;
// a new line after an operator continues the statement.
NodePtr Parser::binary_rule(NodePtr (Parser::*operand)(), std::initializer_list<std::pair<Tok, const char*>> ops,
                            Node::Kind kind) {
  NodePtr left = (this->*operand)();
  for (;;) {
    auto op = std::find_if(ops.begin(), ops.end(), [&](const auto& o) { return check(o.first); });
    if (op == ops.end()) return left;
    advance();
    skip_newlines();
    left = binary(kind, op->second, std::move(left), (this->*operand)());
    deepen(left);
  }
}

// or_expr = and_expr { ( "||" | "or" ) and_expr } ;
NodePtr Parser::or_expr() {
  return binary_rule(&Parser::and_expr, {{Tok::OrOr, "||"}, {Tok::Or, "||"}}, Node::Kind::Or);
}

// and_expr = not_expr { ( "&&" | "and" ) not_expr } ;
NodePtr Parser::and_expr() {
  return binary_rule(&Parser::not_expr, {{Tok::AndAnd, "&&"}, {Tok::And, "&&"}}, Node::Kind::And);
}

// not_expr = ( "!" | "not" ) not_expr | equality ;
NodePtr Parser::not_expr() {
  if (check(Tok::Bang) || check(Tok::Not)) {
    NodePtr n = node(Node::Kind::Not, current_);
    advance();
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    n->items.push_back(not_expr());
    return std::move(deepen(n));
  }
  return equality();
}

// equality = comparison { ( "==" | "!=" ) comparison } ;
NodePtr Parser::equality() { return binary_rule(&Parser::comparison, {{Tok::Eq, "=="}, {Tok::NotEq, "!="}}); }

// comparison = shift { ( "<" | ">" | "<=" | ">=" ) shift } ;
NodePtr Parser::comparison() {
  return binary_rule(&Parser::shift, {{Tok::Lt, "<"}, {Tok::Gt, ">"}, {Tok::Le, "<="}, {Tok::Ge, ">="}});
}

// shift = additive { "<<" additive } ;
NodePtr Parser::shift() { return binary_rule(&Parser::additive, {{Tok::Shovel, "<<"}}); }

// additive = term { ( "+" | "-" ) term } ;
NodePtr Parser::additive() { return binary_rule(&Parser::term, {{Tok::Plus, "+"}, {Tok::Minus, "-"}}); }

// term = unary { ( "*" | "/" | "%" ) unary } ;
NodePtr Parser::term() {
  return binary_rule(&Parser::unary, {{Tok::Star, "*"}, {Tok::Slash, "/"}, {Tok::Percent, "%"}});
}

// unary = "-" unary | postfix ;
NodePtr Parser::unary() {
  if (check(Tok::Minus)) {
    NodePtr n = node(Node::Kind::Negate, current_);
    advance();
    DepthGuard guard(depth_, [&] { error_at(current_, "statement nested too deeply"); });
    n->items.push_back(unary());
    return std::move(deepen(n));
  }
  return postfix();
}

// postfix = primary { "." NAME [ arguments ] | "[" expression "]" } ;
NodePtr Parser::postfix() {
  NodePtr left = primary();
  for (;;) {
    if (match(Tok::Dot)) {
      skip_newlines();
      if (!check(Tok::Ident) && !check(Tok::Constant))
        error_at(current_, fmt::format("expected a method name after '.', found {}", describe(current_.type)));
      NodePtr call = node(Node::Kind::Call, current_);  // errors point at the method's name
      call->name = current_.text;
      call->offset = left->offset;                      // the text starts at the receiver
      call->receiver = std::move(left);
      advance();
      if (check(Tok::LParen) && previous_.end == current_.offset) arguments(*call);
      else if (check(Tok::Label)) bare_arguments(*call);
      left = std::move(deepen(call));
    } else if (check(Tok::LBracket) && previous_.end == current_.offset) {
      NodePtr index = node(Node::Kind::Index, current_);
      index->offset = left->offset;
      advance();
      index->receiver = std::move(left);
      index->items.push_back(expression());
      consume(Tok::RBracket, "']'");
      left = std::move(deepen(index));
    } else {
      return left;
    }
  }
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
    case Tok::Integer:
      if (!parse_int(t.text)) error_at(t, fmt::format("integer {} is too large (the limit is 9223372036854775807)", t.text));
      return literal(Node::Kind::Integer);
    case Tok::Float: return literal(Node::Kind::Float);
    case Tok::String: return literal(Node::Kind::String);
    case Tok::Symbol: return literal(Node::Kind::Symbol);
    case Tok::Regex: return literal(Node::Kind::Regex);
    case Tok::True: return literal(Node::Kind::True);
    case Tok::False: return literal(Node::Kind::False);
    case Tok::Nil: return literal(Node::Kind::Nil);
    case Tok::Self: return literal(Node::Kind::Self);
    case Tok::LBracket: return array();
    case Tok::LBrace: return hash();
    case Tok::Arrow: return lambda();
    case Tok::LParen: {
      advance();
      skip_newlines();
      NodePtr e = expression();
      skip_newlines();
      consume(Tok::RParen, "')'");
      return e;
    }
    case Tok::Constant: {
      NodePtr c = literal(Node::Kind::Constant);
      c->name = t.text;
      if (check(Tok::ColonColon)) error_at(current_, "nested constants (A::B) are not supported");
      return c;
    }
    case Tok::Ident: {
      advance();
      NodePtr call = node(Node::Kind::Call, t);
      call->name = t.text;
      if (check(Tok::LParen) && previous_.end == current_.offset) {
        arguments(*call);
        return std::move(deepen(call));
      }
      if (starts_bare_argument()) {
        bare_arguments(*call);
        return std::move(deepen(call));
      }
      call->kind = Node::Kind::Variable;
      return call;
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

// lambda = "->" "{" expression "}" ;
NodePtr Parser::lambda() {
  NodePtr l = node(Node::Kind::Lambda, current_);
  advance();
  consume(Tok::LBrace, "'{' after '->'");
  while (check(Tok::Newline)) advance();
  l->items.push_back(expression());
  consume(Tok::RBrace, "'}'");
  return std::move(deepen(l));
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
  NodePtr value = expression();
  if (match(Tok::Rocket)) {
    pair(std::move(value), expression());
    return;
  }
  if (trailing) error_at(previous_, "a plain argument cannot follow key: value arguments");
  call.items.push_back(std::move(value));
}

}  // namespace fw::lang
