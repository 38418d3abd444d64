-- migrate:up
CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name varchar NOT NULL,
  email varchar NOT NULL,
  city varchar,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE UNIQUE INDEX index_users_on_email ON users (email);

-- migrate:down
DROP TABLE users;
