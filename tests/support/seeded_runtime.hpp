#pragma once
// The built-in fwitter app's runtime over an in-memory database, migrated and
// seeded with tests/fixtures/small_seed.fw: the language layer alone, with no
// console around it.
#include <memory>

#include "lang/parser.hpp"
#include "lang/runtime.hpp"
#include "process.hpp"
#include "storage/app_source.hpp"
#include "storage/database.hpp"
#include "storage/migrator.hpp"

namespace fw::test {

// The built-in app seeded with tests/fixtures/small_seed.fw, as the binary
// is under test (see doctest_main.cpp).
inline storage::AppSource small_world() {
  auto app = storage::AppSource::builtin();
  std::string path = FWITTER_SOURCE_DIR "/tests/fixtures/small_seed.fw";
  app.seed = storage::SourceFile{path, slurp(path)};
  return app;
}

struct SeededRuntime {
  storage::Database db{":memory:"};
  std::unique_ptr<lang::Runtime> runtime;

  SeededRuntime() {
    auto app = small_world();
    storage::Migrator(db, app.migrations).migrate();
    runtime = std::make_unique<lang::Runtime>(app, db);
    lang::Parser seed(app.seed->text);
    while (auto statement = seed.next_statement()) runtime->interpreter().run(*statement);
  }
};

}  // namespace fw::test
