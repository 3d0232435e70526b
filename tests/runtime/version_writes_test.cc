// The version- and history-table writes of a run (issue 15): online in one
// transaction they are folded into their net result (one DELETE, one
// INSERT, one history statement); --sql and per-migration runs keep
// Alembic's statement per head change. Real SQLite files.
#include "runtime/version_writes.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "dialect/dialect.h"
#include "dialect/history_table.h"
#include "driver/connection.h"
#include "retort/database_url.h"
#include "runtime/run_command.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::runtime {
namespace {

using graph::VersionChange;
using test::RevisionSpec;
using test::TempProject;
using Strings = std::vector<std::string>;
using Kind = VersionChange::Kind;

// a1 -> b2 -> c3, each creating one table.
std::vector<RevisionSpec> Linear() {
  return {test::TableRevision("a1", {}, "users"), test::TableRevision("b2", {"a1"}, "posts"),
          test::TableRevision("c3", {"b2"}, "tags")};
}

// "revision|revises" of every history row, sorted (revises NULL: "-").
Strings HistoryRows(const TempProject& project) {
  return test::QueryColumn(project.db(),
                           "SELECT revision || '|' || COALESCE(revises, '-') FROM "
                           "retort_version_history ORDER BY revision");
}

HistoryWrite Applied(const std::string& revision, const std::string& revises) {
  return HistoryWrite{.revision = revision,
                      .applied = true,
                      .checksum = "sum-" + revision,
                      .duration_ms = 1,
                      .revises = revises};
}

HistoryWrite Removed(const std::string& revision) {
  return HistoryWrite{.revision = revision,
                      .applied = false,
                      .checksum = {},
                      .duration_ms = 0,
                      .revises = std::nullopt};
}

Strings Sql(const std::vector<VersionWrite>& writes) {
  Strings sql;
  for (const VersionWrite& write : writes) sql.push_back(write.sql);
  return sql;
}

const dialect::Dialect& Sqlite() { return dialect::ForName("sqlite"); }
const dialect::VersionTable kTable{"", "retort_version"};
const dialect::VersionTable kHistory{"", "retort_version_history"};

TEST(VersionWritesTest, ThreeRevisionRunWritesTheVersionRowAndEveryHistoryRow) {
  TempProject project(Linear());
  RunCommand(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"c3"});
  EXPECT_EQ(HistoryRows(project), (Strings{"a1|", "b2|a1", "c3|b2"}));
  // Each row carries its file's checksum, as the integrity check reads it.
  RunCommand again(project);
  EXPECT_TRUE(again.Upgrade("head").empty());
  EXPECT_EQ(test::QueryColumn(project.db(),
                              "SELECT count(*) FROM retort_version_history WHERE "
                              "length(checksum) = 64 AND applied_at LIKE '____-__-__T__:__:__Z'"),
            Strings{"3"});

  RunCommand(project).Downgrade("a1");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"});
  EXPECT_EQ(HistoryRows(project), Strings{"a1|"});
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"retort_version", "retort_version_history", "users"}));
  RunCommand(project).Upgrade("head");
  RunCommand(project).Downgrade("base");
  EXPECT_TRUE(test::VersionRows(project.db()).empty());
  EXPECT_TRUE(HistoryRows(project).empty());
}

TEST(VersionWritesTest, FoldedUpgradeIsOneVersionInsertAndOneHistoryInsert) {
  PendingVersionWrites pending(Sqlite(), kTable, kHistory, {}, /*fold=*/true);
  pending.Add({{Kind::kInsert, "", "a1"}}, Applied("a1", ""));
  pending.Add({{Kind::kUpdate, "a1", "b2"}}, Applied("b2", "a1"));
  pending.Add({{Kind::kUpdate, "b2", "c3"}}, Applied("c3", "b2"));
  EXPECT_EQ(Sql(pending.Statements()),
            (Strings{Sqlite().InsertVersion(kTable, "c3"),
                     dialect::RecordAppliedRows(Sqlite(), kHistory,
                                                {{"a1", "sum-a1", 1, ""},
                                                 {"b2", "sum-b2", 1, "a1"},
                                                 {"c3", "sum-c3", 1, "b2"}})}));
  EXPECT_NE(pending.Statements()[1].sql.find("VALUES ('a1', 'sum-a1', "), std::string::npos);
  EXPECT_NE(pending.Statements()[1].sql.find("), ('c3', 'sum-c3', "), std::string::npos);
}

