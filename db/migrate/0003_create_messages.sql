-- migrate:up
CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  sender_id integer NOT NULL REFERENCES users (id),
  receiver_id integer NOT NULL REFERENCES users (id),
  content text,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_messages_on_sender_id ON messages (sender_id);
CREATE INDEX index_messages_on_receiver_id ON messages (receiver_id);

-- migrate:down
DROP TABLE messages;
