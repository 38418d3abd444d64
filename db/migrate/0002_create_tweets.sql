-- migrate:up
CREATE TABLE tweets (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id integer NOT NULL REFERENCES users (id),
  content text,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_tweets_on_user_id ON tweets (user_id);

-- migrate:down
DROP TABLE tweets;
