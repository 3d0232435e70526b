// Hostile input from the command line, the environment and the config file
// (issue 16, "found by attacking it"): a huge revision argument, an empty
// URL, an INI file whose %(name)s references blow up, and control
// characters echoed in errors. Each case: the exit code, the exact line a
// user sees, and the database left as it was.

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
using ::testing::StartsWith;

std::vector<RevisionSpec> TwoRevisions() {
  return {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")};
}

// A project at aaa111 (of two revisions) and its database's content.
struct Upgraded {
  TempProject project{TwoRevisions()};
  DbState before;
  Upgraded() {
    EXPECT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
    before = Snapshot(project.db());
  }
};

// --- A revision argument of any length parses without recursion ----------

struct HugeArgumentCase {
  std::string name;
  std::vector<std::string> before;  // arguments ahead of the huge one
  std::vector<std::string> after;   // and after it
};
void PrintTo(const HugeArgumentCase& c, std::ostream* os) { *os << c.name; }

class HugeRevisionArgumentTest : public ::testing::TestWithParam<HugeArgumentCase> {};

// std::regex recursed once per character of a relative id and overflowed
// the stack near 26,000 characters (SIGSEGV). Every shape the relative-id
// pattern could chew on, for every command that takes a revision.
TEST_P(HugeRevisionArgumentTest, FailsWithOneShortLineAndNoCrash) {
  const HugeArgumentCase& c = GetParam();
  const std::vector<std::string> shapes = {
      std::string(30000, 'a'),                          // one long word
      std::string(30000, 'a') + "-1",                   // a relative id
      [] {                                              // many '@'s, no match
        std::string s;
        for (int i = 0; i < 15000; ++i) s += "x@";
        return s;
      }(),
      std::string(15000, '@') + "+" + std::string(15000, '9'),  // label, sign, digits
  };
  Upgraded db;
  for (const std::string& huge : shapes) {
    std::vector<std::string> args = c.before;
    args.push_back(huge);
    args.insert(args.end(), c.after.begin(), c.after.end());
    CliResult result = RunRetort(args, db.project.root());
    ASSERT_FALSE(result.timed_out) << c.name;
    EXPECT_TRUE(result.exit_code == 1 || result.exit_code == 2) << c.name << ": "
                                                                << result.Describe().substr(0, 500);
    std::vector<std::string> lines = ProblemLines(result);
    ASSERT_EQ(lines.size(), 1u) << c.name << ": " << result.Describe().substr(0, 500);
    EXPECT_THAT(lines[0], StartsWith("FAILED: "));
    // The echo is shortened in the middle, not 30,000 characters long.
    EXPECT_LT(lines[0].size(), 4200u) << c.name;
    EXPECT_EQ(Snapshot(db.project.db()), db.before) << c.name;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Commands, HugeRevisionArgumentTest,
    ::testing::Values(HugeArgumentCase{"Upgrade", {"upgrade"}, {}},
                      HugeArgumentCase{"Downgrade", {"downgrade"}, {}},
                      HugeArgumentCase{"UpgradeSql", {"upgrade"}, {"--sql"}},
                      HugeArgumentCase{"Stamp", {"stamp"}, {}},
                      HugeArgumentCase{"Show", {"show"}, {}},
                      HugeArgumentCase{"Edit", {"edit"}, {}},
                      HugeArgumentCase{"HistoryRange", {"history", "-r"}, {}},
                      HugeArgumentCase{"Lint", {"lint"}, {}},
                      HugeArgumentCase{"Merge", {"merge", "aaa111"}, {}},
                      HugeArgumentCase{"RevisionHead", {"revision", "-m", "x", "--head"}, {}},
                      HugeArgumentCase{"RevisionDependsOn", {"revision", "-m", "x", "--depends-on"},
                                       {}}),
    [](const ::testing::TestParamInfo<HugeArgumentCase>& info) { return info.param.name; });

TEST(HugeRevisionArgumentTest, RelativeFormsStillResolve) {
  // The hand-written matcher keeps Alembic's meaning of the forms.
  Upgraded db;
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "+1"}, db.project.root())));
  EXPECT_THAT(VersionRows(db.project.db()), ElementsAre("bbb222"));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "bbb222-1"}, db.project.root())));
  EXPECT_THAT(VersionRows(db.project.db()), ElementsAre("aaa111"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111+1"}, db.project.root())));
  EXPECT_THAT(VersionRows(db.project.db()), ElementsAre("bbb222"));
}

// --- An empty URL is an error, not "use the config's" ----------------------

TEST(EmptyUrlTest, EmptyDashDashUrlIsRefused) {
  Upgraded db;
  CliResult result = RunRetort({"--url", "", "upgrade", "head"}, db.project.root());
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre("FAILED: --url is empty (an unset variable in the command line?); "
                          "give a database URL or leave --url out"));
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

TEST(EmptyUrlTest, EmptyDatabaseUrlVariableIsRefused) {
  Upgraded db;
  for (std::string empty : {"", "  "}) {
    CliResult result =
        RunRetort({"upgrade", "head"}, db.project.root(), {{"DATABASE_URL", empty}});
    EXPECT_EQ(result.exit_code, 2) << result.Describe();
    EXPECT_THAT(ProblemLines(result),
                ElementsAre("FAILED: $DATABASE_URL is set but empty; give it a database URL or "
                            "unset it to use the config's url"));
    EXPECT_EQ(Snapshot(db.project.db()), db.before);
  }
}

TEST(EmptyUrlTest, UrlOptionStillWinsOverAnEmptyVariable) {
  Upgraded db;
  CliResult result = RunRetort({"--url", "sqlite:///app.db", "upgrade", "head"}, db.project.root(),
                               {{"DATABASE_URL", ""}});
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionRows(db.project.db()), ElementsAre("bbb222"));
}

