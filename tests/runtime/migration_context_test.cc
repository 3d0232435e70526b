// MigrationContext against real SQLite files and real revision files: what a
// user checks after a run is the schema, the version rows and the messages.
#include "runtime/migration_context.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "graph/plan.h"
#include "retort/config.h"
#include "retort/error.h"
#include "runtime/run_command.h"
#include "script/script_directory.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"

namespace retort::runtime {
namespace {

using test::RevisionSpec;
using test::TempProject;
using Strings = std::vector<std::string>;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))

// a1 -> b2 -> c3, each creating one table.
std::vector<RevisionSpec> Linear() {
  return {
      {.id = "a1",
       .upgrade = "CREATE TABLE users (id INTEGER);",
       .downgrade = "DROP TABLE users;",
       .message = "add users"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE posts (id INTEGER);",
       .downgrade = "DROP TABLE posts;",
       .message = "add posts"},
      {.id = "c3",
       .revises = {"b2"},
       .upgrade = "CREATE TABLE tags (id INTEGER);",
       .downgrade = "DROP TABLE tags;",
       .message = "add tags"},
  };
}

// The 1-based line of the first line of `path` containing `needle`.
int LineOf(const std::filesystem::path& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

using Command = RunCommand;

TEST(MigrationContextTest, UpgradeHeadRunsEveryRevisionOnceAndRecordsTheHead) {
  TempProject project(Linear());
  Command run(project);
  auto applied = run.Upgrade("head");
  ASSERT_EQ(applied.size(), 3u);
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"posts", "retort_version", "retort_version_history", "tags", "users"}));
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"c3"});
  ASSERT_EQ(run.log().size(), 3u);
  EXPECT_EQ(run.log()[0].rfind("Running upgrade  -> a1, add users (", 0), 0u) << run.log()[0];
  EXPECT_EQ(run.log()[2].rfind("Running upgrade b2 -> c3, add tags (", 0), 0u) << run.log()[2];
  EXPECT_EQ(run.log()[2].substr(run.log()[2].size() - 4), " ms)");

  Command again(project);
  EXPECT_TRUE(again.Upgrade("head").empty());
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"c3"});
  EXPECT_EQ(again.context().CurrentHeads(), Strings{"c3"});
}

TEST(MigrationContextTest, CurrentHeadsOfAFreshDatabaseIsEmpty) {
  TempProject project(Linear());
  Command run(project);
  EXPECT_TRUE(run.context().CurrentHeads().empty());
}

TEST(MigrationContextTest, DowngradeRunsDowngradeSectionsAndDeletesTheRow) {
  TempProject project(Linear());
  Command(project).Upgrade("head");
  Command run(project);
  EXPECT_EQ(run.Downgrade("a1").size(), 2u);
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"retort_version", "retort_version_history", "users"}));
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"});
  Command(project).Downgrade("base");
  EXPECT_EQ(test::TableNames(project.db()), (Strings{"retort_version", "retort_version_history"}));
  EXPECT_TRUE(test::VersionRows(project.db()).empty());
}

TEST(MigrationContextTest, FailureMidRunLeavesTheDatabaseExactlyAsBefore) {
  auto revisions = Linear();
  revisions[2].upgrade =
      "CREATE TABLE tags (id INTEGER);\n"
      "-- a typo follows\n"
      "INSERT INTO userz VALUES (1);\n"
      "CREATE TABLE never (id INTEGER);\n";
  TempProject project(revisions);
  Command(project).Upgrade("a1");
  test::ExecSql(project.db(), "INSERT INTO users VALUES (42);");
  const std::string before = test::FullDump(project.db());

  Command run(project);
  std::string error = ErrorOf([&] { run.Upgrade("head"); });
  const auto file = project.versions_dir() / "c3_add_tags.sql";
  EXPECT_EQ(error, "Error in revision c3 (" + file.string() + ":" +
                       std::to_string(LineOf(file, "INSERT INTO userz")) +
                       "): no such table: userz; rolled back b2 and c3: the database is as it "
                       "was before this run");
  EXPECT_EQ(test::FullDump(project.db()), before) << "b2 and c3's first statement must be undone";
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"});
  ASSERT_EQ(run.log().size(), 1u) << "only b2 completed before the failure";
}

TEST(MigrationContextTest, FailedFirstUpgradeLeavesNoVersionTable) {
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);\nSELEC 1;"}});
  EXPECT_CONTAINS(ErrorOf([&] { Command(project).Upgrade("head"); }), "syntax error");
  EXPECT_TRUE(test::TableNames(project.db()).empty());
}

