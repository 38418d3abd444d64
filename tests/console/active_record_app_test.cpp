// A learner's own ActiveRecord app (tests/fixtures/blog_lab: a Sinatra lab
// with Ruby models and migrations), opened through the real binary from
// inside its folder, as the lab text says: "then test it out using tux".
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>

#include "../support/lab.hpp"
#include "../support/process.hpp"
#include "../support/skip.hpp"
#include "../support/terminal.hpp"
#include "storage/database.hpp"

namespace fs = std::filesystem;
using fw::test::contains;
using fw::test::fwitter;
using fw::test::Output;
using fw::test::run_program;
using fw::test::shell_quote;
using fw::test::TempDir;

using fw::test::Lab;

namespace {

// SQLite (3.37 on) reports the types integer, text and blob in capitals.
std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::vector<std::string> columns(const std::string& db, const std::string& table) {
  fw::storage::Database d(db);
  std::vector<std::string> out;
  for (const auto& c : d.columns(table))
    out.push_back(c.name + " " + lower(c.declared_type) + (c.not_null ? " NOT NULL" : "") +
                  (fw::is_null(c.default_value) ? "" : " DEFAULT " + fw::value_to_s(c.default_value)));
  return out;
}

std::vector<std::string> versions(const std::string& db) {
  fw::storage::Database d(db);
  std::vector<std::string> out;
  d.each({"", "SELECT version FROM schema_migrations ORDER BY CAST(version AS INTEGER)", {}},
         [&](const fw::storage::Row& row) { out.push_back(fw::value_to_s(row[0])); });
  return out;
}

bool has_ruby_active_record() {
  return run_program("ruby", {"-e", "require 'active_record'; require 'sqlite3'; require 'bcrypt'"}).status == 0;
}

}  // namespace

TEST_CASE("A Sinatra lab opens from inside its folder: migrations as ActiveRecord 6.1 makes them") {
  Lab lab;
  auto migrate = lab.run({"db", "migrate"});
  REQUIRE_MESSAGE(migrate.status == 0, migrate.err);
  CHECK(contains(migrate.out, "== 1 create_users: migrated"));
  CHECK(contains(migrate.out, "== 4 add_bio_to_users: migrated"));
  CHECK(fs::exists(lab.db()));  // where config/environment.rb's establish_connection says
  CHECK(versions(lab.db()) == std::vector<std::string>{"1", "2", "3", "4"});
  // Unversioned (run as [4.2]): nullable timestamps unless null: false; [5.2]: NOT NULL;
  // [6.1]: datetime(6). rename_column copies the table as ActiveRecord does (DEFAULT NULL).
  CHECK(columns(lab.db(), "users") ==
        std::vector<std::string>{"id integer NOT NULL", "username varchar", "email varchar", "password_digest varchar",
                                 "created_at datetime NOT NULL", "updated_at datetime NOT NULL", "bio text"});
  CHECK(columns(lab.db(), "posts") ==
        std::vector<std::string>{"id integer NOT NULL", "title varchar DEFAULT NULL", "content text DEFAULT NULL",
                                 "user_id integer DEFAULT NULL", "created_at datetime NOT NULL",
                                 "updated_at datetime NOT NULL"});
  CHECK(columns(lab.db(), "comments") ==
        std::vector<std::string>{"id integer NOT NULL", "content text", "post_id integer",
                                 "approved boolean NOT NULL DEFAULT 0"});
  fw::storage::Database db(lab.db());
  auto indexes = db.indexes("posts");
  REQUIRE(indexes.size() == 1);
  CHECK(indexes[0].name == "index_posts_on_user_id");  // t.references indexes from [5.0]
  CHECK(db.indexes("users").at(0).name == "index_users_on_email");
  CHECK(db.indexes("users").at(0).unique);
  CHECK(db.foreign_keys("comments").at(0).to_table == "posts");
  CHECK(db.table_exists("ar_internal_metadata"));

  auto again = lab.run({"db", "migrate"});
  CHECK(again.out == "No pending migrations.\n");
}

