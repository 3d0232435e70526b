// What the seed projects' documented workflows hit (issue 16), run as a user
// runs them: real SQLite files, the binary as a process, exit code and the
// one line a user sees, and the database unchanged where nothing should
// change.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<RevisionSpec> Linear() {
  return {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")};
}

// Seed 001 keeps several databases in one config: $DATABASE_URL is the
// default section's, so `-n tools upgrade` migrates the tools database.
TEST(SeedWorkflowEdgeTest, DatabaseUrlDoesNotOverrideANamedSection) {
  TempProject project(Linear());
  project.WriteConfig(TempProject::DefaultConfig() +
                      "\n[tools]\nscript_location = migrations\nurl = sqlite:///tools.db\n");
  Env env{{"DATABASE_URL", "sqlite:///app_from_env.db"}};
  CliResult result = RunRetort({"-n", "tools", "upgrade", "head"}, project.root(), env);
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionRows(project.root() / "tools.db"), ElementsAre("bbb222"));
  EXPECT_FALSE(fs::exists(project.root() / "app_from_env.db"));
  // The first progress line names the database about to change.
  ASSERT_FALSE(result.ErrLines().empty());
  EXPECT_EQ(result.ErrLines().front(), "Running on sqlite:///tools.db (section [tools])");

  // The default section still takes $DATABASE_URL (SPEC: --url > env > file).
  CliResult main = RunRetort({"upgrade", "aaa111"}, project.root(), env);
  ASSERT_TRUE(Succeeded(main));
  EXPECT_EQ(main.ErrLines().front(), "Running on sqlite:///app_from_env.db");
  EXPECT_THAT(VersionRows(project.root() / "app_from_env.db"), ElementsAre("aaa111"));
  EXPECT_FALSE(fs::exists(project.db()));
}

TEST(SeedWorkflowEdgeTest, ASectionNamesItsOwnVariableWithUrlEnv) {
  TempProject project(Linear());
  project.WriteConfig(TempProject::DefaultConfig() +
                      "\n[tools]\nscript_location = migrations\nurl = sqlite:///tools.db\n"
                      "url_env = TOOLS_URL\n");
  Env env{{"DATABASE_URL", "sqlite:///app_from_env.db"}, {"TOOLS_URL", "sqlite:///tools_env.db"}};
  ASSERT_TRUE(Succeeded(RunRetort({"-n", "tools", "upgrade", "head"}, project.root(), env)));
  EXPECT_THAT(VersionRows(project.root() / "tools_env.db"), ElementsAre("bbb222"));
  EXPECT_FALSE(fs::exists(project.root() / "tools.db"));
  EXPECT_FALSE(fs::exists(project.root() / "app_from_env.db"));
  // Set but empty: an error naming the variable, nothing created.
  CliResult empty =
      RunRetort({"-n", "tools", "upgrade", "head"}, project.root(), {{"TOOLS_URL", std::string()}});
  EXPECT_TRUE(IsOneLineError(empty, 2, {"$TOOLS_URL is set but empty"}));
  EXPECT_FALSE(fs::exists(project.root() / "tools.db"));
}

TEST(SeedWorkflowEdgeTest, CurrentElsewhereCreatesNoDatabaseFile) {
  TempProject project(Linear());
  TempDir elsewhere;
  CliResult result = RunRetort({"-c", project.config_path().string(), "current"}, elsewhere.path());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_EQ(result.out, "");
  EXPECT_TRUE(fs::is_empty(elsewhere.path())) << "current left a file behind";
  EXPECT_FALSE(fs::exists(project.db()));
}

TEST(SeedWorkflowEdgeTest, InitNamesRevisionFilesToTheSecond) {
  TempDir dir;
  ASSERT_TRUE(Succeeded(RunRetort({"init", "migrations"}, dir.path())));
  CliResult made = RunRetort({"revision", "-m", "add users"}, dir.path());
  ASSERT_TRUE(Succeeded(made));
  std::string path = FindSqlPath(made.out + made.err);
  ASSERT_FALSE(path.empty()) << made.Describe();
  // YYYYMMDD_HHMMSS_<rev>_<slug>: sortable by creation time to the second.
  EXPECT_TRUE(std::regex_match(fs::path(path).filename().string(),
                               std::regex(R"(\d{8}_\d{6}_[0-9a-f]{12}_add_users\.sql)")))
      << path;
}

TEST(SeedWorkflowEdgeTest, WaitThatIsNoNumberSaysWhatIsExpected) {
  TempProject project(Linear());
  CliResult result = RunRetort({"--wait", "abc", "current"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 2, {"'abc' is not a number of seconds", "--wait 30"}));
  EXPECT_THAT(result.err, Not(HasSubstr("0.000000")));
}

TEST(SeedWorkflowEdgeTest, UnknownCommandSuggestsTheClosestOne) {
  TempProject project(Linear());
  CliResult result = RunRetort({"upgarde", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 2, {"Unknown command 'upgarde'", "did you mean 'upgrade'?"}));
  EXPECT_FALSE(fs::exists(project.db()));
}

// A `Transactional: no` revision gets no empty BEGIN;/COMMIT; pair before it.
TEST(SeedWorkflowEdgeTest, OfflineScriptHasNoEmptyTransactionBeforeANonTransactionalRevision) {
  RevisionSpec vacuum{.id = "bbb222",
                      .revises = {"aaa111"},
                      .upgrade = "VACUUM;",
                      .downgrade = "VACUUM;",
                      .transactional = false};
  TempProject project({TableRevision("aaa111", {}, "t1"), vacuum});
  CliResult result = RunRetort({"upgrade", "aaa111:bbb222", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  // Between a BEGIN; and its COMMIT; there must be a statement.
  std::regex empty_pair(R"(BEGIN;\s*(--[^\n]*\s*)*COMMIT;)");
  EXPECT_FALSE(std::regex_search(result.out, empty_pair)) << result.out;
  EXPECT_THAT(result.out, HasSubstr("VACUUM;"));
}

TEST(SeedWorkflowEdgeTest, OfflineRangeFromCurrentReadsTheDatabase) {
  TempProject project(Linear());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"upgrade", "current:head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(result)) << result.Describe();
  EXPECT_THAT(result.out, HasSubstr("-- Running upgrade aaa111 -> bbb222"));
  EXPECT_THAT(result.out, Not(HasSubstr("-> aaa111")));
  EXPECT_EQ(Snapshot(project.db()), before) << "--sql changes nothing";
}

}  // namespace
}  // namespace retort::test
