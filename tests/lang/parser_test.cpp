// The parser: statements as trees, the command form, class bodies, console
// commands, and syntax errors with their exact place.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "lang/parser.hpp"

using fw::lang::Node;
using fw::lang::NodePtr;
using fw::lang::Parser;
using fw::lang::SyntaxError;
using Kind = fw::lang::Node::Kind;

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += c == '\n' ? std::string("\\n") : c == '"' ? std::string("\\\"") : std::string(1, c);
  return out + "\"";
}

std::string params(const Node& n) {
  std::string out;
  for (const auto& p : n.params) out += (out.empty() ? "" : ",") + p;
  return "|" + out + "|";
}

// The tree as an S-expression: (call RECEIVER NAME ARGS...), (cmd heart (pair user 2)), ...
std::string sexp(const Node& n) {
  auto list = [&](std::string head, const std::vector<NodePtr>& items) {
    for (const auto& i : items) head += " " + sexp(*i);
    return "(" + head + ")";
  };
  switch (n.kind) {
    case Kind::Nil: return n.bare ? "nil!" : "nil";
    case Kind::True: return "true";
    case Kind::False: return "false";
    case Kind::Self: return "self";
    case Kind::Integer: return n.text;
    case Kind::Float: return "f" + n.text;
    case Kind::String: return (n.bare ? "bare" : "") + quoted(n.text);
    case Kind::Symbol: return ":" + n.text;
    case Kind::Regex: return "/" + n.text + "/" + n.flags;
    case Kind::Array: return list("array", n.items);
    case Kind::Hash: return list("hash", n.items);
    case Kind::Variable: return n.name;
    case Kind::Call: {
      std::string head = std::string(n.parens ? "call()" : n.safe ? "call&." : "call") + " " +
                         (n.receiver ? sexp(*n.receiver) : "-") + " " + n.name;
      std::string out = list(head, n.items);
      if (n.block) out.insert(out.size() - 1, " " + sexp(*n.block));
      return out;
    }
    case Kind::Constant: return n.name;
    case Kind::Assign: return list("= " + n.name, n.items);
    case Kind::AttrAssign: return list("attr= " + sexp(*n.receiver) + " " + n.name, n.items);
    case Kind::Binary: return list(n.name, n.items);
    case Kind::Not: return list("!", n.items);
    case Kind::Negate: return list("-@", n.items);
    case Kind::And: return list("&&", n.items);
    case Kind::Or: return list("||", n.items);
    case Kind::Index: return list("[] " + sexp(*n.receiver), n.items);
    case Kind::Lambda: return list("->" + params(n), n.items);
    case Kind::Block: return list("block" + params(n), n.items);
    case Kind::BlockPass: return list("&", n.items);
    case Kind::Body: return list(n.flags == "line" ? "line" : "do", n.items);
    case Kind::Begin:
      return list("begin", n.items) + (n.receiver ? " else " + sexp(*n.receiver) : "") +
             (n.block ? " ensure " + sexp(*n.block) : "");
    case Kind::RescueClause: return list("rescue" + (n.name.empty() ? "" : " => " + n.name), n.items);
    case Kind::MultiAssign: return list("masgn" + params(n), n.items);
    case Kind::Interp: return list("str", n.items);
    case Kind::Range: return list(n.exclusive ? "..." : "..", n.items);
    case Kind::If: return list(n.negate ? "unless" : "if", n.items);
    case Kind::While: return list(n.negate ? "until" : "while", n.items);
    case Kind::Case: return list("case", n.items) + (n.receiver ? " else " + sexp(*n.receiver) : "");
    case Kind::When: return list("when", n.items);
    case Kind::Def: return list(std::string("def ") + (n.receiver ? "self." : "") + n.name + params(n), n.items);
    case Kind::Return: return list("return", n.items);
    case Kind::Break: return list("break", n.items);
    case Kind::Next: return list("next", n.items);
    case Kind::OpAssign: return list(n.name + "=", n.items);
    case Kind::IndexAssign: return list("[]= " + sexp(*n.receiver), n.items);
    case Kind::Rescue: return list("rescue", n.items);
    case Kind::ClassDef:
      return list("class " + n.name + (n.text.empty() ? "" : " < " + n.text) + (n.flags.empty() ? "" : "[" + n.flags + "]"),
                  n.items);
    case Kind::ModuleDef: return list("module " + n.name, n.items);
    case Kind::Command: return list("cmd " + n.name, n.items);
    case Kind::CommandPair: return list("pair " + n.name + (n.path.empty() ? "" : "." + n.path), n.items);
    case Kind::ConsoleCommand: return "(console " + n.name + " " + quoted(n.text) + ")";
  }
  return "?";
}

// The parser learns command words from the console's registry; these stand
// in for it here (the console's own table is tested with the console).
const std::vector<fw::lang::CommandWord>& test_commands() {
  static const std::vector<fw::lang::CommandWord> words = {
      {"help"}, {"models"}, {"schema"}, {"associations"}, {"sql"}, {"timer"}, {"format"}, {"load"},
      {"begin"}, {"transaction"}, {"commit"}, {"rollback"}, {"undo"}, {"explain", true}, {"diagram"}, {"exit"}, {"quit"}};
  return words;
}

// Every statement of `source`; fails the test on a syntax error.
std::vector<std::string> parse_all(const std::string& source) {
  Parser parser(source, test_commands());
  std::vector<std::string> out;
  try {
    while (auto s = parser.next_statement()) out.push_back(sexp(*s));
  } catch (const SyntaxError& e) {
    FAIL("unexpected syntax error in «" << source << "»: " << std::string(e.what()) << " at " << e.pos.line << ":"
                                       << e.pos.column);
  }
  return out;
}