TEST_CASE("The lab's models: methods, modules, has_secure_password, validates_*_of, seeds") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto seed = lab.run({"db", "seed"});
  REQUIRE_MESSAGE(seed.status == 0, seed.err);
  auto r = lab.run({"--format", "json", "--keep-going", "-e", "User.find_by_slug(\"ann-lee\").post_count", "-e", "Post.first.teaser",
                    "-e", "User.newest.username", "-e", "User.first.authenticate(\"secret\").username", "-e",
                    "User.first.authenticate(\"wrong\")", "-e", "User.first.password_digest[0, 7]", "-e",
                    "User.create(username: \"cy\", email: \"ann@example.com\").errors.full_messages", "-e",
                    "User.create!(username: \"cy\")", "-e", "Comment.create!(content: \"no post\").post_id"});
  CHECK_MESSAGE(r.status == 1, r.err);
  CHECK(r.out ==
        "1\n"
        "\"Hello: My first p...\"\n"
        "\"Bob\"\n"
        "\"Ann Lee\"\n"
        "false\n"
        "\"$2a$12$\"\n"  // bcrypt at the bcrypt gem's default cost
        "[\"Password can't be blank\",\"Email has already been taken\"]\n"
        "{\"error\":\"Validation failed: Password can't be blank, Email can't be blank\"}\n"
        "null\n");  // a plain Sinatra app: belongs_to is optional
  // One line at start: what was found and where.
  CHECK(contains(r.err, "fwitter: blog_lab (an ActiveRecord app): 3 models from app/models, 4 migrations in db/migrate, "
                        "database db/development.sqlite (config/environment.rb:7)"));

  // super past the model's own reader; a callback changing an attribute in place; default_scope and unscoped.
  auto more = lab.run({"--format", "json", "-e", "Post.create!(title: \"loud\", content: \"x\").title", "-e",
                       "User.create!(username: \"Cy\", email: \"CY@Example.COM\", password: \"p\").email", "-e",
                       "Comment.create!(content: \"second\", post: Post.first).id", "-e", "Comment.pluck(:content)", "-e",
                       "Comment.unscoped.pluck(:content)", "-e", "Post.first.comments.to_sql.include?(\"DESC\")",
                       "-e", "[User.first.roles, User::ROLES.size]"});
  CHECK_MESSAGE(more.status == 0, more.err);
  CHECK(more.out ==
        "\"Loud\"\n"
        "\"cy@example.com\"\n"
        "3\n"
        "[\"second\",\"no post\",\"Welcome!\"]\n"  // the earlier run's comment (2) was kept: --keep-going
        "[\"Welcome!\",\"no post\",\"second\"]\n"
        "true\n"
        "[[\"author\",\"reader\"],2]\n");  // a class body's constant, inside its methods and as User::ROLES

  // accepts_nested_attributes_for, as ActiveRecord 6.1 answered the same statements.
  auto nested = lab.run(
      {"--format", "json", "--keep-going", "-e",
       "u = User.create!(username: \"Nia\", email: \"nia@x\", password: \"p\", posts_attributes: [{title: \"one\", "
       "content: \"a\"}, {title: \"\", content: \"\"}, {title: \"two\", content: \"b\"}]).posts.pluck(:title)",
       "-e",
       "User.create(username: \"Oz\", email: \"oz@x\", password: \"p\", posts_attributes: [{content: \"no title\"}])"
       ".errors.full_messages",
       "-e", "u = User.find_by(username: \"Nia\")", "-e",
       "u.update(posts_attributes: [{id: u.posts.first.id, _destroy: \"1\"}, {id: u.posts.last.id, title: \"TWO\"}])",
       "-e", "u.posts.pluck(:title)", "-e", "u.update(posts_attributes: [{id: 999, title: \"x\"}])"});
  CHECK(contains(nested.out,
                 "[\"one\",\"two\"]\n"  // the all-blank one rejected
                 "[\"Posts title can't be blank\"]\n"));
  CHECK(contains(nested.out, "true\n[\"TWO\"]\n{\"error\":\"Couldn't find Post with ID=999 for User with ID=4\"}\n"));

  // The password's rules, as ActiveModel words them.
  auto password = lab.run({"--format", "json", "-e",
                           "User.new(username: \"d\", email: \"d@x\", password: \"a\" * 73).tap(&:valid?).errors.full_messages",
                           "-e",
                           "User.new(username: \"d\", email: \"d@x\", password: \"a\", password_confirmation: \"b\")"
                           ".tap(&:valid?).errors.full_messages"});
  CHECK(password.out ==
        "[\"Password is too long (maximum is 72 characters)\"]\n"
        "[\"Password confirmation doesn't match Password\"]\n");
}

