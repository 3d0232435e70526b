#include "testing/sqlite_inspect.h"

#include <sqlite3.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "fmt/format.h"

namespace retort::test {
namespace {

struct CloseDb {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using DbHandle = std::unique_ptr<sqlite3, CloseDb>;

struct FinalizeStmt {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using StmtHandle = std::unique_ptr<sqlite3_stmt, FinalizeStmt>;

// nullptr when the file does not exist.
DbHandle OpenReadOnly(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return nullptr;
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) {
    throw std::runtime_error(fmt::format("cannot open {}: {}", path.string(),
                                         raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), 10000);
  return db;
}

// Every row of `sql`, each as its columns' text ("NULL" for null).
std::vector<std::vector<std::string>> Query(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    throw std::runtime_error(fmt::format("{}: {}", sql, sqlite3_errmsg(db)));
  }
  StmtHandle stmt(raw);
  std::vector<std::vector<std::string>> rows;
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt.get()); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt.get(), i);
      row.push_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(std::move(row));
  }
  if (rc != SQLITE_DONE) {
    throw std::runtime_error(fmt::format("{}: {}", sql, sqlite3_errmsg(db)));
  }
  return rows;
}

bool HasTable(sqlite3* db, const std::string& table) {
  return !Query(db, fmt::format("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '{}'",
                                table))
              .empty();
}

std::string QuoteIdentifier(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

std::vector<std::string> TableNames(const std::filesystem::path& path) {
  DbHandle db = OpenReadOnly(path);
  if (!db) return {};
  std::vector<std::string> names;
  for (const auto& row : Query(db.get(),
                               "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                               "LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")) {
    names.push_back(row[0]);
  }
  return names;
}

std::vector<std::string> VersionRows(const std::filesystem::path& path, const std::string& table) {
  DbHandle db = OpenReadOnly(path);
  if (!db || !HasTable(db.get(), table)) return {};
  std::vector<std::string> rows;
  for (const auto& row :
       Query(db.get(), fmt::format("SELECT version_num FROM {}", QuoteIdentifier(table)))) {
    rows.push_back(row[0]);
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string SchemaDump(const std::filesystem::path& path) {
  DbHandle db = OpenReadOnly(path);
  if (!db) return "";
  std::string dump;
  for (const auto& row :
       Query(db.get(), "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")) {
    dump += fmt::format("{}|{}|{}|{}\n", row[0], row[1], row[2], row[3]);
  }
  return dump;
}

std::string FullDump(const std::filesystem::path& path) {
  std::string dump = SchemaDump(path);
  DbHandle db = OpenReadOnly(path);
  if (!db) return dump;
  for (const std::string& table : TableNames(path)) {
    std::vector<std::string> lines;
    for (const auto& row :
         Query(db.get(), fmt::format("SELECT * FROM {}", QuoteIdentifier(table)))) {
      std::string line;
      for (const std::string& value : row) line += value + "|";
      lines.push_back(line);
    }
    std::sort(lines.begin(), lines.end());
    dump += "-- " + table + "\n";
    for (const std::string& line : lines) dump += line + "\n";
  }
  return dump;
}

std::vector<std::string> QueryColumn(const std::filesystem::path& path, const std::string& sql) {
  DbHandle db = OpenReadOnly(path);
  if (!db) throw std::runtime_error("no database file " + path.string());
  std::vector<std::string> values;
  for (const auto& row : Query(db.get(), sql)) values.push_back(row.empty() ? "" : row[0]);
  return values;
}

void ExecSql(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);
  if (rc != SQLITE_OK) throw std::runtime_error("cannot open " + path.string());
  char* error = nullptr;
  if (sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(fmt::format("{}: {}", sql, message));
  }
}

}  // namespace retort::test
