#include "driver/sqlite_connection.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <filesystem>
#include <memory>
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
  std::unique_ptr<SqliteConnection> connection(new SqliteConnection(raw));
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

void SqliteConnection::AcquireMigrationLock(const std::string& /*key*/) {
  if (lock_held_) return;
  if (InTransaction()) throw Error("AcquireMigrationLock called inside a transaction");
  // A plain BEGIN IMMEDIATE would be released by the first COMMIT, but a run
  // commits several times (transaction_per_migration, `Transactional: no`
  // revisions) and must keep other runs out until it is done, as
  // PostgreSQL's session advisory lock does. In EXCLUSIVE locking mode SQLite
  // keeps the lock taken by BEGIN EXCLUSIVE across commits, in rollback
  // journal and WAL mode alike, until locking_mode is NORMAL again and the
  // database is next read. Other runs wait on the busy timeout meanwhile
  // (readers too: the price of planning once per run).
  Exec("PRAGMA locking_mode=EXCLUSIVE");
  try {
    Exec("BEGIN EXCLUSIVE");
  } catch (const Error& e) {
    Exec("PRAGMA locking_mode=NORMAL");
    throw Error(
        fmt::format("Gave up after {} s waiting for the database lock held by another run: {}",
                    kBusyTimeoutMs / 1000, e.what()));
  }
  Exec("COMMIT");
  lock_held_ = true;
}

void SqliteConnection::ReleaseMigrationLock() {
  if (!lock_held_) return;
  Exec("PRAGMA locking_mode=NORMAL");
  // The lock goes only when the database is next accessed.
  Query("SELECT 1 FROM sqlite_master LIMIT 1");
  lock_held_ = false;
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

}  // namespace retort::driver