std::string parse1(const std::string& source) {
  auto all = parse_all(source);
  REQUIRE_MESSAGE(all.size() == 1, source);
  return all[0];
}

NodePtr tree(const std::string& source) {
  Parser parser(source);
  auto s = parser.next_statement();
  REQUIRE(s);
  return s;
}

struct Failure {
  std::string message;
  int line = 0, column = 0;
  size_t offset = 0;
  bool incomplete = false;
};

// The first syntax error `source` raises.
std::optional<Failure> error_of(const std::string& source) {
  Parser parser(source);
  try {
    while (parser.next_statement()) {
    }
  } catch (const SyntaxError& e) {
    return Failure{e.what(), e.pos.line, e.pos.column, e.offset, e.incomplete};
  }
  return std::nullopt;
}

// "LINE:COL message" of the first error, or "ok".
std::string where(const std::string& source) {
  auto e = error_of(source);
  if (!e) return "ok";
  return std::to_string(e->line) + ":" + std::to_string(e->column) + " " + e->message;
}

bool incomplete(const std::string& source) {
  auto e = error_of(source);
  REQUIRE_MESSAGE(e, source);
  return e->incomplete;
}

}  // namespace

TEST_CASE("literals") {
  CHECK(parse1("42") == "42");
  CHECK(parse1("1_000") == "1000");
  CHECK(parse1("2.5") == "f2.5");
  CHECK(parse1("\"a\\tb\"") == "\"a\tb\"");
  CHECK(parse1("'x'") == "\"x\"");
  CHECK(parse1(":sym") == ":sym");
  CHECK(parse1("/a+/i") == "/a+/i");
  CHECK(parse1("nil") == "nil");
  CHECK(parse1("true") == "true");
  CHECK(parse1("false") == "false");
  CHECK(parse1("self") == "self");
  CHECK(parse1("[1, \"two\", :three]") == "(array 1 \"two\" :three)");
  CHECK(parse1("[1, 2,]") == "(array 1 2)");
  CHECK(parse1("[]") == "(array)");
  CHECK(parse1("{a: 1, \"b\" => 2, :c => [3]}") == "(hash :a 1 \"b\" 2 :c (array 3))");
  CHECK(parse1("{}") == "(hash)");
  CHECK(parse1("-> { where(x: 1) }") == "(->|| (do (call() - where (hash :x 1))))");
}

TEST_CASE("the largest integer parses; one more is an error at the literal") {
  CHECK(parse1("9223372036854775807") == "9223372036854775807");
  CHECK(where("x = 9223372036854775808") ==
        "1:5 integer 9223372036854775808 is too large (the limit is 9223372036854775807)");
  CHECK(where("User.find(99999999999999999999999)") ==
        "1:11 integer 99999999999999999999999 is too large (the limit is 9223372036854775807)");
  CHECK(where("heart user=(99999999999999999999) tweet=1").find("is too large") != std::string::npos);
}

TEST_CASE("calls, receivers and arguments") {
  CHECK(parse1("user(1)") == "(call() - user 1)");
  CHECK(parse1("user(1).sent_messages") == "(call (call() - user 1) sent_messages)");
  CHECK(parse1("User.all") == "(call User all)");
  CHECK(parse1("User.where(username: \"ann\").order(id: :desc).limit(2)") ==
        "(call() (call() (call() User where (hash :username \"ann\")) order (hash :id :desc)) limit 2)");
  CHECK(parse1("User.pluck(:id, :username)") == "(call() User pluck :id :username)");
  CHECK(parse1("User.exists?") == "(call User exists?)");
  CHECK(parse1("u.save!") == "(call u save!)");
  CHECK(parse1("User.find_by email: \"a@b.c\"") == "(call User find_by (hash :email \"a@b.c\"))");
  CHECK(parse1("has_many :hearts, dependent: :destroy") == "(call - has_many :hearts (hash :dependent :destroy))");
  CHECK(parse1("f(1, :a => 2, b: 3)") == "(call() - f 1 (hash :a 2 :b 3))");
  CHECK(parse1("f()") == "(call() - f)");
  CHECK(parse1("x") == "x");
  CHECK(parse1("x[0]") == "([] x 0)");
  CHECK(parse1("User.where(id: [1, 2]).pluck(:id)[1]") ==
        "([] (call() (call() User where (hash :id (array 1 2))) pluck :id) 1)");
  CHECK(parse1("user(1).class") == "(call (call() - user 1) class)");
  CHECK(parse1("user(1).liked_tweets << tweet(3)") ==
        "(<< (call (call() - user 1) liked_tweets) (call() - tweet 3))");
}

TEST_CASE("operators and their precedence") {
  CHECK(parse1("1 + 2 * 3") == "(+ 1 (* 2 3))");
  CHECK(parse1("1 - 2 - 3") == "(- (- 1 2) 3)");
  CHECK(parse1("(1 + 2) * 3") == "(* (+ 1 2) 3)");
  CHECK(parse1("a == b && c != d || !e") == "(|| (&& (== a b) (!= c d)) (! e))");
  CHECK(parse1("not a and b or c") == "(|| (&& (! a) b) c)");
  CHECK(parse1("1 < 2 == true") == "(== (< 1 2) true)");
  CHECK(parse1("-x.count") == "(-@ (call x count))");
  CHECK(parse1("- - 1") == "(-@ (-@ 1))");
  CHECK(parse1("a << b << c") == "(<< (<< a b) c)");
  CHECK(parse1("7 % 3 / 2") == "(/ (% 7 3) 2)");
  CHECK(parse1("x / 2") == "(/ x 2)");
  CHECK(parse1("a >= 1 && a <= 2") == "(&& (>= a 1) (<= a 2))");
}

