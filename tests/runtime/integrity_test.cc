// The history table and integrity checks against real SQLite files: rows
// written by upgrade and removed by downgrade, refusal of edited revisions,
// adoption of databases without history, repair, tampered tables, long ids.
#include "runtime/integrity.h"

#include <gtest/gtest.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "graph/plan.h"
#include "retort/config.h"
#include "retort/error.h"
#include "runtime/migration_context.h"
#include "runtime/run_command.h"
#include "script/script_directory.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"
#include "util/checksum.h"

namespace retort::runtime {
namespace {

using test::RevisionSpec;
using test::TempProject;
using Strings = std::vector<std::string>;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))

RevisionSpec Users() {
  return {.id = "a1",
          .upgrade = "CREATE TABLE users (id INTEGER);",
          .downgrade = "DROP TABLE users;",
          .message = "add users"};
}
RevisionSpec Posts() {
  return {.id = "b2",
          .revises = {"a1"},
          .upgrade = "CREATE TABLE posts (id INTEGER);",
          .downgrade = "DROP TABLE posts;",
          .message = "add posts"};
}

// A RunCommand that checks integrity as upgrade/downgrade do (offline
// runs do not).
struct Command : RunCommand {
  explicit Command(const TempProject& project, bool offline = false)
      : RunCommand(project, Options(offline)) {}
  static RunOptions Options(bool offline) {
    RunOptions options;
    options.offline = offline;
    options.check_integrity = !offline;
    return options;
  }
};

Strings HistoryRevisions(const TempProject& project) {
  return test::QueryColumn(project.db(),
                           "SELECT revision FROM retort_version_history ORDER BY revision");
}

std::string RecordedChecksum(const TempProject& project, const std::string& revision) {
  Strings rows = test::QueryColumn(
      project.db(),
      "SELECT checksum FROM retort_version_history WHERE revision = '" + revision + "'");
  return rows.empty() ? "" : rows[0];
}

TEST(HistoryTableTest, UpgradeRecordsChecksumWhenAndHowLongDowngradeForgets) {
  TempProject project({Users(), Posts()});
  Command(project).Upgrade("head");
  EXPECT_EQ(HistoryRevisions(project), (Strings{"a1", "b2"}));
  Command check(project);
  EXPECT_EQ(RecordedChecksum(project, "a1"), ChecksumOf(check.scripts().Get("a1")));
  Strings applied_at = test::QueryColumn(
      project.db(), "SELECT applied_at FROM retort_version_history WHERE revision = 'a1'");
  ASSERT_EQ(applied_at.size(), 1u);
  EXPECT_EQ(applied_at[0].size(), 20u) << applied_at[0];  // 2025-10-24T17:40:12Z
  EXPECT_EQ(applied_at[0].back(), 'Z');
  EXPECT_EQ(test::QueryColumn(project.db(),
                              "SELECT typeof(duration_ms) FROM retort_version_history LIMIT 1"),
            Strings{"integer"});

  Command(project).Downgrade("-1");
  EXPECT_EQ(HistoryRevisions(project), Strings{"a1"});
  Command(project).Downgrade("base");
  EXPECT_EQ(HistoryRevisions(project), Strings{});
}

TEST(HistoryTableTest, StampRecordsNothingAndUpgradeAfterStampDownReplacesTheStaleRow) {
  TempProject project({Users(), Posts()});
  Command(project).Stamp("head");
  EXPECT_EQ(HistoryRevisions(project), Strings{});
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});

  TempProject applied({Users(), Posts()});
  Command(applied).Upgrade("head");
  Command(applied).Stamp("a1");  // leaves b2's row: stamp does not touch history
  test::ExecSql(applied.db(), "DROP TABLE posts");
  Command(applied).Upgrade("head");
  EXPECT_EQ(HistoryRevisions(applied), (Strings{"a1", "b2"}));
}