TEST_CASE("At a terminal inside the lab: the start-up line, the folder's prompt, completion of the model's own methods") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  REQUIRE(lab.run({"db", "seed"}).status == 0);
  TempDir home;
  fw::test::Terminal t({}, {"HOME=" + home.path().string(), "XDG_STATE_HOME=" + (home / "state"), "NO_COLOR=1"},
                       lab.root.string());
  REQUIRE(t.wait_for("fwitter: blog_lab (an ActiveRecord app): 3 models"));
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("User.first.sl\t");  // Tab adds "ug": only then does the statement give the slug
  CHECK(t.wait_for("ug"));
  t.type("\n");
  CHECK(t.wait_for("=> \"ann-lee\""));
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("User.find_by_sl\t");
  CHECK(t.wait_for("ug"));
  t.type("(\"bob\").post_count\n");
  CHECK(t.wait_for("=> 1"));
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("Post.create!(title: \"new\", content: \"text\")\n");
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("undo\n");
  CHECK(t.wait_for("posts"));
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("Post.count\n");
  CHECK(t.wait_for("=> 2"));
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("\x04");
  CHECK(t.exit_status() == 0);
}

TEST_CASE("db rollback inverts change as ActiveRecord does, and refuses an irreversible one before it runs") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto back = lab.run({"db", "rollback"});
  REQUIRE_MESSAGE(back.status == 0, back.err);
  CHECK(contains(back.out, "== 4 add_bio_to_users: reverted"));
  CHECK(columns(lab.db(), "posts").at(2) == "body text DEFAULT NULL");  // the rename undone
  CHECK(columns(lab.db(), "users").size() == 6);                          // bio removed
  CHECK(fw::storage::Database(lab.db()).indexes("users").empty());
  CHECK(lab.run({"db", "rollback", "--steps", "3"}).status == 0);  // down, then each create_table's drop_table
  CHECK(!fw::storage::Database(lab.db()).table_exists("users"));
  CHECK(versions(lab.db()).empty());

  lab.write("db/migrate/005_drop_bio.rb",
            "class DropBio < ActiveRecord::Migration[6.1]\n  def change\n    add_column :users, :nick, :string\n"
            "    remove_column :users, :bio\n  end\nend\n");
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto refused = lab.run({"db", "rollback"});
  CHECK(refused.status == 1);
  CHECK(contains(refused.err, "db/migrate/005_drop_bio.rb:4:5: error: ActiveRecord::IrreversibleMigration: "
                              "remove_column is only reversible if given a type."));
  CHECK(columns(lab.db(), "users").back() == "nick varchar DEFAULT NULL");  // nothing ran (the table was copied going up)
  CHECK(versions(lab.db()).back() == "5");
}

