// The lexer: tokens, where they start, and how they decide what a character means.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "lang/lexer.hpp"

using fw::lang::Lexer;
using fw::lang::Tok;
using fw::lang::Token;

namespace {

// Every token up to and including Eof (or the first Error).
std::vector<Token> lex(const std::string& source) {
  Lexer lexer(source);
  std::vector<Token> out;
  for (;;) {
    out.push_back(lexer.next());
    if (out.back().type == Tok::Eof || out.back().type == Tok::Error || out.size() > 10000) return out;
  }
}

std::vector<Tok> types(const std::string& source) {
  std::vector<Tok> out;
  for (const auto& t : lex(source)) out.push_back(t.type);
  return out;
}

// "Ident:user LParen Integer:1 RParen Eof": compact enough to compare whole streams.
std::string show(const std::string& source) {
  std::string out;
  for (const auto& t : lex(source)) {
    if (!out.empty()) out += ' ';
    if (t.type == Tok::Error) {
      out += "error<" + t.text + ">";
      continue;
    }
    out += fw::lang::describe(t.type);
    if (t.type == Tok::Ident || t.type == Tok::Constant || t.type == Tok::Integer || t.type == Tok::Float ||
        t.type == Tok::String || t.type == Tok::Symbol || t.type == Tok::Label || t.type == Tok::Regex)
      out += "<" + t.text + ">";
  }
  return out;
}

Token only(const std::string& source) {
  auto tokens = lex(source);
  REQUIRE(tokens.size() >= 1);
  if (tokens.back().type == Tok::Eof) REQUIRE_MESSAGE(tokens.size() == 2, show(source));
  return tokens.front();
}

}  // namespace

TEST_CASE("tokens carry their line, column, offsets and bracket depth") {
  std::string source = "u = user(1)\n  u.tweets.count";
  auto t = lex(source);
  REQUIRE(t.size() == 13);
  struct Want {
    Tok type;
    int line, column;
    size_t offset, end;
    int depth;
  };
  std::vector<Want> want = {
      {Tok::Ident, 1, 1, 0, 1, 0},     {Tok::Assign, 1, 3, 2, 3, 0},   {Tok::Ident, 1, 5, 4, 8, 0},
      {Tok::LParen, 1, 9, 8, 9, 0},    {Tok::Integer, 1, 10, 9, 10, 1}, {Tok::RParen, 1, 11, 10, 11, 1},
      {Tok::Newline, 1, 12, 11, 12, 0}, {Tok::Ident, 2, 3, 14, 15, 0},  {Tok::Dot, 2, 4, 15, 16, 0},
      {Tok::Ident, 2, 5, 16, 22, 0},   {Tok::Dot, 2, 11, 22, 23, 0},   {Tok::Ident, 2, 12, 23, 28, 0},
  };
  for (size_t i = 0; i < want.size(); ++i) {
    CAPTURE(i);
    CHECK(t[i].type == want[i].type);
    CHECK(t[i].pos.line == want[i].line);
    CHECK(t[i].pos.column == want[i].column);
    CHECK(t[i].offset == want[i].offset);
    CHECK(t[i].end == want[i].end);
    CHECK(t[i].depth == want[i].depth);
  }
  CHECK(t[2].text == "user");
  CHECK(t[11].text == "count");
}

TEST_CASE("the Eof token sits at the end of the source") {
  auto t = lex("a\n");
  REQUIRE(t.size() == 3);
  CHECK(t[1].type == Tok::Newline);
  CHECK(t[2].type == Tok::Eof);
  CHECK(t[2].offset == 2);
  CHECK(t[2].pos.line == 2);
  CHECK(t[2].pos.column == 1);
  CHECK(types("") == std::vector<Tok>{Tok::Eof});
  CHECK(types("   \t  # only a comment") == std::vector<Tok>{Tok::Eof});
}