TEST(VersionWritesTest, FoldedDowngradeIsOneUpdateAndOneHistoryDelete) {
  PendingVersionWrites pending(Sqlite(), kTable, kHistory, {"c3"}, /*fold=*/true);
  pending.Add({{Kind::kUpdate, "c3", "b2"}}, Removed("c3"));
  pending.Add({{Kind::kUpdate, "b2", "a1"}}, Removed("b2"));
  std::vector<VersionWrite> writes = pending.Statements();
  EXPECT_EQ(Sql(writes),
            (Strings{"UPDATE retort_version SET version_num='a1' WHERE "
                     "retort_version.version_num = 'c3'",
                     "DELETE FROM retort_version_history WHERE revision IN ('c3', 'b2')"}));
  ASSERT_TRUE(writes[0].expected.has_value());
  EXPECT_EQ(*writes[0].expected,
            "Online migration expected to match one row when updating 'c3' to 'b2' in "
            "'retort_version'; ");
  EXPECT_EQ(writes[0].rows, 1);
}

TEST(VersionWritesTest, FoldedDowngradeToBaseIsOneDeleteAndOneHistoryDelete) {
  PendingVersionWrites pending(Sqlite(), kTable, kHistory, {"b2"}, /*fold=*/true);
  pending.Add({{Kind::kUpdate, "b2", "a1"}}, Removed("b2"));
  pending.Add({{Kind::kDelete, "a1", ""}}, Removed("a1"));
  std::vector<VersionWrite> writes = pending.Statements();
  EXPECT_EQ(Sql(writes),
            (Strings{"DELETE FROM retort_version WHERE retort_version.version_num = 'b2'",
                     "DELETE FROM retort_version_history WHERE revision IN ('b2', 'a1')"}));
  EXPECT_EQ(*writes[0].expected,
            "Online migration expected to match one row when updating 'b2' to 'a1' in "
            "'retort_version'; ");
}

TEST(VersionWritesTest, FoldedMergeDeletesEveryOldHeadInOneCountedStatement) {
  PendingVersionWrites pending(Sqlite(), kTable, kHistory, {"x1", "y1"}, /*fold=*/true);
  pending.Add({{Kind::kDelete, "x1", ""}, {Kind::kUpdate, "y1", "m2"}}, Applied("m2", "x1, y1"));
  pending.Add({{Kind::kUpdate, "m2", "n3"}}, Applied("n3", "m2"));
  pending.Add({{Kind::kInsert, "", "z9"}}, std::nullopt);  // a stamp-like step: no history
  std::vector<VersionWrite> writes = pending.Statements();
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[0].sql,
            "DELETE FROM retort_version WHERE retort_version.version_num IN ('x1', 'y1')");
  EXPECT_EQ(writes[0].rows, 2);
  EXPECT_EQ(*writes[0].expected,
            "Online migration expected to match 2 rows when deleting 'x1', updating 'y1' to 'm2' "
            "in 'retort_version'; ");
  EXPECT_EQ(writes[1].sql, "INSERT INTO retort_version (version_num) VALUES ('n3'), ('z9')");
  EXPECT_FALSE(writes[1].expected.has_value());
}

TEST(VersionWritesTest, PerStepWritesStayAlembicsStatements) {
  PendingVersionWrites pending(Sqlite(), kTable, kHistory, {}, /*fold=*/false);
  pending.Add({{Kind::kInsert, "", "a1"}}, Applied("a1", ""));
  pending.Add({{Kind::kUpdate, "a1", "b2"}}, Applied("b2", "a1"));
  EXPECT_EQ(Sql(pending.Statements()),
            (Strings{Sqlite().InsertVersion(kTable, "a1"),
                     dialect::RecordApplied(Sqlite(), kHistory, "a1", "sum-a1", 1, ""),
                     Sqlite().UpdateVersion(kTable, "a1", "b2"),
                     dialect::RecordApplied(Sqlite(), kHistory, "b2", "sum-b2", 1, "a1")}));
}

// Online on SQLite the folded history INSERT runs as one prepared one-row
// statement per row: the rows are exactly those of the multi-row INSERT
// that --sql-style callers see in Statements() (values and their types).
TEST(VersionWritesTest, SqliteBatchedHistoryRowsEqualTheMultiRowInsert) {
  test::TempDir dir;
  auto rows_of = [&](const std::string& name, bool batched) {
    std::unique_ptr<driver::Connection> db =
        driver::Connect(DatabaseUrl::Parse("sqlite:///" + (dir / name).string()));
    db->ExecuteScript(Sqlite().CreateVersionTable(kTable));
    db->ExecuteScript(dialect::CreateHistoryTable(Sqlite(), kHistory));
    db->ExecuteScript(dialect::RecordAppliedRows(Sqlite(), kHistory, {{"b2", "old", 9, "zz"}}));
    PendingVersionWrites pending(Sqlite(), kTable, kHistory, {}, /*fold=*/true);
    pending.Add({{Kind::kInsert, "", "a1"}}, Applied("a1", ""));
    pending.Add({{Kind::kUpdate, "a1", "b2"}}, Applied("b2", "a1"));
    pending.Add({{Kind::kUpdate, "b2", "c3"}}, Applied("c3", "b2"));
    std::vector<VersionWrite> writes = pending.Statements();
    EXPECT_FALSE(writes.back().batch_sql.empty());
    EXPECT_EQ(writes.back().batch_rows.size(), 3u);
    SqlSink sink = SqlSink::Online(*db, Sqlite());
    db->Begin();
    if (batched) {
      pending.Flush(sink);
    } else {
      for (const VersionWrite& write : writes) db->ExecuteScript(write.sql);
    }
    db->Commit();
    Strings rows;
    for (const driver::Row& row :
         db->Query("SELECT revision || '|' || checksum || '|' || typeof(applied_at) || '|' || "
                   "duration_ms || '|' || typeof(duration_ms) || '|' || quote(revises) FROM "
                   "retort_version_history ORDER BY revision")) {
      rows.push_back(row.at(0).value_or("NULL"));
    }
    for (const driver::Row& row : db->Query("SELECT version_num FROM retort_version")) {
      rows.push_back(row.at(0).value_or("NULL"));
    }
    return rows;
  };
  Strings batched = rows_of("batched.db", true);
  EXPECT_EQ(batched, rows_of("multirow.db", false));
  EXPECT_EQ(batched, (Strings{"a1|sum-a1|text|1|integer|''", "b2|sum-b2|text|1|integer|'a1'",
                              "c3|sum-c3|text|1|integer|'b2'", "c3"}));
}

