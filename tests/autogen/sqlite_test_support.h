#ifndef RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_
#define RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_

// Real SQLite files for the SQLite renderer's tests: load a schema, take its
// snapshot, run rendered statements in one transaction, dump rows.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "autogen/compare.h"
#include "autogen/operation.h"
#include "autogen/render.h"
#include "driver/connection.h"
#include "retort/database_url.h"
#include "schema/snapshot.h"

namespace retort::autogen::testing {

inline std::string Lines(const std::vector<std::string>& lines) {
  return fmt::format("{}", fmt::join(lines, "\n"));
}

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

// One case of the correctness property: a database at schema `a` holding
// `rows`, and `b` declared.
struct SchemaPair {
  std::string name;
  std::string a, rows, b;
  RenameHints hints{};
};

// The correctness bar on SQLite: with the database at a and b
// declared, Compare + RenderSqlite in one transaction gives a database equal
// to b (no Diff, and Compare finds nothing left); the reversed operations
// give back a exactly, with every row of the tables on both sides intact
// (the columns on both sides). Empty when it holds, else what went wrong,
// with the scripts.
inline std::string CheckRoundTripOrThrow(const SchemaPair& pair, const std::filesystem::path& file);

inline std::string CheckRoundTrip(const SchemaPair& pair, const std::filesystem::path& file) {
  try {
    return CheckRoundTripOrThrow(pair, file);
  } catch (const std::exception& e) {
    return fmt::format("{}\n{}", pair.name, e.what());
  }
}

inline std::string CheckRoundTripOrThrow(const SchemaPair& pair,
                                         const std::filesystem::path& file) {
  std::filesystem::remove(file);
  SqliteFile db(file);
  db.Exec("PRAGMA synchronous = OFF");
  db.Exec(pair.a);
  db.Exec(pair.rows);
  const schema::Snapshot a = db.Snapshot();
  const schema::Snapshot b = SnapshotOf(pair.b);
  // Tables on both sides (a's name, b's name) and their common columns.
  struct Kept {
    std::string a_table, b_table;
    std::vector<std::string> columns;
  };
  std::vector<Kept> kept;
  for (const schema::Table& table : a.tables) {
    std::string b_table = table.name;
    for (const auto& [new_name, old_name] : pair.hints.tables) {
      if (old_name == table.name) b_table = new_name;
    }
    bool in_b = std::any_of(b.tables.begin(), b.tables.end(),
                            [&](const schema::Table& t) { return t.name == b_table; });
    if (!in_b) continue;
    Kept k{table.name, b_table, {}};
    for (const schema::Column& column : a.columns) {
      if (column.table != table.name) continue;
      std::string b_column = column.name;
      for (const auto& [key, old_column] : pair.hints.columns) {
        if (key.first == b_table && old_column == column.name) b_column = key.second;
      }
      bool both = std::any_of(b.columns.begin(), b.columns.end(), [&](const schema::Column& c) {
        return c.table == b_table && c.name == b_column;
      });
      if (both) k.columns.push_back(column.name);
    }
    kept.push_back(std::move(k));
  }
  std::map<std::string, std::vector<std::string>> rows_before;
  for (const Kept& k : kept) rows_before[k.a_table] = db.Rows(k.a_table, k.columns);

  std::vector<Operation> ops = Compare(a, b, pair.hints).operations;
  std::vector<RenderedStatement> up = RenderSqlite(ops, a, b);
  std::string context = fmt::format("{}\n--- upgrade:\n{}", pair.name, Script(up));
  try {
    db.Apply(up);
  } catch (const std::exception& e) {
    return fmt::format("{}\nupgrade failed: {}", context, e.what());
  }
  schema::Snapshot now = db.Snapshot();
  if (auto diff = schema::Diff(b, now); !diff.empty()) {
    return fmt::format("{}\nafter upgrade, not b:\n{}", context, Lines(diff));
  }
  if (auto left = Compare(now, b).operations; !left.empty()) {
    return fmt::format("{}\nafter upgrade, Compare(now, b) finds {}", context,
                       Describe(left.front()));
  }
  for (const Kept& k : kept) {
    if (db.Rows(k.b_table, {}) !=
        std::vector<std::string>{std::to_string(rows_before[k.a_table].size())}) {
      return fmt::format("{}\nafter upgrade, {} lost rows", context, k.b_table);
    }
  }
  std::vector<RenderedStatement> down = RenderSqlite(Reverse(ops), b, a);
  context += "--- downgrade:\n" + Script(down);
  try {
    db.Apply(down);
  } catch (const std::exception& e) {
    return fmt::format("{}\ndowngrade failed: {}", context, e.what());
  }
  now = db.Snapshot();
  if (auto diff = schema::Diff(a, now); !diff.empty()) {
    return fmt::format("{}\nafter downgrade, not a:\n{}", context, Lines(diff));
  }
  for (const Kept& k : kept) {
    std::vector<std::string> rows = db.Rows(k.a_table, k.columns);
    if (rows != rows_before[k.a_table]) {
      return fmt::format("{}\nafter downgrade, rows of {} differ:\n{}\nvs before:\n{}", context,
                         k.a_table, Lines(rows), Lines(rows_before[k.a_table]));
    }
  }
  return "";
}

}  // namespace retort::autogen::testing

#endif  // RETORT_TESTS_AUTOGEN_SQLITE_TEST_SUPPORT_H_
