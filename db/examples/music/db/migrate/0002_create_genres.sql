-- migrate:up
CREATE TABLE genres (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name varchar NOT NULL,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE UNIQUE INDEX index_genres_on_name ON genres (name);

-- migrate:down
DROP TABLE genres;
