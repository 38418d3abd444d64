// `fwitter lesson`: the lessons built into the binary, run as handouts, and
// the fwitter app's own seed, which its lesson and the README explore.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "../support/process.hpp"
#include "../support/terminal.hpp"

namespace fs = std::filesystem;
using fw::test::contains;
using fw::test::lines_of;
using fw::test::fwitter;
using fw::test::Output;
using fw::test::TempDir;
using fw::test::Terminal;

namespace {

// The app's own seed (scripts/seed.fw), not the tests' small world.
const char* const kRealSeed = "FWITTER_SEED=";


// The line after the last echo of STATEMENT in a lesson's JSON transcript.
std::string answer_to(const std::vector<std::string>& lines, const std::string& statement) {
  for (size_t i = lines.size(); i-- > 1;)
    if (lines[i - 1] == "> " + statement) return lines[i];
  return "(not echoed: " + statement + ")";
}

}  // namespace

TEST_CASE("fwitter lesson lists the six lessons, each with its title") {
  auto r = fwitter({"lesson"});
  CHECK(r.status == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 7);
  CHECK(contains(lines[0], "fwitter lesson NAME"));
  std::vector<std::string> names;
  for (size_t i = 1; i < lines.size(); ++i) names.push_back(lines[i].substr(2, lines[i].find(' ', 2) - 2));
  CHECK(names == std::vector<std::string>{"fwitter", "airbnb", "clinic", "guides", "music", "store"});
  CHECK(contains(r.out, "clinic   the clinic -- has_many :through"));
  // a title that runs over two comment lines is whole, on one line
  CHECK(contains(r.out, "guides   the Rails guide's associations -- what the declarations in db/models.fw do beyond "
                        "belongs_to and has_many.\n"));
}

TEST_CASE("each lesson runs by name from any folder, on a fresh database, and leaves no file behind") {
  TempDir elsewhere;
  for (const std::string name : {"fwitter", "airbnb", "clinic", "guides", "music", "store"}) {
    CAPTURE(name);
    std::string command = "cd " + fw::test::shell_quote(elsewhere.path().string()) + " && " + kRealSeed;
    auto r = fwitter({"--format", "json", "lesson", name}, "", command);
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    CHECK(contains(r.out, "# Lesson: "));
    CHECK(contains(r.out, "\n> "));
    CHECK(!contains(r.out, "{\"error\""));
    CHECK(fs::is_empty(elsewhere.path()));
  }
}

TEST_CASE("the fwitter lesson walks the four stories on the seeded app") {
  auto r = fwitter({"--format", "json", "lesson", "fwitter"}, "", kRealSeed);
  INFO(r.err);
  REQUIRE(r.status == 0);
  auto lines = lines_of(r.out);
  // direct messages, with aliased associations
  CHECK(answer_to(lines, "message(2).sender.username") == "\"bob\"");
  CHECK(answer_to(lines, "user(3).received_messages.count") == "6");
  // followers, a self-referential many-to-many
  CHECK(answer_to(lines, "ann.followers.count") == "18");
  CHECK(answer_to(lines, "ann.following.select { |u| u.following.include?(ann) }.map(&:username)") ==
        R"(["bob","fatima"])");
  CHECK(answer_to(lines, "twice.errors.full_messages") == R"(["Followed has already been taken"])");
  CHECK(answer_to(lines, "myself.valid?") == "false");
  // hearts: a heart found by the user's email, a duplicate refused
  CHECK(answer_to(lines, "ann.hearts.find_by(tweet_id: 6).tweet.content") == R"x("Just learned about associations (day 1)")x");
  CHECK(answer_to(lines, "again.errors.full_messages") == R"(["Tweet has already been taken"])");
  CHECK(answer_to(lines, "popular.likers.count") == "20");
  // dependent: :destroy, counts before and after
  auto counts = "[User.count, Tweet.count, Message.count, Follow.count, Heart.count]";
  CHECK(answer_to(lines, "bob.destroy") != "(not echoed: bob.destroy)");
  CHECK(answer_to(lines, counts) == "[19,243,57,69,313]");
  CHECK(contains(r.out, "> " + std::string(counts) + "\n[20,255,70,85,414]\n"));
  // with --echo the handout keeps the lesson's blank lines between its stories
  auto table = fwitter({"lesson", "fwitter"}, "", kRealSeed);
  CHECK(contains(table.out, "=> 6\n\n# 2. Followers."));
}

