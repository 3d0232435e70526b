// Half-applied revisions on MySQL/MariaDB (docs/mysql.md): DDL commits as it
// goes, so retort records each revision's progress per statement. A failed
// or killed run stops with one line saying what ran; `upgrade` continues
// from the failed statement once the file is fixed (refusing if statements
// that ran were edited); `status` shows it; `resolve` settles it by hand.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/mysql_expect.h"
#include "cli/postgres_expect.h"  // NeverPrints
#include "testing/background_process.h"
#include "testing/cli_runner.h"
#include "testing/mysql_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Five statements; the third fails (no table `missing`).
RevisionSpec FiveStatements(const std::string& third) {
  return {.id = "r5",
          .upgrade =
              "CREATE TABLE s1 (id INT PRIMARY KEY);\n"
              "CREATE TABLE s2 (id INT PRIMARY KEY);\n" +
              third +
              "\n"
              "CREATE TABLE s4 (id INT PRIMARY KEY);\n"
              "CREATE INDEX s4_id ON s4 (id);\n",
          .downgrade = "DROP TABLE s4;\nDROP TABLE s3;\nDROP TABLE s2;\nDROP TABLE s1;\n",
          .message = "five statements"};
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Replace(const std::filesystem::path& path, const std::string& from, const std::string& to) {
  std::string text = ReadFile(path);
  text.replace(text.find(from), from.size(), to);
  std::ofstream(path) << text;
}

class MysqlRecoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = MysqlServerUrl();
    if (!server) GTEST_SKIP() << "RETORT_SKIP_MYSQL=1: MySQL tests switched off";
    db_ = std::make_unique<ScratchMysqlDatabase>(*server);
  }
  // A project whose revision r5 fails at its third statement, failed once.
  std::filesystem::path FailThirdOfFive(TempProject& project) {
    project.WriteConfig(MysqlConfig(db_->url()));
    CliResult failed = RunRetort({"upgrade", "head"}, project.root());
    EXPECT_TRUE(IsOneLineError(
        failed, 1,
        {"Error in revision r5", "r5_", ".sql:11", "missing' doesn't exist",
         "2 of 5 statements of revision r5 ran; fix the file and run upgrade again to continue "
         "from statement 3, or `retort resolve r5 --rolled-back|--applied`"}));
    EXPECT_TRUE(NeverPrints(failed, MysqlPassword(db_->url())));
    return project.versions_dir() / "r5_five_statements.sql";
  }
  std::unique_ptr<ScratchMysqlDatabase> db_;
};

TEST_F(MysqlRecoveryTest, FailingThirdOfFiveThenFixAndContinue) {
  TempProject project({FiveStatements("CREATE TABLE s3 AS SELECT id FROM missing;")});
  const auto file = FailThirdOfFive(project);
  // The version table never claims the unfinished revision.
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre());
  EXPECT_THAT(MysqlColumn(*db_, "SELECT statements_done FROM retort_version_progress"),
              ElementsAre("2"));

  CliResult status = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(status));
  EXPECT_THAT(status.out, HasSubstr("Half-applied: Revision r5 (migrations/versions/"
                                    "r5_five_statements.sql) is half-applied: 2 of 5 statements "
                                    "of its upgrade ran"));
  CliResult current = RunRetort({"current"}, project.root());
  EXPECT_TRUE(Succeeded(current));
  EXPECT_THAT(current.out, Not(HasSubstr("r5")));

  // Another direction is refused before anything runs.
  CliResult other = RunRetort({"stamp", "r5"}, project.root());
  EXPECT_TRUE(IsOneLineError(other, 1, {"is half-applied", "resolve r5"}));

  // Fix the failed statement: the two that ran are not run again (they
  // would fail: no IF NOT EXISTS).
  Replace(file, "FROM missing", "FROM s1");
  CliResult fixed = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(fixed));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre("r5"));
  EXPECT_THAT(MysqlTables(*db_), ElementsAre("retort_version", "retort_version_history",
                                             "retort_version_progress", "s1", "s2", "s3", "s4"));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT count(*) FROM retort_version_progress"), ElementsAre("0"));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT revision FROM retort_version_history"), ElementsAre("r5"));
  // The recorded checksum is the fixed file's: integrity is clean.
  CliResult after = RunRetort({"status"}, project.root());
  EXPECT_THAT(after.out, HasSubstr("Integrity: ok"));
  EXPECT_THAT(after.out, Not(HasSubstr("Half-applied")));
}

TEST_F(MysqlRecoveryTest, EditingAStatementThatRanIsRefused) {
  TempProject project({FiveStatements("CREATE TABLE s3 AS SELECT id FROM missing;")});
  const auto file = FailThirdOfFive(project);
  Replace(file, "FROM missing", "FROM s1");
  Replace(file, "CREATE TABLE s2 (id INT PRIMARY KEY)", "CREATE TABLE s2 (id BIGINT PRIMARY KEY)");
  CliResult refused = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      refused, 1,
      {"r5", "2 of 5 statements", "statements 1-2", "were edited since", "restore their text"}));
  EXPECT_THAT(MysqlTables(*db_), Not(testing::Contains("s3")));
  // Whitespace and comments do not count as edits.
  Replace(file, "CREATE TABLE s2 (id BIGINT PRIMARY KEY)",
          "CREATE TABLE s2   (id INT PRIMARY KEY) /* same statement */");
  EXPECT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre("r5"));
}