TEST_CASE("A migration that fails leaves the database as it was, names its file and line, and can be fixed") {
  Lab lab;
  lab.write("db/migrate/005_add_likes.rb",
            "class AddLikes < ActiveRecord::Migration[6.1]\n  def change\n    add_column :posts, :likes, :integer, default: 0\n"
            "    add_column :postz, :shares, :integer\n  end\nend\n");
  auto failed = lab.run({"db", "migrate"});
  CHECK(failed.status == 1);
  CHECK(contains(failed.err, "db/migrate/005_add_likes.rb:4:5: error: no such table: postz"));
  CHECK(versions(lab.db()) == std::vector<std::string>{"1", "2", "3", "4"});
  CHECK(columns(lab.db(), "posts").size() == 6);  // the first add_column was rolled back with it
  lab.write("db/migrate/005_add_likes.rb",
            "class AddLikes < ActiveRecord::Migration[6.1]\n  def change\n    add_column :posts, :likes, :integer, default: 0\n"
            "  end\nend\n");
  CHECK(lab.run({"db", "migrate"}).status == 0);
  CHECK(columns(lab.db(), "posts").back() == "likes integer DEFAULT 0");

  lab.write("db/migrate/006_typo.rb", "class Typo < ActiveRecord::Migration[6.1]\n  def change\n    add_colum :posts, :x, :integer\n  end\nend\n");
  auto typo = lab.run({"db", "migrate"});
  CHECK(contains(typo.err, "db/migrate/006_typo.rb:3:5: error: undefined method `add_colum' in a migration. Did you mean? add_column"));
}

TEST_CASE("A model file that does not parse is named with its line and column; the other models load") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  lab.write("app/models/broken.rb", "class Broken < ActiveRecord::Base\n  def oops(\nend\n");
  lab.write("app/models/helper.rb", "class Helper\n  def self.x\n    1\n  end\nend\n");
  auto r = lab.run({"--format", "json", "-e", "User.count"});
  CHECK(r.status == 0);
  CHECK(r.out == "0\n");
  CHECK(contains(r.err, "fwitter: app/models/broken.rb:3:1: error:"));
  CHECK(contains(r.err, "fwitter: app/models/helper.rb:1:1: note: passed over: class Helper is not an ActiveRecord model"));
}

TEST_CASE("A Rails app: config/database.yml by environment, ApplicationRecord, concerns, load_defaults") {
  Lab lab;
  fs::remove(lab.path("config/environment.rb"));
  lab.write("config/database.yml",
            "default: &default\n  adapter: sqlite3\n  pool: <%= ENV.fetch(\"RAILS_MAX_THREADS\") { 5 } %>\n\n"
            "development:\n  <<: *default\n  database: <%= ENV.fetch(\"BLOG_DB\") { \"db/dev.sqlite3\" } %>\n\n"
            "test:\n  <<: *default\n  database: db/test.sqlite3\n");
  lab.write("config/application.rb", "module Blog\n  class Application < Rails::Application\n    config.load_defaults 6.1\n  end\nend\n");
  lab.write("app/models/application_record.rb",
            "class ApplicationRecord < ActiveRecord::Base\n  self.abstract_class = true\n  def label\n    \"#{id}!\"\n  end\nend\n");
  lab.write("app/models/post.rb", "class Post < ApplicationRecord\n  belongs_to :user\n  has_many :comments\nend\n"
                                  "class Comment < ApplicationRecord\n  belongs_to :post, optional: true\nend\n");
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  CHECK(fs::exists(lab.path("db/dev.sqlite3")));
  REQUIRE(lab.run({"--env", "test", "db", "migrate"}).status == 0);
  CHECK(fs::exists(lab.path("db/test.sqlite3")));
  auto r = lab.run({"--format", "json", "-e", "Post.create(title: \"t\").errors.full_messages", "-e",
                    "Comment.create!(content: \"c\").label"});
  CHECK(r.out == "[\"User must exist\"]\n\"1!\"\n");  // load_defaults 6.1: belongs_to is required
  CHECK(contains(r.err, "database db/dev.sqlite3 (config/database.yml:7)"));
  auto tested = lab.run({"--env", "test", "--format", "json", "-e", "User.create!(username: \"a\", email: \"a@x\", "
                                                                      "password: \"p\").password_digest[0, 7]"});
  CHECK(tested.out == "\"$2a$04$\"\n");  // the test environment's least cost, as Rails sets it

  lab.write("config/database.yml", "development:\n  adapter: sqlite3\n  database: <%= File.read(\"/etc/passwd\") %>\n");
  auto unreadable = lab.run({"-e", "1"});
  CHECK(contains(unreadable.err, "config/database.yml:3: cannot read database: fwitter reads strings, ENV[...] and "
                                 "ENV.fetch(...) here, and runs nothing else"));
  lab.write("config/database.yml", "development:\n  adapter: mysql2\n  database: blog\n");
  auto mysql = lab.run({"-e", "1"});
  CHECK(mysql.status == 1);
  CHECK(contains(mysql.err, "names the mysql2 adapter; fwitter opens SQLite (adapter: sqlite3) and PostgreSQL"));
  // A PostgreSQL entry is an address for libpq; a server that is not there is said so, the password not shown.
  lab.write("config/database.yml", "development:\n  adapter: postgresql\n  database: blog\n  host: /nonexistent\n"
                                   "  username: ann\n  password: sekret\n");
  auto postgres = lab.run({"-e", "1"});
  CHECK(postgres.status != 0);
  CHECK(contains(postgres.err, "cannot open database"));
  CHECK(contains(postgres.err, "/nonexistent"));
  CHECK(!contains(postgres.err, "sekret"));
}

