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
  CHECK(g.store.persistence().destroy(*b1));
  CHECK(g.books_count(ann) == 1);
  g.create("Book", {{"title", Value("orphan")}});  // no author: nothing to count
  CHECK(g.books_count(ann) == 1);
}

TEST_CASE("counter_cache: reassignment moves the count, and a loaded parent follows") {
  Guides g;
  auto ann = g.author("Ann");
  auto bob = g.author("Bob");
  auto b = g.book(ann, "one");
  g.store.persistence().update_strict(*b, {{"author", bob}});
  CHECK(g.books_count(ann) == 0);
  CHECK(g.books_count(bob) == 1);
  auto loaded = g.target(b, "author");
  REQUIRE(loaded);
  auto b2 = g.store.persistence().build(g.model("Book"), {{"title", Value("two")}});
  g.store.persistence().assign(*b2, "author", loaded);
  g.store.persistence().save_strict(*b2);
  CHECK(loaded->get("books_count") == Value(std::int64_t{2}));
  CHECK(g.books_count(bob) == 2);
}

TEST_CASE("counter_cache: a dependent destroy and a named column") {
  Guides g;
  auto ann = g.author("Ann");
  g.book(ann, "one");
  g.book(ann, "two");
  CHECK(g.store.persistence().destroy(*ann));
  CHECK(g.rows("books") == 0);

  auto decls = guides_models();
  decls[1].belongs_to("writer", {{"class_name", str("Author")}, {"foreign_key", str("author_id")},
                                 {"counter_cache", sym("nope_count")}});
  CHECK(load_error(guides_schema(), decls).find("counter_cache: table authors has no column nope_count") !=
        std::string::npos);
}

TEST_CASE("touch: true sets the parent's updated_at when a child is saved or destroyed") {
  auto decls = guides_models();
  decls[1] = ModelDecl("Book");
  decls[1].belongs_to("author", {{"touch", yes()}, {"optional", yes()}});
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  auto old = [&]() {
    g.store.queries().update_all(g.all("Author"), {{"updated_at", Value("2000-01-01 00:00:00")}});
  };
  auto stamp = [&]() { return text(g.find("Author", id_of(ann)), "updated_at"); };
  old();
  auto b = g.book(ann, "one");
  CHECK(stamp() != "2000-01-01 00:00:00");
  old();
  g.store.persistence().update_strict(*b, {{"title", Value("two")}});
  CHECK(stamp() != "2000-01-01 00:00:00");
  old();
  CHECK(g.store.persistence().destroy(*b));
  CHECK(stamp() != "2000-01-01 00:00:00");
}

// ActiveRecord 6.1's belongs_to :author, touch: :last_book_at: the parent's
// touch(:last_book_at), updated_at and the column set to the same time;
// a parent with no updated_at has only the column set.
TEST_CASE("touch: :column sets that column with updated_at when a child is saved, moved or destroyed") {
  std::string schema = table_sql("authors", "  name varchar,\n  last_book_at datetime") +
                       table_sql("books", "  author_id integer REFERENCES authors (id),\n  title varchar") +
                       "CREATE TABLE notes (\n  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,\n  seen_at datetime\n);\n" +
                       table_sql("marks", "  note_id integer REFERENCES notes (id)");
  std::vector<ModelDecl> decls;
  decls.emplace_back("Author");
  decls.emplace_back("Book");
  decls.back().belongs_to("author", {{"touch", sym("last_book_at")}, {"optional", yes()}});
  decls.emplace_back("Note");
  decls.emplace_back("Mark");
  decls.back().belongs_to("note", {{"touch", sym("seen_at")}});
  TestApp app(schema, std::move(decls));
  auto ann = app.create("Author", {{"name", Value("Ann")}});
  auto bob = app.create("Author", {{"name", Value("Bob")}});
  auto old = [&]() {
    Value then("2000-01-01 00:00:00");
    app.store.queries().update_all(app.all("Author"), {{"updated_at", then}, {"last_book_at", then}});
  };
  auto stamps = [&](const RecordPtr& a) {
    auto fresh = app.find("Author", id_of(a));
    return std::pair{text(fresh, "updated_at"), text(fresh, "last_book_at")};
  };
  old();
  const std::string never = stamps(ann).second;
  CHECK(stamps(ann).first == never);
  auto b = app.create("Book", {{"author", ann}, {"title", Value("one")}});
  CHECK(stamps(ann).first != never);
  CHECK(stamps(ann).second == stamps(ann).first);  // one UPDATE, the same time for both
  CHECK(stamps(bob).second == never);
  CHECK(text(ann, "last_book_at") == stamps(ann).second);  // the parent the book holds follows
  old();
  app.store.persistence().update_strict(*b, {{"author", bob}});  // moved: both parents touched
  CHECK(stamps(ann).second != never);
  CHECK(stamps(bob).second != never);
  old();
  CHECK(app.store.persistence().destroy(*b));
  CHECK(stamps(bob).second != never);
  CHECK(stamps(ann).second == never);
  // No updated_at on the parent: the column alone.
  auto note = app.create("Note", {});
  CHECK(is_null(note->get("seen_at")));
  app.create("Mark", {{"note", note}});
  CHECK(!is_null(app.find("Note", id_of(note))->get("seen_at")));
}

TEST_CASE("touch: a column the parent's table lacks fails at load; touch: 1 says what it takes") {
  auto decls = guides_models();
  decls[1] = ModelDecl("Book");
  decls[1].belongs_to("author", {{"touch", sym("nope_at")}});
  CHECK(load_error(guides_schema(), decls).find("touch: table authors has no column nope_at") != std::string::npos);
  decls[1] = ModelDecl("Book");
  decls[1].belongs_to("author", {{"touch", num(1)}});
  CHECK(load_error(guides_schema(), decls).find("touch: takes true, false or the name of a column to touch") !=
        std::string::npos);
}

TEST_CASE("inverse_of: a collection's records know their owner without a query; a wrong name fails at load") {
  auto decls = guides_models();
  decls[0] = ModelDecl("Author");
  decls[0].has_many("books", {{"inverse_of", sym("author")}});
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  g.book(ann, "one");
  auto books = g.store.queries().to_a(g.assoc(ann, "books"));
  REQUIRE(books.size() == 1);
  SqlLog log(g.db);
  CHECK(g.target(books[0], "author") == ann);
  CHECK(log.queries.empty());

  auto bad = guides_models();
  bad[0] = ModelDecl("Author");
  bad[0].has_many("books", {{"inverse_of", sym("authr")}});
  CHECK(load_error(guides_schema(), bad) ==
        "Author has_many :books: inverse_of: :authr names no association of Book. Did you mean? author");
}
