#include "driver/sqlite_connection.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
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

// Who holds a write lock on `path`, if the kernel says: SQLite's locks are
// fcntl() locks, which /proc/locks lists with the holder's pid. "sqlite3
// (pid 4242)", or "" when it is not knowable (another machine over NFS, no
// /proc, a lock taken by this process).
std::string LockHolder(const std::string& path) {
  struct stat st {};
  if (path.empty() || ::stat(path.c_str(), &st) != 0) return "";
  std::string inode = fmt::format("{:02x}:{:02x}:{}", major(st.st_dev), minor(st.st_dev),
                                  static_cast<unsigned long>(st.st_ino));
  std::ifstream locks("/proc/locks");
  std::string line;
  while (std::getline(locks, line)) {
    std::istringstream fields(line);
    std::string number, kind, advisory, mode, pid, device;
    fields >> number >> kind >> advisory >> mode >> pid >> device;
    if (kind == "->") continue;  // a waiter, not a holder
    if (mode != "WRITE" || device != inode || pid == std::to_string(::getpid())) continue;
    std::ifstream comm("/proc/" + pid + "/comm");
    std::string name;
    std::getline(comm, name);
    return name.empty() ? fmt::format("pid {}", pid) : fmt::format("{} (pid {})", name, pid);
  }
  return "";
}

// Opens (creating if needed) the migration lock file beside `database`.
// Whoever may write the database may take the lock: a new file gets the
// database file's group and permission bits (umask aside), and an existing
// one this user cannot write is opened read-only, which flock() accepts.
int OpenLockFile(const std::string& path, const char* database) {
  struct stat db {};
  bool have_db = ::stat(database, &db) == 0;
  mode_t mode = have_db ? (db.st_mode & 0666) : 0644;
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd >= 0) {
    if (have_db) {
      // Best effort: a user outside the database's group cannot give it away.
      if (::fchown(fd, static_cast<uid_t>(-1), db.st_gid) != 0) {
      }
      ::fchmod(fd, mode);
    }
    return fd;
  }
  if (errno != EEXIST) return -1;
  fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0 && errno == EACCES) fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  return fd;
}

std::string Seconds(int milliseconds) {
  return milliseconds % 1000 == 0 ? fmt::format("{}", milliseconds / 1000)
                                  : fmt::format("{:g}", milliseconds / 1000.0);
}

}  // namespace

std::string SqliteConnection::ErrorText() const {
  int code = sqlite3_extended_errcode(db_) & 0xff;
  if (code != SQLITE_BUSY && code != SQLITE_LOCKED) return sqlite3_errmsg(db_);
  // SQLite's words first (what people search for), then what is going on.
  const char* file = sqlite3_db_filename(db_, "main");
  std::string path = file == nullptr ? "" : file;
  std::string holder = LockHolder(path);
  return fmt::format(
      "{}: the database is busy, another connection{} holds a lock on it; gave up after {} s "
      "({}; close that connection or retry)",
      sqlite3_errmsg(db_), holder.empty() ? "" : " (" + holder + ")", Seconds(busy_timeout_ms_),
      busy_timeout_ms_ == kBusyTimeoutMs ? "the default wait; set lock_timeout to change it"
                                         : "lock_timeout");
}

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
  // SQLite opens lazily: read the header now so that a file that is not a
  // database fails here, with the URL named, rather than mid-migration. Not
  // waiting for locks: a database another program has locked is busy, not
  // unreachable, and the statements that follow wait for it as long as the
  // run's lock_timeout says (SetLockWait), then say so.
  sqlite3_busy_timeout(raw, 0);
  try {
    connection->Query("PRAGMA schema_version");
  } catch (const Error& e) {
    int code = sqlite3_extended_errcode(raw) & 0xff;
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED) {
      throw Error(fmt::format("Can't connect to {}: {}", url.Redacted(), e.what()));
    }
  }
  sqlite3_busy_timeout(raw, connection->busy_timeout_ms_);
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
    if (rc != SQLITE_OK) throw StatementError(ErrorText(), pos);
    if (statement != nullptr) {
      do {
        rc = sqlite3_step(statement.get());
      } while (rc == SQLITE_ROW);
      if (rc != SQLITE_DONE) throw StatementError(ErrorText(), pos);
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
  if (rc != SQLITE_OK) throw Error(ErrorText());
  if (statement == nullptr) return {};
  for (std::size_t i = 0; i < params.size(); ++i) {
    rc = sqlite3_bind_text(statement.get(), static_cast<int>(i + 1), params[i].data(),
                           static_cast<int>(params[i].size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw Error(ErrorText());
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
  if (rc != SQLITE_DONE) throw Error(ErrorText());
  return rows;
}

long long SqliteConnection::ChangedRows() { return sqlite3_changes64(db_); }

void SqliteConnection::Preload() {
  // Preparing any statement that names a table parses the schema; nothing
  // runs. Not waiting: a database another program has locked is read later,
  // under the run's own lock_timeout.
  sqlite3_busy_timeout(db_, 0);
  sqlite3_stmt* raw = nullptr;
  sqlite3_prepare_v2(db_, "SELECT 1 FROM sqlite_master", -1, &raw, nullptr);
  sqlite3_finalize(raw);
  sqlite3_busy_timeout(db_, busy_timeout_ms_);
}

void SqliteConnection::ExecuteBatch(std::string_view sql,
                                    const std::vector<std::vector<std::string>>& rows) {
  if (rows.empty()) return;
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementPtr statement(raw);
  if (rc != SQLITE_OK) throw StatementError(ErrorText(), 0);
  if (statement == nullptr) return;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    sqlite3_reset(statement.get());
    for (std::size_t p = 0; p < rows[i].size(); ++p) {
      // SQLITE_STATIC: the row outlives the step that reads it.
      rc = sqlite3_bind_text(statement.get(), static_cast<int>(p + 1), rows[i][p].data(),
                             static_cast<int>(rows[i][p].size()), SQLITE_STATIC);
      if (rc != SQLITE_OK) throw StatementError(ErrorText(), i);
    }
    while ((rc = sqlite3_step(statement.get())) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw StatementError(ErrorText(), i);
  }
}

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
  // lock_timeout bounds waiting for other programs' SQLite locks too.
  if (timeout > std::chrono::milliseconds::zero()) {
    busy_timeout_ms_ = static_cast<int>(std::min<long long>(timeout.count(), 1'000'000'000));
    sqlite3_busy_timeout(db_, busy_timeout_ms_);
  }
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
  int fd = OpenLockFile(path, file);
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
