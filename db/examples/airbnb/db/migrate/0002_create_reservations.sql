-- migrate:up
CREATE TABLE reservations (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  guest_id integer NOT NULL REFERENCES users (id),
  host_id integer NOT NULL REFERENCES users (id),
  check_in date NOT NULL,
  check_out date NOT NULL,
  guests_count integer NOT NULL DEFAULT 1,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_reservations_on_guest_id ON reservations (guest_id);
CREATE INDEX index_reservations_on_host_id ON reservations (host_id);

-- migrate:down
DROP TABLE reservations;