TEST_CASE("db create and db drop on SQLite, as rake db:create and db:drop say them") {
  Lab lab;
  fs::remove(lab.path("config/environment.rb"));
  lab.write("config/database.yml", "development:\n  adapter: sqlite3\n  database: storage/dev/blog.sqlite3\n");
  auto created = lab.run({"db", "create"});
  REQUIRE_MESSAGE(created.status == 0, created.err);
  CHECK(created.out == "Created database 'storage/dev/blog.sqlite3'\n");  // its folder made too
  CHECK(fs::exists(lab.path("storage/dev/blog.sqlite3")));
  auto again = lab.run({"db", "create"});
  CHECK(again.status == 0);
  CHECK(again.err == "Database 'storage/dev/blog.sqlite3' already exists\n");

  // The empty database is new: opening it migrates and seeds it.
  auto opened = lab.run({"--format", "json", "-e", "User.count"});
  REQUIRE_MESSAGE(opened.status == 0, opened.err);
  CHECK(opened.out == "2\n");
  lab.write("storage/dev/blog.sqlite3-wal", "");
  auto dropped = lab.run({"db", "drop"});
  CHECK(dropped.status == 0);
  CHECK(dropped.out == "Dropped database 'storage/dev/blog.sqlite3'\n");
  CHECK_FALSE(fs::exists(lab.path("storage/dev/blog.sqlite3")));
  CHECK_FALSE(fs::exists(lab.path("storage/dev/blog.sqlite3-wal")));
  auto gone = lab.run({"db", "drop"});
  CHECK(gone.status == 0);
  CHECK(gone.err == "Database 'storage/dev/blog.sqlite3' does not exist\n");
}

