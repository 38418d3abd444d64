-- migrate:up
CREATE TABLE doctors (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name varchar NOT NULL,
  specialty varchar NOT NULL,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);

-- migrate:down
DROP TABLE doctors;
