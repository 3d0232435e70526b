// Failed operations (exit 1): malformed revision files, graph errors,
// unknown revisions, irreversible downgrades, SQL errors mid-run. Each
// prints one line naming what is at fault and leaves the database exactly
// as it was.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// A valid project already upgraded to aaa111, plus whatever `arrange` adds.
struct OperationCase {
  std::string name;
  std::function<void(TempProject&)> arrange;
  std::vector<std::string> args;
  std::vector<std::string> needles;  // each must appear in the error line
};

// gtest names the case in failure output instead of dumping its bytes.
void PrintTo(const OperationCase& c, std::ostream* os) { *os << c.name; }

class OperationErrorTest : public ::testing::TestWithParam<OperationCase> {};

TEST_P(OperationErrorTest, OneLineExitOneDatabaseUntouched) {
  const OperationCase& c = GetParam();
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  c.arrange(project);
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort(c.args, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, c.needles));
  EXPECT_EQ(Snapshot(project.db()), before);
}

void AddRaw(TempProject& project, const std::string& name, const std::string& text) {
  project.Write(std::filesystem::path("migrations") / "versions" / name, text);
}

const std::string kNoRevisionId =
    "-- no id here\n"
    "--\n"
    "-- Revises: aaa111\n"
    "\n"
    "-- migrate:upgrade\n"
    "CREATE TABLE t2 (id INTEGER);\n";

const std::string kTwoUpgradeSections =
    "-- twice\n"                       // 1
    "--\n"                             // 2
    "-- Revision ID: bbb222\n"         // 3
    "-- Revises: aaa111\n"             // 4
    "\n"                               // 5
    "-- migrate:upgrade\n"             // 6
    "CREATE TABLE t2 (id INTEGER);\n"  // 7
    "\n"                               // 8
    "-- migrate:upgrade\n"             // 9
    "CREATE TABLE t3 (id INTEGER);\n";

const std::string kTwoDowngradeSections =
    "-- twice\n"                       // 1
    "--\n"                             // 2
    "-- Revision ID: bbb222\n"         // 3
    "-- Revises: aaa111\n"             // 4
    "\n"                               // 5
    "-- migrate:upgrade\n"             // 6
    "CREATE TABLE t2 (id INTEGER);\n"  // 7
    "-- migrate:downgrade\n"           // 8
    "DROP TABLE t2;\n"                 // 9
    "-- migrate:downgrade\n"           // 10
    "DROP TABLE t2;\n";

const std::string kNoUpgradeSection =
    "-- nothing\n"
    "--\n"
    "-- Revision ID: bbb222\n"
    "-- Revises: aaa111\n"
    "\n"
    "CREATE TABLE t2 (id INTEGER);\n";

INSTANTIATE_TEST_SUITE_P(
    MalformedFiles, OperationErrorTest,
    ::testing::Values(
        OperationCase{"NoRevisionId",
                      [](TempProject& p) { AddRaw(p, "broken.sql", kNoRevisionId); },
                      {"upgrade", "head"},
                      {"broken.sql", "Revision ID"}},
        OperationCase{"IllegalIdCharacter",
                      [](TempProject& p) {
                        p.AddRevision({.id = "bad-id",
                                       .revises = {"aaa111"},
                                       .upgrade = "CREATE TABLE t2 (id INTEGER);",
                                       .file_name = "illegal.sql"});
                      },
                      {"upgrade", "head"},
                      {"illegal.sql:3", "bad-id"}},
        OperationCase{"TwoUpgradeSections",
                      [](TempProject& p) { AddRaw(p, "twice.sql", kTwoUpgradeSections); },
                      {"upgrade", "head"},
                      {"twice.sql:9"}},
        OperationCase{"TwoDowngradeSections",
                      [](TempProject& p) { AddRaw(p, "twice.sql", kTwoDowngradeSections); },
                      {"upgrade", "head"},
                      {"twice.sql:10"}},
        OperationCase{"NoUpgradeSection",
                      [](TempProject& p) { AddRaw(p, "nothing.sql", kNoUpgradeSection); },
                      {"upgrade", "head"},
                      {"nothing.sql", "migrate:upgrade"}},
        OperationCase{
            "UnknownParent",
            [](TempProject& p) { p.AddRevision(TableRevision("bbb222", {"fff999"}, "t2")); },
            {"upgrade", "head"},
            {"fff999", "bbb222"}},
        OperationCase{"DuplicateId",
                      [](TempProject& p) {
                        RevisionSpec one = TableRevision("bbb222", {"aaa111"}, "t2");
                        one.file_name = "first.sql";
                        RevisionSpec two = TableRevision("bbb222", {"aaa111"}, "t3");
                        two.file_name = "second.sql";
                        p.AddRevision(one);
                        p.AddRevision(two);
                      },
                      {"upgrade", "head"},
                      {"bbb222", "second.sql||first.sql"}},
        OperationCase{"Cycle",
                      [](TempProject& p) {
                        p.AddRevision(TableRevision("bbb222", {"aaa111", "ccc333"}, "t2"));
                        p.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));
                      },
                      {"upgrade", "head"},
                      {"ycle", "bbb222||ccc333"}}),
    [](const ::testing::TestParamInfo<OperationCase>& info) { return info.param.name; });

