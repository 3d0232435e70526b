// Errors that say what to do next (issue 16): Alembic's words first, then
// the way out. Each case is one line, a non-zero exit and the database as
// it was.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::StartsWith;

// rev1..revN, each creating table tI and revising the one before.
std::vector<RevisionSpec> Chain(int count) {
  std::vector<RevisionSpec> specs;
  for (int i = 1; i <= count; ++i) {
    std::string n = std::to_string(i);
    RevisionSpec spec = TableRevision("rev" + n, {}, "t" + n);
    if (i > 1) spec.revises = {"rev" + std::to_string(i - 1)};
    specs.push_back(spec);
  }
  return specs;
}

std::string OnlyProblem(const CliResult& result) {
  std::vector<std::string> lines = ProblemLines(result);
  return lines.size() == 1 ? lines[0] : result.Describe();
}

// ---- "Target database is not up to date." names what is pending ----------

TEST(ErrorGuidanceTest, CheckOnABehindDatabaseNamesThePendingRevisions) {
  TempProject project(Chain(6), "schema = schema.sql");
  project.Write("schema.sql", "CREATE TABLE t1 (id INTEGER);\n");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "rev1"}, project.root())));
  DbState before = Snapshot(project.db());

  CliResult result = RunRetort({"check"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Target database is not up to date."}));
  EXPECT_THAT(OnlyProblem(result), StartsWith("FAILED: Target database is not up to date."));
  EXPECT_THAT(OnlyProblem(result),
              HasSubstr("Not yet applied: rev2, rev3, rev4 and 2 more; run `retort upgrade head` "
                        "first"));
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(ErrorGuidanceTest, AutogenerateOnABehindDatabaseNamesThePendingRevisionsAndWritesNothing) {
  TempProject project(Chain(3), "schema = schema.sql");
  project.Write("schema.sql", "CREATE TABLE t1 (id INTEGER);\n");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "rev1"}, project.root())));
  DbState before = Snapshot(project.db());
  size_t files = std::distance(std::filesystem::directory_iterator(project.versions_dir()), {});

  CliResult result = RunRetort({"revision", "--autogenerate", "-m", "x"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1,
                             {"Target database is not up to date.",
                              "Not yet applied: rev2 and rev3", "retort upgrade head"}));
  EXPECT_EQ(Snapshot(project.db()), before);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(project.versions_dir()), {}), files);
}

// ---- "Can't locate revision identified by 'x'" names the closest ids -------

TEST(ErrorGuidanceTest, UnknownRevisionNamesTheClosestIds) {
  TempProject project({TableRevision("a1b2c3d4e5f6", {}, "t1"),
                       TableRevision("9f8e7d6c5b4a", {"a1b2c3d4e5f6"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "a1b2c3d4e5f6"}, project.root())));
  DbState before = Snapshot(project.db());

  // A mistyped prefix.
  CliResult typo = RunRetort({"upgrade", "9f8x7d"}, project.root());
  EXPECT_TRUE(IsOneLineError(typo, 1, {"Can't locate revision identified by '9f8x7d'"}));
  EXPECT_THAT(OnlyProblem(typo), EndsWith("; did you mean '9f8e7d6c5b4a'?"));
  // A mistyped full id, and a swapped keyword.
  CliResult full = RunRetort({"downgrade", "a1b2c3d4e5f7"}, project.root());
  EXPECT_TRUE(IsOneLineError(full, 1, {"did you mean 'a1b2c3d4e5f6'?"}));
  CliResult keyword = RunRetort({"upgrade", "haed"}, project.root());
  EXPECT_TRUE(IsOneLineError(keyword, 1, {"'haed'; did you mean 'head'?"}));
  // Nothing close: Alembic's words alone.
  CliResult far = RunRetort({"upgrade", "zzzzzz"}, project.root());
  EXPECT_TRUE(IsOneLineError(far, 1, {"Can't locate revision identified by 'zzzzzz'"}));
  EXPECT_THAT(OnlyProblem(far), Not(HasSubstr("did you mean")));
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(ErrorGuidanceTest, AnAppliedRevisionWithoutAFileIsNamedAsSuch) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  std::filesystem::remove(project.versions_dir() / "bbb222_create_t2.sql");
  DbState before = Snapshot(project.db());

  CliResult result = RunRetort({"downgrade", "aaa111"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      result, 1, {"Can't locate revision identified by 'bbb222'", "bbb222 has no file"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

// ---- a schema made before retort: suggest stamp ----------------------------

TEST(ErrorGuidanceTest, ExistingTableWithoutVersionTableSuggestsStamp) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ExecSql(project.db(), "CREATE TABLE t1 (id INTEGER); INSERT INTO t1 VALUES (7);");
  DbState before = Snapshot(project.db());

  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"table t1 already exists", "retort stamp <revision>"}));
  EXPECT_THAT(OnlyProblem(result), StartsWith("FAILED: Error in revision aaa111"));
  EXPECT_EQ(Snapshot(project.db()), before);
  EXPECT_THAT(TableNames(project.db()), ElementsAre("t1"));

  // The way out works: adopt, then upgrade.
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "aaa111"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
}