TEST(MigrationContextTest, TransactionPerMigrationKeepsRevisionsBeforeTheFailure) {
  auto revisions = Linear();
  revisions[2].upgrade = "CREATE TABLE tags (id INTEGER);\nINSERT INTO nope VALUES (1);";
  TempProject project(revisions, "transaction_per_migration = true");
  EXPECT_CONTAINS(ErrorOf([&] { Command(project).Upgrade("head"); }), "no such table: nope");
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"posts", "retort_version", "retort_version_history", "users"}));
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
}

// In one transaction the version and history rows are written together
// just before the commit (runtime/version_writes.h): a revision reading the
// version table sees it as the run found it. With a commit per revision
// each row is written after its revision. Either way the end state is the
// same, and a failure leaves no row of the run behind.
std::vector<RevisionSpec> ReadsTheVersionTable() {
  return {
      {.id = "a1", .upgrade = "CREATE TABLE users (id INTEGER);"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE seen AS SELECT version_num FROM retort_version;"},
  };
}

TEST(MigrationContextTest, InOneTransactionVersionRowsAreWrittenAtTheEnd) {
  TempProject project(ReadsTheVersionTable());
  Command(project).Upgrade("head");
  EXPECT_EQ(test::QueryColumn(project.db(), "SELECT version_num FROM seen"), Strings{});
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
  EXPECT_EQ(test::QueryColumn(project.db(),
                              "SELECT revision FROM retort_version_history ORDER BY revision"),
            (Strings{"a1", "b2"}));
}

TEST(MigrationContextTest, PerMigrationVersionRowsAreWrittenAfterEachRevision) {
  TempProject project(ReadsTheVersionTable(), "transaction_per_migration = true");
  Command(project).Upgrade("head");
  EXPECT_EQ(test::QueryColumn(project.db(), "SELECT version_num FROM seen"), Strings{"a1"});
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
}

TEST(MigrationContextTest, NonTransactionalRevisionRunsOutsideAnyTransaction) {
  // VACUUM fails inside a transaction ("cannot VACUUM from within a
  // transaction"), so this passes only if b2 really runs outside one.
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE users (id INTEGER);", .downgrade = "DROP TABLE users;"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "VACUUM;",
       .downgrade = "VACUUM;",
       .transactional = false},
      {.id = "c3", .revises = {"b2"}, .upgrade = "INSERT INTO nope VALUES (1);"},
  });
  EXPECT_CONTAINS(ErrorOf([&] { Command(project).Upgrade("head"); }), "no such table: nope");
  // b2's effects cannot be undone, so neither may its version row be.
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"retort_version", "retort_version_history", "users"}));
}

TEST(MigrationContextTest, VacuumInATransactionalRevisionFails) {
  TempProject project(std::vector<RevisionSpec>{{.id = "a1", .upgrade = "VACUUM;"}});
  EXPECT_CONTAINS(ErrorOf([&] { Command(project).Upgrade("head"); }),
                  "cannot VACUUM from within a transaction");
}

TEST(MigrationContextTest, RefusesToDowngradeThroughAnIrreversibleRevisionBeforeRunningAnything) {
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE users (id INTEGER);", .downgrade = std::nullopt},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE posts (id INTEGER);",
       .downgrade = "DROP TABLE posts;"},
  });
  Command(project).Upgrade("head");
  const std::string before = test::FullDump(project.db());
  std::string error = ErrorOf([&] { Command(project).Downgrade("base"); });
  EXPECT_EQ(error, "Revision a1 (" + (project.versions_dir() / "a1_revision.sql").string() +
                       ") is irreversible (its downgrade section is empty); "
                       "cannot downgrade through it");
  EXPECT_EQ(test::FullDump(project.db()), before) << "b2 must not have been downgraded";
  Command(project).Downgrade("a1");  // Not through a1: allowed.
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"});
}

TEST(MigrationContextTest, StampRunsNoSql) {
  TempProject project(Linear());
  Command run(project);
  EXPECT_EQ(run.Stamp("b2").size(), 1u);
  EXPECT_EQ(test::TableNames(project.db()), (Strings{"retort_version", "retort_version_history"}));
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"b2"});
  Command(project).Upgrade("head");
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"retort_version", "retort_version_history", "tags"}));
}

TEST(MigrationContextTest, VersionRowThatVanishedMidRunFailsAndRollsBack) {
  // Alembic checks that each UPDATE/DELETE of the version table touched
  // exactly one row; here the revision itself removes the row.
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE users (id INTEGER);"},
      {.id = "b2", .revises = {"a1"}, .upgrade = "DELETE FROM retort_version;"},
  });
  Command(project).Upgrade("a1");
  EXPECT_EQ(ErrorOf([&] { Command(project).Upgrade("head"); }),
            "Online migration expected to match one row when updating 'a1' to 'b2' in "
            "'retort_version'; 0 found; rolled back b2: the database is as it was before this "
            "run");
  EXPECT_EQ(test::VersionRows(project.db()), Strings{"a1"});
}

