// The course's other apps under db/examples: each
// one migrates and seeds, runs its lesson, gives the answers its lesson
// teaches, and every association its models.fw declares returns a row for
// the first record of its model once the seed has run.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "../support/process.hpp"

using fw::test::fwitter;
using fw::test::lines_of;
using fw::test::Output;
using fw::test::TempDir;

namespace {
namespace fs = std::filesystem;

const fs::path kExamples = fs::path(FWITTER_SOURCE_DIR) / "db" / "examples";

std::vector<std::string> example_apps() {
  std::vector<std::string> apps;
  for (const auto& entry : fs::directory_iterator(kExamples))
    if (entry.is_directory()) apps.push_back(entry.path().filename().string());
  std::sort(apps.begin(), apps.end());
  return apps;
}

std::string app_dir(const std::string& app) { return (kExamples / app).string(); }


// A fresh database for APP, migrated and seeded by `db setup`.
std::string set_up(const TempDir& dir, const std::string& app) {
  std::string db = dir / (app + ".sqlite3");
  auto r = fwitter({"--app", app_dir(app), "--db", db, "db", "setup"});
  INFO(r.err);
  REQUIRE(r.status == 0);
  return db;
}

// Runs each statement with -e under --format json, one output line each.
Output evaluate(const std::string& app, const std::string& db, const std::vector<std::string>& statements) {
  std::vector<std::string> args = {"--app", app_dir(app), "--db", db, "--format", "json"};
  for (const auto& s : statements) {
    args.push_back("-e");
    args.push_back(s);
  }
  return fwitter(args);
}

struct Association {
  std::string model;  // "UserItem"
  std::string macro;  // "has_many"
  std::string name;   // "items"
};

// The associations a models.fw declares, read line by line: `class X`, then
// `has_many :name`, `has_one :name`, `belongs_to :name`, ...
std::vector<Association> declared_associations(const std::string& app) {
  std::ifstream in(kExamples / app / "db" / "models.fw");
  static const std::regex class_line(R"(^\s*class\s+([A-Z]\w*))");
  static const std::regex assoc_line(R"(^\s*(has_many|has_one|belongs_to|has_and_belongs_to_many)\s+:(\w+))");
  std::vector<Association> found;
  std::string model;
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (std::regex_search(line, m, class_line)) model = m[1];
    else if (std::regex_search(line, m, assoc_line)) found.push_back({model, m[1], m[2]});
  }
  return found;
}

// "UserItem" -> "UserItem.first.items"; the shorthand user_item(1) needs an id.
std::string first_record_statement(const Association& a) { return a.model + ".first." + a.name; }

