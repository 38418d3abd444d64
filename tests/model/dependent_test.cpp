// dependent: each option, cascades, and a cascade that fails midway
// leaving nothing changed.
#include <string>
#include <vector>

#include "fixtures.hpp"

using namespace fixtures;

namespace {

using Strings = std::vector<std::string>;
using Counts = std::vector<std::int64_t>;

const std::vector<std::string> kBlogTables = {"authors", "posts", "comments", "votes", "notes", "profiles"};

std::string blog_schema() {
  return table_sql("authors", "  name varchar") +
         table_sql("posts", "  author_id integer REFERENCES authors (id),\n  title varchar") +
         table_sql("comments", "  post_id integer NOT NULL REFERENCES posts (id),\n  body text") +
         table_sql("votes", "  comment_id integer NOT NULL REFERENCES comments (id)") +
         table_sql("notes", "  author_id integer NOT NULL REFERENCES authors (id),\n  body text") +
         table_sql("profiles", "  author_id integer REFERENCES authors (id),\n  bio text");
}

// Author has_many :posts (dependent: posts), then has_many :notes (dependent: notes);
// Post has_many :comments (dependent: comments); Comment has_many :votes, dependent: :destroy.
struct Blog : TestApp {
  Blog(const std::string& posts, const std::string& comments = "destroy", const std::string& notes = "",
       const std::string& profile = "")
      : TestApp(blog_schema(), decls(posts, comments, notes, profile)) {}

  static Options dependent(const std::string& d) {
    if (d.empty()) return {};
    return {{"dependent", sym(d)}};
  }
  static std::vector<ModelDecl> decls(const std::string& posts, const std::string& comments, const std::string& notes,
                                      const std::string& profile) {
    std::vector<ModelDecl> d;
    d.push_back(ModelDecl("Author")
                    .has_many("posts", dependent(posts))
                    .has_many("notes", dependent(notes))
                    .has_one("profile", dependent(profile)));
    d.push_back(ModelDecl("Post").belongs_to("author", {{"optional", yes()}}).has_many("comments", dependent(comments)));
    d.push_back(ModelDecl("Comment").belongs_to("post").has_many("votes", dependent("destroy")));
    d.push_back(ModelDecl("Vote").belongs_to("comment"));
    d.push_back(ModelDecl("Note").belongs_to("author"));
    d.push_back(ModelDecl("Profile").belongs_to("author", {{"optional", yes()}}));
    return d;
  }

  RecordPtr author(const std::string& name) { return create("Author", {{"name", Value(name)}}); }
  RecordPtr post(const RecordPtr& a, const std::string& title) {
    return create("Post", {{"author", a}, {"title", Value(title)}});
  }
  RecordPtr comment(const RecordPtr& p, int votes) {
    auto c = create("Comment", {{"post", p}, {"body", Value("c")}});
    for (int i = 0; i < votes; ++i) create("Vote", {{"comment", c}});
    return c;
  }
  Counts counts() { return TestApp::counts(kBlogTables); }
};

}  // namespace

TEST_CASE("dependent: :destroy cascades three levels, each child running its own dependents") {
  Blog b("destroy");
  auto ann = b.author("ann");
  auto bob = b.author("bob");
  auto p1 = b.post(ann, "p1");
  auto p2 = b.post(ann, "p2");
  auto q1 = b.post(bob, "q1");
  b.comment(p1, 2);
  b.comment(p1, 0);
  b.comment(p2, 1);
  b.comment(q1, 3);
  CHECK(b.counts() == Counts{2, 3, 4, 6, 0, 0});
  CHECK(b.store.persistence().destroy(*ann));
  CHECK(ann->destroyed());
  CHECK(b.counts() == Counts{1, 1, 1, 3, 0, 0});  // only bob's rows remain
  CHECK(b.ids(b.all("Post")) == std::vector<std::int64_t>{id_of(q1)});
  CHECK(b.store.queries().count(b.all("Comment").where({{"post", q1}})) == 1);
}

