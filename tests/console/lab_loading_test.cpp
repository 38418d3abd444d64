// A learner's lab loads as ActiveRecord loads it, through the real binary:
// a declaration ActiveRecord accepts in the class body but cannot use breaks
// only the statement that reaches it, with ActiveRecord's error; class
// bodies are Ruby (constants, private, setters, instance variables, a class
// reopened); custom validations run; single-table inheritance.
#include <doctest/doctest.h>

#include "../support/lab.hpp"
#include "../support/process.hpp"

using fw::test::contains;
using fw::test::Lab;
using fw::test::Output;

namespace {

// The blog lab migrated, with `file` written into it.
Lab lab_with(const std::string& file, const std::string& text) {
  Lab lab;
  lab.write(file, text);
  auto migrate = lab.run({"db", "migrate"});
  REQUIRE_MESSAGE(migrate.status == 0, migrate.err);
  return lab;
}

// Each statement as its own -e, --keep-going, answers as JSON lines.
Output statements(const Lab& lab, const std::vector<std::string>& lines) {
  std::vector<std::string> args = {"--format", "json", "--keep-going"};
  for (const auto& l : lines) args.insert(args.end(), {"-e", l});
  return lab.run(args);
}

}  // namespace

TEST_CASE("A through: naming no association breaks only that association, with ActiveRecord's error") {
  Lab lab = lab_with("app/models/tag.rb",
                     "class Tag < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  has_many :comments\n"
                     "  has_many :purchase_items, through: :comment\n"
                     "end\n");
  auto r = statements(lab, {"Tag.count", "Tag.new.purchase_items", "User.count",
                            "begin; Tag.new.purchase_items; rescue => e; e.class.name; end"});
  CHECK(r.out ==
        "0\n"
        "{\"error\":\"Could not find the association :comment in model Tag\"}\n"
        "0\n"
        "\"ActiveRecord::HasManyThroughAssociationNotFoundError\"\n");
  CHECK(contains(r.err, "app/models/tag.rb:4:3: warning: Tag has_many :purchase_items: through: :comment names no "
                        "association of Tag. Did you mean? comments"));
}

TEST_CASE("A belongs_to with no such model raises NameError where it is used; the model's other statements work") {
  Lab lab = lab_with("app/models/shift_note.rb",
                     "class ShiftNote < ActiveRecord::Base\n"
                     "  self.table_name = \"comments\"\n"
                     "  belongs_to :shift\n"
                     "  belongs_to :post\n"
                     "end\n");
  auto r = statements(lab, {"ShiftNote.count", "ShiftNote.new.shift", "ShiftNote.includes(:shift).to_a",
                            "ShiftNote.new.post", "begin; ShiftNote.new.shift; rescue NameError => e; e.message; end"});
  CHECK(r.out ==
        "0\n"
        "{\"error\":\"uninitialized constant ShiftNote::Shift\"}\n"
        "{\"error\":\"uninitialized constant ShiftNote::Shift\"}\n"
        "null\n"
        "\"uninitialized constant ShiftNote::Shift\"\n");
}

TEST_CASE("A model whose table no migration makes loads; a statement that reads it fails as in ActiveRecord") {
  Lab lab = lab_with("app/models/userss.rb", "class Userss < ActiveRecord::Base\nend\n");
  auto r = statements(lab, {"Userss.count", "Userss.new", "User.count"});
  CHECK(r.out ==
        "{\"error\":\"Could not find table 'usersses'\"}\n"
        "{\"error\":\"Could not find table 'usersses'\"}\n"
        "0\n");
  CHECK(contains(r.err, "warning: Userss: the database has no table usersses"));
}