TEST_CASE("assignment: variables and attributes") {
  CHECK(parse1("u = user(1)") == "(= u (call() - user 1))");
  CHECK(parse1("a = b = 1") == "(= a (= b 1))");
  CHECK(parse1("u.email = \"x@y.z\"") == "(attr= u email \"x@y.z\")");
  CHECK(parse1("user(1).username = 'z'") == "(attr= (call() - user 1) username \"z\")");
  CHECK(parse1("x =\n  5") == "(= x 5)");
  CHECK(parse1("_") == "_");
  CHECK(where("1 = 2") ==
        "1:3 cannot assign to this; assign to a variable (x = ...), an attribute (record.name = ...) or an element (h[k] = ...)");
  CHECK(where("f(1) = 2").rfind("1:6 cannot assign to this", 0) == 0);
  CHECK(where("u.name(1) = 2").rfind("1:11 cannot assign to this", 0) == 0);
}

TEST_CASE("statements end at a newline or ';'") {
  CHECK(parse_all("a; b\nc") == std::vector<std::string>{"(line a b)", "c"});  // one line: one unit, as irb
  CHECK(parse_all("\n\n;;a;;\n\n") == std::vector<std::string>{"a"});
  CHECK(parse_all("# a comment\na # another\n# the end").size() == 1);
  CHECK(parse_all("").empty());
  CHECK(where("a = 1; a b") == "1:10 unexpected a name; a statement ends at a new line or ';'");  // a is a variable
  CHECK(where("user(1) user(2)") == "1:9 unexpected a name; a statement ends at a new line or ';'");
}

TEST_CASE("newlines inside brackets continue the statement") {
  CHECK(parse1("User.where(\n  username: \"ann\",\n  email: \"ann@example.com\"\n)") ==
        "(call() User where (hash :username \"ann\" :email \"ann@example.com\"))");
  CHECK(parse1("[1,\n 2,\n 3]") == "(array 1 2 3)");
  CHECK(parse1("{\n a: 1,\n b: 2\n}") == "(hash :a 1 :b 2)");
  CHECK(parse1("(1 +\n 2)") == "(+ 1 2)");
}

TEST_CASE("a line starting with .method continues the statement") {
  CHECK(parse1("user(1)\n  .tweets\n  .count") == "(call (call (call() - user 1) tweets) count)");
  CHECK(parse1("User.where(id: 1)  # first\n  .pluck(:username)") ==
        "(call() (call() User where (hash :id 1)) pluck :username)");
  CHECK(parse_all("a\nb.c") == std::vector<std::string>{"a", "(call b c)"});
}

TEST_CASE("an operator at the end of a line continues the statement") {
  CHECK(parse1("1 +\n2") == "(+ 1 2)");
  CHECK(parse1("a &&\n b") == "(&& a b)");
  CHECK(parse1("a.\n b") == "(call a b)");
}

TEST_CASE("nodes know where they start") {
  auto t = tree("x = user(1)\n");
  CHECK(t->pos.line == 1);
  CHECK(t->pos.column == 1);
  REQUIRE(t->items.size() == 1);
  CHECK(t->items[0]->pos.column == 5);
  CHECK(t->items[0]->offset == 4);
  auto second = [] {
    Parser p("a\n  User.count");
    p.next_statement();
    return p.next_statement();
  }();
  REQUIRE(second);
  CHECK(second->pos.line == 2);
  CHECK(second->pos.column == 8);  // a call's place is its name's place (errors point there)
  REQUIRE(second->receiver);
  CHECK(second->receiver->pos.column == 3);
}

TEST_CASE("statement_end is where the statement's text ends") {
  std::string source = "x = user(1)  # c\ny = 2";
  Parser parser(source);
  auto first = parser.next_statement();
  REQUIRE(first);
  CHECK(source.substr(first->offset, parser.statement_end() - first->offset) == "x = user(1)");
  auto second = parser.next_statement();
  REQUIRE(second);
  CHECK(source.substr(second->offset, parser.statement_end() - second->offset) == "y = 2");
}

// What --echo prints is the text from a statement's offset to statement_end():
// a call's text starts at its receiver, and a bare command-form value is included.
TEST_CASE("a statement's text runs from its offset to statement_end()") {
  auto text_of = [](const std::string& source) {
    Parser parser(source);
    auto s = parser.next_statement();
    REQUIRE(s);
    return source.substr(s->offset, parser.statement_end() - s->offset);
  };
  CHECK(text_of("User.count\n") == "User.count");
  CHECK(text_of("user(1).tweets.count # c\n") == "user(1).tweets.count");
  CHECK(text_of("heart user=1 tweet=4\n") == "heart user=1 tweet=4");
  CHECK(text_of("heart user.email=ann@example.com tweet=4\nx") == "heart user.email=ann@example.com tweet=4");
  CHECK(text_of("heart user=1 tweet=4; x\ny") == "heart user=1 tweet=4; x");  // a line of statements
  CHECK(text_of("u.email = \"a@b.c\"\n") == "u.email = \"a@b.c\"");
}

