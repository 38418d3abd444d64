#include <doctest/doctest.h>

#include "model/inflector.hpp"

using namespace fw::model::inflector;

TEST_CASE("pluralize and singularize follow ActiveSupport, irregulars included") {
  CHECK(pluralize("tweet") == "tweets");
  CHECK(pluralize("person") == "people");
  CHECK(pluralize("user_item") == "user_items");
  CHECK(pluralize("category") == "categories");
  CHECK(pluralize("status") == "statuses");
  CHECK(pluralize("box") == "boxes");
  CHECK(singularize("people") == "person");
  CHECK(singularize("users") == "user");
  CHECK(singularize("liked_tweets") == "liked_tweet");
  CHECK(singularize("categories") == "category");
  CHECK(singularize("statuses") == "status");
}

TEST_CASE("every kind of ActiveSupport rule, there and back, as Ruby gives them") {
  // ruby -ractive_support/all: w.pluralize and w.pluralize.singularize
  const char* words[][2] = {{"wife", "wives"},       {"half", "halves"},       {"wolf", "wolves"},
                            {"matrix", "matrices"},  {"vertex", "vertices"},   {"index", "indices"},
                            {"octopus", "octopi"},   {"bus", "buses"},         {"quiz", "quizzes"},
                            {"analysis", "analyses"}, {"axis", "axes"},        {"mouse", "mice"},
                            {"ox", "oxen"},          {"hive", "hives"},        {"cow", "cows"},
                            {"Wife", "Wives"},       {"virus", "viri"},        {"tomato", "tomatoes"},
                            {"medium", "media"},     {"datum", "data"},        {"basis", "bases"},
                            {"city", "cities"},      {"query", "queries"},     {"church", "churches"},
                            {"alias", "aliases"},    {"movie", "movies"},      {"shoe", "shoes"},
                            {"crisis", "crises"},    {"testis", "testes"},     {"database", "databases"},
                            {"perspective", "perspectives"}, {"item2", "item2s"}, {"buffalo", "buffaloes"},
                            {"thesis", "theses"},    {"diagnosis", "diagnoses"}, {"Matrix", "Matrices"},
                            {"QUIZ", "QUIZzes"},     {"knife", "knives"}};
  for (const auto& entry : words) {
    std::string one = entry[0], many = entry[1];  // not [one, many]: CAPTURE cannot take a structured binding in clang 14
    CAPTURE(one);
    CHECK(pluralize(one) == many);
    CHECK(singularize(many) == one);
  }
  CHECK(pluralize("news") == "news");
}

TEST_CASE("class and table names") {
  CHECK(tableize("User") == "users");
  CHECK(tableize("UserItem") == "user_items");
  CHECK(tableize("Person") == "people");
  CHECK(classify("user_items") == "UserItem");
  CHECK(camelize("sent_message") == "SentMessage");
  CHECK(underscore("UserItem") == "user_item");
  CHECK(foreign_key("User") == "user_id");
  CHECK(humanize("followed_id") == "Followed");
  CHECK(humanize("created_at") == "Created at");
}
