// Callbacks: ActiveRecord's order around a save and a destroy, and a
// before_* callback's throw :abort (a body returning false) halting it.
#include "guides_fixtures.hpp"

using namespace fixtures;

namespace {

using Log = std::vector<std::string>;

std::vector<ModelDecl> logged(Log& log, const std::string& abort_at = "") {
  auto decls = guides_models();
  for (auto kind : {CallbackKind::BeforeValidation, CallbackKind::AfterValidation, CallbackKind::BeforeSave,
                    CallbackKind::BeforeCreate, CallbackKind::BeforeUpdate, CallbackKind::AfterCreate,
                    CallbackKind::AfterUpdate, CallbackKind::AfterSave, CallbackKind::BeforeDestroy,
                    CallbackKind::AfterDestroy}) {
    std::string name = callback_name(kind);
    decls[0].callback(kind, [&log, name, abort_at](CodeRunner&, Record&) {
      log.push_back(name);
      return name != abort_at;
    });
  }
  return decls;
}

}  // namespace

TEST_CASE("callbacks run in ActiveRecord's order on create, update and destroy") {
  Log log;
  Guides g(logged(log));
  auto ann = g.author("Ann");
  CHECK(log == Log{"before_validation", "after_validation", "before_save", "before_create", "after_create", "after_save"});
  log.clear();
  g.store.persistence().update_strict(*ann, {{"name", Value("Anna")}});
  CHECK(log == Log{"before_validation", "after_validation", "before_save", "before_update", "after_update", "after_save"});
  log.clear();
  CHECK(g.store.persistence().destroy(*ann));
  CHECK(log == Log{"before_destroy", "after_destroy"});
}

TEST_CASE("a before callback that aborts halts the save or the destroy") {
  Log log;
  Guides g(logged(log, "before_save"));
  auto a = g.store.persistence().build(g.model("Author"), {{"name", Value("Ann")}});
  CHECK_FALSE(g.store.persistence().save(*a));
  CHECK(a->new_record());
  CHECK(g.rows("authors") == 0);
  CHECK_THROWS_WITH_AS(g.store.persistence().save_strict(*a), "Failed to save the record", RecordNotSaved);

  Log log2;
  Guides h(logged(log2, "before_destroy"));
  auto ann = h.author("Ann");
  h.book(ann, "one");
  CHECK_FALSE(h.store.persistence().destroy(*ann));
  CHECK(h.counts({"authors", "books"}) == std::vector<std::int64_t>{1, 1});
}

TEST_CASE("a before_save callback can change what is saved") {
  auto decls = guides_models();
  decls[0].callback(CallbackKind::BeforeSave, [](CodeRunner&, Record& r) {
    r.set("name", Value(value_to_s(r.get("name")) + "!"));
    return true;
  });
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  CHECK(text(g.find("Author", id_of(ann)), "name") == "Ann!");
}

namespace {

// Author's before_destroy callbacks around its has_many :books, dependent: :destroy,
// each logging how many books are left; `prepend` for the last one.
std::vector<ModelDecl> destroy_order(Log& log, storage::Database*& db) {
  auto count_books = [&db]() { return std::get<std::int64_t>(db->scalar({"", "SELECT COUNT(*) FROM books", {}})); };
  std::vector<ModelDecl> decls;
  decls.emplace_back("Author");
  decls.back()
      .callback(CallbackKind::BeforeDestroy, [&log, count_books](CodeRunner&, Record&) {
        log.push_back("first " + std::to_string(count_books()));
        return true;
      })
      .has_many("books", {{"dependent", sym("destroy")}})
      .callback(CallbackKind::BeforeDestroy, [&log, count_books](CodeRunner&, Record&) {
        log.push_back("after books " + std::to_string(count_books()));
        return true;
      })
      .callback(CallbackKind::BeforeDestroy, [&log, count_books](CodeRunner&, Record&) {
        log.push_back("prepended " + std::to_string(count_books()));
        return true;
      }, "", {}, {{"prepend", yes()}});
  for (auto& d : guides_models())
    if (d.name != "Author") decls.push_back(std::move(d));
  return decls;
}

}  // namespace

TEST_CASE("before_destroy callbacks and dependent: cascades run in the order they were declared") {
  // As ActiveRecord 6.1: a dependent: :destroy is a before_destroy of its own; prepend: true goes first.
  Log log;
  storage::Database* db = nullptr;
  Guides g(destroy_order(log, db));
  db = &g.db;
  auto ann = g.author("Ann");
  g.book(ann, "one");
  g.book(ann, "two");
  CHECK(g.store.persistence().destroy(*ann));
  CHECK(log == Log{"prepended 2", "first 2", "after books 0"});
}

TEST_CASE("a before_destroy declared after a dependent: cascade that aborts rolls the cascade back") {
  storage::Database* db = nullptr;
  Log log;
  auto decls = destroy_order(log, db);
  decls[0].callback(CallbackKind::BeforeDestroy, [](CodeRunner&, Record&) { return false; });
  Guides g(std::move(decls));
  db = &g.db;
  auto ann = g.author("Ann");
  g.book(ann, "one");
  CHECK_FALSE(g.store.persistence().destroy(*ann));
  CHECK(log == Log{"prepended 1", "first 1", "after books 0"});
  CHECK(g.counts({"authors", "books"}) == std::vector<std::int64_t>{1, 1});
}

