// SQLite's SQL as PostgreSQL takes it (storage/dialect.hpp): no server needed.
#include <doctest/doctest.h>

#include "storage/dialect.hpp"

using namespace fw::storage;

TEST_CASE("SQLite's migration SQL as PostgreSQL takes it, quotes and comments untouched") {
  CHECK(postgres_ddl("CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, at datetime(6) NOT NULL, "
                     "b blob, ok boolean NOT NULL DEFAULT 1, no BOOLEAN DEFAULT 0, n integer DEFAULT 1, "
                     "s varchar DEFAULT 'datetime blob', -- a datetime\n x double)") ==
        "CREATE TABLE t (id bigserial PRIMARY KEY, at timestamp(6) NOT NULL, b bytea, ok boolean NOT NULL DEFAULT TRUE, "
        "no BOOLEAN DEFAULT FALSE, n integer DEFAULT 1, s varchar DEFAULT 'datetime blob', -- a datetime\n x double precision)");
  CHECK(postgres_type("varchar(20)") == "character varying(20)");
  CHECK(postgres_type("datetime(6)") == "timestamp(6)");
}

TEST_CASE("A database's address as shown: a PostgreSQL address without its password, a file as it is") {
  CHECK(shown_address("postgres://ann:secret@db.example/lab") == "postgres://ann@db.example/lab");
  CHECK(shown_address("postgresql://ann@/lab?host=/tmp&password=secret&port=5432") ==
        "postgresql://ann@/lab?host=/tmp&port=5432");
  CHECK(shown_address("dbname='lab' host='db' password='se cret' user='ann'") == "dbname='lab' host='db' user='ann'");
  CHECK(shown_address("db/password=1.sqlite3") == "db/password=1.sqlite3");
}
