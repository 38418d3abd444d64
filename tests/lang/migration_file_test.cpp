// ActiveRecord's migration language, run on SQLite as ActiveRecord 6.1 runs
// it: the columns each version's defaults give, and change rolled back.
#include <doctest/doctest.h>

#include <cctype>

#include "lang/migration_file.hpp"
#include "lang/model_file.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

using namespace fw;

namespace {

// One migration, compiled and run up (or up, then down).
struct Run {
  storage::Database db{":memory:"};
  std::vector<storage::Migration> migrations;

  void add(const std::string& file, const std::string& ruby) {
    auto m = storage::ruby_migration("db/migrate/" + file, ruby);
    REQUIRE(m);
    migrations.push_back(*m);
    lang::compile_migrations(migrations);
  }
  void up() { migrations.back().program(db, true); }
  void down() { migrations.back().program(db, false); }
  std::string error(bool up_direction) {
    try {
      migrations.back().program(db, up_direction);
    } catch (const fw::Error& e) {
      return e.what();
    }
    return "";
  }
  // name type notnull default, as PRAGMA table_info shows them (types lower-cased).
  std::vector<std::string> columns(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& c : db.columns(table)) {
      std::string type = c.declared_type;
      for (auto& ch : type) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      out.push_back(c.name + " " + type + (c.not_null ? " NOT NULL" : "") +
                    (is_null(c.default_value) ? "" : " DEFAULT " + value_to_s(c.default_value)));
    }
    return out;
  }
  std::vector<std::string> indexes(const std::string& table) {
    std::vector<std::string> out;
    for (const auto& i : db.indexes(table))
      if (i.origin == "c") out.push_back(i.name + (i.unique ? " unique" : ""));
    return out;
  }
};

std::string migration(const std::string& version, const std::string& body) {
  return "class M < ActiveRecord::Migration" + version + "\n  def change\n" + body + "  end\nend\n";
}

}  // namespace

TEST_CASE("A file's version comes from its name, as ActiveRecord's to_i reads it") {
  CHECK(storage::ruby_migration("db/migrate/001_create_users.rb", "")->version == "1");
  CHECK(storage::ruby_migration("db/migrate/20170101000001_create_users.rb", "")->version == "20170101000001");
  CHECK(storage::ruby_migration("db/migrate/20170101000001_create_users.rb", "")->name == "create_users");
  CHECK_FALSE(storage::ruby_migration("db/migrate/not_a_migration.rb", ""));
}

TEST_CASE("t.timestamps and t.references by version: [4.2] (and unversioned), [5.2], [6.1]") {
  const std::string body = "    create_table :posts do |t|\n      t.references :user\n      t.timestamps\n    end\n";
  Run old;
  old.add("1_a.rb", migration("", body));
  old.up();
  CHECK(old.columns("posts") == std::vector<std::string>{"id integer NOT NULL", "user_id integer", "created_at datetime",
                                                        "updated_at datetime"});
  CHECK(old.indexes("posts").empty());
  Run five;
  five.add("1_a.rb", migration("[5.2]", body));
  five.up();
  CHECK(five.columns("posts") == std::vector<std::string>{"id integer NOT NULL", "user_id integer",
                                                         "created_at datetime NOT NULL", "updated_at datetime NOT NULL"});
  CHECK(five.indexes("posts") == std::vector<std::string>{"index_posts_on_user_id"});
  Run six;
  six.add("1_a.rb", migration("[6.1]", body + "    add_reference :posts, :imageable, polymorphic: true\n"));
  six.up();
  CHECK(six.columns("posts")[2] == "created_at datetime(6) NOT NULL");
  CHECK(six.indexes("posts") == std::vector<std::string>{"index_posts_on_imageable", "index_posts_on_user_id"});
  Run newer;  // a version newer than ActiveRecord 6.1 knows runs as 6.1
  newer.add("1_a.rb", migration("[7.1]", body));
  newer.up();
  CHECK(newer.columns("posts")[2] == "created_at datetime(6) NOT NULL");
}

