// Polymorphic associations: belongs_to :imageable, polymorphic: true and
// has_many :pictures, as: :imageable.
#include "guides_fixtures.hpp"

using namespace fixtures;

TEST_CASE("has_many as: creates with the owner's type, reads only its own") {
  Guides g;
  auto emp = g.create("Employee", {{"name", Value("Ann")}});
  auto prod = g.create("Product", {{"name", Value("Lamp")}});
  REQUIRE(emp->id() == prod->id());  // same id, different types
  auto pic = g.store.associations().create_in(g.assoc(emp, "pictures"), {{"name", Value("face")}}, true);
  CHECK(text(pic, "imageable_type") == "Employee");
  CHECK(pic->get("imageable_id") == emp->id());
  CHECK(g.count(g.assoc(emp, "pictures")) == 1);
  CHECK(g.count(g.assoc(prod, "pictures")) == 0);
  auto target = g.target(pic, "imageable");
  REQUIRE(target);
  CHECK(&target->model() == &g.model("Employee"));
}

TEST_CASE("belongs_to polymorphic: assigned a record, required, where(imageable: record)") {
  Guides g;
  auto prod = g.create("Product", {{"name", Value("Lamp")}});
  auto pic = g.create("Picture", {{"name", Value("p")}, {"imageable", prod}});
  CHECK(text(pic, "imageable_type") == "Product");
  CHECK(g.ids(g.all("Picture").where({{"imageable", prod}})) == std::vector<std::int64_t>{id_of(pic)});
  auto loose = g.store.persistence().build(g.model("Picture"), {{"name", Value("x")}, {"imageable_type", Value("Product")},
                                                 {"imageable_id", Value(std::int64_t{99})}});
  CHECK_FALSE(g.store.persistence().save(*loose));
  CHECK(loose->errors().full_messages() == std::vector<std::string>{"Imageable must exist"});
  auto typo = g.store.persistence().build(g.model("Picture"), {{"name", Value("x")}, {"imageable_type", Value("Prodcut")},
                                                {"imageable_id", prod->id()}});
  CHECK_THROWS_WITH(g.store.persistence().save(*typo),
                    doctest::Contains("uninitialized constant Prodcut (the imageable_type of Picture names no model). "
                                      "Did you mean? Product"));
}

TEST_CASE("polymorphic dependents: destroy and nullify only the owner's type") {
  Guides g;
  auto emp = g.create("Employee", {{"name", Value("Ann")}});
  auto prod = g.create("Product", {{"name", Value("Lamp")}});
  g.store.associations().create_in(g.assoc(emp, "pictures"), {{"name", Value("e")}}, true);
  auto p = g.store.associations().create_in(g.assoc(prod, "pictures"), {{"name", Value("p")}}, true);
  CHECK(g.store.persistence().destroy(*prod));
  CHECK(g.rows("pictures") == 2);
  g.store.persistence().reload(*p);
  CHECK(is_null(p->get("imageable_type")));
  CHECK(is_null(p->get("imageable_id")));
  CHECK(g.store.persistence().destroy(*emp));
  CHECK(g.rows("pictures") == 1);
}

TEST_CASE("includes of a polymorphic belongs_to: one query per type") {
  Guides g;
  auto emp = g.create("Employee", {{"name", Value("Ann")}});
  auto prod = g.create("Product", {{"name", Value("Lamp")}});
  g.create("Picture", {{"name", Value("a")}, {"imageable", emp}});
  g.create("Picture", {{"name", Value("b")}, {"imageable", prod}});
  auto pics = g.store.queries().to_a(g.all("Picture").preload({AssociationTree("imageable")}));
  REQUIRE(pics.size() == 2);
  SqlLog log(g.db);
  CHECK(text(g.target(pics[0], "imageable"), "name") == "Ann");
  CHECK(text(g.target(pics[1], "imageable"), "name") == "Lamp");
  CHECK(log.queries.empty());
  CHECK_THROWS_WITH(g.all("Picture").joins({AssociationTree("imageable")}),
                    "Cannot eagerly load the polymorphic association :imageable");
}