TEST(ErrorGuidanceTest, ExistingTableOnATrackedDatabaseHasNoStampHint) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  ExecSql(project.db(), "CREATE TABLE t2 (id INTEGER);");
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"table t2 already exists"}));
  EXPECT_THAT(OnlyProblem(result), Not(HasSubstr("stamp")));
}

// ---- a failed run says what its progress lines no longer mean --------------

TEST(ErrorGuidanceTest, FailedRunEndsSayingWhatWasRolledBack) {
  std::vector<RevisionSpec> specs = Chain(3);
  specs[2].upgrade = "CREATE TABLE t3 (id INTEGER);\nINSERT INTO nosuch VALUES (1);";
  TempProject project(specs);

  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Error in revision rev3", "no such table: nosuch"}));
  EXPECT_THAT(result.err, HasSubstr("Running upgrade rev1 -> rev2"));
  EXPECT_THAT(OnlyProblem(result),
              EndsWith("; rolled back rev1, rev2 and rev3: the database is as it was before this "
                       "run"));
  EXPECT_EQ(result.ErrLines().back().rfind("FAILED: ", 0), 0u) << result.Describe();
  // The run created the file; nothing is in it.
  EXPECT_THAT(TableNames(project.db()), IsEmpty());
}

TEST(ErrorGuidanceTest, FailedRunPerMigrationSaysWhichStayedApplied) {
  std::vector<RevisionSpec> specs = Chain(3);
  specs[2].upgrade = "CREATE TABLE t3 (id INTEGER);\nINSERT INTO nosuch VALUES (1);";
  TempProject project(specs, "transaction_per_migration = true");

  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Error in revision rev3"}));
  EXPECT_THAT(OnlyProblem(result),
              EndsWith("; rev1 and rev2 stayed applied (committed), rolled back rev3"));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("rev2"));
  EXPECT_THAT(TableNames(project.db()), Not(testing::Contains("t3")));
}

TEST(ErrorGuidanceTest, FirstRevisionFailingHasNoRollbackNote) {
  std::vector<RevisionSpec> specs = Chain(2);
  specs[0].upgrade = "INSERT INTO nosuch VALUES (1);";
  TempProject project(specs);
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Error in revision rev1"}));
  EXPECT_THAT(OnlyProblem(result), Not(HasSubstr("rolled back")));
}

// ---- PostgreSQL ------------------------------------------------------------

TEST(ErrorGuidancePostgresTest, ConcurrentIndexInATransactionSuggestsTransactionalNo) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project({TableRevision("aaa111", {}, "t1"),
                       {.id = "bbb222",
                        .revises = {"aaa111"},
                        .upgrade = "CREATE INDEX CONCURRENTLY t1_id ON t1 (id);",
                        .downgrade = "DROP INDEX t1_id;",
                        .file_name = "bbb222_index.sql"}});
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  std::string before = PgSnapshot(db);

  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1,
                             {"cannot run inside a transaction block",
                              "add 'Transactional: no' to the header of", "bbb222_index.sql"}));
  EXPECT_EQ(PgSnapshot(db), before);
  EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db.url()).password));
}

// `retort init -t postgresql`, with only the url line edited (as its
// comments tell), runs `check` as written: the scratch database is made on
// the target's server (and dropped: tests/schema checks that).
TEST(ErrorGuidancePostgresTest, PostgresqlInitTemplateChecksAsWritten) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempDir dir;
  ASSERT_TRUE(Succeeded(RunRetort({"init", "-t", "postgresql", "proj"}, dir.path())));
  // As alembic init: retort.ini in the current folder, the scripts in proj/.
  std::filesystem::path project = dir.path();
  std::ifstream in(project / "retort.ini");
  std::stringstream text;
  text << in.rdbuf();
  std::string config = text.str();
  size_t url = config.find("\nurl = ");
  ASSERT_NE(url, std::string::npos) << config;
  config.replace(url + 1, config.find('\n', url + 1) - url - 1, "url = " + db.url());
  config += "schema = %(here)s/schema.sql\n";
  {
    std::ofstream out(project / "retort.ini");
    out << config;
    std::ofstream schema(project / "schema.sql");
    schema << "CREATE TABLE users (id INTEGER PRIMARY KEY);\n";
  }

  CliResult check = RunRetort({"check"}, project);
  EXPECT_EQ(check.exit_code, 1) << check.Describe();
  EXPECT_THAT(check.err + check.out, HasSubstr("users")) << check.Describe();
  EXPECT_THAT(check.err, Not(HasSubstr("Can't connect"))) << check.Describe();
  EXPECT_THAT(PgTables(db), IsEmpty());

  CliResult revision = RunRetort({"revision", "--autogenerate", "-m", "users"}, project);
  ASSERT_TRUE(Succeeded(revision));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project)));
  CliResult clean = RunRetort({"check"}, project);
  EXPECT_TRUE(Succeeded(clean));
}

}  // namespace
}  // namespace retort::test