TEST_CASE("dependent: :delete_all deletes the children in one statement, without their callbacks") {
  Blog b("delete_all");
  auto ann = b.author("ann");
  b.post(ann, "p1");
  b.post(ann, "p2");
  auto bob = b.author("bob");
  b.post(bob, "q1");
  int deletes = 0;
  b.db.set_logger([&](const storage::Query& q, std::chrono::microseconds) {
    if (q.sql.rfind("DELETE FROM \"posts\"", 0) == 0) ++deletes;
  });
  CHECK(b.store.persistence().destroy(*ann));
  b.db.set_logger(nullptr);
  CHECK(deletes == 1);
  CHECK(b.counts() == Counts{1, 1, 0, 0, 0, 0});

  // the posts' own dependents do not run: a post with comments stops at the
  // foreign key, and the whole destroy is rolled back
  b.comment(b.post(bob, "q2"), 1);
  Counts before = b.counts();
  CHECK_THROWS_AS(b.store.persistence().destroy(*bob), StatementInvalid);
  CHECK(b.counts() == before);
  CHECK_FALSE(bob->destroyed());
}

TEST_CASE("dependent: :nullify clears the children's foreign key") {
  Blog b("nullify");
  auto ann = b.author("ann");
  auto bob = b.author("bob");
  auto p1 = b.post(ann, "p1");
  b.post(ann, "p2");
  auto q1 = b.post(bob, "q1");
  b.comment(p1, 1);
  CHECK(b.store.persistence().destroy(*ann));
  CHECK(b.counts() == Counts{1, 3, 1, 1, 0, 0});
  CHECK(b.store.queries().count(b.all("Post").where({{"author_id", Value()}})) == 2);
  CHECK(b.store.queries().find(b.all("Post"), q1->id())->get("author_id") == bob->id());
  b.store.persistence().reload(*p1);
  CHECK(is_null(p1->get("author_id")));
}

TEST_CASE("dependent: :restrict_with_error stops the destroy with an error on the record") {
  Blog b("restrict_with_error");
  auto ann = b.author("ann");
  b.post(ann, "p1");
  Counts before = b.counts();
  CHECK_FALSE(b.store.persistence().destroy(*ann));
  CHECK_FALSE(ann->destroyed());
  CHECK(ann->persisted());
  CHECK(ann->errors().full_messages() == Strings{"Cannot delete record because dependent posts exist"});
  CHECK(b.counts() == before);
  CHECK(b.db.transaction_depth() == 0);
  // without children it goes
  auto bob = b.author("bob");
  CHECK(b.store.persistence().destroy(*bob));
  CHECK(bob->errors().empty());
  CHECK(b.rows("authors") == 1);
}

TEST_CASE("dependent: :restrict_with_exception raises DeleteRestrictionError") {
  Blog b("restrict_with_exception");
  auto ann = b.author("ann");
  b.post(ann, "p1");
  Counts before = b.counts();
  CHECK_THROWS_WITH_AS(b.store.persistence().destroy(*ann), "Cannot delete record because of dependent posts", DeleteRestrictionError);
  CHECK(b.counts() == before);
  CHECK_FALSE(ann->destroyed());
  CHECK(b.db.transaction_depth() == 0);
}

TEST_CASE("has_one dependents: destroy, and restrict_with_error's singular message") {
  {
    Blog b("", "destroy", "", "destroy");
    auto ann = b.author("ann");
    auto bob = b.author("bob");
    b.create("Profile", {{"author", ann}, {"bio", Value("a")}});
    b.create("Profile", {{"author", bob}, {"bio", Value("b")}});
    CHECK(b.store.persistence().destroy(*ann));
    CHECK(b.rows("profiles") == 1);
  }
  {
    Blog b("", "destroy", "", "restrict_with_error");
    auto ann = b.author("ann");
    b.create("Profile", {{"author", ann}, {"bio", Value("a")}});
    CHECK_FALSE(b.store.persistence().destroy(*ann));
    CHECK(ann->errors().full_messages() == Strings{"Cannot delete record because a dependent profile exists"});
    CHECK(b.rows("authors") == 1);
  }
  {
    Blog b("", "destroy", "", "nullify");
    auto ann = b.author("ann");
    auto p = b.create("Profile", {{"author", ann}, {"bio", Value("a")}});
    CHECK(b.store.persistence().destroy(*ann));
    b.store.persistence().reload(*p);
    CHECK(is_null(p->get("author_id")));
  }
}

