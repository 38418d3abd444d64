#pragma once
// A database made or removed whole, as `rake db:create` and `rake db:drop`
// do it: on PostgreSQL through the server's maintenance database
// (`postgres`, where ActiveRecord connects for them; template1 when that
// one cannot be opened), on SQLite as the file itself.
#include <string>

namespace fw::storage {

// The database as rake's messages name it: PostgreSQL's dbname, or the
// SQLite file's path.
std::string database_name(const std::string& address);

// The server has the database, or the file is there. A server that cannot
// be reached is a DbError (is_unavailable), as when a database is opened.
bool database_exists(const std::string& address);

// Creates the database: false when it already exists. On SQLite an empty
// database file, and its folder. `encoding` is PostgreSQL's ENCODING
// (ActiveRecord's default is utf8). A role without CREATEDB is a DbError
// that names the role and what to ask for.
bool create_database(const std::string& address, const std::string& encoding = "utf8");

// Drops the database (DROP DATABASE IF EXISTS; an SQLite file with its
// -wal, -shm and -journal): false when there was no SQLite file.
bool drop_database(const std::string& address);

// The command that says whether the server at a PostgreSQL address is up:
// `pg_isready -h HOST -p PORT -d NAME`, with what the address gives.
std::string server_check_command(const std::string& address);
// The role the address connects as may create databases (CREATEDB, or a
// superuser); always true on SQLite.
bool may_create_databases(const std::string& address);

}  // namespace fw::storage
