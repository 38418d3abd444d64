// Transcript tests, in the style of craftinginterpreters' tests: each file in
// tests/transcripts/ holds statements, each followed by what it must print.
//
//   # format: table                 (optional, before the first statement;
//   # env: COLUMNS=40 LANG=C         default json, COLUMNS=80, LANG=C.UTF-8)
//   User.count
//   # expect: => 3                  one line of output
//   user(1)
//   # expect:                       nothing after the colon: a block of lines,
//   #| ┌────┬──────────┬─...         each `#| ` line one line of output
//   #| 1 row                         (`#|` alone for an empty line)
//   user(99)
//   # expect error: Couldn't find User with 'id'=99
//
// Each file runs through the real binary, on a new database seeded from
// scripts/seed.fw: `ENV fwitter --db TMP --format FORMAT --keep-going run FILE`.
// A failed statement's message must be on standard error as FILE:LINE:COL:
// error: MESSAGE; in json it also prints {"error":"MESSAGE"} on standard
// output, in the other formats nothing.
//
// Timestamps differ from run to run. In json, created_at and updated_at are
// left out of expectations and removed from what the binary prints. In the
// other formats every digit of a date-time (2026-11-21 10:00:00.123456 +0000,
// or cut short) counts as 9 on both sides, so any date-time of the same shape
// matches. In table format, every line of a table must also be as wide on a
// terminal as the table's top line (measured with the console's own
// display_width, which is tested on its own in output_test.cpp).

#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include <regex>

#include "../support/process.hpp"
#include "console/display.hpp"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using fw::test::fwitter;
using fw::test::lines_of;
using fw::test::TempDir;

namespace {

struct Expectation {
  int line = 0;            // of the `# expect` comment
  int statement_line = 0;  // of the statement before it
  bool error = false;
  std::string text;        // the error message; or the (first) line expected
  std::vector<std::string> lines;  // every line expected (none for an error)
};

// A transcript's header: how the binary is run.
struct Header {
  std::string format = "json";
  std::string env = "LANG=C.UTF-8 LC_ALL= LC_CTYPE= COLUMNS=80";
};


std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::vector<Expectation> expectations(const std::string& text) {
  std::vector<Expectation> out;
  int statement_line = 0, number = 0;
  bool in_block = false;  // after a bare `# expect:`, reading `#|` lines
  for (const auto& raw : lines_of(text)) {
    ++number;
    std::string line = trim(raw);
    if (in_block && starts_with(line, "#|")) {
      out.back().lines.push_back(line.size() > 3 ? line.substr(3) : "");
      out.back().text = out.back().lines.front();
      continue;
    }
    in_block = false;
    if (line == "# expect:") {
      out.push_back({number, statement_line, false, "", {}});
      in_block = true;
    } else if (starts_with(line, "# expect: ")) {
      out.push_back({number, statement_line, false, line.substr(10), {line.substr(10)}});
    } else if (starts_with(line, "# expect error: ")) {
      out.push_back({number, statement_line, true, line.substr(16), {}});
    } else if (!line.empty() && line[0] != '#') {
      statement_line = number;
    }
  }
  return out;
}

Header header(const std::string& text) {
  Header h;
  for (const auto& raw : lines_of(text)) {
    std::string line = trim(raw);
    if (!line.empty() && line[0] != '#') break;
    if (starts_with(line, "# format: ")) h.format = trim(line.substr(10));
    if (starts_with(line, "# env: ")) h.env += " " + trim(line.substr(7));
  }
  return h;
}

// Every digit of a date-time as 9: "2026-11-21 10:00:00.1 +0000" -> "9999-99-99 99:99:99.9 +9999".
std::string timeless(const std::string& line) {
  static const std::regex datetime(R"(\d{4}-\d\d-\d\d[0-9:. +]*)");
  std::string out = line;
  for (std::sregex_iterator it(line.begin(), line.end(), datetime), end; it != end; ++it)
    for (auto i = it->position(); i < it->position() + it->length(); ++i)
      if (std::isdigit(static_cast<unsigned char>(out[static_cast<size_t>(i)]))) out[static_cast<size_t>(i)] = '9';
  return out;
}

// In a table (lines from a top border to a bottom one), a line as wide as the top.
void check_table_widths(const std::string& path, const std::vector<std::string>& printed) {
  std::size_t width = 0;
  for (size_t i = 0; i < printed.size(); ++i) {
    const auto& l = printed[i];
    if (starts_with(l, "┌") || starts_with(l, "+-")) width = fw::console::display_width(l);
    if (!width) continue;
    CHECK_MESSAGE(fw::console::display_width(l) == width, path << ": output line " << i + 1 << " is "
                  << fw::console::display_width(l) << " columns wide, its table " << width << ":\n" << l);
    if (starts_with(l, "└") || (starts_with(l, "+-") && i + 1 < printed.size() && !starts_with(printed[i + 1], "|")))
      width = 0;
  }
}

void strip_timestamps(json& j) {
  if (j.is_object()) {
    j.erase("created_at");
    j.erase("updated_at");
    for (auto& [key, value] : j.items()) strip_timestamps(value);
  } else if (j.is_array()) {
    for (auto& item : j) strip_timestamps(item);
  }
}

// The JSON text with timestamps removed and spacing made canonical; the text
// itself when it is not JSON.
std::string normalized(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return "(not JSON) " + text;
  strip_timestamps(j);
  return j.dump();
}

std::vector<fs::path> transcripts(const fs::path& folder) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(folder))
    if (entry.is_regular_file() && entry.path().extension() == ".fw") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Standard error names the file and the line where the error arose: the
