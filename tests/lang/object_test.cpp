// Values as the interpreter holds them: their size, symbols and variable
// names by identity, a Hash's index as it grows and loses keys.
#include <doctest/doctest.h>

#include <vector>

#include "lang/object.hpp"

using namespace fw::lang;

TEST_CASE("a value is 24 bytes: an array of a million takes 24 MB, not 40") {
  CHECK(sizeof(Object) == 16);
}

TEST_CASE("a symbol and a variable name are one interned string, compared by address") {
  std::string built = std::string("user") + "_id";
  CHECK(Symbol("user_id") == Symbol(built));
  CHECK(Symbol("user_id").id == intern("user_id"));
  CHECK_FALSE(Symbol("user_id") == Symbol("user"));
  CHECK(Symbol(built).name() == "user_id");

  Env::Vars vars;
  for (int i = 0; i < 40; ++i) vars["v" + std::to_string(i)] = Object(std::int64_t{i});  // past the scanned few
  REQUIRE(vars.find(intern("v33")));
  CHECK(*vars.find(intern("v33"))->get<std::int64_t>() == 33);
  CHECK(vars.find(std::string("v7")) == vars.find(intern("v7")));
  CHECK_FALSE(vars.find("v40"));
}

TEST_CASE("a Hash finds every key across its index's growth, after deletes, in insertion order") {
  Hash h;
  for (std::int64_t i = 0; i < 5000; ++i) h.set(Object(i * 4096), Object(i));  // a stride that shares low bits
  CHECK(h.size() == 5000);
  for (std::int64_t i = 0; i < 5000; i += 7) {
    REQUIRE(h.find(Object(i * 4096)));
    CHECK(*h.find(Object(i * 4096))->get<std::int64_t>() == i);
  }
  CHECK_FALSE(h.find(Object(std::int64_t{4095})));
  CHECK_FALSE(h.find(Object(4096.0)));  // 4096.0 is not eql? to 4096

  CHECK(h.erase(Object(std::int64_t{0})));
  CHECK_FALSE(h.erase(Object(std::int64_t{0})));
  CHECK_FALSE(h.find(Object(std::int64_t{0})));
  REQUIRE(h.find(Object(std::int64_t{4999 * 4096})));  // places moved: found through a new index
  CHECK(*h.begin()->first.get<std::int64_t>() == 4096);
  h.set(Object(std::int64_t{0}), Object());  // back in, at the end
  const Hash::Pair* last = nullptr;
  for (const auto& pair : h) last = &pair;
  REQUIRE(last);
  CHECK(*last->first.get<std::int64_t>() == 0);
  CHECK(h.size() == 5000);

  // deleting most keys one by one: each is found or missing as it should be,
  // and a walk sees the live ones in order
  for (std::int64_t i = 1; i < 4900; ++i) REQUIRE(h.erase(Object(i * 4096)));
  CHECK(h.size() == 101);
  CHECK_FALSE(h.find(Object(std::int64_t{4096})));
  REQUIRE(h.find(Object(std::int64_t{4950 * 4096})));
  std::vector<std::int64_t> order;
  for (const auto& [k, v] : h) order.push_back(*k.get<std::int64_t>() / 4096);
  REQUIRE(order.size() == 101);
  CHECK(order.front() == 4900);
  CHECK(order[99] == 4999);
  CHECK(order.back() == 0);

  h.clear();
  CHECK_FALSE(h.find(Object(std::int64_t{4096})));
  for (int i = 0; i < 20; ++i) h.set(Object("k" + std::to_string(i)), Object(std::int64_t{i}));
  REQUIRE(h.find(Object("k19")));
  CHECK(*h.find(Object("k19"))->get<std::int64_t>() == 19);
  CHECK_FALSE(h.find(Object(Symbol("k19"))));  // :k19 is another key than "k19"
}
