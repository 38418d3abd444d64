#pragma once
// A fresh database on the PostgreSQL tier's throwaway server: the CTest
// fixture pg_server starts it (scripts/pg-server) in FWITTER_PG_DIR. Where
// PostgreSQL is not installed there is no server, and a case ends as
// skipped (FW_SKIP: CTest counts it skipped, not passed).
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "base/value.hpp"
#include "process.hpp"
#include "skip.hpp"
#include "storage/database.hpp"
#include "wait.hpp"

namespace fw::test {

// The address of a new, empty database `name` (dropped first if it is there).
inline std::optional<std::string> fresh_postgres(const std::string& name) {
  const char* dir = std::getenv("FWITTER_PG_DIR");
  if (!dir || !std::filesystem::exists(std::filesystem::path(dir) / "data" / "PG_VERSION")) return std::nullopt;
  auto made = run_program(std::string(FWITTER_SOURCE_DIR) + "/scripts/pg-server", {"createdb", dir, name});
  REQUIRE_MESSAGE(made.status == 0, made.err);
  std::string address = made.out;
  while (!address.empty() && address.back() == '\n') address.pop_back();
  return address;
}

// What the server says when it ends a session (pg_terminate_backend, a restart).
inline const char* const kEnded = "FATAL:  terminating connection due to administrator command";

// The other client sessions on the database: not the one asking.
inline const char* const kOtherSessions =
    "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend'";

// The first column of the first row, as text ("" for none).
inline std::string scalar_text(fw::storage::Database& db, const std::string& sql) {
  return fw::value_to_s(db.scalar({"q", sql, {}}));
}

// Waits until no other session is left on `admin`'s database (a process that
// ended, or a backend the server ended, goes a moment later).
inline bool no_other_sessions(fw::storage::Database& admin) {
  return wait_until([&] { return scalar_text(admin, std::string("SELECT COUNT(*) ") + kOtherSessions) == "0"; }, 10);
}

// Ends every other session on `admin`'s database, as a teacher's
// pg_terminate_backend does, and waits until the server has ended them.
inline void end_other_sessions(fw::storage::Database& admin) {
  REQUIRE(scalar_text(admin, std::string("SELECT COUNT(pg_terminate_backend(pid)) ") + kOtherSessions) != "0");
  REQUIRE(no_other_sessions(admin));
}

// Waits until another connection to `address` runs a query whose text
// holds `fragment` (the server's pg_stat_activity says so): the moment to
// interrupt it. False if `seconds` (scaled by patience()) pass first.
inline bool wait_for_query(const std::string& address, const std::string& fragment, double seconds = 10) {
  fw::storage::Database watcher(address);
  return wait_until(
      [&] {
        return fw::value_to_s(watcher.scalar({"q",
                                              "SELECT COUNT(*) FROM pg_stat_activity WHERE state = 'active' "
                                              "AND pid <> pg_backend_pid() AND strpos(query, ?) > 0",
                                              {{"fragment", fragment}}})) != "0";
      },
      seconds);
}

// A server of the case's own (scripts/pg-server in a folder under /tmp), to
// restart and stop under a console while the tier's shared server serves
// the other cases.
class OwnServer {
 public:
  OwnServer() {
    std::string folder = "/tmp/fwpg-XXXXXX";
    dir_ = mkdtemp(folder.data());
    started_ = server({"start", dir_});
  }
  ~OwnServer() { server({"stop", dir_}); }
  OwnServer(const OwnServer&) = delete;
  OwnServer& operator=(const OwnServer&) = delete;
  bool installed() const { return started_.status != 77; }
  const Output& started() const { return started_; }
  std::string database(const std::string& name) {
    auto made = server({"createdb", dir_, name});
    REQUIRE_MESSAGE(made.status == 0, made.err);
    return made.out.substr(0, made.out.find('\n'));
  }
  // A database of its own with the fwitter app set up and seeded: its address.
  std::string set_up(const std::string& name) {
    REQUIRE_MESSAGE(started_.status == 0, started_.err);
    std::string address = database(name);
    auto setup = fwitter({"--db", address, "db", "setup"});
    REQUIRE_MESSAGE(setup.status == 0, setup.err);
    return address;
  }
  // restart (a fast shutdown, ending each session), halt (stopped), start
  Output server(const std::vector<std::string>& args) {
    return run_program(std::string(FWITTER_SOURCE_DIR) + "/scripts/pg-server", args);
  }
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  Output started_;
};

}  // namespace fw::test

// Declares `address`, a fresh database for this case, or ends the case as skipped.
#define FW_POSTGRES_DATABASE(address, name)                    \
  auto address##_made = fw::test::fresh_postgres(name);        \
  if (!address##_made) FW_SKIP("PostgreSQL is not installed");  \
  const std::string address = *address##_made
