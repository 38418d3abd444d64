#pragma once
// PostgreSQL's catalog read as the storage layer's schema (ColumnInfo,
// IndexInfo, ForeignKeyInfo), as SQLite's pragmas give it: pg_driver.cpp's
// answers to Driver's catalog questions.
#include <functional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace fw::storage::pg_catalog {

// Runs one catalog query with one name bound, unlogged, calling `each_row`.
using Ask = std::function<void(const std::string& sql, const std::string& name,
                               const std::function<void(const Row&)>& each_row)>;

bool table_exists(const Ask& schema, const std::string& table);
std::vector<std::string> tables(const Ask& schema);
std::vector<ColumnInfo> columns(const Ask& schema, const std::string& table);
std::vector<IndexInfo> indexes(const Ask& schema, const std::string& table);
std::vector<ForeignKeyInfo> foreign_keys(const Ask& schema, const std::string& table);

}  // namespace fw::storage::pg_catalog
