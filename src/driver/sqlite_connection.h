#ifndef RETORT_DRIVER_SQLITE_CONNECTION_H_
#define RETORT_DRIVER_SQLITE_CONNECTION_H_

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "driver/connection.h"
#include "retort/database_url.h"

// Declared here so that sqlite3.h stays inside sqlite_connection.cc.
struct sqlite3;

namespace retort::driver {

// A Connection to one SQLite database file (or a private in-memory database).
//
// Concurrency: every connection waits up to kBusyTimeoutMs (or the run's
// lock_timeout, once AcquireMigrationLock is given one) for a lock held by
// another connection, then fails with "database is locked: the database is
// busy, ..." naming the holder when the kernel does. The
// migration lock is an flock() on "<database file>-retort-lock", held from
// AcquireMigrationLock() to ReleaseMigrationLock() (or until the connection
// closes or the process dies), across any number of commits: other retort
// runs wait for it, other programs' readers and writers do not.
class SqliteConnection final : public Connection {
 public:
  static constexpr int kBusyTimeoutMs = 30'000;

  // Opens (creating if needed) the database `url` names. A missing folder or
  // an unreadable file throws Error "Can't connect to <redacted url>: <why>".
  static std::unique_ptr<SqliteConnection> Open(const DatabaseUrl& url);

  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  std::string_view dialect() const override { return "sqlite"; }
  void ExecuteScript(std::string_view sql) override;
  std::vector<Row> Query(std::string_view sql,
                         const std::vector<std::string>& params = {}) override;
  long long ChangedRows() override;
  void Preload() override;
  void ExecuteBatch(std::string_view sql,
                    const std::vector<std::vector<std::string>>& rows) override;

  void Begin() override;
  void Commit() override;
  void Rollback() override;
  bool InTransaction() const override;

  void AcquireMigrationLock(const std::string& schema, const std::string& table,
                            std::chrono::milliseconds timeout) override;
  void ReleaseMigrationLock() override;

  bool TableExists(const std::string& schema, const std::string& table) override;
  std::vector<std::string> TableColumns(const std::string& schema,
                                        const std::string& table) override;
  std::string CurrentSchema() override { return "main"; }

 private:
  SqliteConnection(sqlite3* db, std::string redacted_url)
      : db_(db), redacted_url_(std::move(redacted_url)) {}
  // Runs one statement that returns no rows, throwing Error on failure.
  void Exec(const char* sql);
  // The last error's text; for SQLITE_BUSY, SQLite's "database is locked"
  // followed by who holds the lock (when /proc/locks says) and how long the
  // connection waited.
  std::string ErrorText() const;

  sqlite3* db_;
  std::string redacted_url_;  // for the lock timeout message
  int lock_fd_ = -1;          // The migration lock's descriptor, -1 when not held.
  // How long a statement waits for another connection's lock: 30 s, or the
  // run's lock_timeout (AcquireMigrationLock) when one is set.
  int busy_timeout_ms_ = kBusyTimeoutMs;
};

}  // namespace retort::driver

#endif  // RETORT_DRIVER_SQLITE_CONNECTION_H_