INSTANTIATE_TEST_SUITE_P(
    GraphAndDatabase, OperationErrorTest,
    ::testing::Values(
        OperationCase{"UpgradeHeadWithSeveralHeads",
                      [](TempProject& p) {
                        p.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
                        p.AddRevision(TableRevision("ccc333", {"aaa111"}, "t3"));
                      },
                      {"upgrade", "head"},
                      {"Multiple head revisions are present", "heads||@head"}},
        OperationCase{"UnknownTarget",
                      [](TempProject&) {},
                      {"upgrade", "xyz"},
                      {"Can't locate revision identified by 'xyz'"}},
        OperationCase{"AmbiguousPrefix",
                      [](TempProject& p) {
                        p.AddRevision(TableRevision("abc222", {"aaa111"}, "t2"));
                        p.AddRevision(TableRevision("abc333", {"abc222"}, "t3"));
                      },
                      {"upgrade", "abc"},
                      // Alembic's commands word an ambiguous prefix so too.
                      {"Can't locate revision identified by 'abc'"}},
        OperationCase{"VersionTableNamesUnknownRevision",
                      [](TempProject& p) {
                        ExecSql(p.db(), "UPDATE retort_version SET version_num = 'xyz'");
                      },
                      {"upgrade", "head"},
                      {"Can't locate revision identified by 'xyz'"}},
        OperationCase{"CurrentWithUnknownRevision",
                      [](TempProject& p) {
                        ExecSql(p.db(), "UPDATE retort_version SET version_num = 'xyz'");
                      },
                      {"current"},
                      {"Can't locate revision identified by 'xyz'"}},
        OperationCase{
            "DowngradeToADescendant",
            [](TempProject& p) { p.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2")); },
            {"downgrade", "bbb222"},
            {"bbb222"}},
        OperationCase{"RelativeBeyondBase",
                      [](TempProject&) {},
                      {"downgrade", "-5"},
                      {"Relative revision -5 didn't produce 5 migrations"}},
        OperationCase{"AmbiguousRelativeUpgrade",
                      [](TempProject& p) {
                        p.AddRevision(TableRevision("xxx111", {}, "tx"));
                        EXPECT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, p.root())));
                        p.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
                        p.AddRevision(TableRevision("yyy222", {"xxx111"}, "ty"));
                      },
                      {"upgrade", "+1"},
                      {"Ambiguous upgrade from multiple current revisions"}}),
    [](const ::testing::TestParamInfo<OperationCase>& info) { return info.param.name; });

// aaa111 <- bbb222 (no downgrade) <- ccc333, all applied.
TEST(IrreversibleTest, DowngradeThroughItFailsBeforeAnythingRuns) {
  for (const std::optional<std::string>& downgrade :
       {std::optional<std::string>(), std::optional<std::string>("-- nothing to undo\n")}) {
    TempProject project({TableRevision("aaa111", {}, "t1"),
                         {.id = "bbb222",
                          .revises = {"aaa111"},
                          .upgrade = "CREATE TABLE t2 (id INTEGER);",
                          .downgrade = downgrade},
                         TableRevision("ccc333", {"bbb222"}, "t3")});
    ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
    DbState before = Snapshot(project.db());
    CliResult result = RunRetort({"downgrade", "base"}, project.root());
    EXPECT_TRUE(IsOneLineError(result, 1, {"bbb222"}));
    EXPECT_THAT(result.err, ::testing::Not(HasSubstr("Running downgrade")));
    EXPECT_EQ(Snapshot(project.db()), before);
    // Above it, downgrading still works.
    ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "-1"}, project.root())));
    EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  }
}

