// A learner's folder may come from anyone: opening it, calling its models'
// methods, migrating and seeding it never run a program, touch a file outside
// the database or load code from outside the folder. Each hostile line says
// so, with its file and line, when it is reached, and the rest of the app works.
#include <doctest/doctest.h>

#include <filesystem>

#include "../support/lab.hpp"
#include "../support/process.hpp"
#include "storage/database.hpp"

namespace fs = std::filesystem;
using fw::test::contains;
using fw::test::Lab;
using fw::test::Output;
using fw::test::TempDir;

namespace {

// A file a hostile line would create or delete, outside the lab.
struct Witness {
  TempDir dir;
  std::string made = (dir.path() / "made").string();
  std::string victim = (dir.path() / "victim").string();
  Witness() { std::ofstream(victim) << "keep me"; }
  bool untouched() const { return !fs::exists(made) && fs::exists(victim); }
};

}  // namespace

TEST_CASE("a model's methods that would run a program, touch a file or load code are refused where they are") {
  Lab lab;
  Witness w;
  lab.write("app/models/gadget.rb",
            "class Gadget < ActiveRecord::Base\n"
            "  self.table_name = \"users\"\n"
            "  def shell\n    system(\"touch " + w.made + "\")\n  end\n"           // line 4
            "  def ticks\n    `touch " + w.made + "`\n  end\n"                     // line 7
            "  def percent_x\n    %x(touch " + w.made + ")\n  end\n"               // line 10
            "  def wipe\n    File.delete(\"" + w.victim + "\")\n  end\n"           // line 13
            "  def evaluate\n    eval(\"1 + 1\")\n  end\n"                         // line 16
            "  def sneaky\n    send(:exec, \"touch " + w.made + "\")\n  end\n"     // line 19
            "  def load_more\n    require \"open3\"\n  end\n"                       // line 22
            "  def kernel\n    Kernel.spawn(\"touch " + w.made + "\")\n  end\n"    // line 25
            "  def swallowed\n    begin\n      IO.popen(\"ls\")\n    rescue => e\n      \"rescued\"\n    end\n  end\n"
            "  def fine\n    \"still here\"\n  end\n"
            "end\n");
  struct Case {
    const char* method;
    int line;
    const char* refused;
  };
  for (const Case& c : {Case{"shell", 4, "system (runs a program) is refused"},
                        Case{"ticks", 7, "a shell command (`...` or %x()) is refused"},
                        Case{"percent_x", 10, "a shell command (`...` or %x()) is refused"},
                        Case{"wipe", 13, "File is refused"}, Case{"evaluate", 16, "eval (runs code from a string) is refused"},
                        Case{"sneaky", 19, "exec (runs a program) is refused"},
                        Case{"load_more", 22, "require (loads code) is refused"},
                        Case{"kernel", 25, "spawn (runs a program) is refused"},
                        Case{"swallowed", 29, "IO is refused"}}) {
    CAPTURE(c.method);
    Output o = lab.run({"-e", std::string("Gadget.first.") + c.method});
    CHECK(o.status == 1);
    CHECK(contains(o.err, "-e:1:14: error: " + std::string(c.refused)));
    CHECK(contains(o.err, "app/models/gadget.rb:" + std::to_string(c.line) + ":"));
    CHECK(contains(o.err, "note: raised here"));
    CHECK(w.untouched());
  }
  // Ruby's class for it is SecurityError, which `rescue => e` (StandardError) lets through.
  Output rescued = lab.run({"-e", "begin; Gadget.first.shell; rescue Exception => e; e.class; end"});
  CHECK(rescued.out == "=> SecurityError\n");
  // The app opened: its own models and the hostile one's harmless method work.
  Output fine = lab.run({"-e", "Gadget.first.fine", "-e", "User.count"});
  CHECK(fine.status == 0);
  CHECK(fine.out == "=> \"still here\"\n=> 2\n");
  CHECK(w.untouched());
}

