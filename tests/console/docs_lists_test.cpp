// The docs' lists against the tables they describe, through the real binary:
// the console commands and help topics of docs/statement-language.md are
// those `help` prints from console/commands.cpp's table and
// console/help.cpp's topics, and every method the page names under
// "Models, relations and records" has an entry in a method table of
// src/lang/methods/ (`help NAME` finds it). A command, topic or method added
// or removed without its line in the docs fails here.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::TempDir;

namespace {

std::string doc(const std::string& name) { return fw::test::slurp(std::string(FWITTER_SOURCE_DIR) + "/" + name); }

// The text of a Markdown section: from its heading line to the next heading
// of the same or a higher level.
std::string section(const std::string& text, const std::string& heading) {
  auto at = text.find("\n" + heading + "\n");
  REQUIRE_MESSAGE(at != std::string::npos, heading);
  at += heading.size() + 2;
  auto level = heading.substr(0, heading.find(' ') + 1);  // "## "
  auto end = text.find("\n" + level, at);
  return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

std::vector<std::string> backticked(const std::string& text) {
  std::vector<std::string> spans;
  static const std::regex span("`([^`]+)`");
  for (std::sregex_iterator it(text.begin(), text.end(), span), end; it != end; ++it) spans.push_back((*it)[1]);
  return spans;
}

// The first words of `help`'s lines under `title`, up to the blank line after it.
std::set<std::string> listed_by_help(const std::string& help, const std::string& title) {
  std::set<std::string> names;
  std::istringstream in(help);
  std::string line;
  while (std::getline(in, line) && line != title) {
  }
  REQUIRE_MESSAGE(line == title, title);
  while (std::getline(in, line) && !line.empty()) {
    std::istringstream words(line);
    std::string first;
    words >> first;
    names.insert(first);
  }
  return names;
}

std::string help_output() {
  TempDir dir;
  auto r = fwitter({"--db", dir / "t.sqlite3", "-e", "help"});
  REQUIRE(r.status == 0);
  return r.out;
}

std::string joined(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

}  // namespace

TEST_CASE("docs/statement-language.md's command table names every console command, and only those") {
  auto from_help = listed_by_help(help_output(), "Commands:");
  REQUIRE(from_help.size() >= 10);
  std::set<std::string> from_doc;
  std::istringstream rows(section(doc("docs/statement-language.md"), "## Console commands"));
  for (std::string row; std::getline(rows, row);) {
    if (row.rfind("| `", 0) != 0) continue;  // table rows whose first cell names commands
    auto first_cell = row.substr(1, row.find(" | ") - 1);
    for (const auto& span : backticked(first_cell)) from_doc.insert(span.substr(0, span.find(' ')));
  }
  std::set<std::string> undocumented, unknown;
  for (const auto& n : from_help)
    if (!from_doc.count(n)) undocumented.insert(n);
  for (const auto& n : from_doc)
    if (!from_help.count(n)) unknown.insert(n);
  CHECK_MESSAGE(undocumented.empty(), "in the command table, not in the docs: " << joined(undocumented));
  CHECK_MESSAGE(unknown.empty(), "in the docs, not in the command table: " << joined(unknown));
}

TEST_CASE("the help topics docs/statement-language.md lists are help's topics") {
  auto from_help = listed_by_help(help_output(), "Topics (help TOPIC):");
  auto commands = section(doc("docs/statement-language.md"), "## Console commands");
  auto at = commands.find("a topic (");
  REQUIRE(at != std::string::npos);
  auto list = commands.substr(at, commands.find(')', at) - at);
  std::set<std::string> from_doc;
  for (const auto& span : backticked(list)) from_doc.insert(span);
  CHECK(joined(from_doc) == joined(from_help));
}

TEST_CASE("every command the README's console line names is a console command") {
  auto from_help = listed_by_help(help_output(), "Commands:");
  auto readme = doc("README.md");
  auto at = readme.find("- **The console**");
  REQUIRE(at != std::string::npos);
  auto line = readme.substr(at, readme.find("\n- **", at + 1) - at);
  for (const auto& span : backticked(line)) {
    std::istringstream words(span);
    for (std::string word; std::getline(words, word, '/');) {
      CAPTURE(word);
      CHECK(from_help.count(word) == 1);
    }
  }
}

TEST_CASE("every method docs/statement-language.md names for models, relations and records has help") {
  auto text = section(doc("docs/statement-language.md"), "## Models, relations and records");
  text = text.substr(0, text.find("```"));  // the lists, not the examples
  static const std::regex method(R"(^([a-z_][a-z_0-9]*[?!]?)(\(|\.|$))");
  static const std::set<std::string> not_methods = {"nil", "true", "false", "def"};
  std::set<std::string> names;
  for (const auto& span : backticked(text)) {
    std::smatch m;
    if (std::regex_search(span, m, method) && !not_methods.count(m[1])) names.insert(m[1]);
  }
  REQUIRE(names.size() >= 40);
  TempDir dir;
  std::string script;
  for (const auto& n : names) script += "help " + n + "\n";
  auto r = fwitter({"--db", dir / "t.sqlite3", "--keep-going", "run", fw::test::write(dir, "h.fw", script)});
  CHECK_MESSAGE(r.err.find("no help for") == std::string::npos, r.err);
  CHECK(r.status == 0);
}
