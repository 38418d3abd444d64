#pragma once
// A seeded fwitter database in a temp folder and a quiet console session on
// it, for tests that call the console layer in-process.
#include <memory>
#include <sstream>

#include "console/environment.hpp"
#include "console/session.hpp"
#include "process.hpp"
#include "storage/app_source.hpp"

namespace fw::test {

// The built-in app seeded with tests/fixtures/small_seed.fw, as the binary
// is under test (see doctest_main.cpp).
inline storage::AppSource small_world() {
  auto app = storage::AppSource::builtin();
  std::string path = FWITTER_SOURCE_DIR "/tests/fixtures/small_seed.fw";
  app.seed = storage::SourceFile{path, slurp(path)};
  return app;
}

struct SeededSession {
  TempDir dir;
  console::Environment env{small_world(), dir / "seeded.sqlite3", storage::Database::Options{}};
  std::ostringstream out, err;
  std::unique_ptr<console::Session> session;

  SeededSession() {
    console::prepare_database(env, err);
    console::Settings settings;
    settings.quiet = true;
    session = std::make_unique<console::Session>(env, settings, out, err);
  }
};

}  // namespace fw::test