TEST_CASE("hostile lines outside methods, in callbacks, migrations, seeds and database.yml run nothing") {
  Lab lab;
  Witness w;
  std::string touch = "system(\"touch " + w.made + "\")";
  lab.write("app/models/loud.rb", touch + "\n`touch " + w.made + "`\n" +
                                      "class Loud < ActiveRecord::Base\n"
                                      "  self.table_name = \"users\"\n  " + touch + "\n"
                                      "  before_save { " + touch + " }\n"
                                      "end\n");
  Output opened = lab.run({"-e", "User.count"});
  CHECK(opened.status == 0);
  CHECK(contains(opened.err, "app/models/loud.rb:1:1: note: passed over"));
  CHECK(contains(opened.err, "app/models/loud.rb:5:3: note: passed over: fwitter does not run `system`"));
  CHECK(w.untouched());

  // The callback is reached on save: refused, and the save rolled back.
  Output saved = lab.run({"-e", "Loud.first.update(bio: \"x\")", "-e", "User.where(bio: \"x\").count"});
  CHECK(contains(saved.err, "error: system (runs a program) is refused"));
  CHECK(contains(saved.err, "app/models/loud.rb:6:17: note: raised here"));
  CHECK(w.untouched());
  fs::remove(lab.path("app/models/loud.rb"));

  // A migration: refused at its line, and nothing of it applied or recorded.
  lab.write("db/migrate/005_create_gadgets.rb",
            "class CreateGadgets < ActiveRecord::Migration[6.1]\n  def change\n    create_table :gadgets\n    " +
                touch + "\n  end\nend\n");
  Output migrated = lab.run({"db", "migrate"});
  CHECK(migrated.status != 0);
  CHECK(contains(migrated.err, "db/migrate/005_create_gadgets.rb:4:5: error: system (runs a program) is refused"));
  {
    fw::storage::Database db(lab.db());
    CHECK_FALSE(db.table_exists("gadgets"));
    CHECK(fw::is_null(db.scalar({"", "SELECT 1 FROM schema_migrations WHERE version = '005'", {}})));
  }
  fs::remove(lab.path("db/migrate/005_create_gadgets.rb"));
  CHECK(w.untouched());

  // The seed script: refused at its line when reached; what it did before is rolled back.
  lab.write("db/seeds.rb", "User.create!(username: \"early\", email: \"e@x\", password: \"pw\")\n" + touch + "\n");
  Output seeded = lab.run({"db", "seed"});
  CHECK(seeded.status != 0);
  CHECK(contains(seeded.err, "db/seeds.rb:2:1: error: system (runs a program) is refused"));
  CHECK(lab.run({"-e", "User.where(username: \"early\").count"}).out == "=> 0\n");
  CHECK(w.untouched());

  // database.yml's ERB reads ENV and literals only: a shell command in it is not run.
  lab.write("config/database.yml", "development:\n  adapter: sqlite3\n  database: <%= `touch " + w.made + "` %>\n");
  Output config = lab.run({"-e", "User.count"});
  CHECK(contains(config.err, "config/database.yml:3: cannot read database: fwitter reads strings, ENV[...] and "
                             "ENV.fetch(...) here, and runs nothing else"));
  CHECK(w.untouched());
}

TEST_CASE("files that are binary, huge, too deeply nested or links out of the folder are refused; the rest opens") {
  Lab lab;
  TempDir elsewhere;
  std::ofstream(elsewhere.path() / "secret.rb") << "class Secret < ActiveRecord::Base\nend\n";
  fs::create_symlink(elsewhere.path() / "secret.rb", lab.root / "app" / "models" / "secret.rb");
  lab.write("app/models/binary.rb", std::string("class Binary\0\x01\x02", 15));
  lab.write("app/models/huge.rb", "# " + std::string(5u << 20, 'x') + "\n");
  lab.write("app/models/deep.rb",
            "class Deep < ActiveRecord::Base\n  X = " + std::string(100000, '[') + std::string(100000, ']') + "\nend\n");
  Output o = lab.run({"-e", "User.count", "-e", "Post.count"});
  CHECK(o.status == 0);
  CHECK(o.out == "=> 2\n=> 2\n");
  CHECK(contains(o.err, "app/models/secret.rb: passed over: it links to "));
  CHECK(contains(o.err, "outside the app's folder"));
  CHECK(contains(o.err, "app/models/binary.rb: passed over: a binary file, not text"));
  CHECK(contains(o.err, "app/models/huge.rb: passed over: larger than 4 MB"));
  CHECK(contains(o.err, "app/models/deep.rb:2:"));
  CHECK(contains(o.err, "statement nested too deeply"));
  CHECK_FALSE(contains(o.err, "Secret"));
}

TEST_CASE("a database that database.yml puts outside the app's folder is pointed out at start") {
  Lab lab;
  lab.write("config/database.yml", "development:\n  adapter: sqlite3\n  database: ../elsewhere.sqlite3\n");
  Output o = lab.run({"-e", "User.count"});
  CHECK(o.status == 0);
  CHECK(contains(o.err, "elsewhere.sqlite3 (config/database.yml:3) is outside the app's folder"));
  lab.write("config/database.yml", "development:\n  adapter: sqlite3\n  database: db/inside.sqlite3\n");
  CHECK_FALSE(contains(lab.run({"-e", "User.count"}).err, "outside the app's folder"));
}