// statement's, or one inside a block or def the statement ran.
void check_error_reported(const std::string& path, const Expectation& e, const std::string& err) {
  std::string suffix = ": error: " + e.text;
  auto err_lines = lines_of(err);
  bool found = std::any_of(err_lines.begin(), err_lines.end(), [&](const std::string& l) {
    if (!starts_with(l, path + ":") || l.size() < suffix.size() || l.compare(l.size() - suffix.size(), suffix.size(), suffix) != 0)
      return false;
    int line = std::atoi(l.c_str() + path.size() + 1);
    return line >= 1 && line < e.line;
  });
  CHECK_MESSAGE(found, path << ":" << e.line << ": stderr has no line " << path << ":" << e.statement_line << ":COL"
                            << suffix << "\nstderr:\n" << err);
}

// The lines an expectation stands for, and the printed ones, made comparable.
std::vector<std::string> wanted(const Expectation& e, const std::string& format) {
  if (format != "json") {
    std::vector<std::string> out;
    for (const auto& l : e.lines) out.push_back(timeless(l));
    return out;
  }
  if (e.error) return {json{{"error", e.text}}.dump()};
  return {normalized(e.text)};
}

// CSV lines end in CRLF; the CR is not compared.
std::string comparable(std::string line, const std::string& format) {
  if (format == "json") return normalized(line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return timeless(line);
}

void check_transcript(const fs::path& file) {
  std::string name = file.filename().string();
  std::string source = fw::test::slurp(file);
  auto expected = expectations(source);
  auto how = header(source);
  REQUIRE_MESSAGE(!expected.empty(), name << " has no `# expect` lines");

  TempDir dir;
  auto r = fwitter({"--db", dir / "transcript.sqlite3", "--format", how.format, "--keep-going", "run", file.string()}, "",
                   how.env);
  auto printed = lines_of(r.out);
  std::string path = file.string();
  if (how.format == "table") check_table_widths(path, printed);

  size_t at = 0;  // the next printed line
  for (const auto& e : expected) {
    auto want = wanted(e, how.format);
    bool matched = true;
    for (size_t k = 0; k < want.size(); ++k, ++at) {
      if (at >= printed.size()) {
        FAIL_CHECK(path << ":" << e.line << ": expected " << want[k] << " but the output ended after " << printed.size()
                        << " lines\nstderr:\n" << r.err);
        return;
      }
      std::string got = comparable(printed[at], how.format);
      matched = matched && want[k] == got;
      CHECK_MESSAGE(want[k] == got, path << ":" << e.line << ": (statement on line " << e.statement_line << ")\n  expected: "
                                         << want[k] << "\n  printed:  " << got);
    }
    if (matched && e.error) check_error_reported(path, e, r.err);
  }
  if (at < printed.size()) FAIL_CHECK(name << ": printed more lines than expected; extra line " << at + 1 << ": " << printed[at]);
  bool any_error = std::any_of(expected.begin(), expected.end(), [](const Expectation& e) { return e.error; });
  CHECK_MESSAGE(r.status == (any_error ? 1 : 0), name << " exited " << r.status << "\nstderr:\n" << r.err);
}

const fs::path kFolder = fs::path(FWITTER_SOURCE_DIR) / "tests" / "transcripts";

}  // namespace

TEST_CASE("the transcript runner reads expectations") {
  auto e = expectations("# intro\nuser(1)\n# expect: {\"id\":1}\n\n  x = 2  \n  # expect error: no\n# expect: 3\n");
  REQUIRE(e.size() == 3);
  CHECK(e[0].line == 3);
  CHECK(e[0].statement_line == 2);
  CHECK_FALSE(e[0].error);
  CHECK(e[0].text == "{\"id\":1}");
  CHECK(e[1].line == 6);
  CHECK(e[1].statement_line == 5);
  CHECK(e[1].error);
  CHECK(e[1].text == "no");
  CHECK(e[2].statement_line == 5);
  CHECK(normalized("[{\"id\":1,\"created_at\":\"x\",\"b\":{\"updated_at\":1}}]") == "[{\"id\":1,\"b\":{}}]");
  CHECK(normalized("{\"b\":1,\"a\":2}") == "{\"b\":1,\"a\":2}");  // key order is kept and compared
  CHECK(normalized("{nope") == "(not JSON) {nope");
}

TEST_CASE("the transcript runner reads blocks, headers, and date-times of any value") {
  auto e = expectations("# format: table\n# env: COLUMNS=40\nUser.first\n# expect:\n#| a\n#|\n#|  b \nx\n#| not a block\n");
  REQUIRE(e.size() == 1);
  CHECK(e[0].lines == std::vector<std::string>{"a", "", " b"});
  CHECK(e[0].statement_line == 3);
  auto h = header("# format: csv\n# env: COLUMNS=40\nUser.first\n# format: json\n");
  CHECK(h.format == "csv");
  CHECK(h.env.find("COLUMNS=80 COLUMNS=40") != std::string::npos);  // the header's setting comes last and wins
  CHECK(timeless("│ 2026-11-21 10:00:00 │ 2026-1… │ 12 │") == "│ 9999-99-99 99:99:99 │ 2026-1… │ 12 │");
  CHECK(timeless("\"2026-11-21 10:00:00.123456000 +0000\"") == "\"9999-99-99 99:99:99.999999999 +9999\"");
}

// Each transcript is a test case of its own (tests/CMakeLists.txt writes one
// per file of tests/transcripts/); this one says the folder is not empty.
TEST_CASE("tests/transcripts has transcripts") { CHECK(transcripts(kFolder).size() >= 5); }

namespace fw::test {

void check_transcript(const std::string& file_name) { ::check_transcript(kFolder / file_name); }

}  // namespace fw::test
