// The seeds' two repairs of a revision graph, as a user runs them (issue 16):
// `stamp --purge` after a deleted file, and changing `Revises:` of an
// applied revision (rebasing it). docs/integrity.md, "Revisions no longer
// applied" and "A changed Revises:".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Strings = std::vector<std::string>;

std::vector<RevisionSpec> Chain() {
  return {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2"),
          TableRevision("ccc333", {"bbb222"}, "t3")};
}

std::filesystem::path FileOf(const TempProject& project, const std::string& id,
                             const std::string& table) {
  return project.versions_dir() / (id + "_create_" + table + ".sql");
}

// The documented fix for "Can't locate revision": after it, upgrade and
// downgrade run (they failed with "Applied revision ccc333 has no file").
TEST(PurgeRebaseTest, StampPurgeAfterADeletedFileLetsUpgradeAndDowngradeRun) {
  TempProject project(Chain());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  std::filesystem::remove(FileOf(project, "ccc333", "t3"));

  DbState before = Snapshot(project.db());
  CliResult stuck = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(
      IsOneLineError(stuck, 1,
                     {"Can't locate revision identified by 'ccc333'",
                      "applied revision ccc333 has no file (deleted?)", "retort stamp --purge"}));
  EXPECT_EQ(Snapshot(project.db()), before);

  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "bbb222"}, project.root())));
  EXPECT_EQ(VersionRows(project.db()), Strings{"bbb222"});
  CliResult status = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(status));
  EXPECT_THAT(status.OutLines(), Contains("Integrity: ok"));
  CliResult upgrade = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(upgrade));
  CliResult downgrade = RunRetort({"downgrade", "base"}, project.root());
  ASSERT_TRUE(Succeeded(downgrade));
  EXPECT_EQ(VersionRows(project.db()), Strings{});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_EQ(VersionRows(project.db()), Strings{"bbb222"});
  // The stale row of ccc333 vouches for nothing: repair removes it.
  CliResult repair = RunRetort({"repair"}, project.root());
  ASSERT_TRUE(Succeeded(repair));
  EXPECT_THAT(repair.OutLines(),
              ElementsAre("Removed the history row of ccc333: no revision file has it"));
}

// A plain stamp downwards, then the file deleted: the revision is not
// applied any more, so its history row blocks nothing.
TEST(PurgeRebaseTest, RowOfARevisionStampedAwayBlocksNothing) {
  TempProject project(Chain());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "bbb222"}, project.root())));
  std::filesystem::remove(FileOf(project, "ccc333", "t3"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "aaa111"}, project.root())));
  EXPECT_EQ(VersionRows(project.db()), Strings{"aaa111"});
}

// A file deleted from the middle of the applied chain (its child
// re-parented) still blocks: the child's recorded Revises: names it. The
// message keeps its first words and says the way out.
TEST(PurgeRebaseTest, FileDeletedFromTheMiddleStillBlocksAndSaysTheWayOut) {
  TempProject project(Chain());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  std::filesystem::remove(FileOf(project, "bbb222", "t2"));
  project.AddRevision(TableRevision("ccc333", {"aaa111"}, "t3"));

  DbState before = Snapshot(project.db());
  for (const Strings& args : {Strings{"upgrade", "head"}, Strings{"downgrade", "base"}}) {
    CliResult refused = RunRetort(args, project.root());
    EXPECT_TRUE(
        IsOneLineError(refused, 1,
                       {"Applied revision bbb222 has no file (deleted?)", "restore the file",
                        "retort repair", "(and 1 more integrity problem; see `retort status`)"}));
    EXPECT_EQ(Snapshot(project.db()), before);
  }
  CliResult repair = RunRetort({"repair"}, project.root());
  ASSERT_TRUE(Succeeded(repair));
  EXPECT_THAT(repair.OutLines(),
              ElementsAre("Removed the history row of bbb222: no revision file has it",
                          "Recorded Revises: of ccc333 (migrations/versions/"
                          "ccc333_create_t3.sql): bbb222 -> aaa111"));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "aaa111"}, project.root())));
  EXPECT_EQ(VersionRows(project.db()), Strings{"aaa111"});
}

// Seed 003's rebase: ccc333 was applied on aaa111; main gained bbb222 and
// ccc333 now says `Revises: bbb222`. Before, upgrade said nothing to do,
// status said ok, and `downgrade base` failed on bbb222's missing table.
class RebaseTest : public ::testing::Test {
 protected:
  RebaseTest()
      : project_({TableRevision("aaa111", {}, "t1"), TableRevision("ccc333", {"aaa111"}, "t3")}) {}

  void ApplyThenRebase() {
    ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project_.root())));
    project_.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
    project_.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));
  }

  TempProject project_;
};

const Strings kRebaseNeedles = {
    "Revision ccc333 (migrations/versions/ccc333_create_t3.sql) was applied on top of aaa111, "
    "but its file now says Revises: bbb222: bbb222 never ran here, yet upgrade would skip it",
    "put back `Revises: aaa111` and downgrade ccc333 first", "`retort repair`"};

