#pragma once
// The syntax tree. Every node knows where it starts; parents own children.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/error.hpp"
#include "lang/names.hpp"

namespace fw::lang {

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  enum class Kind {
    Nil, True, False, Self, Integer, Float, String, Symbol, Regex,
    Array,       // items
    Hash,        // items: pairs of key, value (a Label key is a Symbol node)
    Variable,    // name: a local variable or a call with no receiver and no arguments
    Call,        // receiver (may be null), name, items: arguments (a trailing Hash node for key: value pairs);
                 // block: a Block or BlockPass node; `safe` for &.
    Constant,    // name: a model
    Assign,      // name = items[0] (a variable; a constant when flags is "constant")
    AttrAssign,  // receiver.name = items[0]
    Binary,      // name: operator; items[0], items[1]
    Not,         // items[0]
    Negate,      // items[0]
    And, Or,     // items[0], items[1]
    Index,       // receiver[items[0]]
    Lambda,      // ->(params) { items[0] }: params, items[0] a Body
    Block,       // { |params| items[0] } or do |params| items[0] end: params, items[0] a Body
    BlockPass,   // &items[0] (&:name)
    Body,        // items: statements, run in order; the last one's value is the body's (flags "line":
                 // the `;`-separated statements of one line at the top level, run as one unit)
    Interp,      // "a #{b} c": items are String nodes and expressions, joined by to_s
    Range,       // items[0] .. items[1] (either may be a Nil node: endless); `exclusive` for ...
    If,          // if items[0] then items[1] else items[2] (optional); `negate` for unless
    While,       // while items[0] do items[1]; `negate` for until
    Case,        // case items[0] (may be null) items[1..]: When nodes; `receiver` the else Body (may be null)
    When,        // when items[0..n-2] then items[n-1] (a Body)
    Def,         // def name(params) items[0] end; a receiver (a Self node) for def self.name
    Return, Break, Next,  // items[0]: the value, if any
    OpAssign,    // items[0] op= items[1]: name is the operator ("+", "||"); items[0] a Variable, Call or Index
    IndexAssign, // receiver[items[0]] = items[1]
    Rescue,      // items[0] rescue items[1]
    ClassDef,    // name; text: the superclass ("ActiveRecord::Base"), flags: its [version] ("5.2"); items: body statements
    ModuleDef,   // name; items: body statements (defs, nested modules)
    Command,     // the command form: name (model); pairs as items: CommandPair
    CommandPair, // name: key, path: assoc.column; items[0]: value (a String node for a bare word, `bare` set)
    ConsoleCommand,  // name; text: the rest of the line
    Begin,       // begin items[0] (a Body) items[1..]: RescueClause nodes; `receiver` the else Body,
                 // `block` the ensure Body (either may be null). A def with rescue has one as its body.
    RescueClause,  // rescue items[0..n-2] (exception classes) => name; items[n-1] the Body
    MultiAssign,   // params (the targets: a, *rest, (b,c)) = items[0] (an Array node for a, b = 1, 2)
  };

  Kind kind;
  SourcePos pos;
  size_t offset = 0;  // where the node's text starts in its source (a call's, at its receiver)
  int depth = 1;      // height of the tree below and including this node
  std::string name;
  mutable Name variable = nullptr;  // `name` interned, on its first read as a variable (var())
  std::string text;   // String/Symbol/Regex contents, Integer/Float digits, Regex flags in `flags`
  mutable Name symbol_text = nullptr;  // a Symbol literal's `text` interned, on its first evaluation (symbol())
  std::string flags;
  std::string path;   // CommandPair: the column after the association ("email" in user.email=...)
  bool bare = false;  // CommandPair: the value was a bare word, cast by its column's type
  bool parens = false;  // Call: written with parentheses
  bool safe = false;    // Call: written with &. (nil stays nil)
  bool exclusive = false;  // Range: 1...5
  bool negate = false;  // If: unless; While: until
  NodePtr receiver;
  std::vector<NodePtr> items;
  NodePtr block;        // Call: the block or &:name given to it
  // Block, Lambda, Def: the parameters, each written as a pattern: `a`, `a=` (a default: the next of
  // `defaults`), `*rest`, `k:` (a keyword), `k:=` (one with a default), `**opts`, `&block`, `(a,b)`.
  std::vector<std::string> params;
  mutable std::vector<Name> param_vars;  // params interned, on a def's first call (intern_all)
  std::vector<NodePtr> defaults;  // the default values of the parameters that have one, in order
  std::int64_t integer = 0;       // Integer: its value, read once by the parser
  int op = 0;                     // Binary, OpAssign: the operator, as the interpreter's fast path knows it (0: none)

  Node(Kind k, SourcePos p, size_t off) : kind(k), pos(p), offset(off) {}
  Name var() const { return variable ? variable : (variable = intern(name)); }
  Name symbol() const { return symbol_text ? symbol_text : (symbol_text = intern(text)); }
};

}  // namespace fw::lang
