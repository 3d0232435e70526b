// `retort lint`, `history --graph` / `--dot` and `heads --check` as a user
// runs them: output lines and exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// a1 <- b1 (drops a column; a dropped table silenced), a1 <- b2: two heads.
TempProject Branched(const std::string& extra_config = "") {
  return TempProject(
      {
          {.id = "a1",
           .upgrade = "CREATE TABLE users (id INTEGER, email VARCHAR(255));",
           .downgrade = "DROP TABLE users;",
           .message = "add users"},
          {.id = "b1",
           .revises = {"a1"},
           .upgrade = "ALTER TABLE users DROP COLUMN email;\n"
                      "DROP TABLE users; -- retort:allow drop-table",
           .message = "drop email"},
          {.id = "b2",
           .revises = {"a1"},
           .upgrade = "CREATE TABLE posts (id INTEGER);",
           .downgrade = "DROP TABLE posts;",
           .message = "add posts"},
      },
      extra_config);
}

TEST(LintCliTest, FindingsPrintFileLineRuleAndExitOne) {
  TempProject project = Branched();
  CliResult result = RunRetort({"lint"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"lint: 1 finding in 1 revision", "retort:allow"}));
  EXPECT_THAT(result.OutLines(),
              ElementsAre("migrations/versions/b1_drop_email.sql:9: drop-column: DROP COLUMN "
                          "'users.email' destroys the column and its data (revision b1)"));
}

TEST(LintCliTest, JsonOnPostgresqlAddsLockRules) {
  TempProject project = Branched();
  CliResult result =
      RunRetort({"lint", "a1:b1", "--json", "--dialect", "postgresql"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(
      result.OutLines(),
      ElementsAre("[",
                  "  {\"revision\": \"b1\", \"file\": \"migrations/versions/b1_drop_email.sql\", "
                  "\"line\": 9, \"rule\": \"missing-lock-timeout\", \"message\": \"ALTER TABLE "
                  "'users' locks an existing table and no lock_timeout is set before it; a "
                  "blocked lock queues every query on the table (add SET lock_timeout = '5s' "
                  "first)\"},",
                  "  {\"revision\": \"b1\", \"file\": \"migrations/versions/b1_drop_email.sql\", "
                  "\"line\": 9, \"rule\": \"drop-column\", \"message\": \"DROP COLUMN "
                  "'users.email' destroys the column and its data\"}",
                  "]"));
}

TEST(LintCliTest, CleanRangeExitsZero) {
  TempProject project = Branched();
  for (const char* range : {"b2", "base:b2"}) {
    CliResult result = RunRetort({"lint", range}, project.root());
    EXPECT_EQ(result.exit_code, 0) << result.Describe();
    EXPECT_THAT(result.ErrLines(), ElementsAre(HasSubstr("lint: no findings in")));
  }
  CliResult json = RunRetort({"lint", "b2", "--json"}, project.root());
  EXPECT_EQ(json.exit_code, 0) << json.Describe();
  EXPECT_THAT(json.OutLines(), ElementsAre("[", "]"));
}

TEST(LintCliTest, DialectComesFromTheUrl) {
  TempProject project = Branched();
  project.WriteConfig(
      "[retort]\nscript_location = migrations\nurl = postgresql://u@localhost/nowhere\n");
  CliResult result = RunRetort({"lint", "a1:b1"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"2 findings in 1 revision"}));
  EXPECT_THAT(result.out, HasSubstr("missing-lock-timeout"));
}

TEST(LintCliTest, UnknownDialectIsAUsageError) {
  TempProject project = Branched();
  EXPECT_TRUE(IsOneLineError(RunRetort({"lint", "--dialect", "oracle"}, project.root()), 2,
                             {"Unknown dialect 'oracle'"}));
}

TEST(HeadsCheckCliTest, TwoHeadsFailWithTheMergeCommand) {
  TempProject project = Branched();
  CliResult result = RunRetort({"heads", "--check"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      result, 1,
      {"Multiple head revisions are present (2)", "retort merge heads -m \"merge heads\""}));
  EXPECT_THAT(result.OutLines(), ElementsAre("b1 (head), drop email", "b2 (head), add posts"));
}

TEST(HeadsCheckCliTest, OneHeadPasses) {
  TempProject project = Branched();
  project.AddRevision({.id = "m1", .revises = {"b1", "b2"}, .message = "merge heads"});
  CliResult result = RunRetort({"heads", "--check"}, project.root());
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.OutLines(), ElementsAre("m1 (head), merge heads"));
}

TEST(HistoryGraphCliTest, GraphMarksHeadsAndCurrent) {
  TempProject project = Branched();
  ASSERT_EQ(RunRetort({"upgrade", "b2"}, project.root()).exit_code, 0);
  CliResult result = RunRetort({"history", "--graph", "-i"}, project.root());
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.OutLines(),
              ElementsAre("* b1 (head), drop email", "| * b2 (head) (current), add posts", "|/",
                          "* a1, add users"));
}

TEST(HistoryGraphCliTest, DotHasNodesAndEdges) {
  TempProject project = Branched();
  CliResult result = RunRetort({"history", "--dot"}, project.root());
  EXPECT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.OutLines(),
              ElementsAre("digraph retort {", "  rankdir=BT;",
                          "  node [shape=box, fontname=\"monospace\"];",
                          "  \"a1\" [label=\"a1\\nadd users\"];",
                          "  \"b2\" [label=\"b2 (head)\\nadd posts\", style=bold, penwidth=2];",
                          "  \"b1\" [label=\"b1 (head)\\ndrop email\", style=bold, penwidth=2];",
                          "  \"a1\" -> \"b2\";", "  \"a1\" -> \"b1\";", "}"));
}

TEST(HistoryGraphCliTest, GraphAndDotExcludeEachOther) {
  TempProject project = Branched();
  EXPECT_EQ(RunRetort({"history", "--graph", "--dot"}, project.root()).exit_code, 2);
}

}  // namespace
}  // namespace retort::test
