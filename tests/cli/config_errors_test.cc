// Configuration and usage errors (exit 2), and where the config and URL come
// from: -c, $RETORT_CONFIG, -n, --url, $DATABASE_URL, %(here)s.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<RevisionSpec> OneRevision() {
  return {{.id = "aaa111",
           .upgrade = "CREATE TABLE t1 (id INTEGER);",
           .downgrade = "DROP TABLE t1;",
           .message = "one"}};
}

struct ConfigCase {
  std::string name;
  // retort.ini content; empty: no retort.ini at all.
  std::string config;
  std::vector<std::string> args;
  Env env;
  int exit_code;
  std::vector<std::string> needles;  // each must appear in the error line
};

// gtest names the case in failure output instead of dumping its bytes.
void PrintTo(const ConfigCase& c, std::ostream* os) { *os << c.name; }

class ConfigErrorTest : public ::testing::TestWithParam<ConfigCase> {};

TEST_P(ConfigErrorTest, OneLineExitCodeDatabaseUntouched) {
  const ConfigCase& c = GetParam();
  TempProject project(OneRevision());
  // A database at aaa111, which the failed command must leave alone.
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  DbState before = Snapshot(project.db());

  if (c.config.empty()) {
    std::filesystem::remove(project.config_path());
  } else {
    project.WriteConfig(c.config);
  }
  CliResult result = RunRetort(c.args, project.root(), c.env);
  EXPECT_TRUE(IsOneLineError(result, c.exit_code, c.needles));
  EXPECT_EQ(Snapshot(project.db()), before);
}

const std::string kGoodConfig = TempProject::DefaultConfig();

