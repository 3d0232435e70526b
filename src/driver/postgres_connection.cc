#include "driver/postgres_connection.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <thread>
#include <utility>

#include "driver/libpq.h"
#include "driver/postgres_statements.h"

namespace retort::driver {
namespace {

struct ResultDeleter {
  void operator()(PGresult* result) const { Pq().PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages span lines ("...failed: Connection refused\n\tIs the
// server running...?"); retort prints one line per failure.
// libpq ends a line without a full stop ("...failed: Connection refused\n
// \tIs the server running...?"): a line break gets one, so the folded line
// reads as sentences.
std::string FoldLines(std::string_view text) {
  std::string out;
  bool space = false;
  bool line_break = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = true;
      line_break = line_break || c == '\n';
    } else {
      if (line_break && !out.empty() &&
          std::string_view(".:;,!?").find(out.back()) == std::string_view::npos) {
        out += '.';
      }
      if (space && !out.empty()) out += ' ';
      space = false;
      line_break = false;
      out += c;
    }
  }
  return out;
}

// libpq does not echo the conninfo, but a server or proxy message might
// quote what it was sent; a password must not reach the terminal either way.
// Very short passwords are left alone: masking every "ab" would mangle the
// message and hide nothing worth hiding.
std::string Scrub(std::string message, const std::string& password) {
  if (password.size() < 3) return message;
  for (std::size_t pos = message.find(password); pos != std::string::npos;
       pos = message.find(password, pos + 3)) {
    message.replace(pos, password.size(), "***");
  }
  return message;
}

bool Succeeded(const PGresult* result) {
  ExecStatusType status = Pq().PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

// Notices (DROP ... IF EXISTS "skipping", NOTICE from a DO block) would go to
// stderr between retort's own lines; a migration's result is what it did.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

}  // namespace

std::unique_ptr<PostgresConnection> PostgresConnection::Open(const DatabaseUrl& url) {
  std::vector<std::pair<std::string, std::string>> options;
  // An empty part is left out, so libpq's defaults and PG* environment
  // variables (PGPASSWORD, PGHOST, ~/.pgpass) apply, as with psql.
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) options.emplace_back(key, value);
  };
  add("user", url.user());
  add("password", url.password());
  add("host", url.host());
  add("port", url.port());
  add("dbname", url.database());
  options.emplace_back("fallback_application_name", "retort");
  // Query parameters come last, so ?host=/run/postgresql can name a socket
  // folder; unknown keywords are libpq's to refuse ("invalid connection
  // option").
  for (const auto& [key, value] : url.params()) options.emplace_back(key, value);

  std::vector<const char*> keys, values;
  for (const auto& [key, value] : options) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  // expand_dbname = 0: a database name is a name, never a conninfo string.
  PGconn* raw = Pq().PQconnectdbParams(keys.data(), values.data(), 0);
  if (raw == nullptr) {
    throw Error(fmt::format("Can't connect to {}: out of memory", url.Redacted()));
  }
  std::unique_ptr<PostgresConnection> connection(new PostgresConnection(raw, url));
  if (Pq().PQstatus(raw) != CONNECTION_OK) {
    throw Error(fmt::format("Can't connect to {}: {}", url.Redacted(), connection->LastError()));
  }
  Pq().PQsetNoticeProcessor(raw, &IgnoreNotice, nullptr);
  return connection;
}

PostgresConnection::PostgresConnection(pg_conn* conn, const DatabaseUrl& url)
    : conn_(conn), redacted_url_(url.Redacted()), password_(url.password()) {
  if (auto it = url.params().find("password"); it != url.params().end()) password_ = it->second;
}

PostgresConnection::~PostgresConnection() {
  // Closing the session rolls back an open transaction and releases the
  // advisory lock on the server.
  Pq().PQfinish(conn_);
}

std::string PostgresConnection::LastError() const {
  std::string message = FoldLines(Pq().PQerrorMessage(conn_));
  if (message.empty()) message = "unknown libpq error";
  return Scrub(std::move(message), password_);
}

namespace {

// The one-line message of a failed result: the server's primary message and
// SQLSTATE when the server sent one, else libpq's (folded) reason.
std::string ResultMessage(PGconn* conn, const PGresult* result, const std::string& password) {
  std::string message;
  const char* primary =
      result != nullptr ? Pq().PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary != nullptr) {
    message = FoldLines(primary);
    if (const char* state = Pq().PQresultErrorField(result, PG_DIAG_SQLSTATE)) {
      message += fmt::format(" (SQLSTATE {})", state);
    }
    // The server's advice is often the fix ("You might need to increase
    // max_locks_per_transaction", "...add explicit type casts").
    if (const char* hint = Pq().PQresultErrorField(result, PG_DIAG_MESSAGE_HINT)) {
      message += "; hint: " + FoldLines(hint);
    }
  } else {
    message = FoldLines(Pq().PQerrorMessage(conn));
  }
  if (message.empty()) message = "unknown libpq error";
  if (Pq().PQstatus(conn) == CONNECTION_BAD && message.find("connection") == std::string::npos) {
    // "terminating connection ..." says so already; a bare message would
    // hide that nothing more can run on this connection.
    message += "; the connection to the server was lost";
  }
  return Scrub(std::move(message), password);
}

}  // namespace

