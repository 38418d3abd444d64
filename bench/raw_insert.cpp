// The reference side of the bulk benchmark: SQLite's C API with nothing
// around it. `generate N` prints the workload as command-form statements for
// `fwitter run`; `insert DB N` inserts the same rows into a migrated database
// with one prepared statement per table, in one transaction, under the
// pragmas fwitter opens a database with (WAL, synchronous NORMAL, foreign keys).
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <iostream>
#include <string>

#include "workload.hpp"

using fw::bench::Scale;

namespace {

[[noreturn]] void die(sqlite3* db, const char* what) {
  std::fprintf(stderr, "fwitter_raw_insert: %s: %s\n", what, db ? sqlite3_errmsg(db) : "");
  std::exit(1);
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) die(db, sql);
}

// One prepared INSERT, bound and stepped once per row.
class Insert {
 public:
  Insert(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK) die(db, sql);
  }
  ~Insert() { sqlite3_finalize(st_); }
  Insert& integer(int i, std::int64_t v) { sqlite3_bind_int64(st_, i, v); return *this; }
  Insert& text(int i, const std::string& v) {
    sqlite3_bind_text(st_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  void run() {
    std::string stamp = fw::bench::now();
    int n = sqlite3_bind_parameter_count(st_);
    text(n - 1, stamp).text(n, stamp);
    if (sqlite3_step(st_) != SQLITE_DONE) die(db_, "insert");
    sqlite3_reset(st_);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* st_ = nullptr;
};

void generate(const Scale& s, fw::bench::Order order) {
  auto rows = fw::bench::rows(s, order);
  std::string out;
  for (auto k : rows.users)
    out += "user username=\"" + fw::bench::username(k) + "\" email=\"" + fw::bench::email(k) + "\"\n";
  for (const auto& t : rows.tweets) out += "tweet user=" + std::to_string(t.user) + " content=\"" + t.content + "\"\n";
  for (const auto& m : rows.messages)
    out += "message sender=" + std::to_string(m.sender) + " receiver=" + std::to_string(m.receiver) + " content=\"" +
           m.content + "\"\n";
  for (const auto& f : rows.follows)
    out += "follow follower=" + std::to_string(f.follower) + " followed=" + std::to_string(f.followed) + "\n";
  for (const auto& h : rows.hearts)
    out += "heart user=" + std::to_string(h.user) + " tweet=" + std::to_string(h.tweet) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
}

void insert(const char* path, const Scale& s, fw::bench::Order order) {
  auto rows = fw::bench::rows(s, order);
  auto started = std::chrono::steady_clock::now();
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) die(db, path);
  exec(db, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL");
  exec(db, "BEGIN");
  {
    Insert users(db, "INSERT INTO users (username, email, created_at, updated_at) VALUES (?, ?, ?, ?)");
    Insert tweets(db, "INSERT INTO tweets (user_id, content, created_at, updated_at) VALUES (?, ?, ?, ?)");
    Insert messages(db, "INSERT INTO messages (sender_id, receiver_id, content, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?)");
    Insert follows(db, "INSERT INTO follows (follower_id, followed_id, created_at, updated_at) VALUES (?, ?, ?, ?)");
    Insert hearts(db, "INSERT INTO hearts (user_id, tweet_id, created_at, updated_at) VALUES (?, ?, ?, ?)");
    for (auto k : rows.users) users.text(1, fw::bench::username(k)).text(2, fw::bench::email(k)).run();
    for (const auto& t : rows.tweets) tweets.integer(1, t.user).text(2, t.content).run();
    for (const auto& m : rows.messages) messages.integer(1, m.sender).integer(2, m.receiver).text(3, m.content).run();
    for (const auto& f : rows.follows) follows.integer(1, f.follower).integer(2, f.followed).run();
    for (const auto& h : rows.hearts) hearts.integer(1, h.user).integer(2, h.tweet).run();
  }
  exec(db, "COMMIT");
  sqlite3_close(db);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%lld %.6f\n", static_cast<long long>(s.rows()), seconds);
}

std::int64_t number(const char* text) {
  char* end = nullptr;
  long long n = std::strtoll(text, &end, 10);
  if (!end || *end || n < 0) {
    std::fprintf(stderr, "fwitter_raw_insert: not a count: %s\n", text);
    std::exit(2);
  }
  return n;
}


// "index" or "random" (the default) when given as the last argument, which
// is then taken off.
fw::bench::Order order_of(int& argc, char** argv) {
  if (argc > 3 && std::strcmp(argv[argc - 1], "index") == 0) return --argc, fw::bench::Order::Index;
  if (argc > 3 && std::strcmp(argv[argc - 1], "random") == 0) return --argc, fw::bench::Order::Random;
  return fw::bench::Order::Random;
}

}  // namespace

int main(int argc, char** argv) {
  const char* usage =
      "usage: fwitter_raw_insert generate N [index|random]\n"
      "       fwitter_raw_insert insert DB N [USERS TWEETS MESSAGES FOLLOWS HEARTS] [index|random]\n";
  auto order = order_of(argc, argv);
  if (argc == 3 && std::strcmp(argv[1], "generate") == 0) {
    generate(fw::bench::scale_of(number(argv[2])), order);
    return 0;
  }
  if ((argc == 4 || argc == 9) && std::strcmp(argv[1], "insert") == 0) {
    Scale s = fw::bench::scale_of(number(argv[3]));
    if (argc == 9) s = {number(argv[4]), number(argv[5]), number(argv[6]), number(argv[7]), number(argv[8])};
    if (s.users == 0 || (s.hearts > 0 && s.hearts > s.users * s.tweets) || s.follows > s.users * (s.users - 1)) {
      std::fputs("fwitter_raw_insert: these counts cannot all be unique\n", stderr);
      return 2;
    }
    insert(argv[2], s, order);
    return 0;
  }
  std::fputs(usage, stderr);
  return 2;
}
