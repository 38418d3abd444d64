#include "storage/database_tasks.hpp"

#include <cctype>
#include <filesystem>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "storage/database.hpp"
#include "storage/dialect.hpp"
#include "storage/driver.hpp"

namespace fs = std::filesystem;

namespace fw::storage {

namespace {

constexpr int kError = 1, kCantOpen = 14;  // SQLite's result codes, which DbError's predicates read

using Parts = std::vector<std::pair<std::string, std::string>>;

// libpq's key='value' form of an address's parts.
std::string address_of(const Parts& parts) {
  std::string out;
  for (const auto& [key, value] : parts) {
    std::string quoted;
    for (char c : value) {
      if (c == '\\' || c == '\'') quoted += '\\';
      quoted += c;
    }
    out += fmt::format("{}{}='{}'", out.empty() ? "" : " ", key, quoted);
  }
  return out;
}

std::string postgres_name(const std::string& address) {
  for (const auto& [key, value] : postgres_address_parts(address))
    if (key == "dbname" && !value.empty()) return value;
  throw DbError(fmt::format("the PostgreSQL address {} names no database", shown_address(address)), kError, kError);
}

// The same server, as the same role, on its maintenance database. When
// neither opens, the first failure is told, naming the database asked for.
std::unique_ptr<Database> open_server(const std::string& address) {
  Parts parts = postgres_address_parts(address);
  std::optional<DbError> first;
  for (const char* maintenance : {"postgres", "template1"}) {
    Parts on = parts;
    bool named = false;
    for (auto& [key, value] : on)
      if (key == "dbname") value = maintenance, named = true;
    if (!named) on.emplace_back("dbname", maintenance);
    std::string server = address_of(on);
    try {
      return std::make_unique<Database>(server);
    } catch (const DbError& e) {
      if (first) continue;
      std::string message = e.what();
      std::string opening = "cannot open database " + shown_address(server);
      if (message.rfind(opening, 0) == 0) message = "cannot open database " + shown_address(address) + message.substr(opening.size());
      first.emplace(message, e.code(), e.extended_code(), e.sqlstate());
    }
  }
  throw *first;
}

bool has_database(Database& server, const std::string& name) {
  return !is_null(server.scalar({"SCHEMA", "SELECT 1 FROM pg_database WHERE datname = ?", {{"name", name}}}));
}

std::string current_role(Database& server) { return value_to_s(server.scalar({"SCHEMA", "SELECT current_user", {}})); }

// A role's name as ALTER ROLE takes it: quoted unless plain.
std::string role_in_sql(const std::string& role) {
  bool plain = !role.empty() && !std::isdigit(static_cast<unsigned char>(role[0]));
  for (char c : role) plain = plain && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
  return plain ? role : quote_identifier(role);
}

// The server's refusal on one line, named as the pg gem names it.
std::string refusal(const DbError& e) {
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (auto at = message.find('\n'); at != std::string::npos; at = message.find('\n', at)) message.replace(at, 1, " ");
  std::string named = e.driver_class() + ": ";
  return message.rfind(named, 0) == 0 ? message : named + message;  // a lock's error comes named (pg_driver.cpp)
}

}  // namespace

std::string database_name(const std::string& address) {
  return is_postgres_address(address) ? postgres_name(address) : address;
}

bool database_exists(const std::string& address) {
  if (!is_postgres_address(address)) return address == ":memory:" || fs::exists(address);
  std::string name = postgres_name(address);
  try {
    Database::Options options;
    options.create = false;
    Database db(address, options);
    return true;
  } catch (const DbError& opening) {
    if (!opening.is_unavailable()) throw;
    // Not opened: the server says whether it has it. When it cannot be
    // asked, or has it (this role may not open it), the failure stands.
    std::unique_ptr<Database> server;
    try {
      server = open_server(address);
    } catch (const DbError&) {
      throw opening;
    }
    if (has_database(*server, name)) throw opening;
    return false;
  }
}

bool create_database(const std::string& address, const std::string& encoding) {
  if (!is_postgres_address(address)) {
    if (database_exists(address)) return false;
    std::error_code failed;
    if (auto folder = fs::path(address).parent_path(); !folder.empty()) fs::create_directories(folder, failed);
    if (failed)
      throw DbError(fmt::format("cannot create database {}: {}", address, failed.message()), kCantOpen, kCantOpen);
    Database db(address);  // SQLite makes the file as it opens it
    return true;
  }
  std::string name = postgres_name(address);
  auto server = open_server(address);
  // Looked up first, so that a role without CREATEDB hears that its database is there.
  if (has_database(*server, name)) return false;
  std::string quoted_encoding;
  for (char c : encoding) quoted_encoding += c == '\'' ? std::string("''") : std::string(1, c);
  try {
    server->exec_script(fmt::format("CREATE DATABASE {} ENCODING = '{}'", quote_identifier(name), quoted_encoding));
  } catch (const DbError& e) {
    if (e.sqlstate() == "42P04") return false;  // another program made it meanwhile
    if (e.sqlstate() == "42501") {
      std::string role = current_role(*server);
      throw DbError(fmt::format("role \"{}\" may not create databases (PG::InsufficientPrivilege): ask the teacher for "
                                "CREATEDB (ALTER ROLE {} CREATEDB) or to create {}",
                                role, role_in_sql(role), name),
                    kError, kError, e.sqlstate());
    }
    throw DbError(fmt::format("cannot create database {}: {}", name, refusal(e)), kError, kError, e.sqlstate());
  }
  return true;
}

bool drop_database(const std::string& address) {
  if (!is_postgres_address(address)) {
    if (address == ":memory:" || !fs::exists(address)) return false;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::error_code failed;
      fs::remove(address + suffix, failed);
      if (failed)
        throw DbError(fmt::format("cannot drop database {}: {}", address + suffix, failed.message()), kCantOpen, kCantOpen);
    }
    return true;
  }
  std::string name = postgres_name(address);
  auto server = open_server(address);
  try {
    server->exec_script("DROP DATABASE IF EXISTS " + quote_identifier(name));
  } catch (const DbError& e) {
    if (e.sqlstate() == "42501") {
      std::string role = current_role(*server);
      throw DbError(fmt::format("role \"{}\" may not drop {} (PG::InsufficientPrivilege): only its owner or a superuser "
                                "may; ask the teacher to drop it",
                                role, name),
                    kError, kError, e.sqlstate());
    }
    throw DbError(fmt::format("cannot drop database {}: {}", name, refusal(e)), kError, kError, e.sqlstate());
  }
  return true;
}

bool may_create_databases(const std::string& address) {
  if (!is_postgres_address(address)) return true;
  // Asked of the database itself when it opens: a server may let a class's
  // role reach its own database and no other.
  std::unique_ptr<Database> db;
  try {
    Database::Options options;
    options.create = false;
    db = std::make_unique<Database>(address, options);
  } catch (const DbError& e) {
    if (!e.is_unavailable()) throw;
    db = open_server(address);
  }
  return db->scalar({"SCHEMA", "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", {}}) ==
         Value(true);
}

std::string server_check_command(const std::string& address) {
  std::string command = "pg_isready";
  try {
    for (const auto& [key, value] : postgres_address_parts(address)) {
      if (key == "host") command += " -h " + value;
      else if (key == "port") command += " -p " + value;
      else if (key == "dbname") command += " -d " + value;
    }
  } catch (const DbError&) {  // an address libpq cannot read: pg_isready alone
  }
  return command;
}

}  // namespace fw::storage