TEST_CASE("a cascade that fails midway changes nothing: restrict_with_error two levels down") {
  // Author -destroy-> posts -restrict_with_error-> comments
  Blog b("destroy", "restrict_with_error");
  auto ann = b.author("ann");
  auto p1 = b.post(ann, "p1");  // no comments: destroyed first
  auto p2 = b.post(ann, "p2");
  b.comment(p2, 2);
  Counts before = b.counts();
  REQUIRE(before == Counts{1, 2, 1, 2, 0, 0});
  CHECK_FALSE(b.store.persistence().destroy(*ann));
  CHECK(ann->errors().full_messages() == Strings{"Cannot delete record because dependent comments exist"});
  CHECK(b.counts() == before);  // p1 is back: the whole cascade rolled back
  CHECK(b.store.queries().exists(b.all("Post").where({{"id", p1->id()}})));
  CHECK_FALSE(ann->destroyed());
  CHECK(b.db.transaction_depth() == 0);
}

TEST_CASE("a cascade that fails midway changes nothing: restrict_with_exception after destroyed siblings") {
  // Author -destroy-> posts (with comments and votes), then -restrict_with_exception-> notes
  Blog b("destroy", "destroy", "restrict_with_exception");
  auto ann = b.author("ann");
  auto p1 = b.post(ann, "p1");
  b.comment(p1, 3);
  b.post(ann, "p2");
  b.create("Note", {{"author", ann}, {"body", Value("keep")}});
  auto bob = b.author("bob");
  b.comment(b.post(bob, "q"), 1);
  Counts before = b.counts();
  REQUIRE(before == Counts{2, 3, 2, 4, 1, 0});
  CHECK_THROWS_WITH_AS(b.store.persistence().destroy(*ann), "Cannot delete record because of dependent notes", DeleteRestrictionError);
  CHECK(b.counts() == before);
  CHECK(b.db.transaction_depth() == 0);
  // with the note gone the same cascade goes through
  b.store.queries().delete_all(b.all("Note"));
  CHECK(b.store.persistence().destroy(*ann));
  CHECK(b.counts() == Counts{1, 1, 1, 1, 0, 0});
}

TEST_CASE("a failed cascade inside an outer transaction leaves the outer one usable") {
  Blog b("destroy", "restrict_with_error");
  auto ann = b.author("ann");
  b.comment(b.post(ann, "p"), 0);
  storage::Transaction outer(b.db);
  auto bob = b.author("bob");
  CHECK_FALSE(b.store.persistence().destroy(*ann));
  CHECK(b.rows("posts") == 1);
  CHECK(b.rows("authors") == 2);  // bob, made in the outer transaction, is still there
  outer.rollback();
  CHECK(b.rows("authors") == 1);
}

TEST_CASE("has_and_belongs_to_many: join rows go with their record, and only theirs") {
  TestApp a(table_sql("songs", "  title varchar") + table_sql("genres", "  name varchar") +
                "CREATE TABLE genres_songs (genre_id integer NOT NULL REFERENCES genres (id),"
                " song_id integer NOT NULL REFERENCES songs (id));",
            {ModelDecl("Song").has_and_belongs_to_many("genres"), ModelDecl("Genre").has_and_belongs_to_many("songs")});
  auto s1 = a.create("Song", {{"title", Value("one")}});
  auto s2 = a.create("Song", {{"title", Value("two")}});
  auto rock = a.create("Genre", {{"name", Value("rock")}});
  auto jazz = a.create("Genre", {{"name", Value("jazz")}});
  a.store.associations().add(a.assoc(s1, "genres"), rock);
  a.store.associations().add(a.assoc(s1, "genres"), jazz);
  a.store.associations().add(a.assoc(s2, "genres"), rock);
  CHECK(a.rows("genres_songs") == 3);
  CHECK(a.store.persistence().destroy(*s1));
  CHECK(a.rows("genres_songs") == 1);
  CHECK(a.rows("genres") == 2);  // the genres themselves stay
  CHECK(a.ids(a.assoc(rock, "songs")) == std::vector<std::int64_t>{id_of(s2)});
  CHECK(a.store.persistence().destroy(*rock));
  CHECK(a.rows("genres_songs") == 0);
  CHECK(a.rows("songs") == 1);
}
