// Random input for the parser and the evaluator: nothing may crash, hang or
// throw out of Session::run_script, and the database must stay consistent.
// A fixed seed makes every run the same; FWITTER_FUZZ_SEED picks another.
#include <doctest/doctest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "../support/seeded_session.hpp"
#include "console/commands.hpp"
#include "console/environment.hpp"
#include "console/session.hpp"
#include "lang/parser.hpp"
#include "lang/vocabulary.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"

using fw::test::TempDir;

namespace {

std::uint32_t seed() {
  if (const char* s = std::getenv("FWITTER_FUZZ_SEED"); s && *s) return static_cast<std::uint32_t>(std::strtoul(s, nullptr, 10));
  return 20241121;
}

// Every method name the language knows, from its tables, and the fwitter
// models' members, each as ".name".
std::vector<std::string> with_methods(std::vector<std::string> words) {
  for (int k = 0; k <= static_cast<int>(fw::lang::Kind::Main); ++k)
    for (const auto& m : fw::lang::methods_of(static_cast<fw::lang::Kind>(k))) words.push_back(std::string(".") + m.name);
  for (const char* member : {"tweets", "hearts", "liked_tweets", "likers", "followers", "following", "sent_messages",
                             "received_messages", "active_follows", "sender", "receiver", "user", "tweet", "username",
                             "email", "content", "id"})
    words.push_back(std::string(".") + member);
  for (const auto& c : fw::console::commands()) words.push_back(c.name);
  return words;
}

// Real tokens of the language and of the fwitter app.
const std::vector<std::string>& vocabulary() {
  static const std::vector<std::string> words = with_methods({
      // models, finders, variables
      "User", "Tweet", "Message", "Follow", "Heart", "Usr", "user", "tweet", "message", "follow", "heart", "u", "x",
      "_", "user(1)", "tweet(5)", "message(1)", "user(2)", "tweet(99)", "self",
      // assignments to columns (methods come from the tables, below)
      ".username=", ".email=",
      // literals
      "0", "1", "2", "3", "5", "99", "-1", "1.5", "9223372036854775807", "\"ann\"", "\"bob@example.com\"",
      "'x@y.z'", "\"\"", "\"Hello, fwitter!\"", ":id", ":desc", ":asc", ":username", ":email", ":content",
      ":user_id", "nil", "true", "false", "/a+/", "[1, 2]", "{}",
      // labels
      "id:", "username:", "email:", "content:", "user:", "tweet:", "user_id:", "tweet_id:", "sender:",
      "follower_id:", "followed:",
      // punctuation and operators
      "(", ")", "[", "]", "{", "}", ",", ".", "=", "==", "!=", "<", ">", "<=", "<<", "+", "-", "*", "/", "%", "!",
      "&&", "||", "and", "not", "=>", "->", ";", "\n", "::", ":",
      // the command form
      "user=2", "tweet=5", "user=1", "tweet=(tweet(3))", "user.email=ann@example.com", "user.username=cat",
      "content=hi", "content=\"two words\"", "username=007", "email=x@y.z", "sender=1", "receiver=2",
      "follower=1", "followed=3", "isbn=0123", "nil", "usr=1",
      // console commands and classes
      "on", "class", "end", "#",
  });
  return words;
}

constexpr char kPunctuation[] = "()[]{}\"':;.,=<>#/\\\n\t -+*!&|?@_";

class Generator {
 public:
  explicit Generator(std::uint32_t s) : rng_(s) {}

  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T> const T& pick(const std::vector<T>& v) { return v[static_cast<size_t>(below(static_cast<int>(v.size())))]; }

  // A soup of real tokens, with or without spaces between them.
  std::string token_soup() {
    std::vector<std::string> words;
    int n = 1 + below(14);
    for (int i = 0; i < n; ++i) words.push_back(pick(vocabulary()));
    return join(words);
  }