TEST_CASE("An option ActiveRecord refuses in the class body breaks that model alone, with its ArgumentError") {
  Lab lab = lab_with("app/models/badge.rb",
                     "class Badge < ActiveRecord::Base\n"
                     "  self.table_name = \"comments\"\n"
                     "  has_many :posts, dependant: :destroy\n"
                     "end\n");
  auto r = statements(lab, {"Badge.count", "Post.count"});
  CHECK(contains(r.out, "{\"error\":\"Unknown key: :dependant. Valid keys are: :class_name, :anonymous_class, "));
  CHECK(contains(r.out, "\n0\n"));
  CHECK(contains(r.err, "app/models/badge.rb:3:3: error: ArgumentError: Unknown key: :dependant."));
}

TEST_CASE("A model file that does not load is named as the cause where another model reaches it") {
  Lab lab = lab_with("app/models/user.rb",
                     "class User < ActiveRecord::Base\n"
                     "  has_many :posts\n"
                     "  def broken(\n"
                     "end\n");
  auto r = statements(lab, {"Post.count", "Post.new(user_id: 1).user", "User.count"});
  CHECK(contains(r.out, "0\n{\"error\":\"app/models/user.rb:"));
  CHECK(contains(r.err, "app/models/user.rb: note: User does not load, as this file did not"));
}

TEST_CASE("delegate to: a method, uniqueness scoped by an association, gem macros passed over by name") {
  Lab lab = lab_with("app/models/follow.rb",
                     "class Follow < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  belongs_to :user\n"
                     "  validates :title, uniqueness: { scope: :user }\n"
                     "  delegate :size, to: :label\n"
                     "  devise :database_authenticatable\n"
                     "  has_one_attached :avatar\n"
                     "  def label; \"abc\"; end\n"
                     "end\n");
  auto r = statements(lab, {"Follow.new.size", "Follow.create!(title: \"a\", user_id: 1).title",
                            "Follow.create!(title: \"a\", user_id: 2).title", "Follow.create!(title: \"a\", user_id: 1)"});
  CHECK(r.out ==
        "3\n"
        "\"a\"\n"
        "\"a\"\n"
        "{\"error\":\"Validation failed: Title has already been taken\"}\n");
  CHECK(contains(r.err, "app/models/follow.rb:6:3: note: passed over: `devise` comes from the devise gem"));
  CHECK(contains(r.err, "`has_one_attached` comes from the activestorage (Rails) gem"));
}

TEST_CASE("Class bodies as Ruby: constants in options, def Name.x, private, setters, instance variables, reopening") {
  Lab lab = lab_with("app/models/author.rb",
                     "class Author < ActiveRecord::Base\n"
                     "  self.table_name = \"users\"\n"
                     "  NAME_LIMIT = 5\n"
                     "  VALID = /\\A[a-z]+\\z/\n"
                     "  validates :username, length: { maximum: NAME_LIMIT }, format: { with: VALID }\n"
                     "  def Author.shout(s)\n"
                     "    s.upcase\n"
                     "  end\n"
                     "  def display_name=(value)\n"
                     "    self.username = value.strip.downcase\n"
                     "  end\n"
                     "  def initials\n"
                     "    @calls = (@calls || 0) + 1\n"
                     "    @initials ||= username[0].upcase\n"
                     "  end\n"
                     "  def calls\n"
                     "    @calls\n"
                     "  end\n"
                     "  private\n"
                     "    def secret\n"
                     "      42\n"
                     "    end\n"
                     "end\n");
  lab.write("app/models/author_extras.rb",
            "class Author\n"
            "  def shown\n"
            "    \"#{username} (#{secret})\"\n"
            "  end\n"
            "end\n");
  auto r = statements(lab, {"Author.shout(\"hi\")", "Author.create(display_name: \"  ANN \").username",
                            "Author.create(display_name: \"toolongname\").errors.full_messages",
                            "Author.create(display_name: \"b2\").errors.full_messages",
                            "a = Author.first; [a.initials, a.initials, a.calls]", "Author.first.shown",
                            "Author.first.secret",
                            "begin; Author.first.secret; rescue NoMethodError => e; e.class.name; end"});
  CHECK(r.out ==
        "\"HI\"\n"
        "\"ann\"\n"
        "[\"Username is too long (maximum is 5 characters)\"]\n"
        "[\"Username is invalid\"]\n"
        "[\"A\",\"A\",2]\n"
        "\"ann (42)\"\n"
        "{\"error\":\"private method 'secret' called for an instance of Author\"}\n"
        "\"NoMethodError\"\n");
}

