// SQLite's header pragmas user_version and application_id in a declared
// schema: autogenerate writes them, upgrade sets them, downgrade puts the
// old value back, and `check` reports a database that differs. One the
// declared schema never sets is the application's own number: no drift.
// Real SQLite files, the retort binary run as a process.

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

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const char* kTables = R"sql(
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
)sql";

class SqlitePragmaTest : public ::testing::Test {
 protected:
  SqlitePragmaTest() : project_({}, "schema = schema.sql") {}

  CliResult Run(const std::vector<std::string>& args) { return RunRetort(args, project_.root()); }

  // The new revision's text, split at its downgrade section.
  std::pair<std::string, std::string> Generate() {
    CliResult run = Run({"revision", "--autogenerate", "-m", "auto"});
    EXPECT_TRUE(Succeeded(run));
    generated_ = run.out;
    std::string path = FindSqlPath(run.out);
    EXPECT_FALSE(path.empty()) << run.Describe();
    std::string file = path.empty() ? "" : ReadFile(path);
    size_t down = file.find("-- migrate:downgrade");
    EXPECT_NE(down, std::string::npos) << file;
    if (down == std::string::npos) return {file, ""};
    return {file.substr(0, down), file.substr(down)};
  }

  std::string Pragma(const std::string& name) {
    std::vector<std::string> rows = QueryColumn(project_.db(), "PRAGMA " + name);
    return rows.empty() ? "" : rows[0];
  }

  void ExpectCheckClean() {
    CliResult check = Run({"check"});
    EXPECT_TRUE(Succeeded(check));
    EXPECT_THAT(check.OutLines(), ElementsAre("No new upgrade operations detected."));
  }

  TempProject project_;
  std::string generated_;
};

// Declared user_version = 3: written in the revision, set by upgrade,
// check clean, downgrade -1 puts 0 back; application_id likewise.
TEST_F(SqlitePragmaTest, DeclaredPragmasRoundTrip) {
  project_.Write("schema.sql", kTables);
  Generate();
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExpectCheckClean();

  project_.Write("schema.sql", std::string(kTables) +
                                   "PRAGMA user_version = 3;\n"
                                   "PRAGMA application_id = 1179603268;\n");
  auto [up, down] = Generate();
  EXPECT_THAT(generated_, HasSubstr("Detected PRAGMA user_version change from 0 to 3"));
  EXPECT_THAT(generated_, HasSubstr("Detected PRAGMA application_id change from 0 to 1179603268"));
  EXPECT_THAT(up, HasSubstr("PRAGMA user_version = 3;"));
  EXPECT_THAT(up, HasSubstr("PRAGMA application_id = 1179603268;"));
  EXPECT_THAT(up, Not(HasSubstr("DESTRUCTIVE")));
  EXPECT_THAT(down, HasSubstr("PRAGMA user_version = 0;"));
  EXPECT_THAT(down, HasSubstr("PRAGMA application_id = 0;"));

  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  EXPECT_EQ(Pragma("user_version"), "3");
  EXPECT_EQ(Pragma("application_id"), "1179603268");
  ExpectCheckClean();

  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_EQ(Pragma("user_version"), "0");
  EXPECT_EQ(Pragma("application_id"), "0");
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  EXPECT_EQ(Pragma("user_version"), "3");

  // A new value: upgrade sets it, downgrade puts 3 back (not 0).
  project_.Write("schema.sql", std::string(kTables) +
                                   "PRAGMA user_version = 4;\n"
                                   "PRAGMA application_id = 1179603268;\n");
  auto [up2, down2] = Generate();
  EXPECT_THAT(up2, HasSubstr("PRAGMA user_version = 4;"));
  EXPECT_THAT(up2, Not(HasSubstr("application_id")));
  EXPECT_THAT(down2, HasSubstr("PRAGMA user_version = 3;"));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  EXPECT_EQ(Pragma("user_version"), "4");
  ExpectCheckClean();
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_EQ(Pragma("user_version"), "3");
}

// A declared pragma changed by hand is drift: check exits 1 naming it.
TEST_F(SqlitePragmaTest, HandChangeOfDeclaredPragmaIsDrift) {
  project_.Write("schema.sql", std::string(kTables) + "PRAGMA user_version = 3;\n");
  Generate();
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExpectCheckClean();
  ExecSql(project_.db(), "PRAGMA user_version = 7;");
  CliResult check = Run({"check"});
  EXPECT_TRUE(IsOneLineError(check, 1, {"New upgrade operations detected: 1"}));
  EXPECT_THAT(check.OutLines(),
              Contains(HasSubstr("Detected PRAGMA user_version change from 7 to 3")));
  EXPECT_EQ(Pragma("user_version"), "7");  // check changes nothing
  EXPECT_THAT(Run({"status"}).out, HasSubstr("differs: pragma user_version: 3 vs 7"));
}

// user_version and application_id set by the application, which the
// declared schema never mentions, are not drift (check, status) and never
// reset.
TEST_F(SqlitePragmaTest, UndeclaredPragmaIsNotDrift) {
  project_.Write("schema.sql", kTables);
  Generate();
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExecSql(project_.db(), "PRAGMA user_version = 12; PRAGMA application_id = 42;");
  ExpectCheckClean();
  CliResult status = Run({"status"});
  EXPECT_THAT(status.out, HasSubstr("Schema:    matches the declared schema"));

  // `retort dump` writes what the database holds: a dumped schema
  // declares them.
  CliResult dump = Run({"dump"});
  ASSERT_TRUE(Succeeded(dump));
  EXPECT_THAT(dump.out, HasSubstr("PRAGMA user_version = 12;"));
  EXPECT_THAT(dump.out, HasSubstr("PRAGMA application_id = 42;"));

  // A later revision from a changed schema leaves them alone.
  project_.Write("schema.sql", std::string(kTables) + "CREATE INDEX ix_body ON notes (body);\n");
  auto [up, down] = Generate();
  EXPECT_THAT(up + down, Not(HasSubstr("PRAGMA")));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "base"})));
  EXPECT_EQ(Pragma("user_version"), "12");
  EXPECT_EQ(Pragma("application_id"), "42");
}

}  // namespace
}  // namespace retort::test
