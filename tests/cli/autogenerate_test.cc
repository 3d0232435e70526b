// `retort revision --autogenerate` and `retort check` on SQLite, run as a
// user runs them: edit schema.sql, generate, review, upgrade, check.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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
using ::testing::IsEmpty;
using ::testing::Not;

namespace fs = std::filesystem;

const char* kUsers = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);";

// A project at revision a1 (users), applied, with schema.sql set.
class AutogenerateTest : public ::testing::Test {
 protected:
  explicit AutogenerateTest(const std::string& extra_config = "schema = schema.sql")
      : project_({{.id = "a1",
                   .upgrade = kUsers,
                   .downgrade = "DROP TABLE users;",
                   .message = "add users",
                   .file_name = "a1_users.sql"}},
                 extra_config) {
    project_.Write("schema.sql", std::string(kUsers) + "\n");
    UpgradeHead();
    ExecSql(project_.db(), "INSERT INTO users VALUES (1, 'ann'), (2, 'bob');");
  }

  CliResult Run(const std::vector<std::string>& args) { return RunRetort(args, project_.root()); }
  void UpgradeHead() { ASSERT_TRUE(Succeeded(Run({"upgrade", "head"}))); }

  // The revision files other than a1's.
  std::vector<fs::path> NewFiles() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(project_.versions_dir())) {
      if (entry.path().filename() != "a1_users.sql") files.push_back(entry.path());
    }
    return files;
  }

  // Runs `revision --autogenerate` and returns the file it wrote.
  std::string Generate(CliResult* result = nullptr) {
    CliResult run = Run({"revision", "--autogenerate", "-m", "auto"});
    if (result != nullptr) *result = run;
    EXPECT_TRUE(Succeeded(run));
    std::string path = FindSqlPath(run.out);
    EXPECT_FALSE(path.empty()) << run.Describe();
    return path.empty() ? "" : ReadFile(path);
  }

  // Removes the generated revision files (a reviewer throwing one away).
  void DiscardGenerated() {
    for (const fs::path& file : NewFiles()) fs::remove(file);
  }

  TempProject project_;
};

// The text between the two section markers.
std::string Section(const std::string& file, const std::string& marker) {
  size_t start = file.find(marker);
  if (start == std::string::npos) return "<no " + marker + ">";
  start += marker.size();
  size_t end = file.find("-- migrate:", start);
  return file.substr(start, end == std::string::npos ? std::string::npos : end - start);
}
std::string UpSection(const std::string& file) { return Section(file, "-- migrate:upgrade"); }
std::string DownSection(const std::string& file) { return Section(file, "-- migrate:downgrade"); }

TEST_F(AutogenerateTest, FullLoopAddColumn) {
  project_.Write("schema.sql",
                 "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT);\n");
  CliResult check = Run({"check"});
  EXPECT_TRUE(IsOneLineError(check, 1, {"New upgrade operations detected: 1"}));
  EXPECT_THAT(check.OutLines(), ElementsAre("Detected added column 'users.email'"));

  CliResult generated;
  std::string file = Generate(&generated);
  EXPECT_THAT(generated.OutLines()[0], "Detected added column 'users.email'");
  EXPECT_THAT(generated.OutLines().back(), HasSubstr("Generating "));
  EXPECT_THAT(file, HasSubstr("-- auto"));
  EXPECT_THAT(file, HasSubstr("-- Revises: a1"));
  EXPECT_THAT(UpSection(file), HasSubstr("ALTER TABLE users ADD COLUMN email TEXT"));
  EXPECT_THAT(DownSection(file), HasSubstr("-- DESTRUCTIVE: drops column users.email"));
  EXPECT_THAT(DownSection(file), HasSubstr("DROP COLUMN email"));

  UpgradeHead();
  CliResult clean = Run({"check"});
  EXPECT_TRUE(Succeeded(clean));
  EXPECT_THAT(clean.OutLines(), ElementsAre("No new upgrade operations detected."));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT name FROM users ORDER BY id"),
              ElementsAre("ann", "bob"));

  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT name FROM users ORDER BY id"),
              ElementsAre("ann", "bob"));
  // Below head again: as in Alembic, refused until the database is at head.
  EXPECT_TRUE(IsOneLineError(Run({"check"}), 1, {"Target database is not up to date."}));
  // Without the generated revision, the change shows again.
  DiscardGenerated();
  CliResult again = Run({"check"});
  EXPECT_EQ(again.exit_code, 1) << again.Describe();
  EXPECT_THAT(again.OutLines(), ElementsAre("Detected added column 'users.email'"));
}