TEST_CASE("columns count characters, not bytes") {
  auto t = lex("\"é漢\" x\n  ü = 1");
  REQUIRE(t.size() >= 5);
  CHECK(t[0].type == Tok::String);
  CHECK(t[0].text == "é漢");
  CHECK(t[1].type == Tok::Ident);
  CHECK(t[1].pos.column == 6);
  CHECK(t[1].offset == 8);  // é is 2 bytes, 漢 is 3
  CHECK(t[3].type == Tok::Ident);  // names may hold UTF-8
  CHECK(t[3].text == "ü");
  CHECK(t[3].pos.line == 2);
  CHECK(t[3].pos.column == 3);
  CHECK(t[4].pos.column == 5);
}

TEST_CASE("double-quoted strings apply escapes") {
  CHECK(only(R"("a\nb")").text == "a\nb");
  CHECK(only(R"("tab\there")").text == "tab\there");
  CHECK(only(R"("cr\r")").text == "cr\r");
  CHECK(only(R"("esc\e")").text == "esc\033");
  CHECK(only(R"("sp\s")").text == "sp ");
  CHECK(only(R"("q\"q")").text == "q\"q");
  CHECK(only(R"("back\\slash")").text == "back\\slash");
  CHECK(only(R"("other\qx")").text == "otherqx");
  CHECK(only(R"("it's")").text == "it's");
  auto nul = only(R"("a\0b")");
  CHECK(nul.text == std::string("a\0b", 3));
  auto t = only(R"("a\"b" )");
  CHECK(t.type == Tok::String);
  CHECK(t.offset == 0);
  CHECK(t.end == 6);
}

TEST_CASE("single-quoted strings keep backslashes except before \\ and '") {
  CHECK(only(R"('a\nb')").text == "a\\nb");
  CHECK(only(R"('it\'s')").text == "it's");
  CHECK(only(R"('back\\slash')").text == "back\\slash");
  CHECK(only(R"('say "hi"')").text == "say \"hi\"");
  CHECK(only("''").text.empty());
  CHECK(only("''").type == Tok::String);
}

TEST_CASE("strings may span lines and the next token's line is counted") {
  auto t = lex("\"one\ntwo\" x");
  REQUIRE(t.size() == 3);
  CHECK(t[0].text == "one\ntwo");
  CHECK(t[1].pos.line == 2);
  CHECK(t[1].pos.column == 6);
}

// Ruby's "\u00e9" is "é", "\u{1F600}" a code point in braces, "\x41" is "A".
TEST_CASE("unicode and hex escapes in double-quoted strings") {
  CHECK(only(R"("\u00e9")").text == "é");
  CHECK(only(R"("\u{1F600}")").text == "\xF0\x9F\x98\x80");
  CHECK(only(R"("\x41")").text == "A");
}

TEST_CASE("an unterminated string is an Error token at its start") {
  auto t = lex("x = \"abc");
  REQUIRE(t.size() == 3);
  CHECK(t[2].type == Tok::Error);
  CHECK(t[2].text == "unterminated string: no closing \"");
  CHECK(t[2].pos.column == 5);
  auto single = lex("'abc\\'");
  CHECK(single.back().type == Tok::Error);
  CHECK(single.back().text == "unterminated string: no closing '");
  CHECK(lex("\"ends in a backslash\\").back().type == Tok::Error);
}

TEST_CASE("symbols") {
  CHECK(show(":name") == "a symbol<name> end of input");
  CHECK(show(":exists?") == "a symbol<exists?> end of input");
  CHECK(show(":save!") == "a symbol<save!> end of input");
  CHECK(show(":name=") == "a symbol<name=> end of input");
  CHECK(show(":\"with space\"") == "a symbol<with space> end of input");
  CHECK(show(":'q'") == "a symbol<q> end of input");
  CHECK(show("{:a=>1}") == "'{' a symbol<a> '=>' an integer<1> '}' end of input");
  CHECK(show(":a==:b") == "a symbol<a> '==' a symbol<b> end of input");
  CHECK(show("A::B") == "a model name<A> '::' a model name<B> end of input");
  CHECK(show("x = : y") == "a name<x> '=' ':' a name<y> end of input");  // the ternary's ':'
  auto open = lex(":\"open");
  CHECK(open.back().type == Tok::Error);
  CHECK(open.back().unfinished);  // the prompt reads another line
}

TEST_CASE("labels, keywords and names") {
  CHECK(show("where(id: 1)") == "a name<where> '(' a key (name:)<id> an integer<1> ')' end of input");
  CHECK(show("f a:1") == "a name<f> a key (name:)<a> an integer<1> end of input");
  CHECK(show("x.class") == "a name<x> '.' a name<class> end of input");  // after '.', keywords are names
  CHECK(show("x.end:") == "a name<x> '.' a name<end> ':' end of input");
  CHECK(types("class end true false nil self and or not") ==
        std::vector<Tok>{Tok::Class, Tok::End, Tok::True, Tok::False, Tok::Nil, Tok::Self, Tok::And, Tok::Or,
                         Tok::Not, Tok::Eof});
  CHECK(show("exists? save! x!=1") ==
        "a name<exists?> a name<save!> a name<x> '!=' an integer<1> end of input");
  CHECK(show("User _x x_1 Über") == "a model name<User> a name<_x> a name<x_1> a name<Über> end of input");
  CHECK(show("classy ends") == "a name<classy> a name<ends> end of input");
}

TEST_CASE("numbers") {
  CHECK(show("42 1_000 3.25 1e3 2.5e-3 7E+2") ==
        "an integer<42> an integer<1000> a number<3.25> a number<1e3> a number<2.5e-3> a number<7E+2> end of input");
  CHECK(show("1.to_s") == "an integer<1> '.' a name<to_s> end of input");
  CHECK(show("1..2") == "an integer<1> '..' an integer<2> end of input");
  CHECK(show("1_") == "error<'1_' is not a number>");
  CHECK(show("12abc") == "error<'12abc' is not a number>");
  CHECK(show("1.5e") == "error<'1.5e' is not a number>");
  CHECK(only("99999999999999999999").type == Tok::Integer);  // the parser judges the size
}

TEST_CASE("regex or division: '/' after a value divides, elsewhere starts a regex") {
  CHECK(show("4 / 2") == "an integer<4> '/' an integer<2> end of input");
  CHECK(show("x/2") == "a name<x> '/' an integer<2> end of input");
  CHECK(show("(1) / 2") == "'(' an integer<1> ')' '/' an integer<2> end of input");
  CHECK(show("a[0] /b") == "a name<a> '[' an integer<0> ']' '/' a name<b> end of input");
  CHECK(show("x = /ab+c/i") == "a name<x> '=' a regular expression<ab+c> end of input");
  CHECK(show("with: /\\A[^@\\s]+@[^@\\s]+\\z/") ==
        "a key (name:)<with> a regular expression<\\A[^@\\s]+@[^@\\s]+\\z> end of input");
  CHECK(show("[/a\\/b/]") == "'[' a regular expression<a\\/b> ']' end of input");
  auto t = lex("f(/x/mix)");
  REQUIRE(t.size() == 5);
  CHECK(t[2].type == Tok::Regex);
  CHECK(t[2].flags == "mix");
  CHECK(show("x = /open\n/") == "a name<x> '=' error<unterminated regular expression: no closing />");
}

TEST_CASE("operators and punctuation") {
  CHECK(types("== != <= >= << < > => -> - + * % ! && || , . ; ::") ==
        std::vector<Tok>{Tok::Eq, Tok::NotEq, Tok::Le, Tok::Ge, Tok::Shovel, Tok::Lt, Tok::Gt, Tok::Rocket,
                         Tok::Arrow, Tok::Minus, Tok::Plus, Tok::Star, Tok::Percent, Tok::Bang, Tok::AndAnd,
                         Tok::OrOr, Tok::Comma, Tok::Dot, Tok::Semicolon, Tok::ColonColon, Tok::Eof});
  CHECK(show("a | b") == "a name<a> '|' a name<b> end of input");
  CHECK(show("a & b") == "a name<a> '&' a name<b> end of input");
  CHECK(show("@x") == "a name<@x> end of input");  // an instance variable
  CHECK(show("@1") == "error<unexpected character '@'>");
  CHECK(show("\x01") == "error<unexpected character '\\x01'>");
}

TEST_CASE("newlines inside brackets are not tokens; outside they end statements") {
  CHECK(types("f(1,\n2)\nx") == std::vector<Tok>{Tok::Ident, Tok::LParen, Tok::Integer, Tok::Comma, Tok::Integer,
                                                   Tok::RParen, Tok::Newline, Tok::Ident, Tok::Eof});
  CHECK(types("[\n1\n]") == std::vector<Tok>{Tok::LBracket, Tok::Integer, Tok::RBracket, Tok::Eof});
  CHECK(types("{\na: 1\n}\n") == std::vector<Tok>{Tok::LBrace, Tok::Label, Tok::Integer, Tok::RBrace, Tok::Newline,
                                                 Tok::Eof});
  // depth never goes below zero, so a stray ')' does not swallow later newlines
  CHECK(types(")\nx") == std::vector<Tok>{Tok::RParen, Tok::Newline, Tok::Ident, Tok::Eof});
  auto t = lex("f((\n1))");
  CHECK(t[3].depth == 2);
  CHECK(t[3].pos.line == 2);
}

TEST_CASE("a line starting with .method continues the statement") {
  CHECK(show("user(1)\n  .tweets\n  .count") ==
        "a name<user> '(' an integer<1> ')' '.' a name<tweets> '.' a name<count> end of input");
  CHECK(show("x # comment\n.y") == "a name<x> '.' a name<y> end of input");
  CHECK(show("x\n\n   .y") == "a name<x> '.' a name<y> end of input");
  CHECK(show("x\r\n.y") == "a name<x> '.' a name<y> end of input");
  CHECK(show("x\n..y") == "a name<x> end of line '..' a name<y> end of input");
  CHECK(show("x\ny") == "a name<x> end of line a name<y> end of input");
  CHECK(show("x\n.") == "a name<x> end of line '.' end of input");
}

TEST_CASE("comments and backslash line continuation") {
  CHECK(show("a # b c\nd") == "a name<a> end of line a name<d> end of input");
  CHECK(show("\"# not a comment\"") == "a string<# not a comment> end of input");
  CHECK(show("a \\\n+ b") == "a name<a> '+' a name<b> end of input");
}

TEST_CASE("line_at and position") {
  std::string source = "first\nsecond line\nthird";
  Lexer lexer(source);
  CHECK(lexer.line_at(0) == "first");
  CHECK(lexer.line_at(8) == "second line");
  CHECK(lexer.line_at(source.size()) == "third");
  CHECK(lexer.line_at(5) == "first");  // the newline belongs to its line
  CHECK(lexer.position(8).line == 2);
  CHECK(lexer.position(8).column == 3);
  CHECK(lexer.position(0).line == 1);  // backwards after forwards
  CHECK(lexer.position(0).column == 1);
  CHECK(lexer.position(source.size()).line == 3);
  CHECK(lexer.position(source.size()).column == 6);
}

TEST_CASE("raw_word reads a bare word to the next space or ';'") {
  std::string source = "email=ann@example.com tweet=5;x";
  Lexer lexer(source);
  Token key = lexer.next();
  CHECK(key.text == "email");
  CHECK(lexer.next().type == Tok::Assign);
  Token value_start = lexer.next();
  CHECK(value_start.type == Tok::Ident);  // "ann", before the raw read
  Token word = lexer.raw_word(value_start);
  CHECK(word.type == Tok::String);
  CHECK(word.text == "ann@example.com");
  CHECK(word.offset == 6);
  CHECK(word.end == 21);
  CHECK(lexer.next().text == "tweet");
  CHECK(lexer.next().type == Tok::Assign);
  Token five = lexer.next();
  CHECK(lexer.raw_word(five).text == "5");
  CHECK(lexer.next().type == Tok::Semicolon);
  CHECK(lexer.next().text == "x");
}

TEST_CASE("the lexer never loops or throws on any byte") {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (int c = 0; c < 256; ++c) {
    std::string s(1, static_cast<char>(c));
    CAPTURE(c);
    auto t = lex(s + " x");
    CHECK(t.size() < 10);
  }
  Lexer lexer(all);
  int n = 0;
  for (Token t = lexer.next(); t.type != Tok::Eof && n < 1000; t = lexer.next()) ++n;
  CHECK(n < 1000);
}

TEST_CASE("a name ending in a keyword is one name: delete_if, keep_if, a_or_b, do_until") {
  CHECK(show("a.delete_if{|x| x}") == "a name<a> '.' a name<delete_if> '{' '|' a name<x> '|' a name<x> '}' end of input");
  CHECK(show("keep_if unless_x or_y and_z while_ok do_end") ==
        "a name<keep_if> a name<unless_x> a name<or_y> a name<and_z> a name<while_ok> a name<do_end> end of input");
}

TEST_CASE("heredocs: <<~ strips the common indentation, <<- and << keep it, the line goes on after the opener") {
  CHECK(show("x = <<~EOS\n  a\n    b\n  EOS\ny") == "a name<x> '=' a string<a\n  b\n> end of line a name<y> end of input");
  CHECK(show("<<-EOS\n  a\n  EOS") == "a string<  a\n> end of input");
  CHECK(show("<<EOS\n  a\nEOS\n") == "a string<  a\n> end of line end of input");
  CHECK(show("<<EOS\n  a\n  EOS\nEOS") == "a string<  a\n  EOS\n> end of input");  // <<EOS ends at column 1 only
  CHECK(show("<<~EOS.strip\n  a\nEOS") == "a string<a\n> '.' a name<strip> end of input");
  CHECK(show("f(<<~A, <<~B)\n  a\nA\n  b\nB\nz") ==
        "a name<f> '(' a string<a\n> ',' a string<b\n> ')' end of line a name<z> end of input");
  CHECK(show("execute <<~SQL\n  UPDATE t\nSQL") == "a name<execute> a string<UPDATE t\n> end of input");
  CHECK(show("<<~EOS\n  a\n\n   b\nEOS") == "a string<a\n\n b\n> end of input");  // a blank line does not count
  CHECK(show("<<~'EOS'\n  a #{b} \\n\nEOS") == "a string<a #{b} \\n\n> end of input");  // 'EOS': raw
  CHECK(show("<<~\"EOS\"\n  a\\tb\nEOS") == "a string<a\tb\n> end of input");
  CHECK(show("a << b") == "a name<a> '<<' a name<b> end of input");
  CHECK(show("a <<b") == "a name<a> '<<' a name<b> end of input");
  CHECK(show("[] << <<~X\n  s\nX") == "'[' ']' '<<' a string<s\n> end of input");
}

TEST_CASE("a heredoc with #{} interpolates; an unterminated one asks for more") {
  CHECK(show("<<~EOS\n  a #{x} b\n  #{y}\nEOS") ==
        "a string a name<x> a string a name<y> a string end of input");
  auto tokens = lex("<<~EOS\n  a #{x} b\nEOS");
  REQUIRE(tokens.size() == 4);
  CHECK(tokens[0].text == "a ");
  CHECK(tokens[2].text == " b\n");
  auto open = lex("x = <<~EOS\n  a\n");
  CHECK(open.back().type == Tok::Error);
  CHECK(open.back().unfinished);
  CHECK(open.back().text == "can't find string \"EOS\" anywhere before EOF");  // Ruby's words
}
