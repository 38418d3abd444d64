-- migrate:up
CREATE TABLE user_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
  user_id integer NOT NULL REFERENCES users (id),
  item_id integer NOT NULL REFERENCES items (id),
  quantity integer NOT NULL DEFAULT 1,
  created_at datetime(6) NOT NULL,
  updated_at datetime(6) NOT NULL
);
CREATE INDEX index_user_items_on_user_id ON user_items (user_id);
CREATE INDEX index_user_items_on_item_id ON user_items (item_id);
CREATE UNIQUE INDEX index_user_items_on_user_id_and_item_id ON user_items (user_id, item_id);

-- migrate:down
DROP TABLE user_items;