// What each lesson teaches, as the statement and its JSON answer on a freshly
// seeded database. Run in order, destroys last.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>> kKeyResults = {
    {"airbnb",
     {{"reservation(1).guest.name", R"("Olivia Bennett")"},
      {"reservation(1).host.name", R"("Mateo Garcia")"},
      {"user(1).reservations_as_guest.pluck(:host_id)", "[2,4,7]"},
      {"user(1).reservations_as_host.pluck(:guest_id)", "[5,8,10]"},
      {"user(1).hosts.pluck(:name)", R"(["Mateo Garcia","Lukas Becker","Priya Sharma"])"},
      {"user(1).guests.pluck(:name)", R"(["Sofia Rossi","Noah Andersen","Tom Walsh"])"},
      {R"(Reservation.create(guest: user(1), host: user(1), check_in: "2026-11-10", check_out: "2026-11-08").errors.full_messages)",
       R"(["Check out must be greater than 2026-11-10","Host must be other than 1"])"},
      {"[User.count, Reservation.count]", "[10,30]"},
      {"user(1).destroy.name", R"("Olivia Bennett")"},
      {"[User.count, Reservation.count]", "[9,24]"}}},
    {"clinic",
     {{"doctor(1).patients.pluck(:name)",
       R"(["Alice Johnson","Carmen Diaz","David Chen","Elena Popescu","George Brown","Hana Suzuki","Ivan Petrov","Karim Mansour","Lucy Evans"])"},
      {"patient(1).doctors.pluck(:name)", R"(["Dr. Helen Park","Dr. Samuel Osei","Dr. Ingrid Larsen"])"},
      {"appointment(1).doctor.name", R"("Dr. Helen Park")"},
      {"Appointment.create(doctor: doctor(1), patient: patient(2), scheduled_at: appointment(1).scheduled_at).errors.full_messages",
       R"(["Scheduled at has already been taken"])"},
      {R"(Appointment.create(doctor: doctor(1), scheduled_at: "2026-07-01 11:00:00").errors.full_messages)",
       R"(["Patient must exist"])"},
      {"[Doctor.count, Appointment.count, Patient.count]", "[4,36,12]"},
      {"doctor(4).destroy.name", R"("Dr. Rafael Moreno")"},
      {"[Doctor.count, Appointment.count, Patient.count]", "[3,27,12]"}}},
    {"guides",
     {{"author(1).books.pluck(:title)", R"(["Late Essays","The Dispossessed","Classic","A Wizard of Earthsea"])"},
      {"author(1).recent_books.pluck(:title)", R"(["Late Essays"])"},
      {"Author.order(:id).pluck(:books_count)", "[4,2,3]"},
      {R"(Book.published_before("1975-01-01").count)", "3"},
      {"employee(1).manager.name", R"("Grace Hopper")"},
      {"picture(4).imageable.name", R"("Notebook")"},
      {"product(1).pictures.count", "2"},
      {"[Employee.count, Author.count, Book.count, Product.count, Picture.count]", "[4,3,9,2,4]"},
      {"product(1).destroy.name", R"("Desk lamp")"},
      {"author(2).destroy.name", R"("Terry Pratchett")"},
      {"book(3).destroy", "false"},
      {"[Employee.count, Author.count, Book.count, Product.count, Picture.count]", "[4,2,7,1,2]"}}},
    {"music",
     {{"artist(1).songs.pluck(:title)", R"(["Paper Lanterns","Northbound","Glass Harbour","Small Hours"])"},
      {"artist(1).genres.pluck(:name)", R"(["Rock","Rock","Jazz","Jazz"])"},
      {"artist(1).genres.distinct.pluck(:name)", R"(["Rock","Jazz"])"},
      {"genre(1).artists.distinct.pluck(:name)", R"(["Nina Harlow","Ines Duarte","Marcus Reed"])"},
      {"song(1).genre.name", R"("Rock")"},
      {R"(Song.create(artist: artist(1), genre: genre(1), title: "Northbound", duration_seconds: 0).errors.full_messages)",
       R"(["Title has already been taken","Duration seconds must be greater than 0"])"},
      {"genre(1).destroy", "false"},
      {"genre(1).songs.count", "6"},
      {"[Artist.count, Song.count, Genre.count]", "[6,24,5]"},
      {"artist(1).destroy.name", R"("Nina Harlow")"},
      {"[Artist.count, Song.count, Genre.count]", "[5,20,5]"}}},
    {"store",
     {{"user(1).items.pluck(:name)", R"(["Espresso machine","Pour-over kettle","Milk frother","Paper filters"])"},
      {"item(1).users.pluck(:name)", R"(["Ana Lima","Dmitri Volkov","Grace Kim"])"},
      {"user(1).user_items.sum(:quantity)", "4"},
      {"UserItem.create(user: user(1), item: item(1)).errors.full_messages", R"(["Item has already been taken"])"},
      {"UserItem.create(user: user(2), item: item(1), quantity: 0).errors.full_messages",
       R"(["Quantity must be greater than 0"])"},
      {"[User.count, UserItem.count, Item.count]", "[8,32,12]"},
      {"user(1).destroy.name", R"("Ana Lima")"},
      {"[User.count, UserItem.count, Item.count]", "[7,28,12]"}}},
};

// Lines each lesson's JSON transcript must hold: the echoed statement (its
// last run, when the lesson runs it twice), then its answer on the next line.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>> kLessonLines = {
    {"airbnb",
     {{"> olivia.guests.pluck(:name)", R"(["Sofia Rossi","Noah Andersen","Tom Walsh"])"},
      {"> bad.errors.full_messages", R"(["Check out must be greater than 2026-11-10","Host must be other than 1"])"},
      {"> olivia.destroy", ""},
      {"> [User.count, Reservation.count]", "[9,24]"}}},
    {"clinic",
     {{"> patient(1).doctors.pluck(:name, :specialty)",
       R"([["Dr. Helen Park","Cardiology"],["Dr. Samuel Osei","Dermatology"],["Dr. Ingrid Larsen","Pediatrics"]])"},
      {"> clash.errors.full_messages", R"(["Scheduled at has already been taken"])"},
      {"> orphan.errors.full_messages", R"(["Patient must exist"])"},
      {"> doctor(4).appointments.count", "9"}}},
    {"guides",
     {{"> author(1).books.pluck(:title)", R"(["Late Essays","The Dispossessed","Classic","A Wizard of Earthsea"])"},
      {"> author(2).books_count", "3"},
      {"> Author.named_like(\"Terry\").pluck(:name)", R"(["Terry Pratchett"])"},
      {"> Picture.pluck(:imageable_type, :imageable_id)", R"([["Employee",1],["Product",1],["Product",1],["Product",2]])"},
      {"> Author.last.name", R"("Ted Chiang")"},
      {"> classic.destroy", "false"}}},
    {"music",
     {{"> genre(1).artists.distinct.pluck(:name)", R"(["Nina Harlow","Ines Duarte","Marcus Reed"])"},
      {"> rock.errors.full_messages", R"(["Cannot delete record because dependent songs exist"])"},
      {"> nina.songs.count", "5"}}},
    {"store",
     {{"> item(1).users.pluck(:name)", R"(["Ana Lima","Dmitri Volkov","Grace Kim"])"},
      {"> again.errors.full_messages", R"(["Item has already been taken"])"},
      {"> zero.errors.full_messages", R"(["Quantity must be greater than 0"])"},
      {"> ana.user_items.count", "5"}}},
};
}  // namespace

