// The reference side of the bulk benchmark on PostgreSQL: libpq with nothing
// around it. `pg_insert ADDRESS N` inserts the rows of bench/workload.hpp into
// a migrated database with one prepared statement per table, in one
// transaction, each row a round trip as fwitter's (and ActiveRecord's) are.
#include <libpq-fe.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <vector>

#include "workload.hpp"

using fw::bench::Scale;

namespace {

[[noreturn]] void die(PGconn* db, const char* what) {
  std::fprintf(stderr, "fwitter_pg_insert: %s: %s\n", what, db ? PQerrorMessage(db) : "");
  std::exit(1);
}

void exec(PGconn* db, const char* sql) {
  PGresult* r = PQexec(db, sql);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) die(db, sql);
  PQclear(r);
}

// One prepared INSERT ... RETURNING "id", run once per row.
class Insert {
 public:
  Insert(PGconn* db, std::string name, const char* sql) : db_(db), name_(std::move(name)) {
    PGresult* r = PQprepare(db, name_.c_str(), sql, 0, nullptr);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die(db, sql);
    PQclear(r);
  }
  void run(std::vector<std::string> values) {
    std::string stamp = fw::bench::now();
    values.push_back(stamp);
    values.push_back(stamp);
    std::vector<const char*> params;
    for (const auto& v : values) params.push_back(v.c_str());
    PGresult* r = PQexecPrepared(db_, name_.c_str(), static_cast<int>(params.size()), params.data(), nullptr, nullptr, 0);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) die(db_, name_.c_str());
    PQclear(r);
  }

 private:
  PGconn* db_;
  std::string name_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: fwitter_pg_insert ADDRESS N\n");
    return 2;
  }
  Scale s = fw::bench::scale_of(std::strtoll(argv[2], nullptr, 10));
  auto started = std::chrono::steady_clock::now();
  PGconn* db = PQconnectdb(argv[1]);
  if (PQstatus(db) != CONNECTION_OK) die(db, argv[1]);
  exec(db, "BEGIN");
  Insert users(db, "users", "INSERT INTO users (username, email, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id");
  Insert tweets(db, "tweets", "INSERT INTO tweets (user_id, content, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id");
  Insert messages(db, "messages", "INSERT INTO messages (sender_id, receiver_id, content, created_at, updated_at) "
                                  "VALUES ($1, $2, $3, $4, $5) RETURNING id");
  Insert follows(db, "follows", "INSERT INTO follows (follower_id, followed_id, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id");
  Insert hearts(db, "hearts", "INSERT INTO hearts (user_id, tweet_id, created_at, updated_at) VALUES ($1, $2, $3, $4) RETURNING id");
  auto n = [](std::int64_t v) { return std::to_string(v); };
  auto rows = fw::bench::rows(s, fw::bench::Order::Random);
  for (auto k : rows.users) users.run({fw::bench::username(k), fw::bench::email(k)});
  for (const auto& t : rows.tweets) tweets.run({n(t.user), t.content});
  for (const auto& m : rows.messages) messages.run({n(m.sender), n(m.receiver), m.content});
  for (const auto& f : rows.follows) follows.run({n(f.follower), n(f.followed)});
  for (const auto& h : rows.hearts) hearts.run({n(h.user), n(h.tweet)});
  exec(db, "COMMIT");
  PQfinish(db);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("%lld %.6f\n", static_cast<long long>(s.rows()), seconds);
}