TEST_CASE("the command form") {
  CHECK(parse1("heart user=2 tweet=5") == "(cmd heart (pair user bare\"2\") (pair tweet bare\"5\"))");
  CHECK(parse1("heart user.email=ann@example.com tweet=5") ==
        "(cmd heart (pair user.email bare\"ann@example.com\") (pair tweet bare\"5\"))");
  CHECK(parse1("book isbn=0123 title=\"A b\"") == "(cmd book (pair isbn bare\"0123\") (pair title \"A b\"))");
  CHECK(parse1("tweet user=(user(1)) content='hi there'") ==
        "(cmd tweet (pair user (call() - user 1)) (pair content \"hi there\"))");
  CHECK(parse1("user admin=nil active=true banned=false") ==
        "(cmd user (pair admin nil!) (pair active true) (pair banned false))");
  CHECK(parse1("user username=007 email=x@y.z") == "(cmd user (pair username bare\"007\") (pair email bare\"x@y.z\"))");
  CHECK(parse1("tweet user=1 content=it's") == "(cmd tweet (pair user bare\"1\") (pair content bare\"it's\"))");
  CHECK(parse1("tweet user=-1 content=a=b") == "(cmd tweet (pair user bare\"-1\") (pair content bare\"a=b\"))");
  CHECK(parse1("user username=\"a b\"email=x") == "(cmd user (pair username \"a b\") (pair email bare\"x\"))");
  CHECK(parse_all("heart user=2 tweet=5; heart user=3 tweet=5\nx") ==
        std::vector<std::string>{"(line (cmd heart (pair user bare\"2\") (pair tweet bare\"5\")) "
                                 "(cmd heart (pair user bare\"3\") (pair tweet bare\"5\")))",
                                 "x"});
  CHECK(parse1("heart user=2 tweet=5 # a comment") == "(cmd heart (pair user bare\"2\") (pair tweet bare\"5\"))");
}

TEST_CASE("command form nodes: kinds, flags and places") {
  auto t = tree("heart user.email=ann@example.com tweet=(5)");
  CHECK(t->kind == Kind::Command);
  CHECK(t->name == "heart");
  REQUIRE(t->items.size() == 2);
  const Node& first = *t->items[0];
  CHECK(first.kind == Kind::CommandPair);
  CHECK(first.name == "user");
  CHECK(first.path == "email");
  CHECK(first.pos.column == 7);
  REQUIRE(first.items.size() == 1);
  CHECK(first.items[0]->kind == Kind::String);
  CHECK(first.items[0]->bare);
  CHECK(first.items[0]->text == "ann@example.com");
  CHECK(first.items[0]->pos.column == 18);
  const Node& second = *t->items[1];
  CHECK(second.path.empty());
  CHECK(second.items[0]->kind == Kind::Integer);
  CHECK_FALSE(second.items[0]->bare);
  auto quoted_value = tree("book title=\"007\"");
  CHECK_FALSE(quoted_value->items[0]->items[0]->bare);
}

TEST_CASE("command form errors") {
  CHECK(where("heart user=2 tweet") == "1:19 expected '=' after tweet (the command form is key=value)");
  CHECK(where("heart user=2 tweet.x") == "1:21 expected '=' after tweet.x (the command form is key=value)");
  CHECK(where("heart user=2 5") == "1:14 expected a column or association name (key=value), found an integer");
  CHECK(where("heart user=\nx") == "1:12 expected a value after user=");
  CHECK(where("heart user=(1 tweet=5") == "1:15 expected ')', found a name");
  CHECK(where("heart user=1 tweet.=5") == "1:20 expected a column name after '.', found '='");
}

TEST_CASE("what is not the command form") {
  CHECK(parse1("x = 1") == "(= x 1)");
  CHECK(parse1("u.email = 2") == "(attr= u email 2)");
  CHECK(parse1("a == b") == "(== a b)");
  CHECK(parse1("f :x") == "(call - f :x)");
  CHECK(parse1("User.create!(username: \"x\")") == "(call() User create! (hash :username \"x\"))");
}

TEST_CASE("class bodies") {
  std::string source =
      "class Tweet < ApplicationRecord\n"
      "  belongs_to :user\n"
      "  has_many :hearts, dependent: :destroy\n"
      "  has_many :likers, :through => :hearts, source: :user\n"
      "  delegate :username, to: :user\n"
      "  validates :content, presence: true, length: { maximum: 280 }\n"
      "  validates :email, format: { with: /\\A[^@\\s]+@[^@\\s]+\\z/ }\n"
      "  scope :recent, -> { order(created_at: :desc) }\n"
      "  self.table_name = \"tweets\"\n"
      "end\n";
  CHECK(parse1(source) ==
        "(class Tweet < ApplicationRecord"
        " (call - belongs_to :user)"
        " (call - has_many :hearts (hash :dependent :destroy))"
        " (call - has_many :likers (hash :through :hearts :source :user))"
        " (call - delegate :username (hash :to :user))"
        " (call - validates :content (hash :presence true :length (hash :maximum 280)))"
        " (call - validates :email (hash :format (hash :with /\\A[^@\\s]+@[^@\\s]+\\z/)))"
        " (call - scope :recent (->|| (do (call() - order (hash :created_at :desc)))))"
        " (attr= self table_name \"tweets\"))");
  CHECK(parse1("class Empty; end") == "(class Empty)");
  CHECK(parse1("class A < B::C\nend") == "(class A < B::C)");
  CHECK(parse_all("class A\nend\nclass B\nend").size() == 2);
}

