#ifndef RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_
#define RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_

// Real SQLite files for the SQLite renderer's tests: load a schema, take its
// snapshot, run rendered statements in one transaction, dump rows.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "autogen/render.h"
#include "driver/connection.h"
#include "retort/database_url.h"
#include "schema/snapshot.h"

namespace retort::autogen::testing {

// The statements as a revision would hold them: each destructive one under
// its "-- DESTRUCTIVE: ..." comment.
inline std::string Script(const std::vector<RenderedStatement>& statements) {
  std::string out;
  for (const RenderedStatement& statement : statements) {
    if (!statement.comment.empty()) out += "-- " + statement.comment + "\n";
    out += statement.sql + "\n";
  }
  return out;
}

class SqliteFile {
 public:
  explicit SqliteFile(const std::filesystem::path& path)
      : connection_(driver::Connect(DatabaseUrl::Parse("sqlite:///" + path.string()))) {}

  void Exec(const std::string& sql) { connection_->ExecuteScript(sql); }

  schema::Snapshot Snapshot() { return schema::TakeSnapshot(*connection_, {}); }

  // Runs the statements in one transaction, as `retort upgrade` does; rolls
  // back and rethrows on failure.
  void Apply(const std::vector<RenderedStatement>& statements) {
    connection_->Begin();
    try {
      connection_->ExecuteScript(Script(statements));
      connection_->Commit();
    } catch (...) {
      connection_->Rollback();
      throw;
    }
  }

  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> out;
    for (const driver::Row& row : connection_->Query(sql)) out.push_back(row[0] ? *row[0] : "NULL");
    return out;
  }

  // Every row of `table`'s `columns`, each "v1|v2|...", sorted.
  std::vector<std::string> Rows(const std::string& table, const std::vector<std::string>& columns) {
    std::vector<std::string> quoted;
    for (const std::string& column : columns) quoted.push_back("quote(\"" + column + "\")");
    std::string sql =
        fmt::format("SELECT {} FROM \"{}\" ORDER BY 1", fmt::join(quoted, " || '|' || "), table);
    if (columns.empty()) sql = fmt::format("SELECT count(*) FROM \"{}\"", table);
    std::vector<std::string> rows = Column(sql);
    std::sort(rows.begin(), rows.end());
    return rows;
  }

  driver::Connection& connection() { return *connection_; }

 private:
  std::unique_ptr<driver::Connection> connection_;
};

// A snapshot of `sql` loaded into a fresh in-memory database.
inline schema::Snapshot SnapshotOf(const std::string& sql) {
  auto connection = driver::Connect(DatabaseUrl::Parse("sqlite://"));
  connection->ExecuteScript(sql);
  return schema::TakeSnapshot(*connection, {});
}

inline std::string Lines(const std::vector<std::string>& lines) {
  return fmt::format("{}", fmt::join(lines, "\n"));
}

}  // namespace retort::autogen::testing

#endif  // RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_