TEST(VersionWritesTest, FoldingChangesNothingButTheStatements) {
  // The same graph (a branch and a merge) run folded (default) and per
  // migration ends with the same version and history rows.
  std::vector<RevisionSpec> graph = {
      test::TableRevision("a1", {}, "t_a1"),     test::TableRevision("b2", {"a1"}, "t_b2"),
      test::TableRevision("c2", {"a1"}, "t_c2"), test::TableRevision("d3", {"b2", "c2"}, "t_d3"),
      test::TableRevision("e4", {"d3"}, "t_e4"),
  };
  TempProject folded(graph);
  TempProject per_step(graph, "transaction_per_migration = true");
  for (TempProject* project : {&folded, &per_step}) {
    RunCommand(*project).Upgrade("b2");
    RunCommand(*project).Upgrade("c2");
    RunCommand(*project).Upgrade("heads");
  }
  EXPECT_EQ(test::VersionRows(folded.db()), Strings{"e4"});
  EXPECT_EQ(HistoryRows(folded), HistoryRows(per_step));
  EXPECT_EQ(HistoryRows(folded), (Strings{"a1|", "b2|a1", "c2|a1", "d3|b2, c2", "e4|d3"}));
  for (TempProject* project : {&folded, &per_step}) RunCommand(*project).Downgrade("a1");
  EXPECT_EQ(test::VersionRows(folded.db()), Strings{"a1"});
  EXPECT_EQ(test::VersionRows(per_step.db()), Strings{"a1"});
  EXPECT_EQ(HistoryRows(folded), (Strings{"a1|"}));
  EXPECT_EQ(HistoryRows(per_step), (Strings{"a1|"}));
}

TEST(VersionWritesTest, VanishedVersionRowFailsWithOneLineAndChangesNothing) {
  TempProject project({
      test::TableRevision("a1", {}, "users"),
      {.id = "b2", .revises = {"a1"}, .upgrade = "DELETE FROM retort_version;"},
      test::TableRevision("c3", {"b2"}, "tags"),
  });
  RunCommand(project).Upgrade("a1");
  const std::string before = test::FullDump(project.db());
  const std::string error = ErrorOf([&] { RunCommand(project).Upgrade("head"); });
  EXPECT_EQ(error,
            "Online migration expected to match one row when updating 'a1' to 'b2' in "
            "'retort_version'; 0 found; rolled back b2 and c3: the database is as it was before "
            "this run");
  EXPECT_EQ(error.find('\n'), std::string::npos);
  EXPECT_EQ(test::FullDump(project.db()), before);
}

TEST(VersionWritesTest, VanishedHeadOfAMergeIsCaughtByTheCount) {
  TempProject project({
      test::TableRevision("a1", {}, "t_a1"),
      test::TableRevision("b2", {"a1"}, "t_b2"),
      test::TableRevision("c2", {"a1"}, "t_c2"),
      {.id = "d3",
       .revises = {"b2", "c2"},
       .upgrade = "DELETE FROM retort_version WHERE version_num = 'c2';"},
  });
  RunCommand(project).Upgrade("b2");
  RunCommand(project).Upgrade("c2");
  ASSERT_EQ(test::VersionRows(project.db()), (Strings{"b2", "c2"}));
  const std::string before = test::FullDump(project.db());
  const std::string error = ErrorOf([&] { RunCommand(project).Upgrade("heads"); });
  EXPECT_NE(error.find("Online migration expected to match 2 rows when "), std::string::npos)
      << error;
  EXPECT_NE(error.find("in 'retort_version'; 1 found; rolled back d3"), std::string::npos) << error;
  EXPECT_EQ(test::FullDump(project.db()), before);
}

}  // namespace
}  // namespace retort::runtime
