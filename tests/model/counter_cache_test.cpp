// belongs_to counter_cache: the parent's count column kept right on create,
// destroy and reassignment, in the same statement.
#include "guides_fixtures.hpp"

using namespace fixtures;

TEST_CASE("counter_cache: counts up on create and down on destroy") {
  Guides g;
  auto ann = g.author("Ann");
  auto b1 = g.book(ann, "one");
  g.book(ann, "two");
  CHECK(g.books_count(ann) == 2);
  CHECK(g.store.destroy(*b1));
  CHECK(g.books_count(ann) == 1);
  g.create("Book", {{"title", Value("orphan")}});  // no author: nothing to count
  CHECK(g.books_count(ann) == 1);
}

TEST_CASE("counter_cache: reassignment moves the count, and a loaded parent follows") {
  Guides g;
  auto ann = g.author("Ann");
  auto bob = g.author("Bob");
  auto b = g.book(ann, "one");
  g.store.update_strict(*b, {{"author", bob}});
  CHECK(g.books_count(ann) == 0);
  CHECK(g.books_count(bob) == 1);
  auto loaded = g.target(b, "author");
  REQUIRE(loaded);
  auto b2 = g.store.build(g.model("Book"), {{"title", Value("two")}});
  g.store.assign(*b2, "author", loaded);
  g.store.save_strict(*b2);
  CHECK(loaded->get("books_count") == Value(std::int64_t{2}));
  CHECK(g.books_count(bob) == 2);
}

TEST_CASE("counter_cache: a dependent destroy and a named column") {
  Guides g;
  auto ann = g.author("Ann");
  g.book(ann, "one");
  g.book(ann, "two");
  CHECK(g.store.destroy(*ann));
  CHECK(g.rows("books") == 0);

  auto decls = guides_models();
  decls[1].belongs_to("writer", {{"class_name", str("Author")}, {"foreign_key", str("author_id")},
                                 {"counter_cache", sym("nope_count")}});
  CHECK(load_error(guides_schema(), decls).find("counter_cache: table authors has no column nope_count") !=
        std::string::npos);
}