// --- %(name)s references that multiply or loop -----------------------------

TEST(IniExpansionTest, NestedReferencesThatMultiplyStopWithOneLine) {
  Upgraded db;
  // Five levels, each naming the next ten times: 10^4 copies of 1,000 x.
  std::string config = TempProject::DefaultConfig();
  config += "l4 = " + std::string(1000, 'x') + "\n";
  for (int level = 3; level >= 0; --level) {
    config += "l" + std::to_string(level) + " = ";
    for (int k = 0; k < 10; ++k) config += "%(l" + std::to_string(level + 1) + ")s";
    config += "\n";
  }
  db.project.WriteConfig(config);
  CliResult result = RunRetort({"upgrade", "head"}, db.project.root(), {}, 30);
  ASSERT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  // Keys expand in name order: l0, the file's last line, blows up first.
  EXPECT_THAT(ProblemLines(result),
              ElementsAre("FAILED: retort.ini:8: setting 'l0' expands to more than 1048576 "
                          "characters through %(...)s (nested references multiply)"));
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

TEST(IniExpansionTest, EmptyValuesReferencedOverAndOverStopWithOneLine) {
  Upgraded db;
  // Nothing grows, but the work does: 10^10 references to empty values.
  std::string config = TempProject::DefaultConfig();
  config += "e9 =\n";
  for (int level = 8; level >= 0; --level) {
    config += "e" + std::to_string(level) + " = ";
    for (int k = 0; k < 10; ++k) config += "%(e" + std::to_string(level + 1) + ")s";
    config += "\n";
  }
  db.project.WriteConfig(config);
  CliResult result = RunRetort({"current"}, db.project.root(), {}, 30);
  ASSERT_FALSE(result.timed_out);
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre("FAILED: retort.ini:13: setting 'e0' expands through more than 100000 "
                          "%(...)s references (nested references multiply)"));
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

TEST(IniExpansionTest, LoopIsNamed) {
  Upgraded db;
  db.project.WriteConfig(TempProject::DefaultConfig("a = %(b)s\nb = %(a)s\n"));
  CliResult result = RunRetort({"upgrade", "head"}, db.project.root());
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre(HasSubstr("setting 'a' refers to itself through %(...)s")));
  EXPECT_THAT(ProblemLines(result), ElementsAre(StartsWith("FAILED: retort.ini:")));
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

// --- Control characters in what an error echoes ----------------------------

TEST(EscapedEchoTest, NewlineAndEscapeInARevisionArgumentStayOnOneLine) {
  Upgraded db;
  CliResult result = RunRetort({"upgrade", "nosuch\nFAILED fake\x1b[31m"}, db.project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  std::vector<std::string> lines = ProblemLines(result);
  ASSERT_EQ(lines.size(), 1u) << result.Describe();
  EXPECT_THAT(lines[0], HasSubstr("nosuch\\nFAILED fake\\x1b[31m"));
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos);
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

TEST(EscapedEchoTest, UnknownCommandWithEscapeIsEscaped) {
  Upgraded db;
  CliResult result = RunRetort({"up\x1b]0;owned\x07grade"}, db.project.root());
  EXPECT_EQ(result.exit_code, 2) << result.Describe();
  EXPECT_THAT(ProblemLines(result),
              ElementsAre("FAILED: Unknown command 'up\\x1b]0;owned\\x07grade' (see retort "
                          "--help)"));
}

TEST(EscapedEchoTest, NulInARevisionFileDoesNotCutTheMessage) {
  Upgraded db;
  // A NUL inside the revision id: the message names it and goes on.
  db.project.Write("migrations/versions/ccc333_bad.sql",
                   std::string("-- Revision ID: cc\0c333\n-- Revises: bbb222\n"
                               "-- migrate:upgrade\nSELECT 1;\n",
                               60));
  CliResult result = RunRetort({"upgrade", "head"}, db.project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  std::vector<std::string> lines = ProblemLines(result);
  ASSERT_EQ(lines.size(), 1u) << result.Describe();
  EXPECT_THAT(lines[0], HasSubstr("cc\\x00c333"));
  EXPECT_EQ(result.err.find('\0'), std::string::npos);
  EXPECT_EQ(Snapshot(db.project.db()), db.before);
}

TEST(EscapedEchoTest, EscapeInARevisionMessageIsEscapedInProgressLines) {
  TempProject project({{.id = "aaa111",
                        .upgrade = "CREATE TABLE t1 (id INTEGER);",
                        .downgrade = "DROP TABLE t1;",
                        .message = "colour \x1b[2J cleared"}});
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_EQ(result.err.find('\x1b'), std::string::npos) << result.err;
  EXPECT_THAT(result.err, HasSubstr("colour \\x1b[2J cleared"));
}

}  // namespace
}  // namespace retort::test