TEST_CASE("the example apps are the four of the course and the Rails guide's associations") {
  CHECK(example_apps() == std::vector<std::string>{"airbnb", "clinic", "guides", "music", "store"});
  for (const auto& app : example_apps()) {
    CAPTURE(app);
    CHECK(fs::exists(kExamples / app / "db" / "models.fw"));
    CHECK(fs::exists(kExamples / app / "scripts" / "seed.fw"));
    CHECK(fs::exists(kExamples / app / "lesson.fw"));
    CHECK(kKeyResults.count(app) == 1);
    CHECK(kLessonLines.count(app) == 1);
  }
}

TEST_CASE("every example app migrates and seeds with db setup") {
  for (const auto& app : example_apps()) {
    CAPTURE(app);
    TempDir dir;
    auto r = fwitter({"--app", app_dir(app), "--db", dir / "setup.sqlite3", "db", "setup"});
    INFO(r.err);
    CHECK(r.status == 0);
    CHECK(r.err.find("error") == std::string::npos);
  }
}

TEST_CASE("every example app's lesson runs as a JSON transcript and shows what it teaches") {
  for (const auto& app : example_apps()) {
    CAPTURE(app);
    TempDir dir;
    std::string db = set_up(dir, app);
    std::string lesson = app_dir(app) + "/lesson.fw";
    auto r = fwitter({"--app", app_dir(app), "--db", db, "--format", "json", "--echo", "run", lesson});
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.err.find("error") == std::string::npos);
    auto lines = lines_of(r.out);
    for (const auto& line : lines)
      CHECK_MESSAGE((line.rfind("> ", 0) == 0 || line.find("{\"error\"") == std::string::npos), line);
    auto expected = kLessonLines.find(app);
    if (expected == kLessonLines.end()) continue;
    for (const auto& entry : expected->second) {
      const auto& echo = entry.first;  // not [echo, answer]: CAPTURE cannot take a structured binding in clang 14
      const auto& answer = entry.second;
      CAPTURE(echo);
      // the last time the lesson runs that statement
      auto at = std::find(lines.rbegin(), lines.rend(), echo);
      REQUIRE(at != lines.rend());
      REQUIRE(at != lines.rbegin());
      if (!answer.empty()) CHECK(*(at - 1) == answer);
    }
  }
}

TEST_CASE("a lesson run under --sandbox leaves the database as seeded, so it runs again") {
  for (const auto& app : example_apps()) {
    CAPTURE(app);
    TempDir dir;
    std::string db = set_up(dir, app);
    std::string lesson = app_dir(app) + "/lesson.fw";
    for (int run = 0; run < 2; ++run) {
      CAPTURE(run);
      auto r = fwitter({"--app", app_dir(app), "--db", db, "--sandbox", "--echo", "run", lesson});
      INFO(r.err);
      CHECK(r.status == 0);
    }
  }
}

TEST_CASE("each example app gives the answers its lesson teaches") {
  for (const auto& entry : kKeyResults) {
    const auto& app = entry.first;  // not [app, checks]: CAPTURE cannot take a structured binding in clang 14
    const auto& checks = entry.second;
    CAPTURE(app);
    TempDir dir;
    std::string db = set_up(dir, app);
    std::vector<std::string> statements;
    for (const auto& check : checks) statements.push_back(check.first);
    auto r = evaluate(app, db, statements);
    INFO(r.err);
    CHECK(r.status == 0);
    auto lines = lines_of(r.out);
    REQUIRE(lines.size() == checks.size());
    for (size_t i = 0; i < checks.size(); ++i) {
      CAPTURE(checks[i].first);
      CHECK(lines[i] == checks[i].second);
    }
  }
}

TEST_CASE("every association an example app declares returns a row for its model's first record") {
  for (const auto& app : example_apps()) {
    CAPTURE(app);
    auto associations = declared_associations(app);
    // every model of these apps has at least two associations
    REQUIRE(associations.size() >= 6);
    TempDir dir;
    std::string db = set_up(dir, app);
    std::vector<std::string> statements;
    for (const auto& a : associations) statements.push_back(first_record_statement(a));
    auto r = evaluate(app, db, statements);
    INFO(r.err);
    CHECK(r.status == 0);
    auto lines = lines_of(r.out);
    REQUIRE(lines.size() == associations.size());
    for (size_t i = 0; i < associations.size(); ++i) {
      const auto& a = associations[i];
      CAPTURE(statements[i]);
      CAPTURE(lines[i]);
      bool collection = a.macro == "has_many" || a.macro == "has_and_belongs_to_many";
      // a collection is a non-empty array of records, a singular one a record
      CHECK(lines[i].rfind(collection ? "[{\"id\":" : "{\"id\":", 0) == 0);
    }
  }
}