TEST(MigrationContextTest, VersionTableSettingIsUsed) {
  TempProject project(Linear(), "version_table = alembic_version");
  Command(project).Upgrade("b2");
  EXPECT_EQ(test::VersionRows(project.db(), "alembic_version"), Strings{"b2"});
  EXPECT_EQ(test::TableNames(project.db()),
            (Strings{"alembic_version", "alembic_version_history", "posts", "users"}));
}

TEST(MigrationContextTest, EnsureVersionTableCreatesItOnce) {
  TempProject project(Linear());
  Command(project).context().EnsureVersionTable();
  Command(project).context().EnsureVersionTable();
  EXPECT_EQ(test::TableNames(project.db()), (Strings{"retort_version", "retort_version_history"}));
}

// --sql: Alembic 1.8.1's output for the same graph (env.py with
// transactional_ddl=True, as retort treats SQLite), byte for byte, except
// where retort deliberately differs: version_num is VARCHAR(255), not
// VARCHAR(32), so that long --rev-id ids fit; and the history table's
// statements (docs/integrity.md), which Offline() below strips so that the
// rest stays compared with Alembic (integrity_test.cc checks them).
std::vector<RevisionSpec> TwoForAlembic() {
  return {
      {.id = "a1",
       .upgrade = "CREATE TABLE users (id INTEGER);",
       .downgrade = "DROP TABLE users;",
       .message = "add users"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE t2 (id INTEGER);",
       .downgrade = "DROP TABLE t2;",
       .message = "second"},
  };
}

constexpr char kCreate[] =
    "CREATE TABLE alembic_version (\n"
    "    version_num VARCHAR(255) NOT NULL, \n"
    "    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n"
    ");\n\n";

std::string Offline(const TempProject& project, const std::string& command,
                    const std::string& destination, const Strings& start = {}) {
  std::ostringstream out;
  RunOptions options;
  options.offline = true;
  options.sql_out = &out;
  options.starting_heads = start;
  Command run(project, options);
  if (command == "upgrade") run.Upgrade(destination);
  if (command == "downgrade") run.Downgrade(destination);
  // Drops every statement (they end with ";\n\n") naming the history table.
  std::string sql = out.str(), kept;
  for (std::size_t start = 0; start < sql.size();) {
    std::size_t end = sql.find(";\n\n", start);
    end = end == std::string::npos ? sql.size() : end + 3;
    std::string statement = sql.substr(start, end - start);
    if (statement.find("alembic_version_history") == std::string::npos) kept += statement;
    start = end;
  }
  return kept;
}

TEST(OfflineTest, UpgradeMatchesAlembic) {
  TempProject project(TwoForAlembic(), "version_table = alembic_version");
  EXPECT_EQ(Offline(project, "upgrade", "head"),
            std::string("BEGIN;\n\n") + kCreate +
                "-- Running upgrade  -> a1\n\n"
                "CREATE TABLE users (id INTEGER);\n\n"
                "INSERT INTO alembic_version (version_num) VALUES ('a1');\n\n"
                "-- Running upgrade a1 -> b2\n\n"
                "CREATE TABLE t2 (id INTEGER);\n\n"
                "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = "
                "'a1';\n\n"
                "COMMIT;\n\n");
  EXPECT_FALSE(std::filesystem::exists(project.db())) << "--sql must not connect";
}

TEST(OfflineTest, TransactionPerMigrationMatchesAlembic) {
  TempProject project(TwoForAlembic(),
                      "version_table = alembic_version\ntransaction_per_migration = true");
  EXPECT_EQ(Offline(project, "upgrade", "head"),
            std::string("BEGIN;\n\n") + kCreate +
                "-- Running upgrade  -> a1\n\n"
                "CREATE TABLE users (id INTEGER);\n\n"
                "INSERT INTO alembic_version (version_num) VALUES ('a1');\n\n"
                "COMMIT;\n\n"
                "BEGIN;\n\n"
                "-- Running upgrade a1 -> b2\n\n"
                "CREATE TABLE t2 (id INTEGER);\n\n"
                "UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = "
                "'a1';\n\n"
                "COMMIT;\n\n");
}