TEST_CASE("Custom validations run in order with the built-in ones; if: and unless: with a method or a lambda") {
  Lab lab = lab_with("app/models/note.rb",
                     "module Checked\n"
                     "  extend ActiveSupport::Concern\n"
                     "  included do\n"
                     "    validates :content, presence: true\n"
                     "  end\n"
                     "end\n"
                     "class Note < ActiveRecord::Base\n"
                     "  self.table_name = \"comments\"\n"
                     "  include Checked\n"
                     "  validate :no_shouting\n"
                     "  validate do\n"
                     "    errors.add(:base, \"Notes are closed\") if content == \"closed\"\n"
                     "  end\n"
                     "  validates :content, length: { minimum: 3 }, if: :approved?\n"
                     "  validates :content, length: { maximum: 8 }, unless: -> { approved }\n"
                     "  def no_shouting\n"
                     "    errors.add(:content, :invalid) if content && content == content.upcase\n"
                     "    errors.add(:content, \"is too loud\") if content && content.end_with?(\"!\")\n"
                     "  end\n"
                     "end\n");
  auto r = statements(lab, {"Note.create(content: \"\").errors.full_messages",
                            "Note.create(content: \"HEY!\").errors.full_messages",
                            "Note.create(content: \"closed\").errors.full_messages",
                            "Note.create(content: \"ok\", approved: true).errors.full_messages",
                            "Note.create(content: \"a long note\", approved: false).errors.full_messages",
                            "Note.create(content: \"a long note\", approved: true).errors.full_messages"});
  CHECK(r.out ==
        "[\"Content can't be blank\",\"Content is invalid\"]\n"
        "[\"Content is invalid\",\"Content is too loud\"]\n"
        "[\"Notes are closed\"]\n"
        "[\"Content is too short (minimum is 3 characters)\"]\n"
        "[\"Content is too long (maximum is 8 characters)\"]\n"
        "[]\n");
}

TEST_CASE("Single-table inheritance as ActiveRecord 6.1: type set on create, the subclass found, its rows alone") {
  Lab lab;
  lab.write("db/migrate/005_add_type_to_users.rb",
            "class AddTypeToUsers < ActiveRecord::Migration[6.1]\n  def change\n    add_column :users, :type, :string\n"
            "  end\nend\n");
  lab.write("app/models/admin.rb",
            "class Admin < User\n"
            "  def admin?\n"
            "    true\n"
            "  end\n"
            "end\n");
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto r = statements(lab, {"Admin.create!(username: \"root\", email: \"r@x\", password: \"p\").type",
                            "User.create!(username: \"ann\", email: \"a@x\", password: \"p\").type",
                            "[Admin.count, User.count]", "User.find_by(username: \"root\").class.name",
                            "User.find_by(username: \"root\").admin?", "Admin.first.slug",
                            "Admin.where(username: \"ann\").to_a",
                            "User.first.becomes(Admin).class.name",
                            "User.where(username: \"ann\").update_all(type: \"Bogus\")",
                            "User.find_by(username: \"ann\")"});
  CHECK(r.out ==
        "\"Admin\"\n"
        "null\n"
        "[1,2]\n"
        "\"Admin\"\n"
        "true\n"
        "\"root\"\n"
        "[]\n"
        "\"Admin\"\n"
        "1\n"
        "{\"error\":\"The single-table inheritance mechanism failed to locate the subclass: 'Bogus'. This error is "
        "raised because the column 'type' is reserved for storing the class in case of inheritance. Please rename "
        "this column if you didn't intend it to be used for storing the inheritance class or overwrite "
        "User.inheritance_column to use another column for that information.\"}\n");
  auto json = statements(lab, {"Admin.first"});  // as ActiveRecord's as_json: without the type column
  CHECK(contains(json.out, "\"username\":\"root\""));
  CHECK_FALSE(contains(json.out, "type"));
  auto sql = lab.run({"--sql", "-e", "Admin.count"});
  CHECK(contains(sql.err + sql.out, "SELECT COUNT(*) FROM \"users\" WHERE \"users\".\"type\" = ?"));
}

