#ifndef RETORT_DRIVER_MYSQL_CONNECTION_H_
#define RETORT_DRIVER_MYSQL_CONNECTION_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "driver/connection.h"
#include "retort/database_url.h"

// Declared here so that mysql.h stays inside mysql_connection.cc.
struct st_mysql;

namespace retort::driver {

// A Connection to one MySQL or MariaDB database through libmariadb
// (libmariadb.h), in autocommit mode between Begin() and Commit().
//
// Messages: one line, the server's message with its error number and
// SQLSTATE (`Table 'app.userz' doesn't exist (1146, SQLSTATE 42S02)`); the
// password is never part of any of them.
//
// DDL: MySQL commits the open transaction before and after every DDL
// statement, so Rollback() cannot undo one; the runtime records progress per
// statement instead (runtime/statement_progress.h, docs/mysql.md).
//
// Migration lock: GET_LOCK() on a name derived from (database, schema,
// version table), held by this session across commits until
// ReleaseMigrationLock(), closing the connection, or the server noticing the
// client died.
class MysqlConnection final : public Connection {
 public:
  // Connects with the URL's user, password, host, port and database and the
  // parameters docs/mysql.md lists (unix_socket, ssl-mode, ssl-ca, charset,
  // timeouts); utf8mb4 unless ?charset= says otherwise. Throws Error "Can't
  // connect to <redacted url>: <reason>".
  static std::unique_ptr<MysqlConnection> Open(const DatabaseUrl& url);

  ~MysqlConnection() override;
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  std::string_view dialect() const override { return "mysql"; }
  // Statement by statement (SplitMysqlStatements, DELIMITER understood).
  void ExecuteScript(std::string_view sql) override;
  // Each string sent as it is, one statement (not split again: a routine
  // body's `;` stays in it).
  std::vector<long long> ExecuteEach(const std::vector<std::string>& statements) override;
  // `$1`, `$2`, ... bound as escaped literals (the text protocol has no
  // placeholders of that form).
  std::vector<Row> Query(std::string_view sql,
                         const std::vector<std::string>& params = {}) override;
  // Rows matched (CLIENT_FOUND_ROWS), as PostgreSQL and SQLite count them.
  long long ChangedRows() override { return changed_rows_; }

  void Begin() override;
  void Commit() override;
  void Rollback() override;
  // The server's view: false again after a DDL statement committed.
  bool InTransaction() const override;

  void AcquireMigrationLock(const std::string& schema, const std::string& table,
                            std::chrono::milliseconds timeout) override;
  void ReleaseMigrationLock() override;

  // An empty schema means DATABASE(), the URL's database.
  bool TableExists(const std::string& schema, const std::string& table) override;
  std::vector<std::string> TableColumns(const std::string& schema,
                                        const std::string& table) override;
  std::string CurrentSchema() override;

  // The GET_LOCK name for a version table: "retort:" and 16 hex digits of
  // the same FNV-1a hash PostgreSQL's advisory lock uses (names are limited
  // to 64 characters).
  static std::string LockName(std::string_view database, std::string_view schema,
                              std::string_view table);

 private:
  MysqlConnection(st_mysql* conn, const DatabaseUrl& url);
  // Runs one statement and returns its result rows (none for a statement
  // without a result set); throws StatementError(message, 0).
  std::vector<Row> Run(std::string_view sql);
  // The one-line message of the connection's last failure.
  std::string LastError() const;
  std::string Quote(const std::string& value) const;

  st_mysql* conn_;
  std::string redacted_url_;
  std::string password_;  // only to scrub it from messages, never printed
  long long changed_rows_ = 0;
  bool lock_held_ = false;
  std::string lock_name_;
};

}  // namespace retort::driver

#endif  // RETORT_DRIVER_MYSQL_CONNECTION_H_
