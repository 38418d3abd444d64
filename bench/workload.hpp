#pragma once
// The rows of the bulk benchmark at scale N, one definition for both sides:
// `fwitter run` gets them as command-form statements, the raw program inserts
// them with prepared statements. Every row passes the app's validations
// (unique usernames, emails, follows and hearts; no one follows themselves).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>
#include <tuple>
#include <vector>

namespace fw::bench {

struct Scale {
  std::int64_t users, tweets, messages, follows, hearts;
  std::int64_t rows() const { return users + tweets + messages + follows + hearts; }
};

// "2026-11-21 17:50:00.123456", as fwitter and ActiveRecord store times.
inline std::string now() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t;
  gmtime_r(&ts.tv_sec, &t);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday,
                t.tm_hour, t.tm_min, t.tm_sec, static_cast<long>(ts.tv_nsec / 1000));
  return buf;
}

// N users, 10N tweets, 5N messages, 5N follows, 20N hearts.
inline Scale scale_of(std::int64_t n) { return {n, 10 * n, 5 * n, 5 * n, 20 * n}; }

// Ids are 1-based, as SQLite gives them to a fresh table.
inline std::string username(std::int64_t k) { return "user" + std::to_string(k); }
inline std::string email(std::int64_t k) { return "user" + std::to_string(k) + "@example.com"; }

struct Tweet { std::int64_t user; std::string content; };
inline Tweet tweet(const Scale& s, std::int64_t k) {
  return {k % s.users + 1, "Tweet number " + std::to_string(k + 1) + ", about associations."};
}

struct Message { std::int64_t sender, receiver; std::string content; };
inline Message message(const Scale& s, std::int64_t k) {
  return {k % s.users + 1, (k * 7 + 3) % s.users + 1, "Message number " + std::to_string(k + 1)};
}

// The k-th follow: user u follows u+1+j (j-th round), never themselves while
// follows / users < users.
struct Follow { std::int64_t follower, followed; };
inline Follow follow(const Scale& s, std::int64_t k) {
  std::int64_t u = k % s.users, j = k / s.users;
  return {u + 1, (u + j + 1) % s.users + 1};
}

// The k-th heart: user u hearts tweet (37u + j) in its j-th round, unique
// while hearts / users <= tweets.
struct Heart { std::int64_t user, tweet; };
inline Heart heart(const Scale& s, std::int64_t k) {
  std::int64_t u = k % s.users, j = k / s.users;
  return {u + 1, (u * 37 + j) % s.tweets + 1};
}

// The order rows arrive in. Random: as the workload's formulas give them,
// every table's rows scattered over its indexes (a heart's (user, tweet)
// jumps about), which is how a seed script or an import usually comes.
// Index: each table's rows sorted by its first index (usernames, a tweet's
// user, a message's sender, a follow's (follower, followed), a heart's
// (user, tweet)), so each insert lands next to the last in every B-tree and
// the engine's own cost is least. The same rows either way; in index order a
// user's id is its place in username order.
enum class Order { Random, Index };

struct Rows {
  std::vector<std::int64_t> users;  // the k of username(k) and email(k)
  std::vector<Tweet> tweets;
  std::vector<Message> messages;
  std::vector<Follow> follows;
  std::vector<Heart> hearts;
};

inline Rows rows(const Scale& s, Order order) {
  Rows r;
  for (std::int64_t k = 1; k <= s.users; ++k) r.users.push_back(k);
  for (std::int64_t k = 0; k < s.tweets; ++k) r.tweets.push_back(tweet(s, k));
  for (std::int64_t k = 0; k < s.messages; ++k) r.messages.push_back(message(s, k));
  for (std::int64_t k = 0; k < s.follows; ++k) r.follows.push_back(follow(s, k));
  for (std::int64_t k = 0; k < s.hearts; ++k) r.hearts.push_back(heart(s, k));
  if (order == Order::Index) {
    std::sort(r.users.begin(), r.users.end(), [](auto a, auto b) { return username(a) < username(b); });
    std::stable_sort(r.tweets.begin(), r.tweets.end(), [](const auto& a, const auto& b) { return a.user < b.user; });
    std::stable_sort(r.messages.begin(), r.messages.end(),
                     [](const auto& a, const auto& b) { return a.sender < b.sender; });
    std::sort(r.follows.begin(), r.follows.end(), [](const auto& a, const auto& b) {
      return std::tie(a.follower, a.followed) < std::tie(b.follower, b.followed);
    });
    std::sort(r.hearts.begin(), r.hearts.end(),
              [](const auto& a, const auto& b) { return std::tie(a.user, a.tweet) < std::tie(b.user, b.tweet); });
  }
  return r;
}

}  // namespace fw::bench
