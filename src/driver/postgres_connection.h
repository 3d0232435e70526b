#ifndef RETORT_DRIVER_POSTGRES_CONNECTION_H_
#define RETORT_DRIVER_POSTGRES_CONNECTION_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driver/connection.h"
#include "retort/database_url.h"

// Declared here so that libpq-fe.h stays inside postgres_connection.cc.
struct pg_conn;

namespace retort::driver {

// A Connection to one PostgreSQL database through libpq.
//
// Messages: every error is one line, the server's primary message and its
// SQLSTATE (`relation "userz" does not exist (SQLSTATE 42P01)`); libpq's
// own multi-line messages are folded onto one line, and the password is
// never part of any of them.
//
// Migration lock: a session-level advisory lock keyed by a 64-bit hash of
// (database, version table schema, version table name). It survives the
// commits of a run and is released by ReleaseMigrationLock(), by closing the
// connection, or by the server when the client dies.
class PostgresConnection final : public Connection {
 public:
  // Connects with the URL's user, password, host, port and database, plus
  // every query parameter as a libpq keyword (sslmode, connect_timeout,
  // application_name, ...). Throws Error "Can't connect to <redacted url>:
  // <libpq's reason>".
  static std::unique_ptr<PostgresConnection> Open(const DatabaseUrl& url);

  ~PostgresConnection() override;
  PostgresConnection(const PostgresConnection&) = delete;
  PostgresConnection& operator=(const PostgresConnection&) = delete;

  std::string_view dialect() const override { return "postgresql"; }
  // Statement by statement (SplitPostgresStatements), so that a failure
  // names where the failing statement starts.
  void ExecuteScript(std::string_view sql) override;
  // `$1`, `$2`, ... parameters, bound as text.
  std::vector<Row> Query(std::string_view sql,
                         const std::vector<std::string>& params = {}) override;
  long long ChangedRows() override { return changed_rows_; }
  // One simple-query message holding every statement (one round trip, as
  // psql -c "a; b" does); one result per statement tells each row count and
  // which one failed. Inside a transaction block the failure aborts it;
  // outside one the server runs the message as one implicit transaction.
  std::vector<long long> ExecuteEach(const std::vector<std::string>& statements) override;

  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override;

  void AcquireMigrationLock(const std::string& schema, const std::string& table,
                            std::chrono::milliseconds timeout) override;
  void ReleaseMigrationLock() override;

  // An empty schema means current_schema(), where an unqualified CREATE
  // TABLE puts the table.
  bool TableExists(const std::string& schema, const std::string& table) override;
  std::vector<std::string> TableColumns(const std::string& schema,
                                        const std::string& table) override;
  std::string CurrentSchema() override;

  // The advisory lock key for a version table: FNV-1a over the three names,
  // so every retort build agrees on it.
  static std::int64_t LockKey(std::string_view database, std::string_view schema,
                              std::string_view table);

 private:
  PostgresConnection(pg_conn* conn, const DatabaseUrl& url);
  // Runs one statement; throws Error with the server's message.
  void Exec(std::string_view sql);
  // The one-line message of the connection's last failure.
  std::string LastError() const;

  pg_conn* conn_;
  std::string redacted_url_;
  std::string password_;  // only to scrub it from messages, never printed
  long long changed_rows_ = 0;
  bool lock_held_ = false;
  std::int64_t lock_key_ = 0;
};

}  // namespace retort::driver

#endif  // RETORT_DRIVER_POSTGRES_CONNECTION_H_