TEST_CASE("A migration class that defines nothing runs as nothing and is recorded; change_table rolls back") {
  Lab lab;
  lab.write("db/migrate/005_reserved.rb", "class Reserved < ActiveRecord::Migration[6.1]\nend\n");
  lab.write("db/migrate/006_change_users.rb",
            "class ChangeUsers < ActiveRecord::Migration[6.1]\n"
            "  def change\n"
            "    change_table :users do |t|\n"
            "      t.string :nickname\n"
            "      t.rename :bio, :about\n"
            "    end\n"
            "  end\n"
            "end\n");
  auto up = lab.run({"db", "migrate"});
  REQUIRE_MESSAGE(up.status == 0, up.err);
  CHECK(contains(up.out, "== 5 reserved: migrated"));
  auto columns = lab.run({"--format", "json", "-e", "User.column_names"});
  CHECK(contains(columns.out, "\"about\",\"nickname\""));
  auto down = lab.run({"db", "rollback"});
  REQUIRE_MESSAGE(down.status == 0, down.err);
  columns = lab.run({"--format", "json", "-e", "User.column_names"});
  CHECK(contains(columns.out, "\"bio\""));
  CHECK_FALSE(contains(columns.out, "nickname"));

  lab.write("db/migrate/006_change_users.rb",
            "class ChangeUsers < ActiveRecord::Migration[6.1]\n  def change\n    change_table :users do |t|\n"
            "      t.remove :bio\n    end\n  end\nend\n");
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto refused = lab.run({"db", "rollback"});
  CHECK(refused.status != 0);
  CHECK(contains(refused.err, "remove_columns is only reversible if given a type."));
}

TEST_CASE("after_initialize, alias_method, URI::MailTo::EMAIL_REGEXP, update_attribute and update_columns") {
  Lab lab = lab_with("app/models/memo.rb",
                     "class Memo < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  after_initialize :set_defaults\n"
                     "  alias_method :headline, :title\n"
                     "  validates :content, format: { with: URI::MailTo::EMAIL_REGEXP }, allow_nil: true\n"
                     "  validates :title, length: { in: 2..5 }\n"
                     "  before_save { self.title = title.upcase }\n"
                     "  def set_defaults\n"
                     "    self.title ||= \"memo\"\n"
                     "  end\n"
                     "end\n");
  auto r = statements(lab, {"Memo.new.title", "Memo.create(content: \"nope\").errors.full_messages",
                            "Memo.create!(content: \"a@b.co\").headline", "m = Memo.first; m.update_attribute(:title, \"toolong\")",
                            "Memo.first.title", "Memo.first.update_columns(title: \"quiet\", content: \"x\")",
                            "[Memo.first.title, Memo.first.content]", "Memo.new.update_columns(title: \"x\")"});
  CHECK(r.out ==
        "\"memo\"\n"
        "[\"Content is invalid\"]\n"
        "\"MEMO\"\n"
        "true\n"                // no validations: the length is not checked; the callback runs
        "\"TOOLONG\"\n"
        "true\n"
        "[\"quiet\",\"x\"]\n"   // no callbacks: not upcased
        "{\"error\":\"can't update on a new record object\"}\n");
}

