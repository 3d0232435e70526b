// Faults and hostile revisions on a real SQLite file (issue 16, "found by
// attacking it"): a revision that commits the run itself, a COMMIT that
// fails (file size limit), another program's write lock, and the migration
// lock file's permissions. Each case: the exit code, the exact line a user
// sees, and the database left as it was.

#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

// --- Transaction control inside a transactional revision -------------------

std::vector<RevisionSpec> PsqlHabit(const std::string& upgrade) {
  return {TableRevision("aaa111", {}, "t1"),
          {.id = "bbb222",
           .revises = {"aaa111"},
           .upgrade = upgrade,
           .downgrade = "DROP TABLE t2;",
           .message = "psql habit"},
          {.id = "ccc333",
           .revises = {"bbb222"},
           .upgrade = "CREATE TABLE t3 (id INTEGER);\nSELECT no_such_function();",
           .downgrade = "DROP TABLE t3;",
           .message = "fails"}};
}

TEST(TransactionControlCliTest, CommitInATransactionalRevisionIsRefusedBeforeAnythingRuns) {
  TempProject project(PsqlHabit("BEGIN;\nCREATE TABLE t2 (id INTEGER);\nCOMMIT;"));
  ExecSql(project.db(), "CREATE TABLE kept (id INTEGER)");
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  // Revision files start the upgrade SQL on line 8 (RenderRevision).
  EXPECT_THAT(ProblemLines(result),
              ElementsAre(MatchesRegex(
                  "FAILED: migrations/versions/bbb222_psql_habit.sql:[0-9]+: BEGIN in "
                  "transactional revision bbb222 would commit or discard the run so far; remove "
                  "it \\(retort runs each revision in a transaction\\), or mark the revision "
                  "'Transactional: no' to run it outside one")));
  // Not even aaa111, which comes first and is fine, ran.
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(TransactionControlCliTest, BareCommitAndEndAreRefusedToo) {
  for (std::string statement : {"COMMIT;", "END;", "ROLLBACK;", "START TRANSACTION;"}) {
    TempProject project(PsqlHabit("CREATE TABLE t2 (id INTEGER);\n" + statement));
    ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
    DbState before = Snapshot(project.db());
    CliResult result = RunRetort({"upgrade", "head"}, project.root());
    EXPECT_TRUE(IsOneLineError(result, 1, {"bbb222_psql_habit.sql:", "Transactional: no"}))
        << statement;
    EXPECT_EQ(Snapshot(project.db()), before) << statement;
    EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
  }
}

TEST(TransactionControlCliTest, TriggerBodiesStringsAndSavepointsRun) {
  TempProject project({{.id = "aaa111",
                        .upgrade = "CREATE TABLE t (n INTEGER);\nCREATE TABLE c (n INTEGER);\n"
                                   "INSERT INTO c VALUES (0);\n"
                                   "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n"
                                   "  UPDATE c SET n = n + 1;\nEND;\n"
                                   "SAVEPOINT s;\nINSERT INTO t VALUES (1);\nRELEASE s;\n"
                                   "INSERT INTO t VALUES (length('COMMIT; END;'));",
                        .downgrade = "DROP TABLE t;\nDROP TABLE c;",
                        .message = "trigger"}});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(QueryColumn(project.db(), "SELECT n FROM c"), ElementsAre("2"));
}

TEST(TransactionControlCliTest, NonTransactionalRevisionMayCommit) {
  TempProject project({{.id = "aaa111",
                        .upgrade = "BEGIN;\nCREATE TABLE t (n INTEGER);\nCOMMIT;",
                        .downgrade = "DROP TABLE t;",
                        .message = "own transaction",
                        .transactional = false}});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

TEST(TransactionControlCliTest, LintFlagsIt) {
  TempProject project(PsqlHabit("BEGIN;\nCREATE TABLE t2 (id INTEGER);\nCOMMIT;"));
  CliResult result = RunRetort({"lint", "bbb222"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  std::vector<std::string> out = result.OutLines();
  ASSERT_EQ(out.size(), 2u) << result.Describe();
  EXPECT_THAT(out[0], HasSubstr("bbb222_psql_habit.sql:"));
  EXPECT_THAT(out[0], HasSubstr(": transaction-control: BEGIN in a transactional revision would "
                                "commit or discard the run so far behind retort's back"));
  EXPECT_THAT(out[1], HasSubstr(": transaction-control: COMMIT in a transactional revision"));
}

// --- A COMMIT that fails ----------------------------------------------------

TEST(CommitFailureTest, NamesTheRunAndThatItRolledBack) {
  // 2,000 rows of 200 characters stay in SQLite's page cache until COMMIT,
  // which then cannot write past the 50 KiB file size limit (EFBIG, as a
  // full disk would refuse it).
  TempProject project(
      {TableRevision("aaa111", {}, "t1"),
       {.id = "bbb222",
        .revises = {"aaa111"},
        .upgrade = "CREATE TABLE big (x TEXT);\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                   "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO big SELECT "
                   "hex(randomblob(100)) FROM n;",
        .downgrade = "DROP TABLE big;",
        .message = "big"},
       TableRevision("ccc333", {"bbb222"}, "t3")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result =
      RunProcess({"/bin/sh", "-c", "trap '' XFSZ; ulimit -f 100; exec \"$0\" upgrade head",
                  RetortBinary(RETORT_BINARY)},
                 project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre(MatchesRegex(
                  "FAILED: COMMIT failed, so upgrade aaa111 -> bbb222, upgrade bbb222 -> ccc333 "
                  "were rolled back and the database is as it was before them: (disk I/O "
                  "error|database or disk is full)")));
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(CommitFailureTest, PerMigrationNamesWhatStaysApplied) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"),
       {.id = "bbb222",
        .revises = {"aaa111"},
        .upgrade = "CREATE TABLE big (x TEXT);\nWITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                   "SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO big SELECT "
                   "hex(randomblob(100)) FROM n;",
        .downgrade = "DROP TABLE big;",
        .message = "big"}},
      "transaction_per_migration = true\n");
  CliResult result =
      RunProcess({"/bin/sh", "-c", "trap '' XFSZ; ulimit -f 100; exec \"$0\" upgrade head",
                  RetortBinary(RETORT_BINARY)},
                 project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre(MatchesRegex(
                  "FAILED: COMMIT failed, so upgrade aaa111 -> bbb222 was rolled back and the "
                  "database is as it was before it \\(the 1 committed before stay applied\\): "
                  "(disk I/O error|database or disk is full)")));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

// --- Another program's write lock -------------------------------------------

TEST(BusyDatabaseTest, LockTimeoutBoundsTheWaitAndTheMessageSaysBusy) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")},
      "lock_timeout = 1\n");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  // This process holds SQLite's exclusive lock, as a sqlite3 shell in the
  // middle of BEGIN EXCLUSIVE would.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(project.db().c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto start = std::chrono::steady_clock::now();
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  auto waited = std::chrono::steady_clock::now() - start;
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_LT(waited, std::chrono::seconds(10));  // not SQLite's old fixed 30 s
  std::vector<std::string> lines = ProblemLines(result);
  ASSERT_EQ(lines.size(), 1u) << result.Describe();
  EXPECT_THAT(lines[0], HasSubstr("database is locked: the database is busy, another connection "
                                  "(cli_tests (pid " +
                                  std::to_string(::getpid()) +
                                  ")) holds a lock on it; gave up after 1 s (lock_timeout; close "
                                  "that connection or retry)"));
  EXPECT_THAT(lines[0], Not(HasSubstr("Can't connect")));
  EXPECT_EQ(Snapshot(project.db()), before);
}

// --- The migration lock file's permissions ----------------------------------

TEST(LockFileTest, TakesTheDatabaseFilesGroupAndMode) {
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ExecSql(project.db(), "CREATE TABLE existing (id INTEGER)");
  ASSERT_EQ(::chmod(project.db().c_str(), 0660), 0);
  gid_t group = getgid();
  if (geteuid() == 0) {
    // Root can give the database to another group, as an admin would.
    if (struct group* users = getgrnam("users")) group = users->gr_gid;
    ASSERT_EQ(::chown(project.db().c_str(), static_cast<uid_t>(-1), group), 0);
  }
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  struct stat lock {};
  ASSERT_EQ(::stat((project.db().string() + "-retort-lock").c_str(), &lock), 0);
  EXPECT_EQ(lock.st_mode & 0777, 0660u);
  EXPECT_EQ(lock.st_gid, group);
}

TEST(LockFileTest, AnotherUserWhoCanWriteTheDatabaseCanMigrate) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run retort as another user";
  if (::access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "no setpriv";
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  // Root migrated first, with a lock file made before this fix (0644, root's).
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  std::filesystem::path lock = project.db().string() + "-retort-lock";
  ASSERT_EQ(::chmod(lock.c_str(), 0644), 0);
  // The database and its folder are writable by everyone (a shared group's
  // stand-in); nobody may migrate it.
  ASSERT_EQ(::chmod(project.root().c_str(), 0777), 0);
  ASSERT_EQ(::chmod(project.db().c_str(), 0666), 0);
  CliResult result = RunProcess({"/usr/bin/setpriv", "--reuid=65534", "--regid=65534",
                                 "--clear-groups", RetortBinary(RETORT_BINARY), "upgrade", "head"},
                                project.root());
  if (result.exit_code != 0 && result.err.find("Permission denied") != std::string::npos &&
      result.err.find("retort-lock") == std::string::npos) {
    GTEST_SKIP() << "nobody cannot reach the binary or the folder: " << result.err;
  }
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
}

}  // namespace
}  // namespace retort::test
