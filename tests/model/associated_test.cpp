// associated: (validates_associated), as ActiveRecord 6.1's AssociatedValidator:
// each expectation is what ActiveRecord 6.1 answered for the same models.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Strings = std::vector<std::string>;

std::string schema() {
  return table_sql("authors", "  name varchar") + table_sql("books", "  title varchar, author_id integer");
}

// ActiveRecord warns against associated: on both ends (each would validate
// the other for ever): on the author's books, or on the book's author.
enum class End { Books, Author };

std::vector<ModelDecl> models(End end, Options options) {
  ModelDecl author("Author"), book("Book");
  author.has_many("books").validates({"name"}, {{"presence", yes()}});
  book.belongs_to("author", {{"optional", yes()}}).validates({"title"}, {{"presence", yes()}});
  if (end == End::Books) author.validates({"books"}, std::move(options));
  else book.validates({"author"}, std::move(options));
  return {author, book};
}

struct Library : TestApp {
  Library(End end, Options options) : TestApp(schema(), models(end, std::move(options))) {}

  Strings errors(const RecordPtr& r) {
    store.persistence().valid(*r);
    return r->errors().full_messages();
  }
};

}  // namespace

TEST_CASE("associated: a collection's records, loaded to be checked, are each valid, or 'Books is invalid' once") {
  Library f(End::Books, {{"associated", yes()}});
  auto author = f.create("Author", {{"name", Value("Ann")}});
  CHECK(f.errors(author) == Strings{});  // no books: nothing to check
  f.db.exec_script("INSERT INTO books (title, author_id, created_at, updated_at) VALUES (NULL, 1, 'now', 'now'), (NULL, 1, 'now', 'now'), ('ok', 1, 'now', 'now')");
  auto loaded = f.store.queries().find(f.all("Author"), Value(std::int64_t{1}));
  CHECK(f.errors(loaded) == Strings{"Books is invalid"});
  CHECK_FALSE(f.store.persistence().save(*loaded));  // and save refuses it
}

TEST_CASE("associated: message: replaces 'is invalid'") {
  Library f(End::Books, {{"associated", hash({{"message", str("need fixing")}})}});
  f.create("Author", {{"name", Value("Ann")}});
  f.db.exec_script("INSERT INTO books (title, author_id, created_at, updated_at) VALUES (NULL, 1, 'now', 'now')");
  auto loaded = f.store.queries().find(f.all("Author"), Value(std::int64_t{1}));
  CHECK(f.errors(loaded) == Strings{"Books need fixing"});
}

TEST_CASE("associated: a belongs_to's target, new or saved, is valid") {
  Library f(End::Author, {{"associated", yes()}});
  auto nameless = f.store.persistence().build(f.model("Author"), {});
  auto book = f.store.persistence().build(f.model("Book"), {{"title", Value("t")}, {"author", nameless}});
  CHECK(f.errors(book) == Strings{"Author is invalid"});
  auto orphan = f.store.persistence().build(f.model("Book"), {{"title", Value("t")}});
  CHECK(f.errors(orphan) == Strings{});  // no author: nothing to check
}
