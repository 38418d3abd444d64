// Transcript tests, in the style of craftinginterpreters' tests: each file in
// tests/transcripts/ holds statements, each followed by the line it must print:
//
//   user(1).sent_messages
//   # expect: [{"id":1,"sender_id":1,"receiver_id":2,"content":"Hi Bob, did you see my tweet?"}]
//   user(99)
//   # expect error: Couldn't find User with 'id'=99
//
// Each file runs through the real binary, on a new database seeded from
// scripts/seed.fw: `fwitter --db TMP --format json --keep-going run FILE`.
// Timestamps differ from run to run, so created_at and updated_at are left
// out of expectations and removed from what the binary prints. Files under
// tests/transcripts/known_bugs/ show bugs not fixed yet: they may fail.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;
using fw::test::fwitter;
using fw::test::TempDir;

namespace {

struct Expectation {
  int line = 0;            // of the `# expect` comment
  int statement_line = 0;  // of the statement before it
  bool error = false;
  std::string text;        // the JSON, or the error message
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::vector<Expectation> expectations(const std::string& text) {
  std::vector<Expectation> out;
  int statement_line = 0, number = 0;
  for (const auto& raw : lines_of(text)) {
    ++number;
    std::string line = trim(raw);
    if (line.rfind("# expect: ", 0) == 0) {
      out.push_back({number, statement_line, false, line.substr(10)});
    } else if (line.rfind("# expect error: ", 0) == 0) {
      out.push_back({number, statement_line, true, line.substr(16)});
    } else if (!line.empty() && line[0] != '#') {
      statement_line = number;
    }
  }
  return out;
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

void check_transcript(const fs::path& file) {
  std::string name = file.filename().string();
  std::string source = fw::test::slurp(file);
  auto expected = expectations(source);
  REQUIRE_MESSAGE(!expected.empty(), name << " has no `# expect` lines");

  TempDir dir;
  auto r = fwitter({"--db", dir / "transcript.sqlite3", "--format", "json", "--keep-going", "run", file.string()});
  auto printed = lines_of(r.out);
  auto err_lines = lines_of(r.err);
  std::string path = file.string();

  size_t n = std::max(expected.size(), printed.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= expected.size()) {
      FAIL_CHECK(name << ": printed more lines than expected; extra line " << i + 1 << ": " << printed[i]);
      break;
    }
    const auto& e = expected[i];
    if (i >= printed.size()) {
      FAIL_CHECK(path << ":" << e.line << ": expected " << (e.error ? "error: " : "") << e.text
                      << " but the output ended after " << printed.size() << " lines\nstderr:\n" << r.err);
      break;
    }
    std::string want = e.error ? json{{"error", e.text}}.dump() : normalized(e.text);
    std::string got = normalized(printed[i]);
    CHECK_MESSAGE(want == got, path << ":" << e.line << ": (statement on line " << e.statement_line
                                    << ")\n  expected: " << want << "\n  printed:  " << got);
    if (want != got) continue;
    if (e.error) {
      // standard error names the file and the line where the error arose: the
      // statement's, or one inside a block or def the statement ran
      std::string prefix = path + ":" + std::to_string(e.statement_line) + ":";
      std::string suffix = ": error: " + e.text;
      bool found = std::any_of(err_lines.begin(), err_lines.end(), [&](const std::string& l) {
        if (l.rfind(path + ":", 0) != 0 || l.size() < suffix.size() ||
            l.compare(l.size() - suffix.size(), suffix.size(), suffix) != 0)
          return false;
        int line = std::atoi(l.c_str() + path.size() + 1);
        return line >= 1 && line < e.line;
      });
      CHECK_MESSAGE(found, path << ":" << e.line << ": stderr has no line " << prefix << "COL" << suffix << "\nstderr:\n"
                                << r.err);
    }
  }
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

TEST_CASE("transcripts") {
  auto files = transcripts(kFolder);
  REQUIRE(files.size() >= 5);
  for (const auto& file : files) {
    CAPTURE(file.string());
    check_transcript(file);
  }
}
