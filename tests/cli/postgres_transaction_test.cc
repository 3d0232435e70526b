// PostgreSQL's transactional DDL: one transaction per run, so a failure or
// a killed process leaves the database exactly where it was; Transactional:
// no revisions (CREATE INDEX CONCURRENTLY) run outside it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

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
using ::testing::IsEmpty;

// rev1..revN, each creating table tI (with a row) and revising the one before.
std::vector<RevisionSpec> Chain(int count) {
  std::vector<RevisionSpec> specs;
  for (int i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    RevisionSpec spec{.id = "rev" + n,
                      .upgrade = "CREATE TABLE t" + n + " (id SERIAL PRIMARY KEY, v TEXT);\n" +
                                 "INSERT INTO t" + n + " (v) VALUES ('" + n + "');",
                      .downgrade = "DROP TABLE t" + n + ";",
                      .message = "create t" + n,
                      .file_name = "000" + n + "_create_t" + n + ".sql"};
    if (i > 1) spec.revises = {"rev" + std::to_string(i - 1)};
    specs.push_back(spec);
  }
  return specs;
}

TEST(PostgresTransactionTest, FailureInSeventhOfEightLeavesTheDatabaseAsItWas) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  std::vector<RevisionSpec> specs = Chain(8);
  // Lines 9 and 10 of the file: the upgrade section's first two lines.
  specs[6].upgrade = "CREATE TABLE t7 (id INTEGER);\nINSERT INTO nosuch VALUES (1);";
  specs[6].file_name = "0007_fails.sql";
  TempProject project(specs);
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "rev2"}, project.root())));
  std::string before = PgSnapshot(db);

  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      result, 1, {"rev7", "0007_fails.sql:10", "relation \"nosuch\" does not exist", "42P01"}));
  EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db.url()).password));
  EXPECT_EQ(PgSnapshot(db), before);
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history",
                                        "public.t1", "public.t2"));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev2"));

  // Fixed, the same command finishes the job.
  project.AddRevision({.id = "rev7",
                       .revises = {"rev6"},
                       .upgrade = "CREATE TABLE t7 (id INTEGER);",
                       .downgrade = "DROP TABLE t7;",
                       .file_name = "0007_fails.sql"});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev8"));
  EXPECT_EQ(PgTables(db).size(), 10u);  // 8 revisions, version and history tables
}

TEST(PostgresTransactionTest, TransactionPerMigrationKeepsTheRevisionsBeforeTheFailure) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  std::vector<RevisionSpec> specs = Chain(4);
  specs[2].upgrade = "CREATE TABLE t3 (id INTEGER);\nSELECT 1 / 0;";
  TempProject project(specs);
  project.WriteConfig(PgConfig(db.url(), "transaction_per_migration = true"));
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"rev3", "division by zero", "22012"}));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev2"));
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history",
                                        "public.t1", "public.t2"));
}

// CREATE INDEX CONCURRENTLY cannot run in a transaction block; between
// transactional revisions of the same run, it still works both ways.
TEST(PostgresTransactionTest, ConcurrentIndexBetweenTransactionalRevisions) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  std::vector<RevisionSpec> specs = Chain(2);
  specs.push_back({.id = "idx3",
                   .revises = {"rev2"},
                   .upgrade = "CREATE INDEX CONCURRENTLY ix_t2_v ON t2 (v);",
                   .downgrade = "DROP INDEX CONCURRENTLY ix_t2_v;",
                   .message = "index t2.v",
                   .transactional = false});
  specs.push_back({.id = "rev4",
                   .revises = {"idx3"},
                   .upgrade = "ALTER TABLE t2 ADD COLUMN w TEXT;\nCREATE TABLE t4 (id INTEGER);",
                   .downgrade = "DROP TABLE t4;\nALTER TABLE t2 DROP COLUMN w;"});
  TempProject project(specs);
  project.WriteConfig(PgConfig(db.url()));

  CliResult up = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev4"));
  EXPECT_THAT(Column(db,
                     "SELECT indexdef || ' valid=' || indisvalid FROM pg_indexes "
                     "JOIN pg_index ON indexrelid = (schemaname || '.' || indexname)::regclass "
                     "WHERE indexname = 'ix_t2_v'"),
              ElementsAre("CREATE INDEX ix_t2_v ON public.t2 USING btree (v) valid=true"));
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history",
                                        "public.t1", "public.t2", "public.t4"));

  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "rev2"}, project.root())));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev2"));
  EXPECT_THAT(Column(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_t2_v'"),
              IsEmpty());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history"));
  EXPECT_THAT(PgVersionRows(db), IsEmpty());
}

// Waits until a backend other than ours runs a statement containing `text`.
bool BackendRuns(const ScratchPostgresDatabase& db, const std::string& text) {
  return WaitUntil([&] {
    return Column(db,
                  "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                  "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%" +
                      text + "%'") != std::vector<std::string>{"0"};
  });
}

TEST(PostgresTransactionTest, SigkillMidRevisionLeavesThePreviousRevision) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  std::vector<RevisionSpec> specs = Chain(2);
  specs.push_back({.id = "slow3",
                   .revises = {"rev2"},
                   .upgrade = "CREATE TABLE t3 (id INTEGER);\n"
                              "ALTER TABLE t1 ADD COLUMN extra TEXT;\n"
                              "CREATE INDEX ix_t2_v ON t2 (v);\n"
                              "SELECT pg_sleep(10);",
                   .downgrade = "DROP INDEX ix_t2_v;\n"
                                "ALTER TABLE t1 DROP COLUMN extra;\n"
                                "DROP TABLE t3;"});
  TempProject project(specs);
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "rev1"}, project.root())));

  // rev2 runs in the same transaction as slow3, so it is lost too: the
  // database stays at rev1.
  std::string before = PgSnapshot(db);
  BackgroundProcess run(RetortArgv({"upgrade", "head"}), project.root());
  ASSERT_TRUE(BackendRuns(db, "pg_sleep(10)")) << "slow3 never started";
  run.Signal(SIGKILL);
  CliResult killed = run.Wait();
  EXPECT_EQ(killed.exit_code, 128 + SIGKILL) << killed.Describe();

  EXPECT_EQ(PgSnapshot(db), before);
  EXPECT_THAT(PgVersionRows(db), ElementsAre("rev1"));

  // The next run waits for the orphaned session to go, then finishes.
  CliResult next = RunRetort({"upgrade", "head"}, project.root(), {}, 120);
  ASSERT_TRUE(Succeeded(next));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("slow3"));
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history",
                                        "public.t1", "public.t2", "public.t3"));
  EXPECT_THAT(Column(db, "SELECT indexname FROM pg_indexes WHERE indexname = 'ix_t2_v'"),
              ElementsAre("ix_t2_v"));
}

}  // namespace
}  // namespace retort::test
