// models.fw read by the language's parser: what it refuses rather than ignore.
#include <doctest/doctest.h>

#include <string>

#include "lang/model_file.hpp"

TEST_CASE("a scope on an association is kept with the association, to apply wherever it is read") {
  std::string text = "class Artist\n  has_many :songs\n  has_many :genres, -> { distinct }, through: :songs\nend\n";
  fw::lang::ModelFile file("db/models.fw", text);
  auto decls = file.declarations();
  REQUIRE(decls.size() == 1);
  REQUIRE(decls[0].associations.size() == 2);
  CHECK_FALSE(decls[0].associations[0].scope);
  CHECK(decls[0].associations[1].scope);
  CHECK(decls[0].associations[1].options.size() == 1);
}

TEST_CASE("what models.fw cannot apply is refused at load, never ignored") {
  auto error = [](const std::string& text) {
    try {
      fw::lang::ModelFile file("db/models.fw", text);
      file.declarations();
    } catch (const fw::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  CHECK(error("class Author\n  has_many :books, ->(author, x) { where(id: author.id) }\nend\n")
            .find("db/models.fw:2:") != std::string::npos);
  CHECK(error("class Author\n  has_many :books, ->(author, x) { where(id: author.id) }\nend\n")
            .find("error: has_many :books: an association's scope takes at most one parameter, the owner") !=
        std::string::npos);
  CHECK(error("class Author\n  before_save :tidy\nend\n")
            .find("before_save :tidy: class Author defines no method tidy") != std::string::npos);
  CHECK(error("class Author\n  after_comit { }\nend\n").find("unknown declaration 'after_comit'") != std::string::npos);
  CHECK(error("class Author\n  after_commit { }\n  after_rollback(on: :destroy) { }\nend\n") == "");
  CHECK(error("class Author\n  before_save :tidy\n  def tidy\n    self.name = name.strip\n  end\nend\n") == "");
  CHECK(error("class Book\n  scope :before, ->(date) { where(\"published_at < ?\", date) }\nend\n") == "");
}

TEST_CASE("an association's scope that takes the owner is kept as one given the owner") {
  std::string text = "class Author\n  has_many :namesakes, ->(author) { where(title: author.name) }, class_name: \"Book\"\nend\n";
  fw::lang::ModelFile file("db/models.fw", text);
  auto decls = file.declarations();
  REQUIRE(decls.size() == 1);
  REQUIRE(decls[0].associations.size() == 1);
  CHECK_FALSE(decls[0].associations[0].scope);
  CHECK(decls[0].associations[0].owner_scope);
}

TEST_CASE("a model's own scope with a lambda still loads") {
  std::string text = "class Tweet\n  scope :recent, -> { order(created_at: :desc) }\nend\n";
  fw::lang::ModelFile file("db/models.fw", text);
  CHECK(file.declarations().size() == 1);
}

namespace {

// The message loading TEXT as a models file gives, or "" when it loads.
std::string load_message(const std::string& text) {
  try {
    fw::lang::ModelFile file("db/models.fw", text);
    file.declarations();
    return "";
  } catch (const fw::Error& e) {
    return e.what();
  }
}

}  // namespace

TEST_CASE("the course's classic slips get what to write instead") {
  // a bare name where a symbol belongs
  CHECK(load_message("class User\n  has_many :user_items\n  has_many :items, through: user_items\nend\n") ==
        "db/models.fw:3:29: error: `user_items` is a bare name, which a declaration cannot use; names are symbols "
        "here: did you mean `through: :user_items`?");
  CHECK(load_message("class User\n  has_many items\nend\n").find("did you mean `:items`?") != std::string::npos);
  // a constant where a class name string belongs
  CHECK(load_message("class User\n  has_many :sent, class_name: Message\nend\n") ==
        "db/models.fw:2:31: error: `Message` is a constant, which a declaration cannot use; a class is named by a "
        "string here: did you mean `class_name: \"Message\"`?");
}