TEST_CASE("has_secure_password beside a password column: the attribute shadows it, as ActiveModel's") {
  Lab lab;
  lab.write("db/migrate/005_add_password_to_users.rb",
            "class AddPasswordToUsers < ActiveRecord::Migration[6.1]\n  def change\n"
            "    add_column :users, :password, :string\n  end\nend\n");
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto r = statements(lab, {"u = User.create!(username: \"ann\", email: \"a@x\", password: \"secret\"); u.password",
                            "User.first.authenticate(\"secret\").username", "User.first.attributes[\"password\"]"});
  CHECK(r.out == "\"secret\"\n\"ann\"\nnull\n");
}

TEST_CASE("Relation#explain prints the plan as ActiveRecord 6.1 does on SQLite; the console's explain stays") {
  Lab lab;
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto r = lab.run({"-e", "puts User.where(id: 1).explain", "-e", "User.where(username: \"ann\").limit(2).explain.lines.size"});
  REQUIRE_MESSAGE(r.status == 0, r.err);
  CHECK(r.out ==
        "EXPLAIN for: SELECT \"users\".* FROM \"users\" WHERE \"users\".\"id\" = ? [[\"id\", 1]]\n"
        "2|0|0|SEARCH users USING INTEGER PRIMARY KEY (rowid=?)\n"
        "=> nil\n"
        "=> 2\n");
}

TEST_CASE("enum as ActiveRecord 6.1: names read and written, predicates, bang, scopes, the mapping, _prefix:") {
  Lab lab;
  lab.write("db/migrate/005_add_status_to_posts.rb",
            "class AddStatusToPosts < ActiveRecord::Migration[6.1]\n  def change\n"
            "    add_column :posts, :status, :integer, default: 0\n    add_column :posts, :kind, :integer\n  end\nend\n");
  std::string post = fw::test::slurp(lab.path("app/models/post.rb"));
  lab.write("app/models/post.rb", post.substr(0, post.find("  validates")) +
                                      "  enum status: [:draft, :published]\n"
                                      "  enum kind: { note: 1, essay: 5 }, _prefix: true\n" + post.substr(post.find("  validates")));
  REQUIRE(lab.run({"db", "migrate"}).status == 0);
  auto r = statements(lab, {"Post.create!(title: \"a\").status", "Post.create!(title: \"b\", status: :published).status",
                            "Post.create!(title: \"c\", status: \"bogus\")",
                            "Post.create!(title: \"d\", status: 1, kind: :essay).kind",
                            "[Post.published.count, Post.not_published.count, Post.first.draft?]",
                            "p = Post.first; p.published!; p.status", "Post.statuses", "Post.kinds",
                            "[Post.where(status: :draft).count, Post.where(status: \"published\").count]",
                            "Post.pluck(:status)", "[Post.last.kind_essay?, Post.kind_essay.count]",
                            "Post.first.status = 5"});
  CHECK(r.out ==
        "\"draft\"\n"
        "\"published\"\n"
        "{\"error\":\"'bogus' is not a valid status\"}\n"
        "\"essay\"\n"
        "[2,1,true]\n"
        "\"published\"\n"
        "{\"draft\":0,\"published\":1}\n"
        "{\"note\":1,\"essay\":5}\n"
        "[0,3]\n"
        "[\"published\",\"published\",\"published\"]\n"
        "[true,1]\n"
        "{\"error\":\"'5' is not a valid status\"}\n");
  auto json = statements(lab, {"Post.first"});
  CHECK(contains(json.out, "\"status\":\"published\",\"kind\":null"));
}

TEST_CASE("A new record given to a belongs_to: saved without it by default, validated with validate: or autosave:") {
  Lab lab = lab_with("app/models/entry.rb",
                     "class Entry < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  belongs_to :user\n"
                     "end\n"
                     "class CheckedEntry < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  belongs_to :user, validate: true\n"
                     "end\n"
                     "class SavedEntry < ActiveRecord::Base\n"
                     "  self.table_name = \"posts\"\n"
                     "  belongs_to :user, autosave: true\n"
                     "end\n");
  auto r = statements(lab, {"e = Entry.new(title: \"x\", user: User.new); [e.save, e.errors.full_messages, User.count, Entry.count]",
                            "e = CheckedEntry.new(title: \"x\", user: User.new); [e.save, e.errors.full_messages]",
                            "e = SavedEntry.new(title: \"x\", user: User.new); [e.save, e.errors.full_messages]"});
  CHECK(r.out ==
        "[true,[],0,1]\n"  // as ActiveRecord 6.1: the owner saved, its key left nil
        "[false,[\"User is invalid\"]]\n"
        "[false,[\"User password can't be blank\",\"User username can't be blank\",\"User email can't be blank\"]]\n");
}