TEST(OfflineTest, DowngradeToBaseDropsTheVersionTableAsAlembicDoes) {
  TempProject project(TwoForAlembic(), "version_table = alembic_version");
  EXPECT_EQ(Offline(project, "downgrade", "base", {"b2"}),
            "BEGIN;\n\n"
            "-- Running downgrade b2 -> a1\n\n"
            "DROP TABLE t2;\n\n"
            "UPDATE alembic_version SET version_num='a1' WHERE alembic_version.version_num = "
            "'b2';\n\n"
            "-- Running downgrade a1 -> \n\n"
            "DROP TABLE users;\n\n"
            "DELETE FROM alembic_version WHERE alembic_version.version_num = 'a1';\n\n"
            "DROP TABLE alembic_version;\n\n"
            "COMMIT;\n\n");
}

TEST(OfflineTest, StartsFromTheGivenHeadsWithoutCreatingTheTable) {
  TempProject project(TwoForAlembic(), "version_table = alembic_version");
  std::string sql = Offline(project, "upgrade", "head", {"a1"});
  EXPECT_EQ(sql.find("CREATE TABLE alembic_version"), std::string::npos) << sql;
  EXPECT_EQ(sql.find("CREATE TABLE users"), std::string::npos) << sql;
  EXPECT_CONTAINS(sql, "-- Running upgrade a1 -> b2\n\nCREATE TABLE t2 (id INTEGER);\n\n");
}

TEST(OfflineTest, NonTransactionalRevisionIsPrintedOutsideTheTransaction) {
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "VACUUM", .transactional = false}},
      "version_table = alembic_version");
  EXPECT_EQ(Offline(project, "upgrade", "head"),
            std::string("BEGIN;\n\n") + kCreate +
                "-- Running upgrade  -> a1\n\n"
                "COMMIT;\n\n"
                "VACUUM;\n\n"
                "BEGIN;\n\n"
                "INSERT INTO alembic_version (version_num) VALUES ('a1');\n\n"
                "COMMIT;\n\n");
}

TEST(OfflineTest, RefusesAnIrreversibleDowngradeToo) {
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE t (x);", .downgrade = std::nullopt}});
  EXPECT_CONTAINS(ErrorOf([&] { Offline(project, "downgrade", "base", {"a1"}); }),
                  "is irreversible (its downgrade section is empty); cannot downgrade through it");
}

// Concurrency: separate processes, each with its own connection, as eight
// deploy jobs running `retort upgrade head` at once.
void UpgradeConcurrently(const TempProject& project, int processes) {
  std::vector<pid_t> children;
  for (int i = 0; i < processes; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        Command(project).Upgrade("head");
      } catch (const std::exception& e) {
        fprintf(stderr, "child %d: %s\n", i, e.what());
        status = 1;
      }
      _exit(status);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a concurrent run failed";
  }
}

// Each revision records that it ran: a second run of any would show twice.
std::vector<RevisionSpec> Counting(int count) {
  std::vector<RevisionSpec> revisions = {
      {.id = "r000",
       .upgrade = "CREATE TABLE runs (rev TEXT);\nINSERT INTO runs VALUES ('r000');"}};
  for (int i = 1; i < count; ++i) {
    std::string id = fmt::format("r{:03}", i);
    revisions.push_back({.id = id,
                         .revises = {fmt::format("r{:03}", i - 1)},
                         .upgrade = fmt::format("CREATE TABLE t{0} (x);\n"
                                                "INSERT INTO runs VALUES ('{1}');",
                                                i, id)});
  }
  return revisions;
}

void ExpectEachRevisionRanOnce(const TempProject& project, int count) {
  EXPECT_EQ(test::QueryColumn(project.db(), "SELECT count(*) FROM runs"),
            Strings{std::to_string(count)});
  EXPECT_EQ(test::QueryColumn(project.db(), "SELECT count(DISTINCT rev) FROM runs"),
            Strings{std::to_string(count)});
  EXPECT_EQ(test::VersionRows(project.db()), Strings{fmt::format("r{:03}", count - 1)});
}

TEST(ConcurrencyTest, EightRunsOnAFreshFileRunEachRevisionOnce) {
  TempProject project(Counting(20));
  UpgradeConcurrently(project, 8);
  ExpectEachRevisionRanOnce(project, 20);
}

TEST(ConcurrencyTest, EightRunsWithTransactionPerMigrationRunEachRevisionOnce) {
  TempProject project(Counting(20), "transaction_per_migration = true");
  UpgradeConcurrently(project, 8);
  ExpectEachRevisionRanOnce(project, 20);
}

// A long chain runs in one go, each revision once (its speed against a plain
// script is measured in bench/, not here).
TEST(ScaleTest, ThousandRevisionsRunOnceEach) {
  constexpr int kRevisions = 1000;
  TempProject project(Counting(kRevisions));
  Command(project).Upgrade("head");
  ExpectEachRevisionRanOnce(project, kRevisions);
}

}  // namespace
}  // namespace retort::runtime