TEST(IntegrityTest, CommentAndWhitespaceEditsAreNotChanges) {
  TempProject project({Users()});
  Command(project).Upgrade("head");
  RevisionSpec edited = Users();
  edited.upgrade = "-- reviewed by ops\nCREATE TABLE users   (id INTEGER);  /* ok */\n";
  project.AddRevision(edited);
  project.AddRevision(Posts());
  Command(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
}

TEST(IntegrityTest, EditedAppliedRevisionRefusesUpgradeAndDowngradeUntilRepaired) {
  TempProject project({Users()});
  Command(project).Upgrade("head");
  const std::string before = RecordedChecksum(project, "a1");
  RevisionSpec edited = Users();
  edited.upgrade = "CREATE TABLE users (id INTEGER, email TEXT);";
  std::filesystem::path file = project.AddRevision(edited);
  project.AddRevision(Posts());
  const std::string after = ChecksumOf(script::ParseRevisionFile(file));

  for (auto action :
       {+[](Command& c) { c.Upgrade("head"); }, +[](Command& c) { c.Downgrade("base"); }}) {
    Command run(project);
    std::string error = ErrorOf([&] { action(run); });
    EXPECT_CONTAINS(error, "Revision file " + file.string() + " (a1) changed after it was applied");
    EXPECT_CONTAINS(error, "recorded checksum " + before.substr(0, 12));
    EXPECT_CONTAINS(error, "file " + after.substr(0, 12));
    EXPECT_CONTAINS(error, "retort repair");
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"}) << "nothing ran";
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"retort_version", "retort_version_history", "users"}));

  Strings lines = Command(project).context().Repair();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "Recorded checksum of a1 (" + file.string() + "): " + before.substr(0, 12) +
                          " -> " + after.substr(0, 12));
  EXPECT_EQ(RecordedChecksum(project, "a1"), after);
  EXPECT_EQ(Command(project).context().Repair(), Strings{});
  Command(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
}

TEST(IntegrityTest, RefusalCountsFurtherProblems) {
  TempProject project({Users(), Posts()});
  Command(project).Upgrade("head");
  test::ExecSql(project.db(),
                "UPDATE retort_version_history SET checksum = '" + std::string(64, '0') + "'");
  std::string error = ErrorOf([&] { Command(project).Upgrade("head"); });
  EXPECT_CONTAINS(error, "(a1) changed after it was applied");
  EXPECT_CONTAINS(error, "(and 1 more integrity problem; see `retort status`)");
}

TEST(IntegrityTest, AlembicDatabaseWithoutHistoryIsAdopted) {
  TempProject project({Users(), Posts()}, "version_table = alembic_version");
  // What `alembic upgrade a1` leaves: Alembic's VARCHAR(32) table, no history.
  test::ExecSql(project.db(),
                "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
                "alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version "
                "VALUES ('a1'); CREATE TABLE users (id INTEGER);");
  Command(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db(), "alembic_version"), Strings{"b2"});
  EXPECT_EQ(test::QueryColumn(project.db(), "SELECT revision FROM alembic_version_history"),
            Strings{"b2"});
  // An edit of a1, applied before retort kept history, cannot be detected.
  Command(project).Downgrade("base");
  EXPECT_EQ(test::VersionRows(project.db(), "alembic_version"), Strings{});
}

TEST(IntegrityTest, TamperedHistoryTableIsOneLine) {
  const std::vector<std::pair<std::string, std::string>> table = {
      {"ALTER TABLE retort_version_history ADD COLUMN note TEXT",
       "History table main.retort_version_history has unexpected columns (revision, checksum, "
       "applied_at, duration_ms, revises, note); expected revision, checksum, applied_at, "
       "duration_ms, revises"},
      {"UPDATE retort_version_history SET checksum = 'not-a-checksum' WHERE revision = 'a1'",
       "History table has a malformed checksum 'not-a-checksum' for revision a1"},
  };
  for (const auto& [tamper, message] : table) {
    TempProject project({Users()});
    Command(project).Upgrade("head");
    test::ExecSql(project.db(), tamper);
    project.AddRevision(Posts());
    std::string error = ErrorOf([&] { Command(project).Upgrade("head"); });
    EXPECT_CONTAINS(error, message);
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"}) << tamper;
  }
}

