// examples/tasks (seed 004's PostgreSQL schema and its data migration, plus
// a CREATE INDEX CONCURRENTLY revision) run as a user runs it: from the
// example's folder, with $DATABASE_URL pointing at a fresh database.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const std::filesystem::path kExample = std::filesystem::path(RETORT_SOURCE_DIR) / "examples/tasks";

const std::vector<std::string> kSeedIndexes = {"idx_iterations_project_id", "idx_projects_name",
                                               "idx_tasks_project_id", "idx_tasks_status"};

std::vector<std::string> ExampleTables(const ScratchPostgresDatabase& db) {
  return Column(db,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                "AND table_name NOT IN ('retort_version', 'retort_version_history') ORDER BY 1");
}

// Named indexes (not the primary key / unique constraint ones) in public.
std::vector<std::string> ExampleIndexes(const ScratchPostgresDatabase& db) {
  return Column(db,
                "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' "
                "AND indexname LIKE 'idx_%' ORDER BY 1");
}

// "column type nullable default" for one table, in column order.
std::vector<std::string> Columns(const ScratchPostgresDatabase& db, const std::string& table) {
  return Column(db,
                "SELECT column_name || ' ' || data_type || ' ' || is_nullable || ' ' || "
                "coalesce(column_default, '-') FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = '" +
                    table + "' ORDER BY ordinal_position");
}

class TasksExampleTest : public ::testing::Test {
 protected:
  CliResult Retort(const std::vector<std::string>& args) {
    CliResult result = RunRetort(args, kExample, {{"DATABASE_URL", db_->url()}});
    EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db_->url()).password));
    return result;
  }
  void SetUp() override {
    auto url = PostgresServerUrl();
    if (!url) GTEST_SKIP() << "RETORT_SKIP_POSTGRES=1: PostgreSQL tests switched off";
    db_ = std::make_unique<ScratchPostgresDatabase>(*url);
  }
  std::unique_ptr<ScratchPostgresDatabase> db_;
};

TEST_F(TasksExampleTest, InitialSchemaIsTheSeedsSchema) {
  ASSERT_TRUE(Succeeded(Retort({"upgrade", "0001"})));
  const ScratchPostgresDatabase& db = *db_;
  EXPECT_THAT(ExampleTables(db), ElementsAre("iterations", "projects", "tasks"));
  EXPECT_THAT(ExampleIndexes(db), ElementsAreArray(kSeedIndexes));
  EXPECT_THAT(Columns(db, "projects"),
              ElementsAre("id integer NO nextval('projects_id_seq'::regclass)",
                          "name character varying NO -", "spec jsonb NO -",
                          "state character varying NO 'initializing'::character varying",
                          "metrics jsonb YES -",
                          "created_at timestamp without time zone YES CURRENT_TIMESTAMP",
                          "updated_at timestamp without time zone YES CURRENT_TIMESTAMP"));
  EXPECT_THAT(
      Columns(db, "tasks"),
      ElementsAre("id character varying NO -", "project_id integer YES -",
                  "type character varying NO -", "description text YES -", "priority integer YES -",
                  "assigned_agent character varying YES -",
                  "status character varying YES 'pending'::character varying", "data jsonb YES -",
                  "created_at timestamp without time zone YES CURRENT_TIMESTAMP",
                  "started_at timestamp without time zone YES -",
                  "completed_at timestamp without time zone YES -"));
  EXPECT_THAT(Columns(db, "iterations"),
              ElementsAre("id integer NO nextval('iterations_id_seq'::regclass)",
                          "project_id integer YES -", "iteration_number integer NO -",
                          "state character varying YES -", "metrics jsonb YES -",
                          "tasks_completed integer YES 0", "tasks_failed integer YES 0",
                          "created_at timestamp without time zone YES CURRENT_TIMESTAMP"));
  EXPECT_THAT(
      Column(db,
             "SELECT conrelid::regclass || ' -> ' || confrelid::regclass FROM pg_constraint "
             "WHERE contype = 'f' ORDER BY 1"),
      ElementsAre("iterations -> projects", "tasks -> projects"));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("0001"));
}

