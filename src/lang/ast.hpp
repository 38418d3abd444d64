#pragma once
// The syntax tree. Every node knows where it starts; parents own children.
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"

namespace fw::lang {

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  enum class Kind {
    Nil, True, False, Self, Integer, Float, String, Symbol, Regex,
    Array,       // items
    Hash,        // items: pairs of key, value (a Label key is a Symbol node)
    Variable,    // name: a local variable or a call with no receiver and no arguments
    Call,        // receiver (may be null), name, items: arguments (a trailing Hash node for key: value pairs)
    Constant,    // name: a model
    Assign,      // name = items[0] (a variable)
    AttrAssign,  // receiver.name = items[0]
    Binary,      // name: operator; items[0], items[1]
    Not,         // items[0]
    Negate,      // items[0]
    And, Or,     // items[0], items[1]
    Index,       // receiver[items[0]]
    Lambda,      // -> { items[0] }
    ClassDef,    // name; items: body statements
    Command,     // the command form: name (model); pairs as items: CommandPair
    CommandPair, // name: key, path: assoc.column; items[0]: value (a String node for a bare word, `bare` set)
    ConsoleCommand,  // name; text: the rest of the line
  };

  Kind kind;
  SourcePos pos;
  size_t offset = 0;  // where the node's text starts in its source (a call's, at its receiver)
  int depth = 1;      // height of the tree below and including this node
  std::string name;
  std::string text;   // String/Symbol/Regex contents, Integer/Float digits, Regex flags in `flags`
  std::string flags;
  std::string path;   // CommandPair: the column after the association ("email" in user.email=...)
  bool bare = false;  // CommandPair: the value was a bare word, cast by its column's type
  bool parens = false;  // Call: written with parentheses
  NodePtr receiver;
  std::vector<NodePtr> items;

  Node(Kind k, SourcePos p, size_t off) : kind(k), pos(p), offset(off) {}
};

}  // namespace fw::lang