// ccc333's second statement fails.
std::vector<RevisionSpec> FailingRevisions() {
  return {TableRevision("aaa111", {}, "t1"),
          TableRevision("bbb222", {"aaa111"}, "t2"),
          {.id = "ccc333",
           .revises = {"bbb222"},
           .upgrade = "CREATE TABLE t3 (id INTEGER);\n"
                      "INSERT INTO nosuch VALUES (1);\n"
                      "CREATE TABLE t4 (id INTEGER);\n",
           .downgrade = "DROP TABLE t3;",
           .message = "will fail",
           .file_name = "ccc333_will_fail.sql"}};
}

// The 1-based line of `text` in `file`, or 0.
int LineNumberOf(const std::filesystem::path& file, const std::string& text) {
  std::vector<std::string> lines = SplitLines(ReadFile(file));
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i] == text) return static_cast<int>(i) + 1;
  }
  return 0;
}

TEST(SqlErrorTest, FailureRollsBackTheWholeRun) {
  TempProject project(FailingRevisions());
  int line = LineNumberOf(project.versions_dir() / "ccc333_will_fail.sql",
                          "INSERT INTO nosuch VALUES (1);");
  ASSERT_GT(line, 0);

  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  std::string at = "ccc333_will_fail.sql:" + std::to_string(line) +
                   "||ccc333_will_fail.sql, line " + std::to_string(line) +
                   "||ccc333_will_fail.sql line " + std::to_string(line);
  EXPECT_TRUE(IsOneLineError(result, 1, {"ccc333", at, "no such table: nosuch"}));
  EXPECT_EQ(Snapshot(project.db()), before);
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
  // Nothing after the failing statement ran (t4), and t3 was rolled back.
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1"));
}

TEST(SqlErrorTest, FromAFreshDatabaseLeavesNoVersionTable) {
  TempProject project(FailingRevisions());
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"ccc333", "no such table: nosuch"}));
  // The version table was created in the rolled-back transaction, or the
  // file may not even exist: either way no user table and no rows remain.
  EXPECT_THAT(VersionRows(project.db()), ::testing::IsEmpty());
  for (const std::string& table : TableNames(project.db())) {
    EXPECT_EQ(table, "retort_version");
  }
}

TEST(SqlErrorTest, TransactionPerMigrationKeepsEarlierRevisions) {
  TempProject project(FailingRevisions(), "transaction_per_migration = true");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"ccc333", "no such table: nosuch"}));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1", "t2"));
}

TEST(SqlErrorTest, DowngradeFailureRollsBack) {
  TempProject project({TableRevision("aaa111", {}, "t1"),
                       {.id = "bbb222",
                        .revises = {"aaa111"},
                        .upgrade = "CREATE TABLE t2 (id INTEGER);",
                        .downgrade = "DROP TABLE nosuch;"},
                       TableRevision("ccc333", {"bbb222"}, "t3")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"downgrade", "base"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"bbb222", "no such table: nosuch"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

}  // namespace
}  // namespace retort::test

namespace retort::test {
namespace {

// A `Transactional: no` revision cannot be rolled back: what ran before it
// is committed, its own statements that ran stay, its version row is not
// written (docs/running-migrations.md).
TEST(SqlErrorTest, NonTransactionalRevisionFailure) {
  TempProject project({TableRevision("aaa111", {}, "t1"),
                       TableRevision("bbb222", {"aaa111"}, "t2"),
                       {.id = "ccc333",
                        .revises = {"bbb222"},
                        .upgrade = "CREATE TABLE t3 (id INTEGER);\n"
                                   "INSERT INTO nosuch VALUES (1);\n",
                        .downgrade = "DROP TABLE t3;",
                        .transactional = false}});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"ccc333", "no such table: nosuch"}));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1", "t2", "t3"));
}

}  // namespace
}  // namespace retort::test
