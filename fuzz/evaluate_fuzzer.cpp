// libFuzzer harness: any bytes run as a script (every statement, as
// --keep-going runs them) in a sandboxed session on an in-memory fwitter
// database holding the seed rows. After each input the database must pass
// PRAGMA integrity_check and foreign_key_check, hold no orphan rows, and have
// no transaction open; nothing may escape run_script but a lost database.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "console/environment.hpp"
#include "console/session.hpp"
#include "lang/interpreter.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

namespace {

using Clock = std::chrono::steady_clock;

void check(bool ok, const std::string& what, const std::string& input) {
  if (ok) return;
  std::fprintf(stderr, "evaluate_fuzzer: %s\n--- input ---\n%s\n", what.c_str(), input.c_str());
  std::abort();
}

// The built-in app seeded with the tests' small world (3 users, 5 tweets and
// a few messages, follows and hearts): a few rows, so each input runs fast.
fw::storage::AppSource small_world() {
  auto app = fw::storage::AppSource::builtin();
  std::string path = FWITTER_SOURCE_DIR "/tests/fixtures/small_seed.fw";
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    std::fprintf(stderr, "evaluate_fuzzer: cannot read %s\n", path.c_str());
    std::abort();
  }
  app.seed = fw::storage::SourceFile{path, text.str()};
  return app;
}

fw::console::Environment& environment() {
  static auto* env = [] {
    auto* e = new fw::console::Environment(small_world(), ":memory:", {});
    std::ostringstream quiet;
    fw::console::prepare_database(*e, quiet);
    return e;
  }();
  return *env;
}

std::vector<std::string> rows(const std::string& sql) {
  std::vector<std::string> out;
  environment().db().each(fw::storage::Query{"", sql, {}}, [&](const fw::storage::Row& row) {
    std::string line;
    for (int i = 0; i < row.size(); ++i) line += (i ? "|" : "") + fw::value_to_s(row[i]);
    out.push_back(line);
  });
  return out;
}

// An input that loops for ever is stopped as --timeout stops it, by a
// watchdog rather than an alarm (libFuzzer keeps SIGALRM for its own -timeout).
std::atomic<long long> started_ms{0};
constexpr long long kStatementBudgetMs = 1000;

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

void start_watchdog() {
  static std::thread watchdog([] {
    for (;;) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      long long at = started_ms.load();
      if (at && now_ms() - at > kStatementBudgetMs) fw::lang::Interpreter::expire();
    }
  });
  static bool detached = (watchdog.detach(), true);
  (void)detached;
}

const std::vector<std::string> kOrphans = {
    "SELECT id FROM tweets WHERE user_id NOT IN (SELECT id FROM users)",
    "SELECT id FROM hearts WHERE tweet_id NOT IN (SELECT id FROM tweets) OR user_id NOT IN (SELECT id FROM users)",
    "SELECT id FROM follows WHERE follower_id NOT IN (SELECT id FROM users) OR followed_id NOT IN (SELECT id FROM users)",
    "SELECT id FROM messages WHERE sender_id NOT IN (SELECT id FROM users) OR receiver_id NOT IN (SELECT id FROM users)",
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string input(reinterpret_cast<const char*>(data), size);
  auto& env = environment();
  start_watchdog();
  static const auto seeded = [] {
    auto counts = rows("SELECT COUNT(*) FROM users UNION ALL SELECT COUNT(*) FROM tweets");
    check(counts == std::vector<std::string>{"3", "5"}, "the database is not seeded with the small world", "");
    return counts;
  }();
  fw::console::Settings settings;
  settings.keep_going = true;
  settings.quiet = true;
  settings.sandbox = true;
  std::ostringstream out, err;
  {
    fw::console::Session session(env, settings, out, err);
    started_ms = now_ms();
    int status = -1;
    try {
      status = session.run_script("fuzz", input);
    } catch (const std::exception& e) {
      check(false, std::string("run_script threw: ") + e.what(), input);
    }
    started_ms = 0;
    fw::lang::Interpreter::clear_interrupt();
    check(status == 0 || status == 1, "run_script returned " + std::to_string(status), input);
    check(rows("PRAGMA foreign_key_check").empty(), "a foreign key points nowhere (inside the sandbox)", input);
  }
  check(env.db().transaction_depth() == 0, "a transaction is still open", input);
  check(rows("PRAGMA integrity_check") == std::vector<std::string>{"ok"}, "integrity_check failed", input);
  check(rows("PRAGMA foreign_key_check").empty(), "foreign_key_check failed", input);
  for (const auto& sql : kOrphans) check(rows(sql).empty(), "an orphan row: " + sql, input);
  check(rows("SELECT COUNT(*) FROM users UNION ALL SELECT COUNT(*) FROM tweets") == seeded,
        "the sandbox did not put the seed rows back", input);
  return 0;
}
