// The parser's literals: arrays, hashes and their keys, interpolated strings, %w[] and %i[] word lists.
#include <sstream>

#include "lang/parser.hpp"

namespace fw::lang {

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

}  // namespace fw::lang
