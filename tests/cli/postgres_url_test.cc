// PostgreSQL URLs as users write them (postgresql://, postgres://,
// SQLAlchemy's postgresql+psycopg2://, libpq parameters after '?'),
// version_table_schema, and offline --sql scripts for PostgreSQL.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// r1 records the application_name its connection was opened with, so a
// test sees which libpq parameters reached the server.
std::vector<RevisionSpec> RecordingRevisions() {
  return {{.id = "aaa111",
           .upgrade = "CREATE TABLE seen AS SELECT current_setting('application_name') AS app;",
           .downgrade = "DROP TABLE seen;"},
          {.id = "bbb222",
           .revises = {"aaa111"},
           .upgrade = "CREATE TABLE t2 (id SERIAL PRIMARY KEY);",
           .downgrade = "DROP TABLE t2;"}};
}

struct UrlCase {
  std::string name;
  std::string scheme;
  std::string query;  // libpq parameters, without '?'
  // What current_setting('application_name') shows; empty: not checked
  // (retort sets fallback_application_name=retort).
  std::string expected_application_name;
};

void PrintTo(const UrlCase& c, std::ostream* os) { *os << c.name; }

class PostgresUrlTest : public ::testing::TestWithParam<UrlCase> {};

TEST_P(PostgresUrlTest, UpgradeCurrentDowngradeThroughTheUrl) {
  const UrlCase& c = GetParam();
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  PgUrl url = PgUrl::Parse(db.url());
  url.query = c.query;
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(url.Format(c.scheme)));

  CliResult up = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_TRUE(NeverPrints(up, url.password));
  std::vector<std::string> seen = Column(db, "SELECT app FROM seen");
  ASSERT_EQ(seen.size(), 1u);
  if (!c.expected_application_name.empty()) {
    EXPECT_EQ(seen[0], c.expected_application_name);
  }
  EXPECT_THAT(PgVersionRows(db), ElementsAre("bbb222"));

  CliResult current = RunRetort({"current"}, project.root());
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.OutLines(), ElementsAre("bbb222 (head)"));
  EXPECT_TRUE(NeverPrints(current, url.password));

  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_THAT(PgTables(db), ElementsAre("public.retort_version", "public.retort_version_history"));
  EXPECT_THAT(PgVersionRows(db), IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(
    Forms, PostgresUrlTest,
    ::testing::Values(UrlCase{"Postgresql", "postgresql", "", "retort"},
                      UrlCase{"Postgres", "postgres", "", "retort"},
                      UrlCase{"SqlAlchemyDriver", "postgresql+psycopg2", "", "retort"},
                      UrlCase{"LibpqParameters", "postgresql", "sslmode=disable&application_name=x",
                              "x"},
                      UrlCase{"DriverAndParameters", "postgresql+psycopg2",
                              "application_name=deploy_42&connect_timeout=5", "deploy_42"}),
    [](const ::testing::TestParamInfo<UrlCase>& info) { return info.param.name; });

// The same URL given three ways (retort.ini, $DATABASE_URL, --url) reaches
// the same database; the most specific one wins.
TEST(PostgresUrlSourceTest, UrlOptionBeatsEnvironmentBeatsConfig) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  PgUrl good = PgUrl::Parse(db.url());
  PgUrl bad = good;
  bad.database = "retort_no_such_database";
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(bad.Format()));
  ASSERT_TRUE(Succeeded(
      RunRetort({"upgrade", "aaa111"}, project.root(), {{"DATABASE_URL", good.Format()}})));
  ASSERT_TRUE(Succeeded(RunRetort({"--url", good.Format("postgres"), "upgrade", "head"},
                                  project.root(), {{"DATABASE_URL", bad.Format()}})));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("bbb222"));
}

TEST(PostgresVersionTableSchemaTest, VersionTableLivesInTheConfiguredSchema) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec("CREATE SCHEMA deploy");
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(db.url(), "version_table_schema = deploy"));

  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(PgTables(db), ElementsAre("deploy.retort_version", "deploy.retort_version_history",
                                        "public.seen", "public.t2"));
  EXPECT_THAT(PgVersionRows(db, "deploy.retort_version"), ElementsAre("bbb222"));

  CliResult current = RunRetort({"current"}, project.root());
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.OutLines(), ElementsAre("bbb222 (head)"));

  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "-1"}, project.root())));
  EXPECT_THAT(PgVersionRows(db, "deploy.retort_version"), ElementsAre("aaa111"));
  EXPECT_THAT(PgTables(db),
              ElementsAre("deploy.retort_version", "deploy.retort_version_history", "public.seen"));
}

