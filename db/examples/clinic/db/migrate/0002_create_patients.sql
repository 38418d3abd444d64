-- migrate:up
CREATE TABLE patients (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  name varchar NOT NULL,
  date_of_birth date,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);

-- migrate:down
DROP TABLE patients;
