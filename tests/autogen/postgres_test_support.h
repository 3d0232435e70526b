#ifndef RETORT_TESTS_AUTOGEN_POSTGRES_TEST_SUPPORT_H_
#define RETORT_TESTS_AUTOGEN_POSTGRES_TEST_SUPPORT_H_

// The autogenerate correctness property on the real PostgreSQL server: with
// a database at schema A (holding rows) and B declared, the rendered upgrade
// leaves the database equal to B (inspected, and Compare finds nothing
// more), and the rendered downgrade gives back A exactly with the rows of
// the surviving tables intact.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "autogen/compare.h"
#include "autogen/operation.h"
#include "autogen/render.h"
#include "autogen/sql_text.h"
#include "driver/connection.h"
#include "retort/database_url.h"
#include "schema/snapshot.h"
#include "testing/postgres_server.h"

namespace retort::autogen::testing {

// The statements as a revision holds them, destructive ones under their
// comment.
inline std::string PostgresScript(const std::vector<RenderedStatement>& statements) {
  std::string out;
  for (const RenderedStatement& statement : statements) {
    if (!statement.comment.empty()) out += "-- " + statement.comment + "\n";
    out += statement.sql + "\n";
  }
  return out;
}

// One scratch database for a whole test, emptied between schemas:
// creating a database costs a second, emptying it a few milliseconds.
class PostgresDatabase {
 public:
  explicit PostgresDatabase(const std::string& server_url)
      : scratch_(server_url), connection_(driver::Connect(DatabaseUrl::Parse(scratch_.url()))) {}

  void Exec(const std::string& sql) { connection_->ExecuteScript(sql); }
  schema::Snapshot Snapshot() { return schema::TakeSnapshot(*connection_, {}); }

  // Drops every user schema (with all it holds) and recreates an empty
  // `public`.
  void Reset() {
    Exec(R"sql(
DO $reset$
DECLARE s record;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
            WHERE nspname NOT IN ('pg_catalog', 'information_schema')
              AND nspname NOT LIKE 'pg\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s.nspname);
  END LOOP;
END
$reset$;
CREATE SCHEMA public;
)sql");
  }

  // In one transaction, as `retort upgrade` runs a revision.
  void Apply(const std::vector<RenderedStatement>& statements) {
    connection_->Begin();
    try {
      connection_->ExecuteScript(PostgresScript(statements));
      connection_->Commit();
    } catch (...) {
      connection_->Rollback();
      throw;
    }
  }

  // Every row of `table`, restricted to `columns`, as sorted text.
  std::vector<std::string> Rows(const std::string& table, const std::vector<std::string>& columns) {
    std::vector<std::string> parts;
    for (const auto& c : columns) parts.push_back("coalesce(" + QuoteName(c) + "::text, 'NULL')");
    std::string select =
        parts.empty() ? "'row'" : fmt::format("{}", fmt::join(parts, " || '|' || "));
    std::vector<std::string> rows;
    for (const driver::Row& row : connection_->Query(
             fmt::format("SELECT {} FROM {} ORDER BY 1", select, QuoteName(table)))) {
      rows.push_back(row[0] ? *row[0] : "NULL");
    }
    return rows;
  }

 private:
  test::ScratchPostgresDatabase scratch_;
  std::unique_ptr<driver::Connection> connection_;
};

inline std::string Lines(const std::vector<std::string>& lines) {
  return fmt::format("{}", fmt::join(lines, "\n"));
}

inline std::string Described(const std::vector<Operation>& ops) {
  std::vector<std::string> lines;
  for (const auto& op : ops) lines.push_back(Describe(op));
  return Lines(lines);
}

struct RoundTripCase {
  std::string name;
  std::string a;     // schema A, built in the database
  std::string rows;  // inserted into A before the upgrade
  std::string b;     // schema B, declared
  RenameHints hints{};
};

// Tables of A that survive into B with their surviving columns, under A's
// names.
inline std::map<std::string, std::vector<std::string>> SurvivingColumns(const schema::Snapshot& a,
                                                                        const schema::Snapshot& b,
                                                                        const RenameHints& hints) {
  std::map<std::string, std::string> new_of_old;
  for (const auto& t : b.tables) new_of_old[t.name] = t.name;
  for (const auto& [new_name, old_name] : hints.tables) {
    // A hint for a table B does not have is stale: Compare ignores it.
    if (new_of_old.contains(new_name)) new_of_old[old_name] = new_name;
  }
  std::set<std::pair<std::string, std::string>> b_columns;
  for (const auto& c : b.columns) b_columns.insert({c.table, c.name});
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& c : a.columns) {
    auto table = new_of_old.find(c.table);
    if (table == new_of_old.end()) continue;
    std::string column = c.name;
    for (const auto& [key, old_column] : hints.columns) {
      if (key.first == table->second && old_column == c.name) column = key.second;
    }
    auto& columns = out[c.table];
    if (b_columns.contains({table->second, column})) columns.push_back(c.name);
  }
  return out;
}

// Runs the property; failures name `label` (the case or the seed).
inline void CheckRoundTrip(PostgresDatabase* shared, const RoundTripCase& c,
                           const std::string& label) {
  SCOPED_TRACE(label);
  PostgresDatabase& database = *shared;
  database.Reset();
  database.Exec(c.b);
  schema::Snapshot b = database.Snapshot();
  database.Reset();
  database.Exec(c.a);
  if (!c.rows.empty()) database.Exec(c.rows);
  schema::Snapshot a = database.Snapshot();
  auto surviving = SurvivingColumns(a, b, c.hints);
  std::map<std::string, std::vector<std::string>> rows_before;
  for (const auto& [table, columns] : surviving) rows_before[table] = database.Rows(table, columns);

  Comparison comparison = Compare(a, b, c.hints);
  std::vector<RenderedStatement> upgrade = RenderPostgresql(comparison.operations, a, b);
  std::string context = fmt::format("A:\n{}\nB:\n{}\noperations:\n{}\nupgrade:\n{}", c.a, c.b,
                                    Described(comparison.operations), PostgresScript(upgrade));
  if (std::getenv("RETORT_SHOW_SQL")) std::cerr << context << "\n";
  try {
    database.Apply(upgrade);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "upgrade failed: " << e.what() << "\n" << context;
    return;
  }
  schema::Snapshot upgraded = database.Snapshot();
  EXPECT_EQ(Lines(schema::Diff(b, upgraded)), "") << context;
  EXPECT_EQ(Described(Compare(upgraded, b).operations), "") << context;

  std::vector<RenderedStatement> downgrade = RenderPostgresql(Reverse(comparison.operations), b, a);
  context += "downgrade:\n" + PostgresScript(downgrade);
  try {
    database.Apply(downgrade);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "downgrade failed: " << e.what() << "\n" << context;
    return;
  }
  EXPECT_EQ(Lines(schema::Diff(a, database.Snapshot())), "") << context;
  for (const auto& [table, columns] : surviving) {
    EXPECT_EQ(database.Rows(table, columns), rows_before[table])
        << "rows of " << table << " changed\n"
        << context;
  }
}

}  // namespace retort::autogen::testing

#endif  // RETORT_TESTS_AUTOGEN_POSTGRES_TEST_SUPPORT_H_
