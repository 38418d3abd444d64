-- migrate:up
CREATE TABLE hearts (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id integer NOT NULL REFERENCES users (id),
  tweet_id integer NOT NULL REFERENCES tweets (id),
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_hearts_on_user_id ON hearts (user_id);
CREATE INDEX index_hearts_on_tweet_id ON hearts (tweet_id);
CREATE UNIQUE INDEX index_hearts_on_user_id_and_tweet_id ON hearts (user_id, tweet_id);

-- migrate:down
DROP TABLE hearts;
