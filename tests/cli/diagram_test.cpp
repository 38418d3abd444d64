// fwitter diagram [--format mermaid|dot]: the models' association diagram on
// standard output, for GitHub (Mermaid) or Graphviz (DOT).
#include <doctest/doctest.h>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

TEST_CASE("fwitter diagram prints a Mermaid erDiagram, and DOT with --format dot") {
  TempDir dir;
  auto mermaid = fwitter({"--db", dir / "t.sqlite3", "diagram"});
  CHECK(mermaid.status == 0);
  CHECK(mermaid.out.rfind("erDiagram\n  User {\n    integer id PK\n", 0) == 0);
  CHECK(mermaid.out.find("  Tweet ||--o{ Heart : \"hearts / tweet\"\n") != std::string::npos);
  CHECK(mermaid.out == fwitter({"--db", dir / "t.sqlite3", "diagram", "--format", "mermaid"}).out);
  auto dot = fwitter({"--db", dir / "t.sqlite3", "diagram", "--format", "dot"});
  CHECK(dot.status == 0);
  CHECK(dot.out.rfind("digraph models {\n", 0) == 0);
  CHECK(dot.out.find("\"User\" -> \"Tweet\" [label=\"liked_tweets (through hearts)\"") != std::string::npos);
  CHECK(dot.out.find("style=dashed") != std::string::npos);
  CHECK(dot.out.back() == '\n');
}

TEST_CASE("fwitter diagram refuses a format it does not draw") {
  TempDir dir;
  auto o = fwitter({"--db", dir / "t.sqlite3", "diagram", "--format", "png"});
  CHECK(o.status == 2);
  CHECK(o.err.find("--format") != std::string::npos);
  CHECK(o.out.empty());
}
