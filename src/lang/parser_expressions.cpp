// The parser's expressions: assignment, the operators by precedence, postfix calls, primary and arguments.
#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <optional>

#include "base/text.hpp"
#include "lang/operators.hpp"
#include "lang/parser.hpp"
#include "lang/parser_depth.hpp"

namespace fw::lang {

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
      if (t.text.size() > 1 && t.text[0] == '$' && std::isdigit(static_cast<unsigned char>(t.text[1]))) {
        // $1 is $~&.[](1): the group of the last match (a MatchData), nil without one
        NodePtr group = node(Node::Kind::Call, t);
        group->name = "[]";
        group->safe = true;
        group->receiver = node(Node::Kind::Variable, t);
        group->receiver->name = "$~";
        NodePtr index = node(Node::Kind::Integer, t);
        index->integer = std::atoll(t.text.c_str() + 1);
        index->text = std::to_string(index->integer);
        group->items.push_back(std::move(index));
        return std::move(deepen(group));
      }
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
