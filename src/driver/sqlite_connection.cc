#include "driver/sqlite_connection.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <thread>
#include <utility>

namespace retort::driver {
namespace {

struct StatementDeleter {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StatementPtr = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// The position of the first character at or after `pos` that is neither
// whitespace nor inside a comment. Error offsets point there, so that the
// line the runtime reports is the statement's own line, not the line of the
// comment above it.
std::size_t SkipSpaceAndComments(std::string_view sql, std::size_t pos) {
  while (pos < sql.size()) {
    char c = sql[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++pos;
    } else if (sql.substr(pos, 2) == "--") {
      std::size_t end = sql.find('\n', pos);
      pos = end == std::string_view::npos ? sql.size() : end + 1;
    } else if (sql.substr(pos, 2) == "/*") {
      std::size_t end = sql.find("*/", pos + 2);
      pos = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  return pos;
}

}  // namespace

std::unique_ptr<SqliteConnection> SqliteConnection::Open(const DatabaseUrl& url) {
  const std::string path = url.in_memory() ? std::string(":memory:") : url.path();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  // The handle exists even when opening failed and must be closed; own it
  // before anything can throw.
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(raw, url.Redacted()));
  if (rc != SQLITE_OK) {
    std::string why = raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    std::filesystem::path folder = std::filesystem::path(path).parent_path();
    std::error_code ignored;
    if (!folder.empty() && !std::filesystem::is_directory(folder, ignored)) {
      why += fmt::format(" (folder '{}' does not exist)", folder.string());
    }
    throw Error(fmt::format("Can't connect to {}: {}", url.Redacted(), why));
  }
  sqlite3_busy_timeout(raw, kBusyTimeoutMs);
  // SQLite opens lazily: read the header now so that a file that is not a
  // database fails here, with the URL named, rather than mid-migration.
  try {
    connection->Query("PRAGMA schema_version");
  } catch (const Error& e) {
    throw Error(fmt::format("Can't connect to {}: {}", url.Redacted(), e.what()));
  }
  return connection;
}

SqliteConnection::~SqliteConnection() {
  // Closing rolls back an open transaction and releases every lock.
  sqlite3_close_v2(db_);
  ReleaseMigrationLock();
}

void SqliteConnection::ExecuteScript(std::string_view sql) {
  std::size_t pos = 0;
  while (true) {
    pos = SkipSpaceAndComments(sql, pos);
    if (pos >= sql.size()) return;
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    // prepare_v2 + tail, not sqlite3_exec or a split on ';': SQLite itself
    // finds where each statement ends, so CREATE TRIGGER ... BEGIN ...; END;
    // and ';' inside string literals are handled.
    int rc =
        sqlite3_prepare_v2(db_, sql.data() + pos, static_cast<int>(sql.size() - pos), &raw, &tail);
    StatementPtr statement(raw);
    if (rc != SQLITE_OK) throw StatementError(sqlite3_errmsg(db_), pos);
    if (statement != nullptr) {
      do {
        rc = sqlite3_step(statement.get());
      } while (rc == SQLITE_ROW);
      if (rc != SQLITE_DONE) throw StatementError(sqlite3_errmsg(db_), pos);
    }
    std::size_t next = static_cast<std::size_t>(tail - sql.data());
    if (next <= pos) return;  // Nothing consumed: only trailing text SQLite ignores.
    pos = next;
  }
}

std::vector<Row> SqliteConnection::Query(std::string_view sql,
                                         const std::vector<std::string>& params) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementPtr statement(raw);
  if (rc != SQLITE_OK) throw Error(sqlite3_errmsg(db_));
  if (statement == nullptr) return {};
  for (std::size_t i = 0; i < params.size(); ++i) {
    rc = sqlite3_bind_text(statement.get(), static_cast<int>(i + 1), params[i].data(),
                           static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw Error(sqlite3_errmsg(db_));
  }
  std::vector<Row> rows;
  const int columns = sqlite3_column_count(statement.get());
  while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    Row row;
    row.reserve(columns);
    for (int c = 0; c < columns; ++c) {
      if (sqlite3_column_type(statement.get(), c) == SQLITE_NULL) {
        row.emplace_back(std::nullopt);
      } else {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement.get(), c));
        row.emplace_back(std::string(text, sqlite3_column_bytes(statement.get(), c)));
      }
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) throw Error(sqlite3_errmsg(db_));
  return rows;
}

long long SqliteConnection::ChangedRows() { return sqlite3_changes64(db_); }

void SqliteConnection::Exec(const char* sql) {
  try {
    ExecuteScript(sql);
  } catch (const StatementError& e) {
    throw Error(e.what());
  }
}

void SqliteConnection::Begin() { Exec("BEGIN"); }

void SqliteConnection::Commit() { Exec("COMMIT"); }

void SqliteConnection::Rollback() {
  // SQLite rolls back by itself after some errors (SQLITE_FULL, ...); a
  // second ROLLBACK would then fail with "no transaction is active".
  if (InTransaction()) Exec("ROLLBACK");
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::AcquireMigrationLock(const std::string& /*schema*/,
                                            const std::string& /*table*/,
                                            std::chrono::milliseconds timeout) {
  if (lock_fd_ >= 0) return;
  const char* file = sqlite3_db_filename(db_, "main");
  // A private in-memory database has no other connections to keep out.
  if (file == nullptr || *file == '\0') return;
  // Why not SQLite's own locks: BEGIN IMMEDIATE is released by the first
  // COMMIT, but a run commits several times (transaction_per_migration,
  // `Transactional: no` revisions) and must keep other runs out until it is
  // done, as PostgreSQL's session advisory lock does. Keeping SQLite's lock
  // across commits (locking_mode=EXCLUSIVE) deadlocks waiters that each keep
  // a SHARED lock, does not work in WAL mode, and blocks every reader. So
  // the lock is an flock() on a sibling file: it never interferes with
  // SQLite's fcntl() locks (nor does closing it, which an extra descriptor on
  // the database file itself would), readers and writers that are not
  // retort go on as usual, and the kernel drops it if the process dies. The
  // file is left in place: unlinking it would let two runs lock different
  // inodes.
  std::string path = std::string(file) + "-retort-lock";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw Error(
        fmt::format("Can't create the migration lock file {}: {}", path, std::strerror(errno)));
  }
  // Without a timeout, waits as long as the other run takes, like
  // pg_advisory_lock(); with one, polls (flock has no timed wait).
  int rc;
  if (timeout <= std::chrono::milliseconds::zero()) {
    while ((rc = ::flock(fd, LOCK_EX)) != 0 && errno == EINTR) {
    }
  } else {
    using Clock = std::chrono::steady_clock;
    const Clock::time_point deadline = Clock::now() + timeout;
    while ((rc = ::flock(fd, LOCK_EX | LOCK_NB)) != 0 && (errno == EWOULDBLOCK || errno == EINTR)) {
      Clock::time_point now = Clock::now();
      if (now >= deadline) {
        ::close(fd);
        throw Error(LockTimeoutMessage(timeout, redacted_url_));
      }
      std::this_thread::sleep_for(
          std::min<Clock::duration>(std::chrono::milliseconds(50), deadline - now));
    }
  }
  if (rc != 0) {
    int error = errno;
    ::close(fd);
    throw Error(fmt::format("Can't lock {}: {}", path, std::strerror(error)));
  }
  lock_fd_ = fd;
}

void SqliteConnection::ReleaseMigrationLock() {
  if (lock_fd_ < 0) return;
  // Closing the descriptor releases the flock() held through it.
  ::close(lock_fd_);
  lock_fd_ = -1;
}

bool SqliteConnection::TableExists(const std::string& schema, const std::string& table) {
  // An attached database is SQLite's schema; "main" is the default one.
  std::string database = schema.empty() ? "main" : schema;
  std::string quoted;
  for (char c : database) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  auto rows = Query(fmt::format("SELECT 1 FROM \"{}\".sqlite_master WHERE type = 'table' "
                                "AND name = ?",
                                quoted),
                    {table});
  return !rows.empty();
}

std::vector<std::string> SqliteConnection::TableColumns(const std::string& schema,
                                                        const std::string& table) {
  std::vector<std::string> columns;
  // pragma_table_info's second argument is the schema (attached database).
  for (const Row& row : Query("SELECT name FROM pragma_table_info(?, ?) ORDER BY cid",
                              {table, schema.empty() ? std::string("main") : schema})) {
    columns.push_back(row.at(0).value_or(""));
  }
  return columns;
}

}  // namespace retort::driver
