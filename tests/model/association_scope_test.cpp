// Scopes on associations: has_many :books, -> { order(...) } and -> { where(...) },
// applied on reading, counting, <<, create and includes.
#include "guides_fixtures.hpp"

using namespace fixtures;
using Titles = std::vector<std::string>;

TEST_CASE("an association's order scope orders its reads, first and last") {
  Guides g;
  auto ann = g.author("Ann");
  g.book(ann, "old", "2015-07-14");
  g.book(ann, "new", "2024-09-08");
  g.book(ann, "mid", "2019-01-01");
  Relation books = g.assoc(ann, "books");
  CHECK(books.is_association());
  CHECK(g.titles(books) == Titles{"new", "mid", "old"});
  CHECK(text(g.store.first(books), "title") == "new");
  CHECK(text(g.store.last(books), "title") == "old");
  CHECK(g.store.count(books) == 3);
  CHECK(books.select("*", "").sql ==
        "SELECT * FROM \"books\" WHERE \"books\".\"author_id\" = ? ORDER BY \"books\".\"published_at\" DESC");
}

TEST_CASE("a where scope leaves rows out, and sets its attributes on create") {
  Guides g;
  auto ann = g.author("Ann");
  g.book(ann, "old", "2015-07-14");
  auto fresh = g.book(ann, "fresh", "2021-03-19");
  CHECK(g.ids(g.assoc(ann, "recent_books")) == std::vector<std::int64_t>{id_of(fresh)});
  CHECK(g.store.count(g.assoc(ann, "recent_books")) == 1);
  auto draft = g.store.create_in(g.assoc(ann, "drafts"), {}, true);
  CHECK(text(draft, "title") == "draft");
  CHECK(draft->get("author_id") == ann->id());
  auto other = g.book(ann, "other");
  CHECK(g.store.add(g.assoc(ann, "drafts"), other));
  CHECK(g.store.count(g.assoc(ann, "drafts")) == 1);  // << links it; the scope still decides what is read
}

TEST_CASE("includes applies the association's scope and order to each owner") {
  Guides g;
  auto ann = g.author("Ann");
  auto bob = g.author("Bob");
  g.book(ann, "a1", "2015-01-01");
  g.book(bob, "b1", "2021-01-01");
  g.book(ann, "a2", "2022-01-01");
  auto authors = g.store.to_a(g.all("Author").preload({AssociationTree("books"), AssociationTree("recent_books")}));
  REQUIRE(authors.size() == 2);
  SqlLog log(g.db);
  CHECK(g.titles(g.assoc(authors[0], "books")) == Titles{"a2", "a1"});
  CHECK(g.titles(g.assoc(authors[0], "recent_books")) == Titles{"a2"});
  CHECK(g.titles(g.assoc(authors[1], "books")) == Titles{"b1"});
  CHECK(log.queries.empty());
}

TEST_CASE("a lambda on a has_one and on a through association") {
  std::string schema = guides_schema();
  auto decls = guides_models();
  decls[0].scoped(Macro::HasOne, "latest_book", [](const Relation& r) { return r.order("published_at", true); },
                  {{"class_name", str("Book")}});
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  g.book(ann, "old", "2015-07-14");
  g.book(ann, "new", "2024-09-08");
  CHECK(text(g.target(ann, "latest_book"), "title") == "new");
}