void PostgresConnection::ExecuteScript(std::string_view sql) {
  for (const StatementSpan& span : SplitPostgresStatements(sql)) {
    std::string statement(sql.substr(span.offset, span.length));
    ResultPtr result(Pq().PQexec(conn_, statement.c_str()));
    ExecStatusType status = Pq().PQresultStatus(result.get());
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT) {
      // COPY ... STDIN/STDOUT needs a client that streams data; end it so
      // the connection stays usable, and say why.
      if (status == PGRES_COPY_IN) Pq().PQputCopyEnd(conn_, "not supported by retort");
      char* buffer = nullptr;
      while (status == PGRES_COPY_OUT && Pq().PQgetCopyData(conn_, &buffer, 0) >= 0)
        Pq().PQfreemem(buffer);
      while (PGresult* rest = Pq().PQgetResult(conn_)) Pq().PQclear(rest);
      throw StatementError("COPY FROM STDIN / TO STDOUT is not supported in a revision",
                           span.offset);
    }
    if (!Succeeded(result.get())) {
      throw StatementError(ResultMessage(conn_, result.get(), password_), span.offset);
    }
    changed_rows_ = std::atoll(Pq().PQcmdTuples(result.get()));
  }
}

std::vector<long long> PostgresConnection::ExecuteEach(const std::vector<std::string>& statements) {
  std::string message;
  for (const std::string& statement : statements) {
    // Results are matched to statements by position, so each must be one
    // statement as the server parses it; anything else takes the slow path.
    std::vector<StatementSpan> spans = SplitPostgresStatements(statement);
    if (spans.size() != 1) {
      return Connection::ExecuteEach(statements);
    }
    // On its own line: a statement ending in a -- comment keeps its ';'.
    if (!message.empty()) message += "\n;\n";
    message.append(statement, spans[0].offset, spans[0].length);
  }
  if (statements.size() < 2) return Connection::ExecuteEach(statements);
  if (Pq().PQsendQuery(conn_, message.c_str()) == 0) {
    throw StatementError(ResultMessage(conn_, nullptr, password_), 0);
  }
  std::vector<long long> changed;
  std::optional<std::string> failure;
  // Every result is read, even after a failure, so the connection is ready
  // for the ROLLBACK that follows.
  while (PGresult* raw = Pq().PQgetResult(conn_)) {
    ResultPtr result(raw);
    ExecStatusType status = Pq().PQresultStatus(raw);
    // Never sent by the runtime, but a COPY must be ended to read on.
    if (status == PGRES_COPY_IN) Pq().PQputCopyEnd(conn_, "not supported by retort");
    char* buffer = nullptr;
    while (status == PGRES_COPY_OUT && Pq().PQgetCopyData(conn_, &buffer, 0) >= 0)
      Pq().PQfreemem(buffer);
    if (failure) continue;
    if (!Succeeded(raw)) {
      failure = status == PGRES_COPY_IN || status == PGRES_COPY_OUT
                    ? std::string("COPY is not supported here")
                    : ResultMessage(conn_, raw, password_);
      continue;
    }
    changed.push_back(std::atoll(Pq().PQcmdTuples(raw)));
  }
  if (failure) throw StatementError(*failure, changed.size());
  if (changed.size() != statements.size()) {
    // Cannot happen for single statements; never report an unchecked count.
    throw Error(fmt::format("PostgreSQL answered {} results for {} statements", changed.size(),
                            statements.size()));
  }
  changed_rows_ = changed.back();
  return changed;
}

