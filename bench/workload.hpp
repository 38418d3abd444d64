#pragma once
// The rows of the bulk benchmark at scale N, one definition for both sides:
// `fwitter run` gets them as command-form statements, the raw program inserts
// them with prepared statements. Every row passes the app's validations
// (unique usernames, emails, follows and hearts; no one follows themselves).
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <string>

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

}  // namespace fw::bench