TEST(IntegrityTest, RepairRemovesRowsOfRevisionsWithoutFile) {
  TempProject project({Users()});
  Command(project).Upgrade("head");
  test::ExecSql(project.db(),
                "INSERT INTO retort_version_history VALUES ('zz9', 'x', 'y', 1, NULL)");
  // A row of a revision that is not applied blocks nothing (the state after
  // `stamp --purge` past a deleted file); repair tidies it away.
  project.AddRevision(Posts());
  Command(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
  EXPECT_EQ(Command(project).context().Repair(),
            Strings{"Removed the history row of zz9: no revision file has it"});
  EXPECT_EQ(HistoryRevisions(project), (Strings{"a1", "b2"}));
}

TEST(IntegrityTest, AppliedRevisionWhoseFileWasDeleted) {
  TempProject project({Users(), Posts()});
  Command(project).Upgrade("head");
  std::filesystem::remove(project.versions_dir() / "b2_add_posts.sql");
  std::string error = ErrorOf([&] { Command(project).Upgrade("head"); });
  const std::string way_out =
      "Can't locate revision identified by 'b2': applied revision b2 has no file (deleted?); "
      "restore the file, or `retort stamp --purge <rev>` with the revision the database is at";
  EXPECT_EQ(error, way_out);
  EXPECT_EQ(ErrorOf([&] { Command(project).context().Repair(); }), way_out);
}

TEST(IntegrityTest, FindProblemsIgnoresRowsOfRevisionsNoLongerApplied) {
  TempProject project({Users(), Posts()});
  Command command(project);
  const script::ScriptDirectory& scripts = command.scripts();
  const std::string a1 = ChecksumOf(scripts.Get("a1"));
  struct Case {
    Strings version_rows;
    std::vector<HistoryRow> rows;
    size_t problems;
  };
  const Case cases[] = {
      {{}, {}, 0},
      {{"b2"}, {}, 0},  // adopted
      {{"a1"}, {{"a1", a1, "", "", std::nullopt}}, 0},
      {{"a1"}, {{"b2", "bad", "", "", std::nullopt}}, 0},  // stale row of an unapplied revision
      {{"b2"}, {{"b2", "bad", "", "", std::nullopt}}, 1},
      {{"b2"}, {{"a1", std::string(64, 'f'), "", "", std::nullopt}}, 1},  // ancestor checked too
      {{"x9"}, {}, 1},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindIntegrityProblems(scripts, c.version_rows, c.rows).size(), c.problems);
  }
}

// The applied revisions are the version rows and everything below them
// through Revises: and Depends On (a label dependency included), on every
// branch; a row of a revision on a branch that is not applied is ignored.
TEST(IntegrityTest, FindProblemsFollowsDependenciesAndBranches) {
  TempProject project(
      {Users(),
       {.id = "c3", .upgrade = "SELECT 1;", .labels = {"other"}},
       {.id = "d4", .revises = {"c3"}, .upgrade = "SELECT 1;"},
       {.id = "e5", .revises = {"a1"}, .upgrade = "SELECT 1;", .depends_on = {"other"}},
       {.id = "f6", .revises = {"a1"}, .upgrade = "SELECT 1;"}});
  Command command(project);
  const script::ScriptDirectory& scripts = command.scripts();
  auto bad = [](const std::string& id) {
    return HistoryRow{id, std::string(64, 'f'), "", "", std::nullopt};
  };
  struct Case {
    Strings version_rows;
    std::string row;
    size_t problems;
  };
  const Case cases[] = {
      {{"e5"}, "c3", 1},        // reached through Depends On: other (c3's label)
      {{"e5"}, "a1", 1},        // through Revises:
      {{"e5"}, "d4", 0},        // other's head is not applied
      {{"e5"}, "f6", 0},        // a sibling branch
      {{"e5", "f6"}, "f6", 1},  // several version rows
      {{"d4"}, "a1", 0},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FindIntegrityProblems(scripts, c.version_rows, {bad(c.row)}).size(), c.problems)
        << c.row << " under " << c.version_rows.front();
  }
}

TEST(LongIdTest, IdsLongerThan32CharactersWorkOnSqlite) {
  const std::string long_id = "add_users_table_with_a_really_long_descriptive_revision_id";
  ASSERT_GT(long_id.size(), 32u);
  RevisionSpec spec = Users();
  spec.id = long_id;
  TempProject project({spec});
  Command(project).Upgrade("head");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{long_id});
  EXPECT_EQ(HistoryRevisions(project), Strings{long_id});
  EXPECT_CONTAINS(test::SchemaDump(project.db()), "version_num VARCHAR(255) NOT NULL");
}

TEST(HistoryTableTest, OfflineScriptCreatesAndFillsTheHistoryTable) {
  TempProject project({Users()});
  Command offline(project, /*offline=*/true);
  offline.Upgrade("head");
  std::string sql = offline.sql();
  EXPECT_CONTAINS(sql, "CREATE TABLE retort_version_history (");
  EXPECT_CONTAINS(sql,
                  "INSERT INTO retort_version_history (revision, checksum, applied_at, "
                  "duration_ms) VALUES ('a1', '" +
                      ChecksumOf(offline.scripts().Get("a1")) +
                      "', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0)");
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

}  // namespace
}  // namespace retort::runtime