TEST_CASE("Column options, create_join_table, and change rolled back in reverse") {
  Run r;
  r.add("2_b.rb", migration("[6.1]",
                            "    create_table :tags, id: false do |t|\n"
                            "      t.string :name, null: false, default: \"x\", limit: 20\n"
                            "      t.decimal :price, precision: 8, scale: 2\n"
                            "      t.boolean :on, default: true\n"
                            "    end\n"
                            "    create_join_table :users, :tags\n"
                            "    add_index :tags, [:name, :price], unique: true, name: \"by_name\"\n"));
  r.up();
  CHECK(r.columns("tags") == std::vector<std::string>{"name varchar(20) NOT NULL DEFAULT 'x'", "price decimal(8,2)",
                                                     "on boolean DEFAULT 1"});
  CHECK(r.columns("tags_users") == std::vector<std::string>{"user_id integer NOT NULL", "tag_id integer NOT NULL"});
  CHECK(r.indexes("tags") == std::vector<std::string>{"by_name unique"});
  Run shared;
  shared.add("3_c.rb", migration("[6.1]", "    create_join_table :catalog_products, :catalog_categories\n"));
  shared.up();
  CHECK(shared.db.table_exists("catalog_categories_products"));
  r.down();
  CHECK_FALSE(r.db.table_exists("tags"));
  CHECK_FALSE(r.db.table_exists("tags_users"));
}

TEST_CASE("up and down, reversible, and what cannot be rolled back") {
  Run r;
  r.add("3_c.rb",
        "class C < ActiveRecord::Migration[6.1]\n  def up\n    create_table :a\n  end\n  def down\n    drop_table :a\n  end\nend\n");
  r.up();
  CHECK(r.db.table_exists("a"));
  r.down();
  CHECK_FALSE(r.db.table_exists("a"));

  Run rev;
  rev.add("4_d.rb", migration("[6.1]",
                              "    create_table :b\n    reversible do |dir|\n      dir.up { execute \"INSERT INTO b DEFAULT VALUES\" }\n"
                              "      dir.down { execute \"DELETE FROM b\" }\n    end\n"));
  rev.up();
  CHECK(rev.db.scalar({"", "SELECT count(*) FROM b", {}}) == Value(std::int64_t{1}));
  rev.down();
  CHECK_FALSE(rev.db.table_exists("b"));

  Run irreversible;
  irreversible.add("5_e.rb", migration("[6.1]", "    create_table :c\n    change_column :c, :id, :string\n"));
  irreversible.db.exec_script("CREATE TABLE c (id integer)");
  CHECK(irreversible.error(false) ==
        "db/migrate/5_e.rb:4:5: error: ActiveRecord::IrreversibleMigration: This migration uses change_column, which is "
        "not automatically reversible.\nTo make the migration reversible you can either:\n1. Define #up and #down "
        "methods in place of the #change method.\n2. Use the #reversible method to define reversible behavior.");
  CHECK(irreversible.db.table_exists("c"));  // refused before anything ran
}

TEST_CASE("Errors name the migration's file, line and column") {
  Run syntax;
  syntax.add("6_f.rb", "class F < ActiveRecord::Migration[6.1]\n  def change\n    create_table :x do |t|\n  end\nend\n");
  CHECK(syntax.error(true) == "db/migrate/6_f.rb:5:4: error: class F has no 'end'");
  Run type;
  type.add("7_g.rb", migration("[6.1]", "    create_table :x do |t|\n      t.strin :name\n    end\n"));
  CHECK(type.error(true) == "db/migrate/7_g.rb:4:9: error: undefined method `strin' for a table definition (t). Did you mean? string");
  Run loop;
  loop.add("8_h.rb", migration("[6.1]", "    [:a, :b].each { |c| add_column :x, c, :string }\n"));
  CHECK(loop.error(true).find("8_h.rb:3:14: error: a migration here holds the migration language's commands") != std::string::npos);
  Run none;
  none.add("9_i.rb", "puts 1\n");
  CHECK(none.error(true) == "db/migrate/9_i.rb:1:1: error: no migration class here (class CreateUsers < ActiveRecord::Migration[6.1])");
}

