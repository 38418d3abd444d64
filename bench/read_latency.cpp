// The reads of the benchmark, timed inside one process through the project's
// own layers: each statement (`user(n).liked_tweets.to_a`, ...) is parsed and
// run by the interpreter on a database already filled, for many n, and the
// p50 and p99 of its time are printed next to those of the same SQL (the
// owner's row, then the association's) prepared once and stepped with
// SQLite's C API, reading every column: one line per statement,
//   STATEMENT p50_us p99_us raw_p50_us raw_p99_us records_per_call
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "lang/parser.hpp"
#include "lang/runtime.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

using namespace fw;

namespace {

struct Figures {
  double p50, p99, records;
};

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

// The n of each run: 1..count in a fixed pseudo-random order.
class Picker {
 public:
  explicit Picker(std::int64_t count) : count_(static_cast<std::uint64_t>(count)) {}
  std::int64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::int64_t>((state_ >> 33) % count_) + 1;
  }

 private:
  std::uint64_t count_;
  std::uint64_t state_ = 12345;
};

// The reference: two prepared statements, bound and stepped; every column read.
Figures measure_raw(sqlite3* db, const char* owner_sql, const char* sql, std::int64_t count, int runs) {
  sqlite3_stmt* owner = nullptr;
  sqlite3_stmt* association = nullptr;
  sqlite3_prepare_v2(db, owner_sql, -1, &owner, nullptr);
  sqlite3_prepare_v2(db, sql, -1, &association, nullptr);
  std::vector<double> took;
  double records = 0;
  Picker picker(count);
  std::size_t bytes = 0;
  auto read_all = [&](sqlite3_stmt* st) {
    int rows = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
      ++rows;
      for (int c = 0; c < sqlite3_column_count(st); ++c)
        if (sqlite3_column_type(st, c) == SQLITE_INTEGER) bytes += static_cast<std::size_t>(sqlite3_column_int64(st, c));
        else bytes += static_cast<std::size_t>(sqlite3_column_bytes(st, c));
    }
    sqlite3_reset(st);
    return rows;
  };
  for (int i = 0; i < runs; ++i) {
    std::int64_t n = picker.next();
    auto started = std::chrono::steady_clock::now();
    sqlite3_bind_int64(owner, 1, n);
    read_all(owner);
    sqlite3_bind_int64(association, 1, n);
    records += read_all(association);
    took.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
  }
  sqlite3_finalize(owner);
  sqlite3_finalize(association);
  if (bytes == 42) std::puts("");  // keeps the reads from being optimized away
  return {percentile(took, 0.50), percentile(took, 0.99), records / runs};
}

// `pattern` has one {} for n, taken from 1..count in a fixed pseudo-random order.
Figures measure(lang::Interpreter& interpreter, const std::string& pattern, std::int64_t count, int runs) {
  std::vector<double> took;
  double records = 0;
  Picker picker(count);
  for (int i = 0; i < runs; ++i) {
    std::int64_t n = picker.next();
    std::string text = pattern.substr(0, pattern.find("{}")) + std::to_string(n) + pattern.substr(pattern.find("{}") + 2);
    auto started = std::chrono::steady_clock::now();
    lang::Parser parser(text);
    auto statement = parser.next_statement();
    auto value = interpreter.run(*statement);
    took.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - started).count());
    if (value) if (auto items = value->get<lang::Ref<lang::Array>>()) records += static_cast<double>((*items)->size());
  }
  return {percentile(took, 0.50), percentile(took, 0.99), records / runs};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fputs("usage: fwitter_read_latency DB [RUNS [ONLY]]\n", stderr);
    return 2;
  }
  int runs = argc >= 3 ? std::atoi(argv[2]) : 2000;
  std::string only = argc == 4 ? argv[3] : "";  // e.g. liked_tweets: time that read alone, for a profiler
  storage::Database::Options options;
  options.create = false;
  storage::Database db(argv[1], options);
  auto source = storage::AppSource::builtin();
  lang::Runtime runtime(source, db);
  lang::Interpreter& interpreter = runtime.interpreter();

  auto users = std::get<std::int64_t>(db.scalar({"", "SELECT COUNT(*) FROM users", {}}));
  auto tweets = std::get<std::int64_t>(db.scalar({"", "SELECT COUNT(*) FROM tweets", {}}));
  const char* user_sql = "SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = ? LIMIT 1";
  const char* tweet_sql = "SELECT \"tweets\".* FROM \"tweets\" WHERE \"tweets\".\"id\" = ? LIMIT 1";
  struct Read {
    const char* pattern;
    std::int64_t count;
    const char* owner_sql;
    const char* sql;  // what fwitter's --sql log shows for it
  } reads[] = {
      {"user({}).liked_tweets.to_a", users, user_sql,
       "SELECT \"tweets\".* FROM \"tweets\" INNER JOIN \"hearts\" ON \"tweets\".\"id\" = \"hearts\".\"tweet_id\" "
       "WHERE \"hearts\".\"user_id\" = ?"},
      {"tweet({}).likers.to_a", tweets, tweet_sql,
       "SELECT \"users\".* FROM \"users\" INNER JOIN \"hearts\" ON \"users\".\"id\" = \"hearts\".\"user_id\" "
       "WHERE \"hearts\".\"tweet_id\" = ?"},
      {"user({}).followers.to_a", users, user_sql,
       "SELECT \"users\".* FROM \"users\" INNER JOIN \"follows\" ON \"users\".\"id\" = \"follows\".\"follower_id\" "
       "WHERE \"follows\".\"followed_id\" = ?"},
      {"user({}).sent_messages.to_a", users, user_sql,
       "SELECT \"messages\".* FROM \"messages\" WHERE \"messages\".\"sender_id\" = ?"}};
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(argv[1], &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return 1;
  for (const auto& read : reads) {
    if (std::string(read.pattern).find(only) == std::string::npos) continue;
    measure(interpreter, read.pattern, read.count, runs / 10);  // warm the caches
    Figures f = measure(interpreter, read.pattern, read.count, runs);
    Figures r = measure_raw(raw, read.owner_sql, read.sql, read.count, runs);
    std::string name = read.pattern;
    name = name.substr(0, name.size() - 5).replace(name.find("{}"), 2, "n");  // user(n).liked_tweets
    std::printf("%s %.1f %.1f %.1f %.1f %.1f\n", name.c_str(), f.p50, f.p99, r.p50, r.p99, f.records);
  }
  sqlite3_close(raw);
  return 0;
}