TEST_CASE("a learner's Ruby: migrations, methods, class methods and modules") {
  CHECK(parse1("class CreateUsers < ActiveRecord::Migration[5.2]\n"
               "  def change\n    create_table :users do |t|\n      t.string :name, null: false\n    end\n  end\nend") ==
        "(class CreateUsers < ActiveRecord::Migration[5.2] (def change|| (do (call - create_table :users"
        " (block|t| (do (call t string :name (hash :null false))))))))");
  CHECK(parse1("class CreateUsers < ActiveRecord::Migration\nend") == "(class CreateUsers < ActiveRecord::Migration)");
  CHECK(parse1("class User < ActiveRecord::Base\n  def self.find_by_slug(slug)\n    slug\n  end\nend") ==
        "(class User < ActiveRecord::Base (def self.find_by_slug|slug| (do slug)))");
  // class << self: its defs are class methods
  CHECK(parse1("class User\n  class << self\n    def admins\n      1\n    end\n  end\nend") ==
        "(class User (def self.admins|| (do 1)))");
  CHECK(parse1("module Slugifiable\n  module InstanceMethods\n    def slug\n      2\n    end\n  end\nend") ==
        "(module Slugifiable (module InstanceMethods (def slug|| (do 2))))");
  CHECK(parse1("KINDS = %w[a]") == "(= KINDS (array \"a\"))");
  CHECK(parse1("ActiveRecord::Base.establish_connection(adapter: \"sqlite3\")") ==
        "(call() ActiveRecord::Base establish_connection (hash :adapter \"sqlite3\"))");
  CHECK(where("class A < ActiveRecord::Migration[x]\nend") == "1:35 expected a version such as [6.1]");
  CHECK(where("class A\n  class << other\n  end\nend") == "2:12 expected self after class <<, found a name");
}

TEST_CASE("class body errors") {
  CHECK(where("class user\nend") == "1:7 expected a class name (such as User), found a name");
  CHECK(where("class A x\nend") == "1:9 expected a new line after class A");
  CHECK(where("class A\n  class B\n  end\nend") == "2:3 a class cannot be declared inside another");
  CHECK(where("class A\n  belongs_to :b c\nend") == "2:17 unexpected a name; a statement ends at a new line or ';'");
  CHECK(where("class A < \nend").rfind("1:", 0) == 0);
}

TEST_CASE("console commands take the rest of the line as text") {
  CHECK(parse1("help") == "(console help \"\")");
  CHECK(parse1("help associations") == "(console help \"associations\")");
  CHECK(parse1("models") == "(console models \"\")");
  CHECK(parse1("schema User") == "(console schema \"User\")");
  CHECK(parse1("associations Tweet") == "(console associations \"Tweet\")");
  CHECK(parse1("sql on") == "(console sql \"on\")");
  CHECK(parse1("timer off") == "(console timer \"off\")");
  CHECK(parse1("format json") == "(console format \"json\")");
  CHECK(parse1("load \"scripts/seed.fw\"") == "(console load \"\\\"scripts/seed.fw\\\"\")");
  CHECK(parse1("load 'a;b.fw'  ") == "(console load \"'a;b.fw'\")");
  CHECK(parse1("undo") == "(console undo \"\")");
  CHECK(parse1("diagram") == "(console diagram \"\")");
  CHECK(parse1("exit") == "(console exit \"\")");
  CHECK(parse1("quit") == "(console quit \"\")");
  // begin alone is the transaction command; with more after it, Ruby's begin ... end
  CHECK(parse_all("begin\n") == std::vector<std::string>{"(console begin \"\")"});
  CHECK(parse_all("begin # open one\n\n") == std::vector<std::string>{"(console begin \"\")"});
  CHECK(parse_all("transaction\nheart user=2 tweet=5\nrollback") ==
        std::vector<std::string>{"(console transaction \"\")", "(cmd heart (pair user bare\"2\") (pair tweet bare\"5\"))",
                                 "(console rollback \"\")"});
  CHECK(parse_all("sql on; User.count") == std::vector<std::string>{"(line (console sql \"on\") (call User count))"});
  CHECK(parse_all("models # list them\nx") == std::vector<std::string>{"(console models \"\")", "x"});
  // explain takes the whole line, `;` included: it explains a statement
  CHECK(parse_all("explain user(1).destroy; x\ny") ==
        std::vector<std::string>{"(console explain \"user(1).destroy; x\")", "y"});
}

TEST_CASE("a console command's name used as a variable or method is not a command") {
  CHECK(parse1("format = 1") == "(= format 1)");
  CHECK(parse1("models.count") == "(call models count)");
  CHECK(parse1("help(1)") == "(call() - help 1)");
  CHECK(parse1("x.sql") == "(call x sql)");
  CHECK(parse1("[help]") == "(array help)");
}

TEST_CASE("syntax errors name the exact line and column") {
  CHECK(where("User.where(id: 1))") == "1:18 unexpected ')'; a statement ends at a new line or ';'");
  CHECK(where("User.;all") == "1:6 expected a method name after '.', found ';'");
  CHECK(where("x = 1\ny = )") == "2:5 unexpected ')', expected a value");
  CHECK(where("\n\n   @1") == "3:4 unexpected character '@'");
  CHECK(where("[1 2]") == "1:4 expected ']' or ',', found an integer");
  CHECK(where("{a: 1 b: 2}") == "1:7 expected '}' or ',', found a key (name:)");
  CHECK(where("{1}") == "1:3 expected '=>' or a key (name:), found '}'");
  CHECK(where("f(a: 1, 2)") == "1:9 a plain argument cannot follow key: value arguments");
  CHECK(where("id: 5") == "1:1 unexpected key id: outside a call or hash");
  CHECK(where("x = \"open") == "1:5 unterminated string: no closing \"");
  CHECK(where("-> x") == "1:4 expected '{' after '->'");
  CHECK(where("User::") == "1:7 expected a constant name after '::', found end of input");
  CHECK(where("x = (1 |)") == "1:9 unexpected ')', expected a value");
  CHECK(where("tweet(5).é 1 2") == "1:14 unexpected an integer; a statement ends at a new line or ';'");
  CHECK(where("  end") == "1:3 unexpected 'end', expected a value");
  CHECK(where("class A\nend end") == "2:5 unexpected 'end'; a statement ends at a new line or ';'");
}

