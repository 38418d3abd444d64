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