  // A plausible statement: a receiver and a chain of calls, an assignment,
  // or a command-form line, each sometimes cut or corrupted.
  std::string statement() {
    static const std::vector<std::string> receivers = {"User", "Tweet", "Message", "Follow", "Heart", "user(1)",
                                                       "user(2)", "user(3)", "tweet(1)", "tweet(5)", "message(2)",
                                                       "u", "x", "_", "Tweet.first", "User.last", "follow(1)",
                                                       "heart(2)"};
    static const std::vector<std::string> calls = {
        ".all", ".first", ".last", ".count", ".ids", ".exists?", ".to_a", ".destroy", ".destroy_all",
        ".delete_all", ".reload", ".save", ".save!", ".valid?", ".errors", ".errors.full_messages", ".tweets",
        ".hearts", ".liked_tweets", ".likers", ".followers", ".following", ".sent_messages",
        ".received_messages", ".passive_follows", ".sender", ".user", ".tweet", ".username", ".content",
        ".where(id: 1)", ".where(user: user(2))", ".where(username: \"ann\")", ".where(id: [1, 2, 3])",
        ".where(user_id: nil)", ".order(id: :desc)", ".order(:username)", ".limit(2)", ".offset(1)",
        ".pluck(:id)", ".pluck(:id, :username)", ".find(1)", ".find(2, 3)", ".find_by(email: \"ann@example.com\")",
        ".create(content: \"fuzz\")", ".create!(content: \"\")", ".create(username: \"f\", email: \"f@f.f\")",
        ".new(content: \"n\")", ".update(content: \"u\")", ".update(email: \"bad\")",
        ".update!(username: \"cat\")", ".update(user: user(3))", " << tweet(4)", " << user(3)", " << tweet(1)",
        ".delete(tweet(2))", ".include?(user(1))", ".size", ".empty?", ".first(2)", ".last(1)", ".take",
        ".to_sql", ".attributes", ".inspect", ".class", ".id", ".reload.username", ".frist",
    };
    static const std::vector<std::string> commands = {
        "heart user=2 tweet=5", "heart user.email=ann@example.com tweet=4", "heart user.username=bob tweet=3",
        "tweet user=1 content=hello", "tweet user=(user(2)) content=\"fuzzing is fun\"", "tweet content=orphan",
        "follow follower=2 followed=3", "follow follower=1 followed=1", "message sender=1 receiver=3 content=hi",
        "message sender=1", "user username=fz email=fz@example.com", "user username=007 email=x@y.z",
        "user username=ann email=ann@example.com", "heart user=9 tweet=9", "heart usr=1 tweet=1",
        "hart user=1 tweet=1",
    };
    std::string s;
    switch (below(6)) {
      case 0: s = pick(commands); break;
      case 1: s = pick(std::vector<std::string>{"u", "x"}) + " = "; [[fallthrough]];
      default: {
        s += pick(receivers);
        int n = below(4);
        for (int i = 0; i < n; ++i) s += pick(calls);
      }
    }
    int damage = below(8);
    if (damage == 0 && !s.empty()) s.erase(static_cast<size_t>(below(static_cast<int>(s.size()))), 1);
    if (damage == 1 && !s.empty()) s.insert(static_cast<size_t>(below(static_cast<int>(s.size()))), pick(vocabulary()));
    if (damage == 2 && !s.empty()) s.resize(static_cast<size_t>(below(static_cast<int>(s.size()))));
    return s;
  }

  std::string bytes() {
    std::string s;
    int n = below(40);
    for (int i = 0; i < n; ++i) {
      int kind = below(4);
      if (kind == 0) s += static_cast<char>(below(256));
      else if (kind == 1) s += kPunctuation[below(static_cast<int>(sizeof kPunctuation) - 1)];
      else s += static_cast<char>('a' + below(26));
    }
    return s;
  }

 private:
  std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) {
      if (!out.empty() && below(3) != 0) out += ' ';
      out += w;
    }
    return out;
  }
  std::mt19937 rng_;
};

