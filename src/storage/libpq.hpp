#pragma once
// libpq, PostgreSQL's client library: opened with dlopen the first time a
// PostgreSQL address is, so a console on SQLite never loads it (nor its
// TLS, Kerberos and LDAP libraries). Only its header is needed to build.
#include <libpq-fe.h>

#include <optional>
#include <string>
#include <vector>

namespace fw::storage {

struct Bind;
struct Query;

// libpq's functions, looked up once.
#define FW_LIBPQ_FUNCTIONS(X)                                                                                      \
  X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQsendQuery)                                           \
  X(PQsendPrepare) X(PQsendQueryPrepared) X(PQgetResult) X(PQconsumeInput) X(PQisBusy) X(PQsocket)                  \
  X(PQresultStatus) X(PQresultErrorField) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQnfields) X(PQfname)   \
  X(PQftype) X(PQgetvalue) X(PQgetlength) X(PQgetisnull) X(PQcmdTuples) X(PQcmdStatus) X(PQtransactionStatus)       \
  X(PQgetCancel) X(PQcancel) X(PQfreeCancel) X(PQsetNoticeProcessor) X(PQconninfoParse) X(PQconninfoFree) X(PQfreemem) \
  X(PQserverVersion)

// libpq 14's pipeline mode (read_ahead), where the library has it.
#define FW_LIBPQ_PIPELINE(X) X(PQenterPipelineMode) X(PQexitPipelineMode) X(PQpipelineSync) X(PQsendQueryParams)

struct LibPq {
#define FW_PQ(name) decltype(&::name) name = nullptr;
  FW_LIBPQ_FUNCTIONS(FW_PQ)
  FW_LIBPQ_PIPELINE(FW_PQ)
#undef FW_PQ
};

// The library's functions, looked up once; throws DbError when it is missing.
const LibPq& libpq();

// A libpq message without its trailing newline; its first line.
std::string trimmed(const char* message);
std::string first_line(const char* message);
// A value as the text PostgreSQL reads; nullopt for NULL. An offset without
// a limit is SQLite's LIMIT -1, PostgreSQL's LIMIT NULL (no limit).
std::optional<std::string> as_text(const Bind& bind);
// A query's values as sent, and as libpq takes them (null for NULL).
std::vector<std::optional<std::string>> texts_of(const Query& query);
std::vector<const char*> pointers(const std::vector<std::optional<std::string>>& texts);

// A PostgreSQL result and its columns' types, as Row reads its cells (pg_cell).
struct PgRows {
  PGresult* result;
  std::vector<Oid> types;
};

}  // namespace fw::storage