namespace {

std::vector<ModelDecl> committing(Log& log) {
  auto decls = guides_models();
  auto logs = [&log](std::string what) {
    return [&log, what](CodeRunner&, Record& r) {
      log.push_back(what + " " + value_to_s(r.get("name")));
      return true;
    };
  };
  decls[0]
      .callback(CallbackKind::AfterCommit, logs("after_commit 1"))
      .callback(CallbackKind::AfterCommit, logs("after_commit 2"))
      .callback(CallbackKind::AfterCreateCommit, logs("after_create_commit"))
      .callback(CallbackKind::AfterUpdateCommit, logs("after_update_commit"))
      .callback(CallbackKind::AfterDestroyCommit, logs("after_destroy_commit"))
      .callback(CallbackKind::AfterSaveCommit, logs("after_save_commit"))
      .callback(CallbackKind::AfterCommit, logs("on create/destroy"), "", {},
                {{"on", Arg::array({sym("create"), sym("destroy")})}})
      .callback(CallbackKind::AfterRollback, logs("after_rollback"))
      .callback(CallbackKind::AfterSave, logs("after_save"));
  return decls;
}

}  // namespace

TEST_CASE("after_commit callbacks run once the outermost transaction commits, in ActiveRecord 6.1's order") {
  // The logs are ActiveRecord 6.1's for the same models (reverse declaration order, on: filters).
  Log log;
  Guides g(committing(log));
  auto a = g.author("a");
  CHECK(log == Log{"after_save a", "on create/destroy a", "after_save_commit a", "after_create_commit a",
                   "after_commit 2 a", "after_commit 1 a"});
  log.clear();
  g.store.persistence().update_strict(*a, {{"name", Value("b")}});
  CHECK(log == Log{"after_save b", "after_save_commit b", "after_update_commit b", "after_commit 2 b",
                   "after_commit 1 b"});
  log.clear();
  {  // a transaction around: nothing until it ends; created then updated is a create, each record once
    storage::Transaction tx(g.db);
    auto c = g.author("c");
    g.store.persistence().update_strict(*c, {{"name", Value("d")}});
    g.store.persistence().update_strict(*a, {{"name", Value("e")}});
    CHECK(log == Log{"after_save c", "after_save d", "after_save e"});
    tx.commit();
    g.store.end_transaction(true);
  }
  CHECK(log == Log{"after_save c", "after_save d", "after_save e", "on create/destroy d", "after_save_commit d",
                   "after_create_commit d", "after_commit 2 d", "after_commit 1 d", "after_save_commit e",
                   "after_update_commit e", "after_commit 2 e", "after_commit 1 e"});
  log.clear();
  CHECK(g.store.persistence().destroy(*a));
  CHECK(log == Log{"on create/destroy e", "after_destroy_commit e", "after_commit 2 e", "after_commit 1 e"});
}

TEST_CASE("after_rollback runs for what a rolled back transaction saved; an invalid save runs neither") {
  Log log;
  Guides g(committing(log));
  {
    storage::Transaction tx(g.db);
    size_t mark = g.store.change_mark();
    g.author("i");
    tx.rollback();
    g.store.roll_back_to(mark);
    g.store.end_transaction(false);
  }
  CHECK(log == Log{"after_save i", "after_rollback i"});
  log.clear();
  auto blank = g.store.persistence().build(g.model("Author"), {});
  CHECK_THROWS_AS(g.store.persistence().save_strict(*blank), StatementInvalid);  // name is NOT NULL
  CHECK(log.empty());
}

TEST_CASE("a callback's options: prepend: and after_commit's on: are applied, any other is an error at load") {
  auto with_option = [](CallbackKind kind, Options options) {
    auto decls = guides_models();
    decls[0].callback(kind, [](CodeRunner&, Record&) { return true; }, "", {}, std::move(options));
    return load_error(guides_schema(), std::move(decls));
  };
  CHECK(with_option(CallbackKind::BeforeSave, {{"prepend", yes()}}).empty());
  CHECK(with_option(CallbackKind::AfterCommit, {{"on", sym("update")}}).empty());
  CHECK(with_option(CallbackKind::BeforeSave, {{"if", sym("ready?")}}).find("Author before_save: the option if: is not supported") !=
        std::string::npos);
  CHECK(with_option(CallbackKind::AfterCommit, {{"on", sym("save")}}).find("on: takes :create, :update or :destroy") !=
        std::string::npos);
  CHECK(with_option(CallbackKind::BeforeSave, {{"on", sym("create")}}).find("the option on: is not supported") !=
        std::string::npos);
}

TEST_CASE("a belongs_to's dependent: runs among the after_destroy callbacks as declared; prepend: true changes no after_*") {
  // ActiveRecord 6.1: "first" sees the author, "second" does not, and the prepended one runs last, as declared.
  Log log;
  storage::Database* db = nullptr;
  auto author_exists = [&db](Record& book) {
    auto n = db->scalar({"", "SELECT COUNT(*) FROM authors WHERE id = ?", {{"id", book.get("author_id")}}});
    return std::get<std::int64_t>(n) > 0 ? "yes" : "no";
  };
  std::vector<ModelDecl> decls;
  decls.emplace_back("Author");
  decls.emplace_back("Book");
  decls.back()
      .callback(CallbackKind::AfterDestroy, [&](CodeRunner&, Record& b) { log.push_back(std::string("first ") + author_exists(b)); return true; })
      .belongs_to("author", {{"dependent", sym("destroy")}})
      .callback(CallbackKind::AfterDestroy, [&](CodeRunner&, Record& b) { log.push_back(std::string("second ") + author_exists(b)); return true; })
      .callback(CallbackKind::AfterDestroy,
                [&](CodeRunner&, Record& b) { log.push_back(std::string("prepended ") + author_exists(b)); return true; }, "", {},
                {{"prepend", yes()}});
  Guides g(std::move(decls));
  db = &g.db;
  auto book = g.create("Book", {{"author", g.author("Ann")}, {"title", Value("one")}});
  CHECK(g.store.persistence().destroy(*book));
  CHECK(log == Log{"first yes", "second no", "prepended no"});
}
