#pragma once
// A seeded fwitter database in a temp folder and a quiet console session on
// it, for tests that call the console layer in-process.
#include <memory>
#include <sstream>

#include "console/environment.hpp"
#include "console/session.hpp"
#include "process.hpp"
#include "seeded_runtime.hpp"
#include "storage/app_source.hpp"

namespace fw::test {

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
