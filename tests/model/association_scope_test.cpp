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
  CHECK(text(g.store.queries().first(books), "title") == "new");
  CHECK(text(g.store.queries().last(books), "title") == "old");
  CHECK(g.store.queries().count(books) == 3);
  CHECK(books.select("*", "").sql ==
        "SELECT * FROM \"books\" WHERE \"books\".\"author_id\" = ? ORDER BY \"books\".\"published_at\" DESC");
}

TEST_CASE("a where scope leaves rows out, and sets its attributes on create") {
  Guides g;
  auto ann = g.author("Ann");
  g.book(ann, "old", "2015-07-14");
  auto fresh = g.book(ann, "fresh", "2021-03-19");
  CHECK(g.ids(g.assoc(ann, "recent_books")) == std::vector<std::int64_t>{id_of(fresh)});
  CHECK(g.store.queries().count(g.assoc(ann, "recent_books")) == 1);
  auto draft = g.store.associations().create_in(g.assoc(ann, "drafts"), {}, true);
  CHECK(text(draft, "title") == "draft");
  CHECK(draft->get("author_id") == ann->id());
  auto other = g.book(ann, "other");
  CHECK(g.store.associations().add(g.assoc(ann, "drafts"), other));
  CHECK(g.store.queries().count(g.assoc(ann, "drafts")) == 1);  // << links it; the scope still decides what is read
}

TEST_CASE("includes applies the association's scope and order to each owner") {
  Guides g;
  auto ann = g.author("Ann");
  auto bob = g.author("Bob");
  g.book(ann, "a1", "2015-01-01");
  g.book(bob, "b1", "2021-01-01");
  g.book(ann, "a2", "2022-01-01");
  auto authors = g.store.queries().to_a(g.all("Author").preload({AssociationTree("books"), AssociationTree("recent_books")}));
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
  decls[0].scoped(Macro::HasOne, "latest_book", [](CodeRunner&, const Relation& r) { return r.order("published_at", true); },
                  {{"class_name", str("Book")}});
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  g.book(ann, "old", "2015-07-14");
  g.book(ann, "new", "2024-09-08");
  CHECK(text(g.target(ann, "latest_book"), "title") == "new");
}

TEST_CASE("<< on a where-scoped association links the record without setting the scope's attributes") {
  // ActiveRecord 6.1: author.a_books << book sets author_id only; build and create set kind too.
  Guides g;
  auto ann = g.author("Ann");
  auto other = g.book(ann, "other");
  auto bob = g.author("Bob");
  CHECK(g.store.associations().add(g.assoc(bob, "drafts"), other));
  CHECK(text(other, "title") == "other");
  CHECK(other->get("author_id") == bob->id());
  CHECK(text(g.find("Book", id_of(other)), "title") == "other");
  CHECK(text(g.store.associations().build_in(g.assoc(bob, "drafts"), {}), "title") == "draft");
}

namespace {

// has_many :namesakes, ->(author) { where(title: author.name) }, class_name: "Book"
std::vector<ModelDecl> with_namesakes() {
  auto decls = guides_models();
  decls[0].scoped_by_owner(
      Macro::HasMany, "namesakes",
      [](CodeRunner&, const Relation& r, const RecordPtr& owner) { return r.where({{"title", owner->get("name")}}); },
      {{"class_name", str("Book")}});
  return decls;
}

}  // namespace

TEST_CASE("a scope that takes the owner is given the owner on reading, counting and create") {
  Guides g(with_namesakes());
  auto ann = g.author("Ann");
  auto bob = g.author("Bob");
  g.book(ann, "Ann");
  g.book(ann, "Bob");
  g.book(bob, "Bob");
  CHECK(g.titles(g.assoc(ann, "namesakes")) == Titles{"Ann"});
  CHECK(g.store.queries().count(g.assoc(bob, "namesakes")) == 1);
  auto made = g.store.associations().create_in(g.assoc(bob, "namesakes"), {}, true);
  CHECK(text(made, "title") == "Bob");  // its where hash sets the attributes, as ActiveRecord's does
  CHECK(g.store.queries().count(g.assoc(bob, "namesakes")) == 2);
}

TEST_CASE("a scope that takes the owner cannot be preloaded or joined: ActiveRecord's ArgumentError") {
  Guides g(with_namesakes());
  g.author("Ann");
  const char* message =
      "The association scope 'namesakes' is instance dependent (the scope block takes an argument). "
      "Preloading instance dependent scopes is not supported.";
  CHECK_THROWS_WITH(g.store.queries().to_a(g.all("Author").preload({AssociationTree("namesakes")})), message);
  CHECK_THROWS_WITH(g.store.queries().to_a(g.all("Author").joins({AssociationTree("namesakes")})), message);
  CHECK(g.store.queries().to_a(g.all("Author").preload({AssociationTree("books")})).size() == 1);
}
