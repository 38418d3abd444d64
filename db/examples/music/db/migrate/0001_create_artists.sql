-- migrate:up
CREATE TABLE artists (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name varchar NOT NULL,
  country varchar,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE UNIQUE INDEX index_artists_on_name ON artists (name);

-- migrate:down
DROP TABLE artists;