TEST_CASE("a syntax error's offset points into the source at its column") {
  std::string source = "ok = 1\nx = [1, 2 3]";
  auto e = error_of(source);
  REQUIRE(e);
  CHECK(e->line == 2);
  CHECK(e->column == 11);
  CHECK(source.substr(e->offset, 1) == "3");
  CHECK(parse_all("ok = 1").size() == 1);
}

TEST_CASE("after a syntax error the parser goes on with the next line") {
  Parser parser("a = (1\n\nb = 2 +\nc = 3\nd = ]\ne = 5");
  std::vector<std::string> got;
  int errors = 0;
  for (int guard = 0; guard < 20; ++guard) {
    try {
      auto s = parser.next_statement();
      if (!s) break;
      got.push_back(sexp(*s));
    } catch (const SyntaxError&) {
      ++errors;
    }
  }
  // `a = (1` runs on over the blank line (brackets continue lines) and fails at `b` on
  // line 3; the rest of line 3 is skipped; `c = 3` parses; `d = ]` fails; `e = 5` parses.
  CHECK(errors == 2);
  CHECK(got == std::vector<std::string>{"(= c 3)", "(= e 5)"});
}

TEST_CASE("the incomplete flag: input that ended before the statement did") {
  CHECK(incomplete("User.where(id: 1"));
  CHECK(incomplete("User.where(\n  id: 1,\n"));
  CHECK(incomplete("[1, 2"));
  CHECK(incomplete("{a: 1"));
  CHECK(incomplete("(1 +"));
  CHECK(incomplete("class X"));
  CHECK(incomplete("class X\n"));
  CHECK(incomplete("class X\n  belongs_to :y\n"));
  CHECK(incomplete("x = "));
  CHECK(incomplete("1 +"));
  CHECK(incomplete("user(1)."));
  CHECK(incomplete("-> {"));
  CHECK(incomplete("f a:"));
  CHECK_FALSE(incomplete("User.where(id: 1))"));
  CHECK_FALSE(incomplete("[1 2]"));
  CHECK_FALSE(incomplete("@"));
  CHECK_FALSE(incomplete("class X end"));
  CHECK_FALSE(incomplete("heart user=\n"));
  CHECK_FALSE(incomplete("x = )"));
}

TEST_CASE("an unfinished statement's error points just past its last token") {
  auto e = error_of("User.where(id: 1");
  REQUIRE(e);
  CHECK(e->message == "expected ')' or ',', found end of input");
  CHECK(e->line == 1);
  CHECK(e->column == 17);
  CHECK(e->offset == 16);
  auto open = error_of("x = [1,\n  2,\n");
  REQUIRE(open);
  CHECK(open->line == 2);
  CHECK(open->column == 5);
}

// Every script and -e statement ends in a newline; an unfinished statement is
// still reported just past its last character, on its own line.
TEST_CASE("an unfinished statement ending in a newline is reported on its own line") {
  CHECK(where("1 +\n") == "1:4 unexpected end of input, expected a value");
  CHECK(where("x = \n") == "1:4 unexpected end of input, expected a value");
  CHECK(where("class X\n").rfind("1:8 ", 0) == 0);
  CHECK(where("class X\n  belongs_to :y\n").rfind("2:16 ", 0) == 0);
}

TEST_CASE("the depth limit: deep nesting is a syntax error, never a crash") {
  std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
  auto e = error_of(deep);
  REQUIRE(e);
  CHECK(e->message == "statement nested too deeply");
  CHECK(e->line == 1);
  CHECK(e->column == Parser::kMaxDepth + 1);
  CHECK_FALSE(e->incomplete);

  auto brackets = error_of(std::string(10000, '[') + std::string(10000, ']'));
  REQUIRE(brackets);
  CHECK(brackets->message == "statement nested too deeply");
  std::string hashes;
  for (int i = 0; i < 5000; ++i) hashes += "{a: ";
  auto h = error_of(hashes + "1" + std::string(5000, '}'));
  REQUIRE(h);
  CHECK(h->message == "statement nested too deeply");
  auto bangs = error_of(std::string(10000, '!') + "x");
  REQUIRE(bangs);
  CHECK(bangs->message == "statement nested too deeply");
  std::string minus;
  for (int i = 0; i < 10000; ++i) minus += "- ";
  auto m = error_of(minus + "1");
  REQUIRE(m);
  CHECK(m->message == "statement nested too deeply");
  auto unclosed = error_of(std::string(10000, '('));
  REQUIRE(unclosed);
  CHECK(unclosed->message == "statement nested too deeply");
  std::string calls;
  for (int i = 0; i < 5000; ++i) calls += "f(";
  CHECK(error_of(calls + "1" + std::string(5000, ')')));
}

TEST_CASE("nesting under the limit parses, and the limit is per statement") {
  int n = Parser::kMaxDepth - 10;
  CHECK(parse1(std::string(static_cast<size_t>(n), '(') + "1" + std::string(static_cast<size_t>(n), ')')) == "1");
  std::string source;
  for (int i = 0; i < 5; ++i) source += std::string(static_cast<size_t>(n), '[') + std::string(static_cast<size_t>(n), ']') + "\n";
  CHECK(parse_all(source).size() == 5);
  std::string unclosed = std::string(10000, '(') + "\nafter = 1";
  Parser parser(unclosed);
  CHECK_THROWS_AS(parser.next_statement(), SyntaxError);
  // the error skipped the rest of that line; the next statement parses
  auto next = parser.next_statement();
  REQUIRE(next);
  CHECK(sexp(*next) == "(= after 1)");
}

