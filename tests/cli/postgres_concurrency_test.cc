// Concurrent deploys on PostgreSQL: every mutating run takes an advisory
// lock before it reads the version table, so ten `upgrade head` at once
// apply each revision exactly once; `lock_timeout` bounds the wait.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/background_process.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr int kProcesses = 10;
constexpr int kRevisions = 5;

// rev1 creates `applied`; every revision creates its own table (no IF NOT
// EXISTS: a second run would fail) and logs itself in `applied`, whose
// primary key turns a double run into a duplicate-key error.
std::vector<RevisionSpec> LoggedRevisions() {
  std::vector<RevisionSpec> specs;
  for (int i = 1; i <= kRevisions; ++i) {
    std::string id = "rev" + std::to_string(i);
    std::string up = i == 1 ? "CREATE TABLE applied (rev TEXT PRIMARY KEY, pid INTEGER);\n" : "";
    up += "CREATE TABLE t" + std::to_string(i) + " (id SERIAL PRIMARY KEY);\n";
    up += "INSERT INTO applied VALUES ('" + id + "', pg_backend_pid());\n";
    RevisionSpec spec{
        .id = id, .upgrade = up, .downgrade = "DROP TABLE t" + std::to_string(i) + ";"};
    if (i > 1) spec.revises = {"rev" + std::to_string(i - 1)};
    specs.push_back(spec);
  }
  return specs;
}

TEST(PostgresConcurrencyTest, TenUpgradesAtOnceApplyEachRevisionOnce) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(LoggedRevisions());
  project.WriteConfig(PgConfig(db.url()));
  std::vector<CliResult> results =
      RunRetortConcurrently(kProcesses, {"upgrade", "head"}, project.root());
  int ran = 0;
  for (const CliResult& result : results) {
    EXPECT_TRUE(Succeeded(result));
    EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db.url()).password));
    if (result.err.find("Running upgrade  -> rev1") != std::string::npos) ++ran;
  }
  EXPECT_EQ(ran, 1) << "exactly one process runs the migrations";
  std::vector<std::string> expected;
  for (int i = 1; i <= kRevisions; ++i) expected.push_back("rev" + std::to_string(i));
  EXPECT_THAT(Column(db, "SELECT rev FROM applied ORDER BY rev"), ElementsAreArray(expected));
  // All in one session, one transaction.
  EXPECT_THAT(Column(db, "SELECT count(DISTINCT pid) FROM applied"), ElementsAre("1"));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev5"));
  // Plus the version and history tables.
  EXPECT_EQ(PgTables(db).size(), static_cast<size_t>(kRevisions + 3));
}

// Relative steps are resolved after the lock is taken: three `downgrade -1`
// at once walk down three revisions, one each.
TEST(PostgresConcurrencyTest, ConcurrentRelativeDowngradesEachStepOnce) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(LoggedRevisions());
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  std::vector<CliResult> results = RunRetortConcurrently(3, {"downgrade", "-1"}, project.root());
  for (const CliResult& result : results) EXPECT_TRUE(Succeeded(result));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev2"));
}

bool HoldsAdvisoryLock(const ScratchPostgresDatabase& db) {
  return WaitUntil([&] {
    return Column(db,
                  "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                  "AND database = (SELECT oid FROM pg_database "
                  "WHERE datname = current_database())") != std::vector<std::string>{"0"};
  });
}

TEST(PostgresLockTimeoutTest, SecondRunGivesUpAfterLockTimeout) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project({{.id = "slow1",
                        .upgrade = "CREATE TABLE t1 (id INTEGER);\nSELECT pg_sleep(4);",
                        .downgrade = "DROP TABLE t1;"}});
  project.WriteConfig(PgConfig(db.url(), "lock_timeout = 1"));
  BackgroundProcess holder(RetortArgv({"upgrade", "head"}), project.root());
  ASSERT_TRUE(HoldsAdvisoryLock(db)) << "the first run never took the lock";

  auto start = std::chrono::steady_clock::now();
  CliResult waiter = RunRetort({"upgrade", "head"}, project.root());
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(IsOneLineError(waiter, 1, {"lock"}));
  EXPECT_TRUE(ContainsAny(waiter.err, "lock_timeout||1 s||1s||1 second"))
      << "the line says which timeout ran out\n"
      << waiter.Describe();
  EXPECT_GE(waited, std::chrono::milliseconds(900)) << "gave up before lock_timeout";
  EXPECT_TRUE(NeverPrints(waiter, PgUrl::Parse(db.url()).password));

  CliResult held = holder.Wait();
  EXPECT_TRUE(Succeeded(held));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("slow1"));
}

// Without lock_timeout, a second run waits for the first and then finds
// nothing to do.
TEST(PostgresLockTimeoutTest, WithoutTimeoutTheSecondRunWaits) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project({{.id = "slow1",
                        .upgrade = "CREATE TABLE t1 (id INTEGER);\nSELECT pg_sleep(2);",
                        .downgrade = "DROP TABLE t1;"}});
  project.WriteConfig(PgConfig(db.url()));
  BackgroundProcess holder(RetortArgv({"upgrade", "head"}), project.root());
  ASSERT_TRUE(HoldsAdvisoryLock(db));
  CliResult waiter = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(Succeeded(waiter));
  EXPECT_EQ(waiter.err.find("Running upgrade"), std::string::npos) << waiter.Describe();
  EXPECT_TRUE(Succeeded(holder.Wait()));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("slow1"));
}

}  // namespace
}  // namespace retort::test
