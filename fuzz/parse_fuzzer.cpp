// libFuzzer harness: the lexer and parser on any bytes. Every input parses or
// ends in syntax errors; each error points inside the input at a real line,
// and its display (message and caret window) stays a few lines long.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "console/commands.hpp"
#include "lang/diagnostic.hpp"
#include "lang/parser.hpp"

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "parse_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string source(reinterpret_cast<const char*>(data), size);
  static const auto words = fw::console::command_words();
  fw::lang::Parser parser(source, words);
  for (int turns = 0;; ++turns) {
    check(turns <= 2 * static_cast<int>(size) + 10, "the parser made no progress");
    try {
      if (!parser.next_statement()) break;
    } catch (const fw::lang::SyntaxError& e) {
      check(e.offset <= size, "a syntax error points past the input");
      check(e.pos.line >= 1 && e.pos.column >= 1, "a syntax error has no line and column");
      std::string shown = fw::diagnostic("fuzz", e.pos, e.what()) +
                          fw::lang::caret_lines(parser.lexer().line_at(e.offset), e.pos);
      check(shown.size() < 8 * 1024, "an error display is longer than a few lines");
      if (e.incomplete) break;  // the input ended inside a statement
    }
  }
  return 0;
}
