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
    decls[0].callback(kind, [&log, name, abort_at](Record&) {
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
  g.store.update_strict(*ann, {{"name", Value("Anna")}});
  CHECK(log == Log{"before_validation", "after_validation", "before_save", "before_update", "after_update", "after_save"});
  log.clear();
  CHECK(g.store.destroy(*ann));
  CHECK(log == Log{"before_destroy", "after_destroy"});
}

TEST_CASE("a before callback that aborts halts the save or the destroy") {
  Log log;
  Guides g(logged(log, "before_save"));
  auto a = g.store.build(g.model("Author"), {{"name", Value("Ann")}});
  CHECK_FALSE(g.store.save(*a));
  CHECK(a->new_record());
  CHECK(g.rows("authors") == 0);
  CHECK_THROWS_WITH_AS(g.store.save_strict(*a), "Failed to save the record", RecordNotSaved);

  Log log2;
  Guides h(logged(log2, "before_destroy"));
  auto ann = h.author("Ann");
  h.book(ann, "one");
  CHECK_FALSE(h.store.destroy(*ann));
  CHECK(h.counts({"authors", "books"}) == std::vector<std::int64_t>{1, 1});
}

TEST_CASE("a before_save callback can change what is saved") {
  auto decls = guides_models();
  decls[0].callback(CallbackKind::BeforeSave, [](Record& r) {
    r.set("name", Value(value_to_s(r.get("name")) + "!"));
    return true;
  });
  Guides g(std::move(decls));
  auto ann = g.author("Ann");
  CHECK(text(g.find("Author", id_of(ann)), "name") == "Ann!");
}