// Parses the whole of `source`; returns how many statements and errors it saw.
std::pair<int, int> parse_everything(const std::string& source) {
  fw::lang::Parser parser(source, fw::console::command_words());
  int statements = 0, errors = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    try {
      auto s = parser.next_statement();
      if (!s) return {statements, errors};
      ++statements;
    } catch (const fw::lang::SyntaxError& e) {
      ++errors;
      // a syntax error always points inside the source, at a real line
      CHECK(e.offset <= source.size());
      CHECK(e.pos.line >= 1);
      CHECK(e.pos.column >= 1);
    }
  }
  FAIL("the parser did not finish: " << source);
  return {statements, errors};
}

struct Db {
  TempDir dir;
  std::string path = dir / "fuzz.sqlite3";
  fw::console::Environment env{fw::test::small_world(), path, fw::storage::Database::Options{}};
  std::ostringstream setup_err;
  Db() { fw::console::prepare_database(env, setup_err); }

  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    env.db().each(fw::storage::Query{"", sql, {}}, [&](const fw::storage::Row& row) {
      std::string line;
      for (int i = 0; i < row.size(); ++i) line += (i ? "|" : "") + fw::value_to_s(row[i]);
      out.push_back(line);
    });
    return out;
  }
  void check_consistent(const std::string& context) {
    INFO(context);
    CHECK(column("PRAGMA foreign_key_check").empty());
    CHECK(column("PRAGMA integrity_check") == std::vector<std::string>{"ok"});
    // no orphans even where foreign keys are not declared
    CHECK(column("SELECT id FROM tweets WHERE user_id NOT IN (SELECT id FROM users)").empty());
    CHECK(column("SELECT id FROM hearts WHERE tweet_id NOT IN (SELECT id FROM tweets) OR user_id NOT IN (SELECT id FROM users)").empty());
    CHECK(column("SELECT id FROM follows WHERE follower_id NOT IN (SELECT id FROM users) OR followed_id NOT IN (SELECT id FROM users)").empty());
    CHECK(column("SELECT id FROM messages WHERE sender_id NOT IN (SELECT id FROM users) OR receiver_id NOT IN (SELECT id FROM users)").empty());
    CHECK(column("SELECT COUNT(*) FROM (SELECT user_id, tweet_id FROM hearts GROUP BY 1, 2 HAVING COUNT(*) > 1)") == std::vector<std::string>{"0"});
    CHECK(env.db().transaction_depth() == 0);
  }
};

// Runs `script` in a fresh session (every statement, as --keep-going does,
// quietly), inside a sandbox so the next script starts from the seed data.
int errors_seen = 0;  // error lines printed, over every session

int run_in_session(Db& db, const std::string& script, bool sandbox) {
  fw::console::Settings settings;
  settings.keep_going = true;
  settings.quiet = true;
  settings.sandbox = sandbox;
  std::ostringstream out, err;
  int status = -1;
  {
    fw::console::Session session(db.env, settings, out, err);
    try {
      status = session.run_script("fuzz", script);
    } catch (const std::exception& e) {
      FAIL_CHECK("run_script threw " << std::string(e.what()) << "\n--- script ---\n" << script);
    } catch (...) {
      FAIL_CHECK("run_script threw a non-standard exception\n--- script ---\n" << script);
    }
    // checked inside the session too: the sandbox's changes are still visible
    if (sandbox) {
      INFO("inside the sandbox, script:\n" << script);
      CHECK(db.column("PRAGMA foreign_key_check").empty());
    }
  }
  CHECK((status == 0 || status == 1));
  std::string text = err.str();
  for (size_t at = text.find(": error: "); at != std::string::npos; at = text.find(": error: ", at + 1)) ++errors_seen;
  return status;
}

}  // namespace

TEST_CASE("the parser survives thousands of random token sequences") {
  Generator gen(seed());
  int statements = 0, errors = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string source = i % 2 ? gen.token_soup() : gen.statement() + "\n" + gen.token_soup();
    auto [s, e] = parse_everything(source);
    statements += s;
    errors += e;
  }
  // the generator yields both: a fuzz that only ever fails to parse tests little
  CHECK(statements > 2000);
  CHECK(errors > 2000);
}

