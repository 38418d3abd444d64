-- migrate:up
CREATE TABLE follows (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  follower_id integer NOT NULL REFERENCES users (id),
  followed_id integer NOT NULL REFERENCES users (id),
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_follows_on_follower_id ON follows (follower_id);
CREATE INDEX index_follows_on_followed_id ON follows (followed_id);
CREATE UNIQUE INDEX index_follows_on_follower_id_and_followed_id ON follows (follower_id, followed_id);

-- migrate:down
DROP TABLE follows;