TEST_F(MysqlRecoveryTest, ResolveRolledBackThenRunAgainFromTheStart) {
  TempProject project({FiveStatements("CREATE TABLE s3 AS SELECT id FROM missing;")});
  const auto file = FailThirdOfFive(project);
  // The person undoes what ran by hand...
  db_->Exec("DROP TABLE s2");
  db_->Exec("DROP TABLE s1");
  CliResult resolved = RunRetort({"resolve", "r5", "--rolled-back"}, project.root());
  ASSERT_TRUE(Succeeded(resolved));
  EXPECT_THAT(resolved.out, HasSubstr("Resolved r5 (migrations/versions/r5_five_statements.sql): "
                                      "its upgrade recorded as rolled back by hand"));
  // ... which is recorded, and the revision is no longer half-applied.
  EXPECT_THAT(MysqlColumn(*db_, "SELECT outcome FROM retort_version_progress"),
              ElementsAre("rolled back by resolve"));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre());
  CliResult again = RunRetort({"resolve", "r5", "--rolled-back"}, project.root());
  EXPECT_TRUE(IsOneLineError(again, 1, {"r5 is not half-applied"}));
  Replace(file, "FROM missing", "FROM s1");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre("r5"));
}

TEST_F(MysqlRecoveryTest, ResolveAppliedRecordsTheRevision) {
  TempProject project({FiveStatements("CREATE TABLE s3 AS SELECT id FROM missing;")});
  FailThirdOfFive(project);
  // The person finishes the revision by hand...
  db_->Exec("CREATE TABLE s3 (id INT)");
  db_->Exec("CREATE TABLE s4 (id INT PRIMARY KEY)");
  db_->Exec("CREATE INDEX s4_id ON s4 (id)");
  CliResult missing_flag = RunRetort({"resolve", "r5"}, project.root());
  EXPECT_TRUE(IsOneLineError(missing_flag, 2, {"--applied or --rolled-back"}));
  CliResult resolved = RunRetort({"resolve", "r5", "--applied"}, project.root());
  ASSERT_TRUE(Succeeded(resolved));
  EXPECT_THAT(resolved.out, HasSubstr("its upgrade recorded as applied by hand; current: r5"));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre("r5"));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT revision FROM retort_version_history"), ElementsAre("r5"));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT outcome FROM retort_version_progress"),
              ElementsAre("applied by resolve"));
  CliResult noop = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(Succeeded(noop));
  EXPECT_THAT(noop.err, Not(HasSubstr("Running upgrade")));
  // And the way back works as for any applied revision.
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre());
}

TEST_F(MysqlRecoveryTest, DataStatementsRunInOneTransaction) {
  // Two DML statements in a row: the second fails, the first is rolled back
  // with it, and progress says only the DDL before them ran.
  TempProject project({{.id = "d1",
                        .upgrade = "CREATE TABLE accounts (id INT PRIMARY KEY, n INT);\n"
                                   "INSERT INTO accounts VALUES (1, 10), (2, 20);\n"
                                   "UPDATE accounts SET n = n + 1;\n"
                                   "INSERT INTO accounts VALUES (1, 99);\n",
                        .downgrade = "DROP TABLE accounts;",
                        .file_name = "d1.sql"}});
  project.WriteConfig(MysqlConfig(db_->url()));
  CliResult failed = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      failed, 1,
      {"Duplicate entry", "1 of 4 statements of revision d1 ran", "continue from statement 2"}));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT count(*) FROM accounts"), ElementsAre("0"));
  Replace(project.versions_dir() / "d1.sql", "VALUES (1, 99)", "VALUES (3, 99)");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT n FROM accounts ORDER BY id"),
              ElementsAre("11", "21", "99"));
}

TEST_F(MysqlRecoveryTest, KilledMidRevisionThenRecovered) {
  // The second statement sleeps until the marker table exists; the run is
  // killed while it sleeps, after the first statement committed.
  TempProject project(
      {{.id = "k1",
        .upgrade = "CREATE TABLE k_first (id INT);\n"
                   "DO SLEEP(IF((SELECT count(*) FROM information_schema.tables WHERE "
                   "table_schema = DATABASE() AND table_name = 'marker') > 0, 0, 3));\n"
                   "CREATE TABLE k_third (id INT);\n",
        .downgrade = "DROP TABLE k_third;\nDROP TABLE k_first;"}});
  project.WriteConfig(MysqlConfig(db_->url()));
  BackgroundProcess run(RetortArgv({"upgrade", "head"}), project.root());
  ASSERT_TRUE(WaitUntil(
      [&] {
        return MysqlColumn(*db_,
                           "SELECT count(*) FROM information_schema.tables WHERE "
                           "table_schema = DATABASE() AND table_name = "
                           "'retort_version_progress'") == std::vector<std::string>{"1"} &&
               MysqlColumn(*db_, "SELECT statements_done FROM retort_version_progress") ==
                   std::vector<std::string>{"1"};
      },
      std::chrono::seconds(20)))
      << "the run never recorded its first statement";
  run.Signal(SIGKILL);
  run.Wait();
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre());
  CliResult status = RunRetort({"status"}, project.root());
  EXPECT_THAT(status.out, HasSubstr("1 of 3 statements of its upgrade ran"));

  db_->Exec("CREATE TABLE marker (id INT)");
  // The server releases the dead run's GET_LOCK once its session ends.
  CliResult recovered = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(recovered));
  EXPECT_THAT(MysqlVersionRows(*db_), ElementsAre("k1"));
  EXPECT_THAT(MysqlColumn(*db_, "SELECT count(*) FROM retort_version_progress"), ElementsAre("0"));
}

}  // namespace
}  // namespace retort::test
