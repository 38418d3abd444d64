// The parser's definitions: classes and modules, def, lambdas, blocks and their parameters.
#include <fmt/format.h>

#include <set>

#include "lang/parser.hpp"
#include "lang/parser_depth.hpp"

namespace fw::lang {

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

// def = "def" [ "self" "." ] IDENT [ "(" [ IDENT { "," IDENT } ] ")" ] body "end" ;
NodePtr Parser::def() {
  NodePtr d = node(Node::Kind::Def, current_);
  advance();
  // def self.find_by_slug, or def User.digest inside class User: a class method
  if ((check(Tok::Self) || check(Tok::Constant)) && peek_token(1).type == Tok::Dot) {
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

}  // namespace fw::lang
