// Values as the interpreter holds them: their size, symbols and variable
// names by identity, a Hash's index as it grows and loses keys.
#include <doctest/doctest.h>

#include <vector>

#include "lang/object.hpp"

using namespace fw::lang;

TEST_CASE("a value is 16 bytes: an array of a million takes 16 MB, not 24 or 40") {
  CHECK(sizeof(Object) == 16);
  CHECK(sizeof(Array) == 24);  // with its reference count, a 32-byte block
}

namespace {
std::vector<std::int64_t> ints(const Array& a) {
  std::vector<std::int64_t> out;
  for (const auto& x : a) out.push_back(*x.get<std::int64_t>());
  return out;
}
Array counted(std::int64_t n) {
  Array a;
  for (std::int64_t i = 0; i < n; ++i) a.push_back(Object(i));
  return a;
}
}  // namespace

TEST_CASE("an Array's front is taken off where it is: shift moves the start, not the elements") {
  Array a = counted(1000);
  const Object* fifth_hundred = &a[500];
  a.erase(a.begin(), a.begin() + 500);  // shift(500)
  CHECK(a.size() == 500);
  CHECK(&a[0] == fifth_hundred);
  CHECK(*a.front().get<std::int64_t>() == 500);
  a.erase(a.begin());  // shift, delete_at(0)
  CHECK(&a[0] == fifth_hundred + 1);

  SUBCASE("a queue pushed at the back and shifted at the front stays its size") {
    Array q = counted(10);
    for (std::int64_t i = 0; i < 100000; ++i) {
      q.push_back(Object(i));
      q.erase(q.begin());
    }
    CHECK(q.size() == 10);
    CHECK(q.capacity() <= 64);
    CHECK(ints(q) == std::vector<std::int64_t>{99990, 99991, 99992, 99993, 99994, 99995, 99996, 99997, 99998, 99999});
  }
  SUBCASE("emptied from the front, it starts again at its storage's beginning") {
    Array b = counted(3);
    b.erase(b.begin(), b.end());
    CHECK(b.empty());
    b.push_back(Object(std::int64_t{7}));
    CHECK(ints(b) == std::vector<std::int64_t>{7});
  }
}

TEST_CASE("an Array behaves as a vector: insert (of its own elements too), erase, resize, copies") {
  Array a = counted(4);  // 0 1 2 3
  a.erase(a.begin());    // 1 2 3, started one further
  a.insert(a.begin() + 1, a.begin(), a.end());
  CHECK(ints(a) == std::vector<std::int64_t>{1, 1, 2, 3, 2, 3});
  a.insert(a.begin(), Object(std::int64_t{9}));
  a.erase(a.begin() + 2, a.begin() + 4);
  CHECK(ints(a) == std::vector<std::int64_t>{9, 1, 3, 2, 3});
  a.push_back(a[0]);  // an element of its own, while it grows
  CHECK(ints(a) == std::vector<std::int64_t>{9, 1, 3, 2, 3, 9});
  Array own = counted(2);
  own.resize(40, own[1]);  // an element of its own, while the storage moves
  std::vector<std::int64_t> zero_then_ones(40, 1);
  zero_then_ones[0] = 0;
  CHECK(ints(own) == zero_then_ones);
  a.resize(2);
  a.resize(3, Object(std::int64_t{5}));
  CHECK(ints(a) == std::vector<std::int64_t>{9, 1, 5});
  Array copy = a;
  Array moved = std::move(copy);
  std::vector<Object> as_vector = moved;
  CHECK(as_vector.size() == 3);
  CHECK(ints(Array(std::move(as_vector))) == std::vector<std::int64_t>{9, 1, 5});
  CHECK(ints(Array(3, Object(std::int64_t{4}))) == std::vector<std::int64_t>{4, 4, 4});
  moved.shrink_to_fit();
  CHECK(moved.capacity() == 3);
  CHECK(ints(moved) == ints(a));
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
