// Offline mode: `--sql` prints the script (transaction boundaries and
// version-table statements included) and never touches the database.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using ::testing::Not;

std::vector<RevisionSpec> ThreeRevisions() {
  std::vector<RevisionSpec> specs;
  const char* ids[] = {"aaa111", "bbb222", "ccc333"};
  for (int i = 0; i < 3; ++i) {
    RevisionSpec spec{.id = ids[i],
                      .upgrade = "CREATE TABLE t" + std::to_string(i + 1) + " (id INTEGER);",
                      .downgrade = "DROP TABLE t" + std::to_string(i + 1) + ";"};
    if (i > 0) spec.revises = {ids[i - 1]};
    specs.push_back(spec);
  }
  return specs;
}

// Asserts that each needle occurs in `text`, in this order.
::testing::AssertionResult InOrder(const std::string& text,
                                   const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const std::string& needle : needles) {
    size_t found = text.find(needle, at);
    if (found == std::string::npos) {
      return ::testing::AssertionFailure() << "'" << needle << "' not found (in order) in:\n"
                                           << text;
    }
    at = found + needle.size();
  }
  return ::testing::AssertionSuccess();
}

TEST(OfflineTest, UpgradeFromToPrintsOnlyThatRange) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"upgrade", "aaa111:head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(
      InOrder(result.out, {"BEGIN", "CREATE TABLE t2", "UPDATE retort_version", "bbb222",
                           "CREATE TABLE t3", "UPDATE retort_version", "ccc333", "COMMIT"}));
  EXPECT_THAT(result.out, Not(HasSubstr("CREATE TABLE t1")));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, UpgradeWithoutFromStartsAtBaseWithoutConnecting) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"upgrade", "head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(InOrder(result.out, {"BEGIN", "CREATE TABLE retort_version", "CREATE TABLE t1",
                                   "INSERT INTO retort_version", "aaa111", "CREATE TABLE t2",
                                   "CREATE TABLE t3", "ccc333", "COMMIT"}));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, DowngradeFromTo) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"downgrade", "ccc333:aaa111", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(InOrder(result.out, {"BEGIN", "DROP TABLE t3", "UPDATE retort_version",
                                   "DROP TABLE t2", "UPDATE retort_version", "aaa111", "COMMIT"}));
  EXPECT_THAT(result.out, Not(HasSubstr("DROP TABLE t1")));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, DowngradeToBaseDeletesTheRow) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"downgrade", "aaa111:base", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(
      InOrder(result.out, {"BEGIN", "DROP TABLE t1", "DELETE FROM retort_version", "COMMIT"}));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, DowngradeWithoutFromIsAUsageError) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"downgrade", "base", "--sql"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 2, {"--sql||FROM"}));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, TransactionPerMigrationCommitsEachRevision) {
  TempProject project(ThreeRevisions(), "transaction_per_migration = true");
  CliResult result = RunRetort({"upgrade", "aaa111:head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(InOrder(
      result.out, {"BEGIN", "CREATE TABLE t2", "COMMIT", "BEGIN", "CREATE TABLE t3", "COMMIT"}));
}

TEST(OfflineTest, StampPrintsVersionStatementsOnly) {
  TempProject project(ThreeRevisions());
  CliResult result = RunRetort({"stamp", "bbb222:ccc333", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_TRUE(InOrder(result.out, {"UPDATE retort_version", "ccc333"}));
  EXPECT_THAT(result.out, Not(HasSubstr("CREATE TABLE t3")));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(OfflineTest, OnlineAndOfflineAgree) {
  // The script printed by --sql, run by hand, gives the same database as
  // an online upgrade.
  TempProject online(ThreeRevisions());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, online.root())));
  TempProject offline(ThreeRevisions());
  CliResult script = RunRetort({"upgrade", "head", "--sql"}, offline.root());
  ASSERT_TRUE(Succeeded(script));
  ExecSql(offline.db(), script.out);
  EXPECT_EQ(TableNames(offline.db()), TableNames(online.db()));
  EXPECT_EQ(VersionRows(offline.db()), VersionRows(online.db()));
  EXPECT_THAT(VersionRows(offline.db()), ElementsAre("ccc333"));
  // The online run folds its bookkeeping into one write before the commit,
  // the script writes it per revision (docs/running-migrations.md): the
  // history rows, each revision with its checksum, are the same.
  const std::string history =
      "SELECT revision || ' ' || checksum FROM retort_version_history ORDER BY revision";
  EXPECT_EQ(QueryColumn(offline.db(), history), QueryColumn(online.db(), history));
  EXPECT_EQ(QueryColumn(online.db(), history).size(), 3u);
}

// A script that cannot be completed is not printed at all: a pipe such as
// `retort downgrade c:base --sql | psql` must not apply half of it.
TEST(OfflineTest, FailedScriptPrintsNothing) {
  std::vector<RevisionSpec> specs = ThreeRevisions();
  specs[0].downgrade = std::nullopt;  // aaa111 cannot be undone
  TempProject project(specs);
  CliResult result = RunRetort({"downgrade", "ccc333:base", "--sql"}, project.root());
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.out, "");
  EXPECT_THAT(result.err, HasSubstr("aaa111"));
  EXPECT_THAT(result.err, HasSubstr("irreversible"));
}

}  // namespace
}  // namespace retort::test
