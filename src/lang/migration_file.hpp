#pragma once
// ActiveRecord's migration language (db/migrate/*.rb): create_table with its
// t.string / t.references / t.timestamps, add_column, rename_column,
// add_index, ... in `change` (rolled back by inverting it, as ActiveRecord
// does) or in `up` and `down`, run on the database through the storage
// layer's SchemaWriter with the columns ActiveRecord 6.1 makes on SQLite for
// the migration's version ([4.2] ... [6.1]).
#include <vector>

#include "storage/app_source.hpp"

namespace fw::lang {

// Gives each Ruby migration its program. A file that does not parse fails
// when it runs, naming its file, line and column.
void compile_migrations(std::vector<storage::Migration>& migrations);

// db/schema.rb (ActiveRecord::Schema.define(version: ...) do ... end), loaded
// into an empty database; returns the version it names (0 when none).
long long load_schema(const std::string& path, const std::string& text, storage::Database& db);

}  // namespace fw::lang
