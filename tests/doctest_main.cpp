#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdlib>

// Every fwitter the tests start seeds a new database with the small world of
// tests/fixtures/small_seed.fw (3 users, 5 tweets) rather than the app's own
// seed: expectations stay short and a database is made in milliseconds. A
// test of the real seed sets FWITTER_SEED= (empty) for its own run; an app
// folder (--app) always seeds from its own scripts/seed.fw.
int main(int argc, char** argv) {
  setenv("FWITTER_SEED", FWITTER_SOURCE_DIR "/tests/fixtures/small_seed.fw", 0);
  return doctest::Context(argc, argv).run();
}