std::vector<Row> PostgresConnection::Query(std::string_view sql,
                                           const std::vector<std::string>& params) {
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const std::string& param : params) values.push_back(param.c_str());
  std::string text(sql);
  ResultPtr result(Pq().PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()), nullptr,
                                     values.data(), nullptr, nullptr, 0));
  if (!Succeeded(result.get())) throw Error(ResultMessage(conn_, result.get(), password_));
  changed_rows_ = std::atoll(Pq().PQcmdTuples(result.get()));
  std::vector<Row> rows;
  const int row_count = Pq().PQntuples(result.get());
  const int columns = Pq().PQnfields(result.get());
  rows.reserve(row_count);
  for (int r = 0; r < row_count; ++r) {
    Row row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      if (Pq().PQgetisnull(result.get(), r, c)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(
            std::string(Pq().PQgetvalue(result.get(), r, c), Pq().PQgetlength(result.get(), r, c)));
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

void PostgresConnection::Exec(std::string_view sql) {
  std::string text(sql);
  ResultPtr result(Pq().PQexec(conn_, text.c_str()));
  if (!Succeeded(result.get())) throw Error(ResultMessage(conn_, result.get(), password_));
}

void PostgresConnection::Begin() { Exec("BEGIN"); }

void PostgresConnection::Commit() {
  ResultPtr result(Pq().PQexec(conn_, "COMMIT"));
  if (!Succeeded(result.get())) throw Error(ResultMessage(conn_, result.get(), password_));
  // COMMIT of a transaction that an error aborted "succeeds" as ROLLBACK:
  // reporting success would claim work that was discarded.
  if (std::string_view(Pq().PQcmdStatus(result.get())) == "ROLLBACK") {
    throw Error("The transaction was rolled back by an earlier error; nothing was committed");
  }
}

void PostgresConnection::Rollback() {
  // After a lost connection the server has already rolled back; there is
  // nothing to send and nothing to report beyond the original error.
  if (Pq().PQstatus(conn_) != CONNECTION_OK || !InTransaction()) return;
  Exec("ROLLBACK");
}

bool PostgresConnection::InTransaction() const {
  switch (Pq().PQtransactionStatus(conn_)) {
    case PQTRANS_ACTIVE:
    case PQTRANS_INTRANS:
    case PQTRANS_INERROR:
      return true;
    default:
      return false;
  }
}

std::int64_t PostgresConnection::LockKey(std::string_view database, std::string_view schema,
                                         std::string_view table) {
  std::uint64_t hash = 14695981039346656037ull;
  auto mix = [&](std::string_view part) {
    for (unsigned char c : part) {
      hash ^= c;
      hash *= 1099511628211ull;
    }
    // A separator byte keeps ("ab", "c") and ("a", "bc") apart.
    hash ^= 0xff;
    hash *= 1099511628211ull;
  };
  mix(database);
  mix(schema);
  mix(table);
  return static_cast<std::int64_t>(hash);
}

void PostgresConnection::AcquireMigrationLock(const std::string& schema, const std::string& table,
                                              std::chrono::milliseconds timeout) {
  if (lock_held_) return;
  // One round trip for both names (current_schema() is NULL when no schema
  // of the search_path exists).
  auto names = Query("SELECT current_database(), current_schema()");
  std::string resolved_schema = schema.empty() ? names.at(0).at(1).value_or("") : schema;
  const std::int64_t key = LockKey(names.at(0).at(0).value_or(""), resolved_schema, table);
  const std::vector<std::string> params{std::to_string(key)};
  if (timeout <= std::chrono::milliseconds::zero()) {
    // Waits as long as the other run takes; the server wakes us.
    Query("SELECT pg_advisory_lock($1::bigint)", params);
  } else {
    // Polling rather than SET lock_timeout: it leaves the session's own
    // settings alone, and a revision's statements keep the user's
    // lock_timeout.
    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + timeout;
    while (true) {
      auto rows = Query("SELECT pg_try_advisory_lock($1::bigint)", params);
      if (rows.at(0).at(0) == "t") break;
      Clock::time_point now = Clock::now();
      if (now >= deadline) throw Error(LockTimeoutMessage(timeout, redacted_url_));
      std::this_thread::sleep_for(
          std::min<Clock::duration>(std::chrono::milliseconds(100), deadline - now));
    }
  }
  lock_key_ = key;
  lock_held_ = true;
}

void PostgresConnection::ReleaseMigrationLock() {
  if (!lock_held_) return;
  lock_held_ = false;
  // A lost connection took the lock with it.
  if (Pq().PQstatus(conn_) != CONNECTION_OK) return;
  Query("SELECT pg_advisory_unlock($1::bigint)", {std::to_string(lock_key_)});
}

bool PostgresConnection::TableExists(const std::string& schema, const std::string& table) {
  // Tables and partitioned tables; views and sequences are not tables.
  return !Query(
              "SELECT 1 FROM pg_catalog.pg_class c "
              "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
              "WHERE c.relname = $1 AND n.nspname = COALESCE(NULLIF($2, ''), current_schema()) "
              "AND c.relkind IN ('r', 'p')",
              {table, schema})
              .empty();
}

std::vector<std::string> PostgresConnection::TableColumns(const std::string& schema,
                                                          const std::string& table) {
  std::vector<std::string> columns;
  for (const Row& row : Query("SELECT a.attname FROM pg_catalog.pg_attribute a "
                              "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
                              "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                              "WHERE c.relname = $1 "
                              "AND n.nspname = COALESCE(NULLIF($2, ''), current_schema()) "
                              "AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                              {table, schema})) {
    columns.push_back(row.at(0).value_or(""));
  }
  return columns;
}

std::string PostgresConnection::CurrentSchema() {
  // NULL when no schema of the search_path exists.
  return Query("SELECT current_schema()").at(0).at(0).value_or("");
}

}  // namespace retort::driver