// An Alembic-managed database is adopted by naming its version table.
TEST(PostgresVersionTableSchemaTest, AdoptsAnAlembicVersionTable) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec(
      "CREATE TABLE seen (app TEXT);"
      "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
      "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));"
      "INSERT INTO alembic_version VALUES ('aaa111')");
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(db.url(), "version_table = alembic_version"));
  CliResult current = RunRetort({"current"}, project.root());
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.OutLines(), ElementsAre("aaa111"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(PgVersionRows(db, "alembic_version"), ElementsAre("bbb222"));
  EXPECT_THAT(PgTables(db), ElementsAre("public.alembic_version", "public.alembic_version_history",
                                        "public.seen", "public.t2"));
}

// Nothing listens on port 1: --sql must not even try to connect.
constexpr const char* kUnreachable = "postgresql://deployer:Offl1ne-Pa55@127.0.0.1:1/app";
constexpr const char* kUnreachablePassword = "Offl1ne-Pa55";

TEST(PostgresOfflineTest, UpgradeScriptWithoutConnecting) {
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(kUnreachable, "version_table_schema = deploy"));
  CliResult result = RunRetort({"upgrade", "head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(NeverPrints(result, kUnreachablePassword));
  EXPECT_TRUE(PrintsInOrder(
      result.out,
      {"BEGIN;", "CREATE TABLE deploy.retort_version||CREATE TABLE \"deploy\".\"retort_version\"",
       "VARCHAR(32) NOT NULL", "CREATE TABLE seen AS SELECT current_setting",
       "INSERT INTO deploy.retort_version||INSERT INTO \"deploy\".\"retort_version\"", "aaa111",
       "CREATE TABLE t2 (id SERIAL PRIMARY KEY);",
       "UPDATE deploy.retort_version||UPDATE \"deploy\".\"retort_version\"", "bbb222", "COMMIT;"}));
  EXPECT_THAT(result.out, Not(HasSubstr("CREATE TABLE retort_version")));
}

TEST(PostgresOfflineTest, DowngradeScriptWithoutConnecting) {
  TempProject project(RecordingRevisions());
  project.WriteConfig(PgConfig(kUnreachable));
  CliResult result =
      RunRetort({"--url", kUnreachable, "downgrade", "bbb222:base", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(NeverPrints(result, kUnreachablePassword));
  EXPECT_TRUE(
      PrintsInOrder(result.out, {"BEGIN;", "DROP TABLE t2;", "UPDATE retort_version", "aaa111",
                                 "DROP TABLE seen;", "DELETE FROM retort_version", "COMMIT;"}));
}

// A Transactional: no revision's SQL is printed outside BEGIN/COMMIT.
TEST(PostgresOfflineTest, NonTransactionalRevisionOutsideTheTransaction) {
  TempProject project(RecordingRevisions());
  project.AddRevision({.id = "ccc333",
                       .revises = {"bbb222"},
                       .upgrade = "CREATE INDEX CONCURRENTLY ix_seen_app ON seen (app);",
                       .downgrade = "DROP INDEX CONCURRENTLY ix_seen_app;",
                       .transactional = false});
  project.WriteConfig(PgConfig(kUnreachable));
  CliResult result = RunRetort({"upgrade", "aaa111:head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(PrintsInOrder(result.out, {"BEGIN;", "CREATE TABLE t2", "COMMIT;",
                                         "CREATE INDEX CONCURRENTLY ix_seen_app", "ccc333"}));
  size_t index = result.out.find("CREATE INDEX CONCURRENTLY");
  ASSERT_NE(index, std::string::npos);
  // No transaction is open where the index is built.
  size_t last_begin = result.out.rfind("BEGIN;", index);
  size_t last_commit = result.out.rfind("COMMIT;", index);
  EXPECT_TRUE(last_begin == std::string::npos ||
              (last_commit != std::string::npos && last_commit > last_begin))
      << result.out;
}

}  // namespace
}  // namespace retort::test