TEST_CASE("blocks: braces and do...end, with parameters, on calls with and without arguments") {
  CHECK(parse1("[1, 2].map { |x| x * 2 }") == "(call (array 1 2) map (block|x| (do (* x 2))))");
  CHECK(parse1("u.tweets.each do |t|\n  puts t.content\nend") ==
        "(call (call u tweets) each (block|t| (do (call - puts (call t content)))))");
  CHECK(parse1("h.each { |k, v| p k }") == "(call h each (block|k,v| (do (call - p k))))");
  CHECK(parse1("5.times { }") == "(call 5 times (block|| (do)))");
  CHECK(parse1("x.inject(0) { |s, y| s + y }") == "(call() x inject 0 (block|s,y| (do (+ s y))))");
  CHECK(parse1("loop do\n  break\nend") == "(call - loop (block|| (do (break))))");
  // a newline inside a brace block ends a statement, as in Ruby
  CHECK(parse1("[1].each { |x|\n  a = x\n  b = a\n}") == "(call (array 1) each (block|x| (do (= a x) (= b a))))");
  CHECK(parse1("names.map(&:upcase)") == "(call() names map (& :upcase))");
  CHECK(parse1("names.map &:upcase") == "(call names map (& :upcase))");
}

TEST_CASE("control flow: if, unless, modifiers, ternary, while, case") {
  CHECK(parse1("if a then 1 else 2 end") == "(if a (do 1) (do 2))");
  CHECK(parse1("if a\n  1\nelsif b\n  2\nelse\n  3\nend") == "(if a (do 1) (if b (do 2) (do 3)))");
  CHECK(parse1("unless a\n  1\nend") == "(unless a (do 1))");
  CHECK(parse1("x = 1 if y") == "(if y (= x 1))");
  CHECK(parse1("puts 1 unless y") == "(unless y (call - puts 1))");
  CHECK(parse1("a ? b : c") == "(if a b c)");
  CHECK(parse1("a.empty? ? \"none\" : a.first") == "(if (call a empty?) \"none\" (call a first))");
  CHECK(parse1("while i < 3 do i += 1 end") == "(while (< i 3) (do (+= i 1)))");
  CHECK(parse1("until done\n  step\nend") == "(until done (do step))");
  CHECK(parse1("case x\nwhen 1, 2 then :low\nelse :high\nend") == "(case x (when 1 2 (do :low))) else (do :high)");
}

TEST_CASE("def, return, lambdas with parameters") {
  CHECK(parse1("def square(n)\n  n * n\nend") == "(def square|n| (do (* n n)))");
  CHECK(parse1("def hi\n  return 1 if x\n  2\nend") == "(def hi|| (do (if x (return 1)) 2))");
  CHECK(parse1("->(a, b) { a + b }") == "(->|a,b| (do (+ a b)))");
  CHECK(parse1("f = lambda { |x| x }") == "(= f (call - lambda (block|x| (do x))))");
}

TEST_CASE("break, next and return only where they mean something") {
  CHECK(where("break") == "1:1 Invalid break: it works inside a block or a loop");
  CHECK(where("next 1") == "1:1 Invalid next: it works inside a block or a loop");
  CHECK(where("return 5") == "1:1 Invalid return: return works inside def or a lambda");
  CHECK(parse1("[1].each { |x| next if x > 1 }") == "(call (array 1) each (block|x| (do (if (> x 1) (next)))))");
  CHECK(parse1("while true do break 3 end") == "(while true (do (break 3)))");
}

TEST_CASE("strings with #{}, ranges, %w[], &., op-assign, index-assign") {
  CHECK(parse1("\"#{u.name} has #{n} tweets\"") == "(str \"\" (call u name) \" has \" n \" tweets\")");
  CHECK(parse1("\"a #{\"b #{c}\"} d\"") == "(str \"a \" (str \"b \" c \"\") \" d\")");
  CHECK(parse1("\"#{}\"") == "(str \"\" \"\")");
  CHECK(parse1("(1..5)") == "(.. 1 5)");
  CHECK(parse1("1...n") == "(... 1 n)");
  CHECK(parse1("x[1..]") == "([] x (.. 1 nil))");
  CHECK(parse1("%w[ann bob]") == "(array \"ann\" \"bob\")");
  CHECK(parse1("%i[a b]") == "(array :a :b)");
  CHECK(parse1("x&.email&.upcase") == "(call&. (call&. x email) upcase)");
  CHECK(parse1("x ||= []") == "(||= x (array))");
  CHECK(parse1("u.name += \"!\"") == "(+= (call u name) \"!\")");
  CHECK(parse1("h[k] = 1") == "([]= h k 1)");
  CHECK(parse1("h[k] += 1") == "(+= ([] h k) 1)");
  CHECK(parse1("2 ** 3 ** 2") == "(** 2 (** 3 2))");
  CHECK(parse1("a <=> b") == "(<=> a b)");
}

TEST_CASE("paren-less calls take a value after a space, unless the name is a variable") {
  CHECK(parse1("puts x") == "(call - puts x)");
  CHECK(parse1("p 1, 2") == "(call - p 1 2)");
  CHECK(parse1("puts [1, 2]") == "(call - puts (array 1 2))");
  CHECK(parse1("puts -1") == "(call - puts -1)");
  CHECK(parse1("-3.abs") == "(call -3 abs)");  // a minus glued to a number is part of it
  CHECK(parse1("-2 ** 2") == "(-@ (** 2 2))");
  CHECK(parse1("-9223372036854775808") == "-9223372036854775808");
  CHECK(parse_all("x = 2; x -1") == std::vector<std::string>{"(line (= x 2) (- x 1))"});
  CHECK(parse1("x.include? y") == "(call x include? y)");
  CHECK(parse1("a - 1") == "(- a 1)");
}

