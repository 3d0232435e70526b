// Alembic parity on real projects' histories (issue 17): offline comments,
// an offline start with several heads, version_locations read as listed, and
// headers transcribed from Alembic scripts. Each against real SQLite files.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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
using ::testing::UnorderedElementsAre;

std::vector<std::string> CommentLines(const std::string& out) {
  std::vector<std::string> lines;
  for (const std::string& line : SplitLines(out)) {
    if (line.rfind("-- Running ", 0) == 0) lines.push_back(line);
  }
  return lines;
}

// a <- b, where b also depends on x (another root, labelled "other").
std::vector<RevisionSpec> DependentGraph() {
  RevisionSpec a = TableRevision("aaa111", {}, "ta");
  RevisionSpec x = TableRevision("xxx999", {}, "tx");
  x.labels = {"other"};
  RevisionSpec b = TableRevision("bbb222", {"aaa111"}, "tb");
  b.depends_on = {"xxx999"};
  return {a, x, b};
}

TEST(AlembicParityTest, OfflineCommentsNameOnlyTheRealParents) {
  TempProject project(DependentGraph());
  CliResult up = RunRetort({"upgrade", "base:bbb222", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  // Alembic 1.8.1 and 1.13 print these: Depends On is not a parent.
  std::vector<std::string> comments = CommentLines(up.out);
  ASSERT_EQ(comments.size(), 3u) << up.out;
  EXPECT_THAT(
      std::vector<std::string>(comments.begin(), comments.begin() + 2),
      UnorderedElementsAre("-- Running upgrade  -> aaa111", "-- Running upgrade  -> xxx999"));
  EXPECT_EQ(comments[2], "-- Running upgrade aaa111 -> bbb222");
  CliResult down = RunRetort({"downgrade", "bbb222:base", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(down));
  EXPECT_THAT(CommentLines(down.out),
              ElementsAre("-- Running downgrade bbb222 -> aaa111",
                          "-- Running downgrade aaa111 -> ", "-- Running downgrade xxx999 -> "));
  EXPECT_FALSE(std::filesystem::exists(project.db()));

  // The script still does what an online run does: run it by hand.
  ExecSql(project.db(), up.out);
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  EXPECT_THAT(TableNames(project.db()), ::testing::IsSupersetOf({"ta", "tb", "tx"}));
}

TEST(AlembicParityTest, ProgressLinesNameOnlyTheRealParentsToo) {
  TempProject project(DependentGraph());
  CliResult up = RunRetort({"upgrade", "bbb222"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(up.err, HasSubstr("Running upgrade aaa111 -> bbb222, create tb"));
  EXPECT_THAT(up.err, Not(HasSubstr("aaa111, xxx999")));
}

std::vector<RevisionSpec> TwoHeads() {
  return {TableRevision("root01", {}, "t0"), TableRevision("left01", {"root01"}, "tl"),
          TableRevision("right1", {"root01"}, "tr")};
}

TEST(AlembicParityTest, OfflineStartWithSeveralHeadsIsRefusedAsAlembicDoes) {
  TempProject project(TwoHeads());
  const std::vector<std::vector<std::string>> commands = {
      {"downgrade", "heads:base", "--sql"},
      {"downgrade", "heads:root01", "--sql"},
      {"upgrade", "heads:heads", "--sql"},
      {"stamp", "heads:base", "--sql"},
  };
  for (const std::vector<std::string>& command : commands) {
    CliResult result = RunRetort(command, project.root());
    EXPECT_TRUE(IsOneLineError(result, 1,
                               {"Multiple head revisions are present for given argument 'heads'",
                                "'heads' for all heads"}))
        << command[0] << " " << command[1];
    EXPECT_EQ(result.out, "") << command[0] << " " << command[1];
  }
  CliResult head = RunRetort({"downgrade", "head:base", "--sql"}, project.root());
  EXPECT_TRUE(
      IsOneLineError(head, 1, {"Multiple head revisions are present for given argument 'head'"}));
  EXPECT_FALSE(std::filesystem::exists(project.db()));

  // One named head is a valid start.
  CliResult one = RunRetort({"downgrade", "left01:base", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(one));
  EXPECT_THAT(CommentLines(one.out), ElementsAre("-- Running downgrade left01 -> root01",
                                                 "-- Running downgrade root01 -> "));
}

TEST(AlembicParityTest, VersionLocationsAreReadExactlyAsListed) {
  // migrations/versions holds a stray revision that is not listed: Alembic
  // does not read it, and neither may retort.
  TempProject project({TableRevision("stray1", {}, "tstray")},
                      "version_locations = %(here)s/second %(here)s/first");
  RevisionSpec s1 = TableRevision("sec001", {}, "ts1");
  RevisionSpec s2 = TableRevision("sec002", {"sec001"}, "ts2");
  RevisionSpec f1 = TableRevision("fir001", {"sec002"}, "tf1");
  project.Write("second/0001_s1.sql", RenderRevision(s1));
  project.Write("second/0002_s2.sql", RenderRevision(s2));
  project.Write("first/0001_f1.sql", RenderRevision(f1));

  CliResult heads = RunRetort({"heads"}, project.root());
  ASSERT_TRUE(Succeeded(heads));
  EXPECT_EQ(heads.out, "fir001 (head)\n");
  CliResult history = RunRetort({"history"}, project.root());
  ASSERT_TRUE(Succeeded(history));
  EXPECT_THAT(history.out, Not(HasSubstr("stray1")));

  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("fir001"));
  EXPECT_THAT(TableNames(project.db()), Not(::testing::Contains("tstray")));
  CliResult stray = RunRetort({"upgrade", "stray1"}, project.root());
  EXPECT_TRUE(IsOneLineError(stray, 1, {"Can't locate revision identified by 'stray1'"}));

  // Listing script_location/versions reads it, at its place in the list.
  project.WriteConfig(TempProject::DefaultConfig(
      "version_locations = %(here)s/second %(here)s/migrations/versions %(here)s/first"));
  CliResult all = RunRetort({"heads"}, project.root());
  ASSERT_TRUE(Succeeded(all));
  EXPECT_THAT(SplitLines(all.out), UnorderedElementsAre("fir001 (head)", "stray1 (head)"));
}

TEST(AlembicParityTest, RevisesNoneIsARoot) {
  TempProject project;
  project.Write("migrations/versions/0001_first.sql",
                "-- first\n--\n-- Revision ID: first1\n-- Revises: None\n"
                "-- Depends On: None\n\n-- migrate:upgrade\nCREATE TABLE t1 (id INTEGER);\n\n"
                "-- migrate:downgrade\nDROP TABLE t1;\n");
  project.AddRevision(TableRevision("second", {"first1"}, "t2"));
  CliResult history = RunRetort({"history"}, project.root());
  ASSERT_TRUE(Succeeded(history));
  EXPECT_THAT(history.out, HasSubstr("<base> -> first1"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("second"));
  EXPECT_THAT(TableNames(project.db()), ::testing::IsSupersetOf({"t1", "t2"}));
}

TEST(AlembicParityTest, PythonTupleInRevisesSaysHowToWriteIt) {
  TempProject project({TableRevision("aaa111", {}, "ta"), TableRevision("bbb222", {}, "tb")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, project.root())));
  DbState before = Snapshot(project.db());
  project.Write("migrations/versions/ccc333_merge.sql",
                "-- merge\n--\n-- Revision ID: ccc333\n-- Revises: ('aaa111', 'bbb222')\n\n"
                "-- migrate:upgrade\n");
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1,
                             {"ccc333_merge.sql:4", "Revises: ('aaa111', 'bbb222')",
                              "is Python syntax", "'Revises: aaa111, bbb222'"}));
  EXPECT_EQ(Snapshot(project.db()), before);
}

}  // namespace
}  // namespace retort::test