TEST_CASE("a lesson on --db runs in a sandbox: the database stays as it was") {
  TempDir dir;
  auto db = dir / "clinic.sqlite3";
  REQUIRE(fwitter({"--app", FWITTER_SOURCE_DIR "/db/examples/clinic", "--db", db, "db", "setup"}).status == 0);
  auto r = fwitter({"--app", FWITTER_SOURCE_DIR "/db/examples/clinic", "--db", db, "--format", "json", "lesson"});
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(contains(r.out, "> doctor(4).destroy"));
  auto after = fwitter({"--app", FWITTER_SOURCE_DIR "/db/examples/clinic", "--db", db, "--format", "json", "-e",
                        "[Doctor.count, Appointment.count]"});
  CHECK(after.out == "[4,36]\n");
}

TEST_CASE("a lesson that does not exist is a usage error that names the lessons") {
  auto r = fwitter({"lesson", "clinik"});
  CHECK(r.status == 2);
  CHECK(r.err == "fwitter: no lesson named clinik; the lessons are fwitter, airbnb, clinic, guides, music, store "
                 "(`fwitter lesson` lists them)\n");
  auto both = fwitter({"--app", FWITTER_SOURCE_DIR "/db/examples/clinic", "lesson", "music"});
  CHECK(both.status == 2);
}

TEST_CASE("the fwitter seed gives every association of the app rows for its first users, the same every run") {
  TempDir dir;
  std::vector<std::string> args = {"--db", dir / "a.sqlite3", "--format", "json"};
  const std::vector<std::string> user_associations = {"tweets", "sent_messages", "received_messages", "hearts",
                                                      "liked_tweets", "active_follows", "passive_follows",
                                                      "following", "followers"};
  for (int id = 1; id <= 3; ++id)
    for (const auto& a : user_associations) {
      args.push_back("-e");
      args.push_back("user(" + std::to_string(id) + ")." + a + ".count");
    }
  for (const std::string s : {"tweet(1).hearts.count", "tweet(1).likers.count", "tweet(1).user.id",
                              "message(1).sender.id", "message(1).receiver.id", "follow(1).follower.id",
                              "follow(1).followed.id", "heart(1).user.id", "heart(1).tweet.id"}) {
    args.push_back("-e");
    args.push_back(s);
  }
  auto r = fwitter(args, "", kRealSeed);
  INFO(r.err);
  REQUIRE(r.status == 0);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3 * user_associations.size() + 9);
  for (size_t i = 0; i < lines.size(); ++i) {
    CAPTURE(i);
    CHECK(lines[i] != "0");
    CHECK(lines[i] != "null");
  }
  // popular tweets exist, some follows are mutual and some one way
  auto shape = fwitter({"--db", dir / "a.sqlite3", "--format", "json", "-e",
                        "Heart.group(:tweet_id).count.values.max", "-e",
                        "Follow.all.count { |f| Follow.exists?(follower_id: f.followed_id, followed_id: f.follower_id) }",
                        "-e", "Follow.count"});
  auto counts = lines_of(shape.out);
  REQUIRE(counts.size() == 3);
  CHECK(std::stoi(counts[0]) >= 15);
  CHECK(std::stoi(counts[1]) > 0);
  CHECK(std::stoi(counts[1]) < std::stoi(counts[2]));
  // deterministic: a second database holds the same rows
  const std::string rows = "[User.pluck(:username, :email), Tweet.pluck(:user_id, :content), "
                           "Message.pluck(:sender_id, :receiver_id, :content), Follow.pluck(:follower_id, :followed_id), "
                           "Heart.pluck(:user_id, :tweet_id)]";
  auto first = fwitter({"--db", dir / "a.sqlite3", "--format", "json", "-e", rows});
  auto second = fwitter({"--db", dir / "b.sqlite3", "--format", "json", "-e", rows}, "", kRealSeed);
  CHECK(first.out.size() > 10000);
  CHECK(first.out == second.out);
}