TEST_CASE("The app's validator classes: validates :email, email: true (an EachValidator) and validates_with") {
  Lab lab = lab_with("app/models/email_validator.rb",
                     "class EmailValidator < ActiveModel::EachValidator\n"
                     "  def validate_each(record, attribute, value)\n"
                     "    record.errors.add(attribute, \"is not an email\") unless value =~ /\\A[^@\\s]+@[^@\\s]+\\z/\n"
                     "  end\n"
                     "end\n"
                     "class NoBobValidator < ActiveModel::Validator\n"
                     "  def validate(record)\n"
                     "    record.errors.add(:base, \"No Bobs\") if record.username == \"bob\"\n"
                     "  end\n"
                     "end\n"
                     "class Member < ActiveRecord::Base\n"
                     "  self.table_name = \"users\"\n"
                     "  validates :email, presence: true, email: true\n"
                     "  validates :bio, email: true, allow_nil: true\n"
                     "  validates_with NoBobValidator\n"
                     "end\n");
  auto r = statements(lab, {"Member.create(username: \"bob\", email: \"nope\").errors.full_messages",
                            "Member.create(username: \"ann\", email: \"a@b.c\").errors.full_messages",
                            "Member.create(username: \"cy\", email: \"\", bio: \"x\").errors.full_messages"});
  CHECK(r.out ==
        "[\"Email is not an email\",\"No Bobs\"]\n"
        "[]\n"
        "[\"Email can't be blank\",\"Email is not an email\",\"Bio is not an email\"]\n");
  CHECK_FALSE(contains(r.err, "EmailValidator is not an ActiveRecord model"));
}

TEST_CASE("validates :password before has_secure_password, in a table with no password column") {
  Lab lab = lab_with("app/models/account.rb",
                     "class Account < ActiveRecord::Base\n"
                     "  self.table_name = \"users\"\n"
                     "  validates :password, length: { minimum: 6 }, allow_nil: true\n"
                     "  has_secure_password\n"
                     "end\n");
  auto r = statements(lab, {"Account.create(username: \"a\", email: \"b\", password: \"abc\").errors.full_messages",
                            "Account.create(username: \"a\", email: \"b\", password: \"abcdef\").persisted?"});
  CHECK(r.out == "[\"Password is too short (minimum is 6 characters)\"]\ntrue\n");
  CHECK_FALSE(contains(r.err, "warning"));
}

TEST_CASE("validates_associated checks the association's records, as ActiveRecord's AssociatedValidator") {
  Lab lab = lab_with("app/models/shelf.rb",
                     "class Shelf < ActiveRecord::Base\n"
                     "  self.table_name = \"users\"\n"
                     "  has_many :posts, foreign_key: :user_id\n"
                     "  validates_associated :posts, message: \"need fixing\"\n"
                     "end\n");
  auto r = statements(lab, {"s = Shelf.create!(username: \"ann\", email: \"ann@example.com\")", "s.valid?",
                            "s.posts.create!(title: \"Hello\").update_column(:title, nil)", "Shelf.first.valid?",
                            "Shelf.first.tap(&:valid?).errors.full_messages"});
  CHECK(contains(r.out, "\ntrue\n"));
  CHECK(contains(r.out, "\nfalse\n[\"Posts need fixing\"]\n"));
  CHECK_FALSE(contains(r.err, "validates_associated"));  // run, not passed over
}
