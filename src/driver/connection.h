#ifndef RETORT_DRIVER_CONNECTION_H_
#define RETORT_DRIVER_CONNECTION_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retort/database_url.h"
#include "retort/error.h"

namespace retort::driver {

using Row = std::vector<std::optional<std::string>>;

// A statement the database refused. what() is the database's own message;
// offset is where the failing statement starts in the script given to
// ExecuteScript (the runtime turns it into a file line).
class StatementError : public Error {
 public:
  StatementError(const std::string& message, std::size_t offset)
      : Error(message), offset_(offset) {}
  std::size_t offset() const { return offset_; }

 private:
  std::size_t offset_;
};

// One open connection (golang-migrate's driver interface: small on purpose).
// The only code that includes sqlite3.h / libpq-fe.h / mysql.h implements this.
// Every method throws retort::Error with the database's message on failure;
// the URL appears in messages only through DatabaseUrl::Redacted().
class Connection {
 public:
  virtual ~Connection() = default;

  // "sqlite", "postgresql" or "mysql" (MariaDB too).
  virtual std::string_view dialect() const = 0;

  // Runs every statement of `sql` in order, stopping at the first failure
  // (StatementError). Comments and blank text are fine.
  virtual void ExecuteScript(std::string_view sql) = 0;
  // One statement with parameters bound as text; returns its rows. `$1`,
  // `$2`, ... work on every driver (SQLite takes them as named parameters
  // numbered in order of appearance); `?` is SQLite's only.
  virtual std::vector<Row> Query(std::string_view sql,
                                 const std::vector<std::string>& params = {}) = 0;
  // Rows changed by the last statement (for the version table's checks).
  virtual long long ChangedRows() = 0;
  // Runs `statements` (exactly one statement each) in order, stopping at
  // the first failure (StatementError, offset = the failing statement's
  // index); returns the rows each changed. PostgreSQL sends them in one
  // round trip (the version and history rows of a revision).
  virtual std::vector<long long> ExecuteEach(const std::vector<std::string>& statements) {
    std::vector<long long> changed;
    for (std::size_t i = 0; i < statements.size(); ++i) {
      try {
        ExecuteScript(statements[i]);
      } catch (const StatementError& e) {
        throw StatementError(e.what(), i);
      }
      changed.push_back(ChangedRows());
    }
    return changed;
  }

  // Runs the one statement `sql` once for each of `rows`, its parameters
  // bound as text as Query binds them, stopping at the first failure
  // (StatementError, offset = the failing row's index). SQLite prepares it
  // once (the history rows of a long run).
  virtual void ExecuteBatch(std::string_view sql,
                            const std::vector<std::vector<std::string>>& rows) {
    for (std::size_t i = 0; i < rows.size(); ++i) {
      try {
        Query(sql, rows[i]);
      } catch (const Error& e) {
        throw StatementError(e.what(), i);
      }
    }
  }

  // Loads now what the first statement would otherwise load (SQLite: the
  // whole schema, ~30 ms at 10,000 tables), without waiting for another
  // program's locks; a failure is ignored (the real statements report it).
  // Called on the thread that opens a connection early
  // (runtime::EarlyConnection), while the revision files load.
  virtual void Preload() {}

  virtual void Begin() = 0;
  virtual void Commit() = 0;
  virtual void Rollback() = 0;
  virtual bool InTransaction() const = 0;

  // Serialises concurrent retort runs on one database and version table
  // (`schema` empty = the default one), held across commits until
  // ReleaseMigrationLock() or the connection closes. Waits at most
  // `timeout` for another run to finish (zero = as long as it takes), then
  // throws Error(LockTimeoutMessage(...)). PostgreSQL: a session advisory
  // lock; SQLite: an flock() beside the database file.
  virtual void AcquireMigrationLock(const std::string& schema, const std::string& table,
                                    std::chrono::milliseconds timeout) = 0;
  virtual void ReleaseMigrationLock() = 0;

  virtual bool TableExists(const std::string& schema, const std::string& table) = 0;
  // The table's column names in order (empty when it does not exist).
  virtual std::vector<std::string> TableColumns(const std::string& schema,
                                                const std::string& table) = 0;
  // Where an unqualified table lives: "main" (SQLite), current_schema()
  // (PostgreSQL); for messages that name a table exactly.
  virtual std::string CurrentSchema() = 0;
};

// Opens a connection for the URL's backend. Throws retort::Error
// ("Can't connect to sqlite:///app.db: unable to open database file").
std::unique_ptr<Connection> Connect(const DatabaseUrl& url);

// "Timed out after 5 s waiting for the migration lock on <where> (another
// retort run holds it)", the same words for every driver.
std::string LockTimeoutMessage(std::chrono::milliseconds timeout, const std::string& where);

}  // namespace retort::driver

#endif  // RETORT_DRIVER_CONNECTION_H_