TEST_F(AutogenerateTest, NoChangesWritesAnEmptyRevisionAsAlembicDoes) {
  CliResult result;
  std::string file = Generate(&result);
  EXPECT_THAT(result.OutLines()[0], "No changes in schema detected.");
  EXPECT_THAT(result.OutLines(), Contains(HasSubstr("Generating ")));
  EXPECT_EQ(UpSection(file), "\n\n\n");
  EXPECT_THAT(DownSection(file), Not(HasSubstr(";")));
  UpgradeHead();
  CliResult check = Run({"check"});
  EXPECT_THAT(check.OutLines(), ElementsAre("No new upgrade operations detected."))
      << check.Describe();
}

TEST_F(AutogenerateTest, DestructiveChangesAreMarkedInOutputAndFile) {
  // name dropped, a NOT NULL column narrowed to a rebuild; rows survive.
  project_.Write("schema.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);\n");
  CliResult result;
  std::string file = Generate(&result);
  EXPECT_THAT(result.OutLines(),
              Contains("Detected removed column 'users.name'  [DESTRUCTIVE: drops column "
                       "users.name and its data]"));
  std::string up = UpSection(file);
  size_t mark = up.find("-- DESTRUCTIVE: drops column users.name");
  ASSERT_NE(mark, std::string::npos) << file;
  EXPECT_LT(mark, up.find("DROP COLUMN name")) << file;
  UpgradeHead();
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT id FROM users ORDER BY id"),
              ElementsAre("1", "2"));
  EXPECT_TRUE(Succeeded(Run({"check"})));
  // The downgrade brings the column back, empty: its data is gone, which is
  // what the mark warned about. (Re-adding a NOT NULL column needs empty
  // tables, as with Alembic.)
  ExecSql(project_.db(), "DELETE FROM users;");
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  DiscardGenerated();
  project_.Write("schema.sql", std::string(kUsers) + "\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
}

TEST_F(AutogenerateTest, TableRebuildKeepsRowsBothWays) {
  // Nullability and a new CHECK: SQLite cannot ALTER these, so a rebuild.
  project_.Write("schema.sql",
                 "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK "
                 "(length(name) > 1), nick TEXT NOT NULL DEFAULT '');\n"
                 "CREATE INDEX ix_users_name ON users (name);\n");
  std::string file = Generate();
  EXPECT_THAT(UpSection(file), HasSubstr("INSERT INTO"));
  // What autogenerate writes passes lint: the rebuild's DROP TABLE follows
  // a copy of every row and the copy takes the old name.
  CliResult lint = Run({"lint"});
  EXPECT_TRUE(Succeeded(lint)) << lint.Describe();
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT name || ':' || nick FROM users ORDER BY id"),
              ElementsAre("ann:", "bob:"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  DiscardGenerated();
  project_.Write("schema.sql", std::string(kUsers) + "\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT name FROM users ORDER BY id"),
              ElementsAre("ann", "bob"));
}

TEST_F(AutogenerateTest, TargetNotAtHeadIsRefusedAndNothingIsWritten) {
  project_.AddRevision({.id = "b2",
                        .revises = {"a1"},
                        .upgrade = "CREATE TABLE posts (id INTEGER);",
                        .downgrade = "DROP TABLE posts;",
                        .file_name = "b2_posts.sql"});
  DbState before = Snapshot(project_.db());
  for (const char* command : {"revision", "check"}) {
    std::vector<std::string> args{command};
    if (std::string(command) == "revision") args = {"revision", "--autogenerate", "-m", "x"};
    CliResult result = Run(args);
    EXPECT_TRUE(IsOneLineError(result, 1, {"Target database is not up to date."})) << command;
  }
  EXPECT_EQ(NewFiles().size(), 1u);  // b2 only
  EXPECT_EQ(Snapshot(project_.db()), before);
}

TEST(AutogenerateConfigTest, NoSchemaSettingIsAUsageErrorNamingIt) {
  TempProject project;
  for (std::vector<std::string> args :
       {std::vector<std::string>{"check"},
        std::vector<std::string>{"revision", "--autogenerate", "-m", "x"}}) {
    CliResult result = RunRetort(args, project.root());
    EXPECT_TRUE(IsOneLineError(result, 2, {"'schema'"}));
  }
  EXPECT_TRUE(fs::is_empty(project.versions_dir()));
}

