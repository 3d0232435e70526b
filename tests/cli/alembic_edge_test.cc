// Alembic's behaviour at the edges of relative revision ids (issue 16): a
// walk that lands below base, relative `@` forms in stamp on an empty
// version table, and the errors of relative walks naming the way out. Each
// test runs the binary on a real SQLite file and checks the database is
// unchanged where nothing should change.
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
using ::testing::IsEmpty;

std::vector<RevisionSpec> Linear() {
  return {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")};
}

TEST(AlembicEdgeTest, UpgradeToARootMinusOneIsRefusedNotNothingToDo) {
  TempProject project(Linear());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  for (const char* target : {"aaa111-1", "bbb222-2"}) {
    CliResult result = RunRetort({"upgrade", target}, project.root());
    EXPECT_TRUE(IsOneLineError(
        result, 1,
        {std::string("Relative revision ") + target + " is base", "`retort downgrade base`"}));
    EXPECT_EQ(Snapshot(project.db()), before);
  }
  CliResult too_far = RunRetort({"upgrade", "bbb222-3"}, project.root());
  EXPECT_TRUE(IsOneLineError(too_far, 1, {"Walked too far: bbb222-3"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(AlembicEdgeTest, StampPurgeOfARelativeFormOnAnEmptyTableSucceedsAsInAlembic) {
  TempProject project(Linear());
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "aaa111"}, project.root())));
  // `aaa111` is no branch label: Alembic finds no head to walk from, so
  // the purged table stays empty.
  CliResult purge = RunRetort({"stamp", "--purge", "aaa111@-1"}, project.root());
  ASSERT_TRUE(Succeeded(purge));
  EXPECT_THAT(VersionRows(project.db()), IsEmpty());
  // Also on a table that is already empty.
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "bbb222@-1"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), IsEmpty());
  // "-1" walks down from the graph's head.
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "-1"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
  EXPECT_THAT(TableNames(project.db()), ::testing::Not(::testing::Contains("t1")))
      << "stamp runs no migration";
}

TEST(AlembicEdgeTest, StampOfARelativeFormBesideAppliedRowsStillFailsAsInAlembic) {
  TempProject project(Linear());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"stamp", "aaa111@-1"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Can't locate revision identified by '-1'"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

TEST(AlembicEdgeTest, StampPurgeWithLabelWalksDownFromThatBranchsHead) {
  RevisionSpec root = TableRevision("aaa111", {}, "t1");
  root.labels = {"app"};
  TempProject project({root, TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "bbb222"}, project.root())));
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "app@-1"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

TEST(AlembicEdgeTest, AmbiguousWalkNamesTheParentsAndACommandThatWorks) {
  TempProject project({TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2"),
                       TableRevision("ccc333", {"aaa111"}, "t3"),
                       TableRevision("ddd444", {"bbb222", "ccc333"}, "t4")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"downgrade", "-1"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      result, 1,
      {"Ambiguous walk: ddd444 has 2 parents (bbb222, ccc333)", "`retort downgrade bbb222`"}));
  EXPECT_EQ(Snapshot(project.db()), before);
  // The suggested command works.
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "bbb222"}, project.root())));
}

TEST(AlembicEdgeTest, RelativeTooFarSaysWhereTheDatabaseIsAndWhatTheNumberMeant) {
  TempProject project(Linear());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult up = RunRetort({"upgrade", "+2"}, project.root());
  EXPECT_TRUE(IsOneLineError(up, 1,
                             {"Relative revision +2 didn't produce 2 migrations",
                              "the database is at aaa111", "past the head"}));
  CliResult down = RunRetort({"downgrade", "-2"}, project.root());
  EXPECT_TRUE(IsOneLineError(down, 1,
                             {"Relative revision -2 didn't produce 2 migrations",
                              "the database is at aaa111", "`retort downgrade base`"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

}  // namespace
}  // namespace retort::test
