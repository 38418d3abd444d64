// models.fw read by the language's parser: what it refuses rather than ignore.
#include <doctest/doctest.h>

#include <string>

#include "lang/model_file.hpp"

TEST_CASE("a scope on an association is refused at load, never ignored") {
  std::string text = "class Artist\n  has_many :songs\n  has_many :genres, -> { distinct }, through: :songs\nend\n";
  try {
    fw::lang::ModelFile file("db/models.fw", text);
    fw::lang::Interpreter* none = nullptr;
    file.declarations(none);
    FAIL("loaded a scope it would have ignored");
  } catch (const fw::Error& e) {
    std::string message = e.what();
    CHECK(message.find("db/models.fw:3:21: error: has_many with a scope") != std::string::npos);
    CHECK(message.find("is not supported yet") != std::string::npos);
  }
}

TEST_CASE("a model's own scope with a lambda still loads") {
  std::string text = "class Tweet\n  scope :recent, -> { order(created_at: :desc) }\nend\n";
  fw::lang::ModelFile file("db/models.fw", text);
  fw::lang::Interpreter* none = nullptr;
  CHECK(file.declarations(none).size() == 1);
}

namespace {

// The message loading TEXT as a models file gives, or "" when it loads.
std::string load_message(const std::string& text) {
  try {
    fw::lang::ModelFile file("db/models.fw", text);
    fw::lang::Interpreter* none = nullptr;
    file.declarations(none);
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