TEST_CASE("db/schema.rb loads as ActiveRecord::Schema.define writes it") {
  storage::Database db(":memory:");
  long long version = lang::load_schema(
      "db/schema.rb",
      "ActiveRecord::Schema.define(version: 20200101000000) do\n"
      "  create_table \"users\", force: :cascade do |t|\n"
      "    t.string \"name\"\n"
      "    t.datetime \"created_at\", precision: 6, null: false\n"
      "  end\n"
      "  add_index \"users\", [\"name\"], name: \"index_users_on_name\", unique: true\n"
      "end\n",
      db);
  CHECK(version == 20200101000000LL);
  CHECK(db.columns("users").size() == 3);
  CHECK(db.indexes("users").at(0).name == "index_users_on_name");
}

TEST_CASE("Ruby model files: what is passed over is a note, and the rest loads") {
  std::vector<storage::SourceFile> files = {
      {"app/models/user.rb",
       "require 'bcrypt'\nclass User < ActiveRecord::Base\n  has_secure_password\n  validates_presence_of :name, :email, "
       "message: \"is missing\"\n  validates_length_of :name, maximum: 10\n  has_one_attached :avatar\n  "
       "def slug\n    name\n  end\nend\n"},
      {"app/models/broken.rb", "class Broken < ActiveRecord::Base\n  def x(\nend\n"},
      {"app/models/plain.rb", "class Plain\nend\n"}};
  lang::ModelFile file(files, false);
  auto decls = file.declarations();
  REQUIRE(decls.size() == 2);
  CHECK(decls[0].name == "User");
  CHECK_FALSE(decls[0].belongs_to_required);
  REQUIRE(decls[0].secure_passwords.size() == 1);
  CHECK(decls[0].secure_passwords[0].attribute == "password");
  REQUIRE(decls[0].validations.size() == 2);
  CHECK(decls[0].validations[0].attributes == std::vector<std::string>{"name", "email"});
  CHECK(decls[0].validations[0].options.size() == 2);  // message: beside presence: true
  CHECK(decls[0].validations[1].options[0].first == "length");
  // The class a file that did not parse defines stands broken, with the file's error, so what reaches it says why.
  CHECK(decls[1].name == "Broken");
  CHECK(decls[1].broken_class == "SyntaxError");
  CHECK(decls[1].broken_message.rfind("app/models/broken.rb:3:1: ", 0) == 0);
  auto notes = file.notes();
  REQUIRE(notes.size() == 4);
  CHECK(notes[0].rfind("app/models/broken.rb:3:1: error:", 0) == 0);
  CHECK(notes[1].rfind("app/models/plain.rb:1:1: note: passed over: class Plain is not an ActiveRecord model", 0) == 0);
  CHECK(notes[2].rfind("app/models/broken.rb: note: Broken does not load, as this file did not", 0) == 0);
  CHECK(notes[3] == "app/models/user.rb:6:3: note: passed over: `has_one_attached` comes from the activestorage "
                    "(Rails) gem, which fwitter does not stand in for; the rest of User loads");
}

TEST_CASE("execute takes a heredoc, as ActiveRecord's migrations write SQL") {
  Run r;
  r.add("6_h.rb",
        "class H < ActiveRecord::Migration[6.1]\n  def up\n    create_table :users do |t|\n      t.boolean :activated\n    end\n"
        "    execute \"INSERT INTO users (activated) VALUES (NULL)\"\n"
        "    execute <<~SQL\n      UPDATE users SET activated = 0 WHERE activated IS NULL\n    SQL\n  end\nend\n");
  r.up();
  CHECK(r.db.scalar({"", "SELECT count(*) FROM users WHERE activated = 0", {}}) == Value(std::int64_t{1}));
}