TEST_F(TasksExampleTest, DataMigrationBackfillsThenRequiresTheColumn) {
  ASSERT_TRUE(Succeeded(Retort({"upgrade", "0001"})));
  db_->Exec(
      "INSERT INTO projects (name, spec, updated_at) VALUES "
      "('fresh', '{}', NOW()), ('stale', '{\"v\": 1}', NOW() - INTERVAL '90 days')");
  ASSERT_TRUE(Succeeded(Retort({"upgrade", "0002"})));
  EXPECT_THAT(Column(*db_, "SELECT name || '=' || activity FROM projects ORDER BY name"),
              ElementsAre("fresh=active", "stale=dormant"));
  EXPECT_THAT(Column(*db_,
                     "SELECT is_nullable FROM information_schema.columns "
                     "WHERE table_name = 'projects' AND column_name = 'activity'"),
              ElementsAre("NO"));
  ASSERT_TRUE(Succeeded(Retort({"downgrade", "-1"})));
  EXPECT_THAT(Column(*db_,
                     "SELECT column_name FROM information_schema.columns "
                     "WHERE table_name = 'projects' AND column_name = 'activity'"),
              IsEmpty());
  EXPECT_THAT(Column(*db_, "SELECT name FROM projects ORDER BY name"),
              ElementsAre("fresh", "stale"));
}

TEST_F(TasksExampleTest, UpgradeDowngradeUpgradeBase) {
  const ScratchPostgresDatabase& db = *db_;
  ASSERT_TRUE(Succeeded(Retort({"upgrade", "head"})));
  std::vector<std::string> all_indexes = kSeedIndexes;
  all_indexes.insert(all_indexes.begin() + 1, "idx_tasks_assigned_agent");
  std::sort(all_indexes.begin(), all_indexes.end());
  EXPECT_THAT(ExampleTables(db), ElementsAre("iterations", "projects", "tasks"));
  EXPECT_THAT(ExampleIndexes(db), ElementsAreArray(all_indexes));
  // The concurrently built index is complete (not left INVALID).
  EXPECT_THAT(Column(db,
                     "SELECT indisvalid FROM pg_index "
                     "WHERE indexrelid = 'idx_tasks_assigned_agent'::regclass"),
              ElementsAre("t"));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("0003"));

  CliResult current = Retort({"current"});
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.OutLines(), ElementsAre("0003 (head)"));

  ASSERT_TRUE(Succeeded(Retort({"downgrade", "-1"})));
  EXPECT_THAT(ExampleIndexes(db), ElementsAreArray(kSeedIndexes));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("0002"));

  ASSERT_TRUE(Succeeded(Retort({"upgrade", "+1"})));
  EXPECT_THAT(ExampleIndexes(db), ElementsAreArray(all_indexes));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("0003"));

  ASSERT_TRUE(Succeeded(Retort({"downgrade", "base"})));
  EXPECT_THAT(ExampleTables(db), IsEmpty());
  EXPECT_THAT(Column(db, "SELECT count(*) FROM pg_class WHERE relname LIKE 'idx_%'"),
              ElementsAre("0"));
  EXPECT_THAT(PgVersionRows(db), IsEmpty());
  CliResult at_base = Retort({"current"});
  ASSERT_TRUE(Succeeded(at_base));
  EXPECT_THAT(at_base.OutLines(), IsEmpty());
}

TEST_F(TasksExampleTest, HistoryListsTheThreeRevisions) {
  CliResult history = Retort({"history"});
  ASSERT_TRUE(Succeeded(history));
  EXPECT_THAT(history.OutLines(),
              ElementsAre("0002 -> 0003 (head), index tasks.assigned_agent without locking writes",
                          "0001 -> 0002, add projects.activity", "<base> -> 0001, initial schema"));
}

}  // namespace
}  // namespace retort::test