INSTANTIATE_TEST_SUITE_P(
    Cases, ConfigErrorTest,
    ::testing::Values(
        ConfigCase{"NoConfigFile", "", {"upgrade", "head"}, {}, 2, {"retort.ini"}},
        ConfigCase{"DashCMissing",
                   kGoodConfig,
                   {"-c", "nosuch.ini", "upgrade", "head"},
                   {},
                   2,
                   {"nosuch.ini"}},
        ConfigCase{"RetortConfigEnvMissing",
                   kGoodConfig,
                   {"upgrade", "head"},
                   {{"RETORT_CONFIG", "/nonexistent/elsewhere.ini"}},
                   2,
                   {"elsewhere.ini"}},
        ConfigCase{"MalformedLine",
                   "[retort]\nscript_location = migrations\nthis line is not ini\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"retort.ini", "retort.ini:3||line 3"}},
        ConfigCase{"UnclosedSection",
                   "[retort\nscript_location = migrations\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"retort.ini", "retort.ini:1||line 1"}},
        ConfigCase{
            "UnknownSection", kGoodConfig, {"-n", "nosuch", "upgrade", "head"}, {}, 2, {"nosuch"}},
        ConfigCase{"NoScriptLocation",
                   "[retort]\nurl = sqlite:///app.db\n",
                   {"heads"},
                   {},
                   2,
                   {"script_location"}},
        ConfigCase{"NoUrl",
                   "[retort]\nscript_location = migrations\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"url||URL"}},
        ConfigCase{"UnsupportedScheme",
                   "[retort]\nscript_location = migrations\nurl = oracle://u@localhost/db\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"oracle"}},
        ConfigCase{"NotAUrl",
                   "[retort]\nscript_location = migrations\nurl = app.db\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"app.db"}},
        ConfigCase{"BadUrlOption",
                   kGoodConfig,
                   {"--url", "bogus://x", "upgrade", "head"},
                   {},
                   2,
                   {"bogus"}},
        ConfigCase{"BadDatabaseUrlEnv",
                   kGoodConfig,
                   {"upgrade", "head"},
                   {{"DATABASE_URL", "nonsense"}},
                   2,
                   {"nonsense"}},
        ConfigCase{"BadPort",
                   kGoodConfig,
                   {"--url", "postgresql://u@localhost:notaport/db", "current"},
                   {},
                   2,
                   {"notaport||port"}},
        ConfigCase{"BadBoolean",
                   kGoodConfig + "transaction_per_migration = maybe\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"transaction_per_migration"}},
        ConfigCase{"VersionLocationMissing",
                   kGoodConfig + "version_locations = extra_versions\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"extra_versions"}},
        ConfigCase{"UnknownTimezone",
                   kGoodConfig + "timezone = Mars/Olympus\n",
                   {"revision", "-m", "x"},
                   {},
                   2,
                   {"Mars/Olympus"}},
        ConfigCase{"MissingScriptFolder",
                   "[retort]\nscript_location = nowhere\nurl = sqlite:///app.db\n",
                   {"upgrade", "head"},
                   {},
                   2,
                   {"nowhere"}}),
    [](const ::testing::TestParamInfo<ConfigCase>& info) { return info.param.name; });

struct UsageCase {
  std::string name;
  std::vector<std::string> args;
  std::vector<std::string> needles;  // each must appear in the error line
};

// gtest names the case in failure output instead of dumping its bytes.
void PrintTo(const UsageCase& c, std::ostream* os) { *os << c.name; }

class UsageErrorTest : public ::testing::TestWithParam<UsageCase> {};

TEST_P(UsageErrorTest, OneLineExitTwoTouchesNothing) {
  TempProject project(OneRevision());
  CliResult result = RunRetort(GetParam().args, project.root());
  EXPECT_TRUE(IsOneLineError(result, 2, GetParam().needles));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UsageErrorTest,
    ::testing::Values(
        // A typo must be named, not answered with "a subcommand is required".
        UsageCase{"UnknownCommand", {"frobnicate"}, {"frobnicate"}},
        UsageCase{"NoCommand", {}, {"ommand"}},
        UsageCase{"UpgradeWithoutRevision", {"upgrade"}, {"revision"}},
        UsageCase{"UnknownOption", {"upgrade", "head", "--bogus"}, {"--bogus"}},
        UsageCase{"RevisionWithoutMessageValue", {"revision", "-m"}, {"-m||message"}},
        UsageCase{"XWithoutEquals", {"-x", "novalue", "current"}, {"novalue"}},
        UsageCase{"DowngradeSqlWithoutFrom", {"downgrade", "base", "--sql"}, {"--sql"}}),
    [](const ::testing::TestParamInfo<UsageCase>& info) { return info.param.name; });

TEST(ConfigSourceTest, DashCPicksTheFile) {
  TempProject project(OneRevision());
  std::filesystem::rename(project.config_path(), project.root() / "other.ini");
  ASSERT_TRUE(Succeeded(RunRetort({"-c", "other.ini", "upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

TEST(ConfigSourceTest, RetortConfigEnvPicksTheFileAndHereAnchorsPaths) {
  TempProject project(OneRevision());
  project.WriteConfig(
      "[retort]\n"
      "script_location = migrations\n"
      "url = sqlite:///%(here)s/here.db\n");
  std::filesystem::create_directories(project.root() / "sub");
  CliResult result = RunRetort({"upgrade", "head"}, project.root() / "sub",
                               {{"RETORT_CONFIG", project.config_path().string()}});
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionRows(project.root() / "here.db"), ElementsAre("aaa111"));
  EXPECT_FALSE(std::filesystem::exists(project.root() / "sub" / "here.db"));
}

TEST(ConfigSourceTest, DashCOverridesRetortConfigEnv) {
  TempProject project(OneRevision());
  CliResult result = RunRetort({"-c", "retort.ini", "upgrade", "head"}, project.root(),
                               {{"RETORT_CONFIG", "/nonexistent/elsewhere.ini"}});
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

TEST(ConfigSourceTest, ScriptLocationIsRelativeToTheConfigFile) {
  TempProject project(OneRevision());
  std::filesystem::create_directories(project.root() / "elsewhere");
  CliResult result = RunRetort({"-c", "../retort.ini", "heads"}, project.root() / "elsewhere");
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(result.OutLines(), ElementsAre("aaa111 (head)"));
}

TEST(ConfigSourceTest, DashNPicksTheSection) {
  TempProject project(OneRevision());
  project.WriteConfig(TempProject::DefaultConfig() +
                      "\n[other]\nscript_location = migrations\nurl = sqlite:///other.db\n");
  ASSERT_TRUE(Succeeded(RunRetort({"-n", "other", "upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.root() / "other.db"), ElementsAre("aaa111"));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(ConfigSourceTest, UrlPrecedence) {
  TempProject project(OneRevision());
  // $DATABASE_URL beats the file.
  ASSERT_TRUE(Succeeded(
      RunRetort({"upgrade", "head"}, project.root(), {{"DATABASE_URL", "sqlite:///env.db"}})));
  EXPECT_THAT(VersionRows(project.root() / "env.db"), ElementsAre("aaa111"));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
  // --url beats $DATABASE_URL.
  ASSERT_TRUE(Succeeded(RunRetort({"--url", "sqlite:///cli.db", "upgrade", "head"}, project.root(),
                                  {{"DATABASE_URL", "sqlite:///env2.db"}})));
  EXPECT_THAT(VersionRows(project.root() / "cli.db"), ElementsAre("aaa111"));
  EXPECT_FALSE(std::filesystem::exists(project.root() / "env2.db"));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(ConfigSourceTest, AbsoluteSqlitePath) {
  TempProject project(OneRevision());
  TempDir other;
  std::string url = "sqlite:///" + (other / "abs.db").string();  // sqlite:////tmp/...
  ASSERT_TRUE(Succeeded(RunRetort({"--url", url, "upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(other / "abs.db"), ElementsAre("aaa111"));
}

TEST(ConfigSourceTest, DeveloperEnvironmentDoesNotLeak) {
  // The runner scrubs DATABASE_URL and RETORT_CONFIG; this documents it.
  TempProject project(OneRevision());
  CliResult result = RunProcess({"/usr/bin/env"}, project.root());
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("DATABASE_URL=")));
  EXPECT_THAT(result.out, ::testing::Not(HasSubstr("RETORT_CONFIG=")));
}

}  // namespace
}  // namespace retort::test