TEST_CASE("an unfinished block, if, def, string or interpolation asks for more input") {
  for (const char* source : {"10.times do |i|", "if x", "if x\n  1\nelse", "def f(a)\n  a", "[1].map { |x|",
                             "\"abc", "\"a #{x", "\"a #{x} b", "case x\nwhen 1", "while true", "%w[a b", "x = ->(a) {"}) {
    auto failure = error_of(source);
    INFO(source);
    REQUIRE(failure);
    CHECK(failure->incomplete);
  }
  auto complete = error_of("if x then 1 end end");
  REQUIRE(complete);
  CHECK_FALSE(complete->incomplete);
}

TEST_CASE("the command form inside a one-line block ends at the block's }") {
  CHECK(parse1("%w[a b].each { |n| tag name=(n) }") ==
        "(call (array \"a\" \"b\") each (block|n| (do (cmd tag (pair name n)))))");
}

TEST_CASE("Ruby's begin ... rescue ... else ... ensure ... end, and rescue in a def") {
  CHECK(parse1("begin; x; rescue ArgumentError, TypeError => e; y; end") ==
        "(begin (do x) (rescue => e ArgumentError TypeError (do y)))");
  CHECK(parse1("begin\n  x\nrescue\n  y\nelse\n  z\nensure\n  w\nend") ==
        "(begin (do x) (rescue (do y))) else (do z) ensure (do w)");
  CHECK(parse1("begin; User.find(9); rescue ActiveRecord::RecordNotFound => e; e.message; end") ==
        "(begin (do (call() User find 9)) (rescue => e ActiveRecord::RecordNotFound (do (call e message))))");
  CHECK(parse1("def f\n  1 / 0\nrescue ZeroDivisionError\n  0\nend") ==
        "(def f|| (begin (do (/ 1 0)) (rescue ZeroDivisionError (do 0))))");
  auto unfinished = error_of("begin; x; rescue");
  REQUIRE(unfinished);
  CHECK(unfinished->incomplete);  // the prompt reads another line
}

TEST_CASE("multiple assignment: lists, splats and nested targets") {
  CHECK(parse1("a, b = 1, 2") == "(masgn|a,b| (array 1 2))");
  CHECK(parse1("first, *rest = list") == "(masgn|first,*rest| list)");
  CHECK(parse1("*init, last = list") == "(masgn|*init,last| list)");
  CHECK(parse1("x, (y, z) = 1, [7, 6]") == "(masgn|x,(y,z)| (array 1 (array 7 6)))");
  // not a multiple assignment: arguments, a paren-less call, an element
  CHECK(parse1("puts a, b") == "(call - puts a b)");
  CHECK(parse1("f(a, b = 2)") == "(call() - f a (= b 2))");
}

TEST_CASE("parameters: defaults, keywords, splats, destructuring, and the endless def") {
  CHECK(parse1("def greet(name = \"you\", greeting: \"hi\") = \"#{greeting} #{name}\"") ==
        "(def greet|name=,greeting:=| (do (str \"\" greeting \" \" name \"\")))");
  CHECK(parse1("def total(*nums) = nums.sum") == "(def total|*nums| (do (call nums sum)))");
  CHECK(parse1("def tag(label, **opts, &block)\nend") == "(def tag|label,**opts,&block| (do))");
  CHECK(parse1("def f(a, k:)\nend") == "(def f|a,k:| (do))");
  CHECK(parse1("x.map { |(k, n), i| k }") == "(call x map (block|(k,n),i| (do k)))");
  CHECK(parse1("->(a, b = 2) { a + b }") == "(->|a,b=| (do (+ a b)))");
}

TEST_CASE("globals of the last match, and the lexer's $") {
  CHECK(parse1("$~[1]") == "([] $~ 1)");
  CHECK(parse1("$1.to_i") == "(call (call&. $~ [] 1) to_i)");  // $1 is $~&.[](1): nil without a match
  CHECK(parse1("$~") == "$~");
}

TEST_CASE("an unclosed body names the word that closes it, quoted once") {
  CHECK(where("[1].each do |x|") == "1:16 'do' has no 'end'");
  CHECK(where("if true") == "1:8 'if' has no 'end'");  // not its first way out, elsif
  CHECK(where("[1].map { |x|") == "1:14 '{' has no '}'");
  CHECK(incomplete("while true"));
}

TEST_CASE("heredocs are strings anywhere a value stands; a statement ends after their bodies") {
  CHECK(parse_all("x = <<~EOS\n  hi\nEOS\ny") == std::vector<std::string>{"(= x \"hi\\n\")", "y"});
  CHECK(parse1("execute <<~SQL\n  UPDATE users SET a = 0\nSQL") == "(call - execute \"UPDATE users SET a = 0\\n\")");
  CHECK(parse1("<<~EOS.strip\n  a\nEOS") == "(call \"a\\n\" strip)");
  CHECK(parse1("f(<<~A, 2)\n  a\nA") == "(call() - f \"a\\n\" 2)");
  CHECK(parse1("<<~EOS\n  a #{b}\nEOS") == "(str \"a \" b \"\\n\")");
  Parser parser("x = <<~EOS\n  hi\nEOS\ny");
  parser.next_statement();
  CHECK(parser.statement_end() == std::string("x = <<~EOS\n  hi\nEOS").size());
  CHECK(incomplete("x = <<~EOS\n  hi"));
}
