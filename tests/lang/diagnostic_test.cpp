// The error display: a window of a long line around the caret, quoted names
// and whole messages cut to a readable length, control bytes shown as '?'.
#include <doctest/doctest.h>

#include <string>

#include "lang/diagnostic.hpp"

using fw::SourcePos;
using fw::lang::caret_lines;

TEST_CASE("a short line shows whole, the caret under its column") {
  CHECK(caret_lines("x = 1 +", SourcePos{1, 8}) == "    x = 1 +\n           ^\n");
  CHECK(caret_lines("\tx", SourcePos{1, 2}) == "     x\n     ^\n");
  CHECK(caret_lines("", SourcePos{1, 1}) == "    \n    ^\n");
}

TEST_CASE("a long line shows a window around the caret, with ... where it is cut") {
  std::string line = std::string(5000, 'a') + "X" + std::string(5000, 'b');
  auto shown = caret_lines(line, SourcePos{1, 5001});
  auto source = shown.substr(0, shown.find('\n'));
  auto caret = shown.substr(shown.find('\n') + 1);
  CHECK(source.size() == 4 + 3 + fw::lang::kCaretWindow + 3);
  CHECK(source.rfind("    ...aaa", 0) == 0);
  CHECK(source.substr(source.size() - 6) == "bbb...");
  CHECK(source[caret.find('^')] == 'X');
  // at the start: nothing cut before
  auto start = caret_lines(line, SourcePos{1, 1});
  CHECK(start.rfind("    aaa", 0) == 0);
  CHECK(start.find("...\n") != std::string::npos);
  CHECK(start.substr(start.find('\n') + 1) == "    ^\n");
  // at the very end (an unfinished statement): nothing cut after
  auto end = caret_lines(line, SourcePos{1, 10002});
  auto end_source = end.substr(0, end.find('\n'));
  CHECK(end_source.substr(end_source.size() - 3) == "bbb");
  CHECK(end.substr(end.find('\n') + 1).find('^') == end_source.size());
}

TEST_CASE("the window counts characters, not bytes, and never splits one") {
  std::string line;
  for (int i = 0; i < 300; ++i) line += "\xc3\xa9";  // é
  line += "!";
  auto shown = caret_lines(line, SourcePos{1, 301});
  auto source = shown.substr(0, shown.find('\n'));
  auto caret = shown.substr(shown.find('\n') + 1);
  CHECK(source.back() == '!');
  CHECK(source.size() == 4 + 3 + 2 * (fw::lang::kCaretWindow - 1) + 1);
  CHECK(caret.find('^') == 4 + 3 + (fw::lang::kCaretWindow - 1));
}

TEST_CASE("control bytes and invalid UTF-8 show as ?, keeping the caret in its column") {
  std::string line = std::string("a\0b\x1b", 4) + "\xff" + "c";
  CHECK(caret_lines(line, SourcePos{1, 6}) == "    a?b??c\n         ^\n");
}

TEST_CASE("quoted names and values in a message are cut, and the whole message too") {
  std::string name(5000, 'n');
  auto message = fw::readable_message("undefined local variable or method '" + name + "' for main");
  CHECK(message == "undefined local variable or method '" + std::string(fw::kMaxQuoted, 'n') + "...' for main");
  CHECK(fw::readable_message("Couldn't find User with 'id'=99") == "Couldn't find User with 'id'=99");
  auto value = fw::readable_message("got \"" + std::string(300, 'v') + "\" which is an instance of String");
  CHECK(value == "got \"" + std::string(fw::kMaxQuoted, 'v') + "...\" which is an instance of String");
  auto whole = fw::readable_message(std::string(5000, 'w'));
  CHECK(whole.size() == fw::kMaxMessage + 3);
  CHECK(fw::readable_message(std::string("nul \0 here", 10)) == "nul ? here");
  CHECK(fw::diagnostic("f.fw", SourcePos{2, 3}, "x '" + name + "'").size() < 100);
}