TEST_CASE("an example app with the classic through: slip says what to write, through the binary") {
  TempDir dir;
  fs::copy(FWITTER_SOURCE_DIR "/db/examples/store", dir.path() / "store", fs::copy_options::recursive);
  auto models = dir.path() / "store" / "db" / "models.fw";
  std::string text = fw::test::slurp(models);
  text.replace(text.find("through: :user_items"), 20, "through: user_items");
  std::ofstream(models) << text;
  auto r = fwitter({"--app", (dir.path() / "store").string(), "--db", dir / "s.sqlite3", "-e", "User.count"});
  CHECK(r.status != 0);
  CHECK(contains(r.err, "db/models.fw:7:29: error: `user_items` is a bare name, which a declaration cannot use; "
                        "names are symbols here: did you mean `through: :user_items`?"));
}

TEST_CASE("on a terminal a lesson steps live: Enter runs a step, typed statements run in its world, back undoes") {
  TempDir dir;
  Terminal t({"lesson", "clinic"}, {"HOME=" + dir.path().string(), "XDG_STATE_HOME=" + (dir / "state")});
  REQUIRE(t.wait_for("Enter runs the step shown"));
  CHECK(t.wait_for("# 1. A doctor's appointments"));  // the step's comments, then its statement
  REQUIRE(t.wait_for("[step 1 of "));
  CHECK(t.wait_for("> doc = doctor(1)"));
  REQUIRE(t.wait_for("clinic(sandbox) [1/"));
  t.type("\r");  // Enter: the step runs, and the next one shows
  REQUIRE(t.wait_for("[step 2 of "));
  CHECK(t.wait_for("> doc.appointments.order(:scheduled_at)"));
  REQUIRE(t.wait_for("[2/"));
  t.type("doc.class.name\r");  // the teacher's own statement sees the step's variable
  CHECK(t.wait_for("=> \"Doctor\""));
  t.type("n = Appointment.count\r");
  REQUIRE(t.wait_for("[2/"));
  for (int i = 0; i < 6; ++i) t.type("skip\r");  // to step 8, which books an appointment
  REQUIRE(t.wait_for("> appointment doctor=1 patient=2"));
  REQUIRE(t.wait_for("[8/"));
  t.type("\r");
  REQUIRE(t.wait_for("[9/"));
  t.type("Appointment.count == n + 1\r");
  CHECK(t.wait_for("=> true"));
  t.type("back\r");  // undoes step 8, and shows it again
  CHECK(t.wait_for("Reverted `appointment doctor=1"));
  REQUIRE(t.wait_for("[8/"));
  t.type("Appointment.count == n\r");
  CHECK(t.wait_for("=> true"));
  REQUIRE(t.wait_for("[8/"));  // the prompt is back: keys typed before it may be flushed, as a person's would
  t.type("\x04");  // Ctrl-D leaves
  CHECK(t.exit_status() == 0);
}

TEST_CASE("piped, a lesson stays the handout: every step echoed and run, no prompt") {
  auto out = fwitter({"lesson", "clinic"}, "", "LANG=C.UTF-8 LC_ALL= LC_CTYPE=");
  CHECK(out.status == 0);
  CHECK(contains(out.out, "> doc = doctor(1)"));
  CHECK(contains(out.out, "> patient(1).doctors.pluck(:name)"));
  CHECK_FALSE(contains(out.out, "[step "));
  // A file is not an 80-column screen: the step about scheduled_at shows it whole.
  CHECK(contains(out.out, "│ scheduled_at "));
  CHECK_FALSE(contains(out.out, "…"));
  auto narrow = fwitter({"lesson", "clinic"}, "", "LANG=C.UTF-8 LC_ALL= LC_CTYPE= COLUMNS=80");  // unless COLUMNS says how wide
  CHECK(contains(narrow.out, "schedule…"));
}