TEST_F(AutogenerateTest, SqlErrorInTheDeclaredSchemaNamesFileAndLine) {
  project_.Write("schema.sql", std::string(kUsers) + "\n\nCREATE TABLEX oops (id int);\n");
  DbState before = Snapshot(project_.db());
  CliResult result = Run({"revision", "--autogenerate", "-m", "x"});
  EXPECT_TRUE(IsOneLineError(result, 1, {"schema.sql:3: "}));
  EXPECT_THAT(NewFiles(), IsEmpty());
  EXPECT_TRUE(IsOneLineError(Run({"check"}), 1, {"schema.sql:3: "}));
  EXPECT_EQ(Snapshot(project_.db()), before);
}

TEST_F(AutogenerateTest, RenameHintsRenderRenames) {
  project_.Write("schema.sql",
                 "-- retort:renamed-from users\n"
                 "CREATE TABLE people (\n"
                 "  id INTEGER PRIMARY KEY,\n"
                 "  full_name TEXT NOT NULL  -- retort:renamed-from name\n"
                 ");\n");
  CliResult result;
  std::string file = Generate(&result);
  EXPECT_THAT(result.OutLines(), Contains("Detected renamed table 'users' to 'people'"));
  EXPECT_THAT(result.OutLines(),
              Contains("Detected renamed column 'people.name' to 'people.full_name'"));
  EXPECT_THAT(UpSection(file), HasSubstr("RENAME TO people"));
  EXPECT_THAT(UpSection(file), HasSubstr("RENAME COLUMN name TO full_name"));
  EXPECT_THAT(UpSection(file), Not(HasSubstr("DROP")));
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT full_name FROM people ORDER BY id"),
              ElementsAre("ann", "bob"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT name FROM users ORDER BY id"),
              ElementsAre("ann", "bob"));
}

TEST_F(AutogenerateTest, DropAndAddOfTheSameShapeIsAPossibleRename) {
  project_.Write("schema.sql",
                 "CREATE TABLE users (id INTEGER PRIMARY KEY, title TEXT NOT NULL);\n");
  CliResult result = Run({"check"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_THAT(result.OutLines(),
              Contains("Warning: column 'users.name' was removed and 'users.title' added with the "
                       "same type: if this is a rename, add '-- retort:renamed-from name' to "
                       "'title'"));
}

TEST_F(AutogenerateTest, BadHintNamesFileAndLine) {
  project_.Write("schema.sql", std::string(kUsers) + "\n-- retort:renamed-from\n");
  EXPECT_TRUE(IsOneLineError(Run({"check"}), 1, {"schema.sql:2: ", "names no old name"}));
}

class FilteredTest : public AutogenerateTest {
 protected:
  FilteredTest()
      : AutogenerateTest(
            "schema = schema.sql\nexclude_tables = tmp_*, legacy\n"
            "include_tables = users tmp_* legacy kept_*") {}
};

TEST_F(FilteredTest, IncludeAndExcludeTablesAreRespected) {
  // In the database only: excluded, or not included: never reported.
  ExecSql(project_.db(),
          "CREATE TABLE tmp_import (x INT); CREATE TABLE legacy (y INT);"
          "CREATE TABLE other_app (z INT);");
  // Declared only: `other` is not included, kept_new is.
  project_.Write("schema.sql", std::string(kUsers) +
                                   "\nCREATE TABLE other (a INT);\nCREATE TABLE kept_new (b INT);\n"
                                   "CREATE TABLE tmp_declared (c INT);\n");
  CliResult result = Run({"check"});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.OutLines(), ElementsAre("Detected added table 'kept_new'"));
}

TEST_F(AutogenerateTest, BookkeepingTablesAreNeverInADiff) {
  // Even an include pattern that names them, and even in the declared schema.
  project_.WriteConfig(TempProject::DefaultConfig("schema = schema.sql\ninclude_tables = *"));
  project_.Write("schema.sql", std::string(kUsers) +
                                   "\nCREATE TABLE retort_version (version_num VARCHAR(32) NOT "
                                   "NULL PRIMARY KEY, extra INT);\n");
  CliResult result = Run({"check"});
  EXPECT_TRUE(Succeeded(result));
  EXPECT_THAT(result.out, Not(HasSubstr("retort_version")));
}

TEST(ExampleBlogTest, CheckPassesAtHead) {
  TempDir dir;
  fs::copy(fs::path(RETORT_SOURCE_DIR) / "examples" / "blog", dir.path(),
           fs::copy_options::recursive);
  fs::remove(dir / "blog.db");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, dir.path())));
  CliResult result = RunRetort({"check"}, dir.path());
  EXPECT_TRUE(Succeeded(result));
  EXPECT_THAT(result.OutLines(), ElementsAre("No new upgrade operations detected."));
}

}  // namespace
}  // namespace retort::test
