-- migrate:up
CREATE TABLE songs (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  artist_id integer NOT NULL REFERENCES artists (id),
  genre_id integer NOT NULL REFERENCES genres (id),
  title varchar NOT NULL,
  duration_seconds integer NOT NULL,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_songs_on_artist_id ON songs (artist_id);
CREATE INDEX index_songs_on_genre_id ON songs (genre_id);

-- migrate:down
DROP TABLE songs;