TEST_CASE("ActiveRecord itself and fwitter share a database both ways (ruby, activerecord, sqlite3, bcrypt)") {
  if (!has_ruby_active_record())
    FW_SKIP("ruby with the activerecord, sqlite3 and bcrypt gems is not installed "
            "(apt-get install ruby-activerecord ruby-sqlite3 ruby-bcrypt)");
  // ActiveRecord 6.1 refuses an unversioned migration; the labs' Rails 4 one is [4.2] there.
  auto versioned = [](const Lab& lab) {
    std::string text = fw::test::slurp(lab.path("db/migrate/001_create_users.rb"));
    text.replace(text.find("ActiveRecord::Migration"), 23, "ActiveRecord::Migration[4.2]");
    lab.write("db/migrate/001_create_users.rb", text);
  };
  const std::string ruby_prelude =
      "require 'active_record'; require 'bcrypt'; ActiveRecord::Base.establish_connection(adapter: 'sqlite3', "
      "database: 'db/development.sqlite'); ";
  auto ruby = [&](const Lab& lab, const std::string& code) {
    return run_program("ruby", {"-e", ruby_prelude + code}, "", "cd " + shell_quote(lab.root.string()) + " &&");
  };

  Lab by_rake;
  versioned(by_rake);
  auto migrated = ruby(by_rake, "ActiveRecord::MigrationContext.new('db/migrate', ActiveRecord::SchemaMigration).migrate");
  REQUIRE_MESSAGE(migrated.status == 0, migrated.err);
  auto status = by_rake.run({"db", "status"});
  CHECK(!contains(status.out, "down"));
  CHECK(contains(status.out, "up     004"));
  auto opened = by_rake.run({"-e", "1"});
  CHECK(!contains(opened.err, "pending"));
  // A digest the bcrypt gem wrote authenticates here.
  auto made = ruby(by_rake, "class User < ActiveRecord::Base; has_secure_password; end; "
                            "User.create!(username: 'r', email: 'r@x', password: 'ruby-secret')");
  REQUIRE_MESSAGE(made.status == 0, made.err);
  auto checked = by_rake.run({"--format", "json", "-e", "User.first.authenticate(\"ruby-secret\").username", "-e",
                              "User.first.authenticate(\"other\")"});
  CHECK(checked.out == "\"r\"\nfalse\n");

  Lab by_fwitter;
  versioned(by_fwitter);
  REQUIRE(by_fwitter.run({"db", "migrate"}).status == 0);
  REQUIRE(by_fwitter.run({"-e", "User.create!(username: \"f\", email: \"f@x\", password: \"fw-secret\")"}).status == 0);
  auto seen = ruby(by_fwitter, "class User < ActiveRecord::Base; has_secure_password; end; "
                               "ctx = ActiveRecord::MigrationContext.new('db/migrate', ActiveRecord::SchemaMigration); "
                               "puts ctx.needs_migration?; puts ActiveRecord::InternalMetadata[:environment]; "
                               "puts User.first.authenticate('fw-secret').username; puts User.first.authenticate('x')");
  REQUIRE_MESSAGE(seen.status == 0, seen.err);
  CHECK(seen.out == "false\ndevelopment\nf\nfalse\n");
}

TEST_CASE("reload! reads the edited models again: a record in a variable gets the new method; a broken file keeps the old") {
  Lab lab;
  fw::test::Terminal t({"--db", lab.path("db/t.sqlite3")},
                       {"HOME=" + lab.dir.path().string(), "XDG_STATE_HOME=" + (lab.dir / "state")}, lab.root.string());
  REQUIRE(t.wait_for("blog_lab> "));
  t.type("post = Post.first; n = 41; def twice(x) = x * 2\r");
  REQUIRE(t.wait_for("=> :twice"));
  t.type("posts = Post.all; post.shout\r");
  CHECK(t.wait_for("undefined method 'shout'"));
  std::string model = fw::test::slurp(lab.path("app/models/post.rb"));
  lab.write("app/models/post.rb", model.substr(0, model.find("  def teaser")) + "  def shout\n    title.upcase\n  end\n\n" +
                                      model.substr(model.find("  def teaser")));
  t.type("reload!\r");
  CHECK(t.wait_for("Reloading... "));
  CHECK(t.wait_for("records read again: post; dropped (they held the old models): posts"));
  t.type("[post.shout, Post.last.shout, twice(n)]\r");  // plain values and defs stay too
  CHECK(t.wait_for("=> [\"HELLO\", \"HI\", 82]"));
  lab.write("app/models/post.rb", "class Post < ActiveRecord::Base\n  def broken(\nend\n");
  t.type("reload!\r");
  CHECK(t.wait_for("reload! kept the models as they were"));
  t.type("post.shout\r");
  CHECK(t.wait_for("=> \"HELLO\""));
  t.type("exit\r");
  CHECK(t.exit_status() == 0);
}
