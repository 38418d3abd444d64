#pragma once
// The Rails guide's association examples as a test app: authors and their
// books (a scoped has_many, a counter cache), and pictures that belong to
// employees or products (a polymorphic belongs_to).
#include "fixtures.hpp"

namespace fixtures {

inline std::string guides_schema() {
  return table_sql("authors", "  name varchar NOT NULL,\n  books_count integer NOT NULL DEFAULT 0") +
         table_sql("books",
                   "  author_id integer REFERENCES authors (id),\n  title varchar,\n  published_at datetime") +
         "CREATE INDEX index_books_on_author_id ON books (author_id);\n" +
         table_sql("employees", "  name varchar") + table_sql("products", "  name varchar") +
         table_sql("pictures", "  name varchar,\n  imageable_type varchar,\n  imageable_id integer") +
         "CREATE INDEX index_pictures_on_imageable ON pictures (imageable_type, imageable_id);\n";
}

inline std::vector<ModelDecl> guides_models() {
  std::vector<ModelDecl> decls;
  decls.emplace_back("Author");
  decls.back()
      .scoped(Macro::HasMany, "books", [](CodeRunner&, const Relation& r) { return r.order("published_at", true); },
              {{"dependent", sym("destroy")}})
      .scoped(Macro::HasMany, "recent_books",
              [](CodeRunner&, const Relation& r) { return r.where_sql("published_at >= ?", {Input(Value("2020-01-01"))}); },
              {{"class_name", str("Book")}})
      .scoped(Macro::HasMany, "drafts", [](CodeRunner&, const Relation& r) { return r.where({{"title", Value("draft")}}); },
              {{"class_name", str("Book")}});
  decls.emplace_back("Book");
  decls.back().belongs_to("author", {{"counter_cache", yes()}, {"optional", yes()}});
  decls.emplace_back("Employee");
  decls.back().has_many("pictures", {{"as", sym("imageable")}, {"dependent", sym("destroy")}});
  decls.emplace_back("Product");
  decls.back().has_many("pictures", {{"as", sym("imageable")}, {"dependent", sym("nullify")}});
  decls.emplace_back("Picture");
  decls.back().belongs_to("imageable", {{"polymorphic", yes()}});
  return decls;
}

struct Guides : TestApp {
  Guides() : TestApp(guides_schema(), guides_models()) {}
  explicit Guides(std::vector<ModelDecl> decls) : TestApp(guides_schema(), std::move(decls)) {}

  RecordPtr author(const std::string& name) { return create("Author", {{"name", Value(name)}}); }
  RecordPtr book(const RecordPtr& by, const std::string& title, const char* published = nullptr) {
    return create("Book", {{"author", by}, {"title", Value(title)}, {"published_at", published ? Value(published) : Value{}}});
  }
  std::vector<std::string> titles(const Relation& r) {
    std::vector<std::string> out;
    for (const auto& b : store.queries().to_a(r)) out.push_back(text(b, "title"));
    return out;
  }
  std::int64_t books_count(const RecordPtr& a) {
    return std::get<std::int64_t>(find("Author", id_of(a))->get("books_count"));
  }
};

}  // namespace fixtures