TEST_CASE("the parser survives thousands of random byte strings") {
  Generator gen(seed() + 1);
  for (int i = 0; i < 20000; ++i) parse_everything(gen.bytes());
}

TEST_CASE("the evaluator survives random statements and keeps the database consistent") {
  Generator gen(seed() + 2);
  Db db;
  REQUIRE(db.column("SELECT COUNT(*) FROM users") == std::vector<std::string>{"3"});
  int failed_scripts = 0, scripts = 0;
  auto started = std::chrono::steady_clock::now();
  errors_seen = 0;
  const int batches = 2000;
  // 40,000 statements: 2,000 scripts of 20, each in a sandbox over the seed data
  for (int batch = 0; batch < batches; ++batch) {
    std::string script;
    for (int i = 0; i < 20; ++i) {
      std::string s = i % 3 == 2 ? gen.token_soup() : gen.statement();
      script += s + (gen.below(4) ? "\n" : ";");
    }
    failed_scripts += run_in_session(db, script, true) == 1;
    ++scripts;
    if (batch % 200 == 0) db.check_consistent("after batch " + std::to_string(batch));
  }
  db.check_consistent("after every batch");
  // the sandbox put everything back
  CHECK(db.column("SELECT COUNT(*) FROM users") == std::vector<std::string>{"3"});
  CHECK(db.column("SELECT COUNT(*) FROM hearts") == std::vector<std::string>{"5"});
  CHECK(failed_scripts > 0);
  // most statements fail (that is the point), but not all: many reach the database
  CHECK(errors_seen > batches * 20 / 4);
  CHECK(errors_seen < batches * 20 * 19 / 20);
  MESSAGE(scripts << " scripts, " << errors_seen << " errors of " << batches * 20 << " statements, in "
                  << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count()
                  << " ms");
}

TEST_CASE("the evaluator survives random statements that commit") {
  // No sandbox: changes accumulate (records destroyed, created, linked), so
  // later statements meet a database the seed never made.
  Generator gen(seed() + 3);
  Db db;
  for (int batch = 0; batch < 300; ++batch) {
    std::string script;
    for (int i = 0; i < 20; ++i) {
      std::string s = gen.statement();
      script += s + "\n";
    }
    run_in_session(db, script, false);
    if (batch % 50 == 49) db.check_consistent("after committed batch " + std::to_string(batch));
  }
  db.check_consistent("at the end");
}

TEST_CASE("the evaluator survives random bytes") {
  Generator gen(seed() + 4);
  Db db;
  for (int batch = 0; batch < 200; ++batch) {
    std::string script;
    for (int i = 0; i < 25; ++i) script += gen.bytes() + "\n";
    run_in_session(db, script, true);
  }
  db.check_consistent("after random bytes");
  CHECK(db.column("SELECT COUNT(*) FROM tweets") == std::vector<std::string>{"5"});
}

TEST_CASE("a failed statement in a --keep-going script is rolled back alone") {
  Db db;
  // each line fails after changing something, or succeeds
  std::string script =
      "tweet user=1 content=kept\n"
      "user(1).update!(email: \"not an email\")\n"
      "heart user=2 tweet=1\n"  // a duplicate: refused
      "user(3).destroy; user(99)\n"
      "message sender=2 receiver=1 content=kept\n";
  int status = run_in_session(db, script, false);
  CHECK(status == 1);
  CHECK(db.column("SELECT content FROM tweets WHERE content = 'kept'") == std::vector<std::string>{"kept"});
  CHECK(db.column("SELECT email FROM users WHERE id = 1") == std::vector<std::string>{"ann@example.com"});
  CHECK(db.column("SELECT COUNT(*) FROM users WHERE id = 3") == std::vector<std::string>{"0"});
  CHECK(db.column("SELECT COUNT(*) FROM messages WHERE content = 'kept'") == std::vector<std::string>{"1"});
  db.check_consistent("after the keep-going script");
}
