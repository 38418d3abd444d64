// The command form's lines with literal values are read straight from the
// source (Parser::plain_command_line): each must give what the general way
// gives, the same nodes at the same places, and leave the parser where it
// would, so the statements after it read the same too.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lang/parser.hpp"

using namespace fw::lang;

namespace {

std::string dump(const Node* n) {
  if (!n) return "-";
  std::string out = "(" + std::to_string(static_cast<int>(n->kind)) + " " + n->name + " " + n->path + " [" + n->text +
                    "] " + (n->bare ? "bare " : "") + std::to_string(n->pos.line) + ":" +
                    std::to_string(n->pos.column) + "@" + std::to_string(n->offset) + " d" + std::to_string(n->depth);
  for (const auto& item : n->items) out += " " + dump(item.get());
  out += " r" + dump(n->receiver.get()) + " b" + dump(n->block.get());
  return out + ")";
}

// Every statement of `source`, each with where it ended, or the error that stopped it.
std::string read_all(const std::string& source, bool plain) {
  Parser parser(source, {{"help", false}, {"explain", true}});
  parser.set_plain_commands(plain);
  std::string out;
  for (int guard = 0; guard < 100; ++guard) {
    try {
      NodePtr s = parser.next_statement();
      if (!s) break;
      out += dump(s.get()) + " end " + std::to_string(parser.statement_end()) + "\n";
    } catch (const SyntaxError& e) {
      out += "error " + std::string(e.what()) + " " + std::to_string(e.pos.line) + ":" + std::to_string(e.pos.column) +
             "\n";
    }
  }
  return out;
}

}  // namespace

TEST_CASE("A command-form line read straight from the source gives what the general way gives") {
  const std::vector<std::string> sources = {
      "heart user=2 tweet=5",
      "heart user=2 tweet=5\n",
      "heart user=2 tweet=5\nfollow follower=1 followed=2\n",
      "user username=\"user7\" email=\"user7@example.com\"\n",
      "user username=ann email=ann@example.com\n",
      "tweet user=3 content=\"Tweet number 4, about associations.\"\n",
      "tweet   user=3\tcontent=\"two  spaces\"   \n\n\ntweet user=1 content=\"x\"",
      "message sender=1 receiver=2 content=\"\"\n",
      "user admin=true banned=false nickname=nil\n",
      "user score=-1.5 rank=+3 handle=.x at=@ann\n",
      "x = 1\nheart user=x tweet=2\n",
      "heart user=2 tweet=5 # a comment\n",
      "heart user=2 tweet=5; heart user=3 tweet=5\n",
      "heart user=2;tweet=5\n",
      "heart user=2 tweet=(1 + 4)\n",
      "tweet user.username=ann content=\"x\"\n",
      "tweet user=1 content=\"a #{1 + 1} b\"\n",
      "tweet user=1 content=\"a \\\" b\"\n",
      "tweet user=1 content=\"a # b\"\n",
      "tweet user=1 content=\"line one\nline two\"\n",
      "tweet user=1 content=\"unterminated\n",
      "tweet user=1 content=\"x\"y\n",
      "tweet user=1\n  .save\n",
      "heart user==2\n",
      "heart user=>2\n",
      "heart user=~2\n",
      "heart if=2\n",
      "heart end=2\n",
      "heart user =2\n",
      "heart user= 2\n",
      "heart user=\n",
      "heart\n",
      "heart user\n",
      "help user=2\n",
      "valid? user=2\n",
      "heart user?=2\n",
      "heart Name=2\n",
      "heart user=2\r\n",
      "heart user=2 tweet=5 \\\n  extra=1\n",
      "heart user=2 tweet=5\n.5\n",
      "heart user=2 tweet=5\n..5\n",
      "tweet user=1 content=\"é ü\" tag=café\n",
      "if true\n  heart user=2 tweet=5\nend\n",
      "[1].each { |n| heart user=n tweet=2 }\n",
      "heart a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9 j=10 k=11 l=12 m=13 n=14 o=15 p=16 q=17\n",
  };
  for (const auto& source : sources) {
    CAPTURE(source);
    CHECK(read_all(source, true) == read_all(source, false));
  }
}