TEST_F(RebaseTest, UpgradeAndDowngradeRefuseStatusReportsIt) {
  ApplyThenRebase();
  DbState before = Snapshot(project_.db());
  for (const Strings& args : {Strings{"upgrade", "head"}, Strings{"downgrade", "base"}}) {
    CliResult refused = RunRetort(args, project_.root());
    EXPECT_TRUE(IsOneLineError(refused, 1, kRebaseNeedles));
    EXPECT_EQ(Snapshot(project_.db()), before);
  }

  CliResult status = RunRetort({"status"}, project_.root());
  ASSERT_TRUE(Succeeded(status));
  EXPECT_THAT(status.OutLines(), Contains("Integrity: 1 problem"));
  EXPECT_THAT(status.out, HasSubstr(kRebaseNeedles[0]));
  CliResult json = RunRetort({"status", "--json"}, project_.root());
  ASSERT_TRUE(Succeeded(json));
  EXPECT_THAT(json.out, HasSubstr(R"("kind":"revises_changed","revision":"ccc333")"));
  EXPECT_THAT(json.out, HasSubstr(R"("recorded_revises":["aaa111"],"file_revises":["bbb222"])"));
  EXPECT_EQ(Snapshot(project_.db()), before);
}

// The first way out: the old Revises: back, downgrade, the new one, upgrade.
TEST_F(RebaseTest, PuttingBackTheOldParentThenDowngradingWorks) {
  ApplyThenRebase();
  project_.AddRevision(TableRevision("ccc333", {"aaa111"}, "t3"));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "aaa111"}, project_.root())));
  project_.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project_.root())));
  EXPECT_EQ(VersionRows(project_.db()), Strings{"ccc333"});
  EXPECT_THAT(TableNames(project_.db()), ::testing::IsSupersetOf({"t1", "t2", "t3"}));
  CliResult status = RunRetort({"status"}, project_.root());
  EXPECT_THAT(status.OutLines(), Contains("Integrity: ok"));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project_.root())));
}

// The second: run the new parent's SQL by hand, then repair records the
// new Revises: and everything runs again.
TEST_F(RebaseTest, ApplyingTheParentByHandThenRepair) {
  ApplyThenRebase();
  ExecSql(project_.db(), "CREATE TABLE t2 (id INTEGER)");
  CliResult repair = RunRetort({"repair"}, project_.root());
  ASSERT_TRUE(Succeeded(repair));
  EXPECT_THAT(repair.OutLines(), ElementsAre("Recorded Revises: of ccc333 (migrations/versions/"
                                             "ccc333_create_t3.sql): aaa111 -> bbb222"));
  CliResult status = RunRetort({"status"}, project_.root());
  EXPECT_THAT(status.OutLines(), Contains("Integrity: ok"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project_.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project_.root())));
  EXPECT_EQ(VersionRows(project_.db()), Strings{});
}

// Stamped (as Alembic or a stamp leaves it): no history rows, nothing to
// compare, Alembic's behaviour.
TEST(PurgeRebaseTest, StampedDatabaseHasNothingToCompare) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("ccc333", {"aaa111"}, "t3")});
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "head"}, project.root())));
  project.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
  project.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));
  CliResult status = RunRetort({"status"}, project.root());
  EXPECT_THAT(status.OutLines(), Contains("Integrity: ok"));
  CliResult upgrade = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(upgrade));
  EXPECT_EQ(VersionRows(project.db()), Strings{"ccc333"});
}

// A history table from before the `revises` column: its rows compare no
// parents; the next run that applies a revision adds the column.
TEST(PurgeRebaseTest, HistoryTableWithoutTheRevisesColumnIsReadThenExtended) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("ccc333", {"aaa111"}, "t3")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  ExecSql(project.db(), "ALTER TABLE retort_version_history DROP COLUMN revises");
  project.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
  project.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));
  CliResult status = RunRetort({"status"}, project.root());
  EXPECT_THAT(status.OutLines(), Contains("Integrity: ok"));
  DbState before = Snapshot(project.db());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_EQ(Snapshot(project.db()), before);  // nothing to do, nothing written

  project.AddRevision(TableRevision("ddd444", {"ccc333"}, "t4"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_EQ(QueryColumn(project.db(),
                        "SELECT revision || '=' || COALESCE(revises, 'NULL') FROM "
                        "retort_version_history ORDER BY revision"),
            (Strings{"aaa111=NULL", "ccc333=NULL", "ddd444=ccc333"}));
}

TEST(PurgeRebasePostgresTest, RebasedRevisionRefusesAndStampPurgeRecovers) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("ccc333", {"aaa111"}, "t3")});
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  project.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));
  project.AddRevision(TableRevision("ccc333", {"bbb222"}, "t3"));

  const std::string before = PgSnapshot(db);
  CliResult refused = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(refused, 1, kRebaseNeedles));
  EXPECT_EQ(PgSnapshot(db), before);
  CliResult status = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(status));
  EXPECT_THAT(status.out, HasSubstr(kRebaseNeedles[0]));

  // The applied file deleted instead, then the documented purge: upgrade
  // and downgrade run.
  std::filesystem::remove(FileOf(project, "ccc333", "t3"));
  CliResult stuck = RunRetort({"downgrade", "base"}, project.root());
  EXPECT_TRUE(IsOneLineError(stuck, 1, {"Can't locate revision identified by 'ccc333'"}));
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "aaa111"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_EQ(PgVersionRows(db), Strings{});
}

}  // namespace
}  // namespace retort::test
