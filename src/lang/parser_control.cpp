// The parser's control flow: if, while, case, begin ... rescue ... end, return, break and next.
#include <fmt/format.h>

#include <algorithm>

#include "lang/parser.hpp"

namespace fw::lang {

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

}  // namespace fw::lang
