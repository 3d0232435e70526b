// Autogenerate and `check` on an SQLite application schema written the way
// desktop applications and sample databases write them: bracket-quoted and
// backticked names, INT/BOOL/CHARACTER VARYING spellings, an FTS5 index.
// Run as a user runs them; databases compared by their catalogs.

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
using ::testing::IsEmpty;
using ::testing::Not;

const char* kApp = R"sql(
CREATE TABLE [Customers] (
    [CustomerID] INTEGER PRIMARY KEY,
    [Company Name] CHARACTER VARYING(40) NOT NULL,
    `active` BOOL NOT NULL DEFAULT 1,
    "visits" INT DEFAULT 0
);
CREATE TABLE [Order Details] (
    [OrderID] INTEGER NOT NULL,
    [CustomerID] INTEGER NOT NULL REFERENCES [Customers] ([CustomerID]),
    [Price] NUMERIC NOT NULL DEFAULT 0,
    [Note] varchar (20),
    PRIMARY KEY ([OrderID], [CustomerID])
);
CREATE INDEX [IX Order Customer] ON [Order Details] ([CustomerID]);
CREATE VIRTUAL TABLE notes_fts USING fts5(title, body);
)sql";

class SqliteAppTest : public ::testing::Test {
 protected:
  SqliteAppTest() : project_({}, "schema = schema.sql") {}

  CliResult Run(const std::vector<std::string>& args) { return RunRetort(args, project_.root()); }

  std::string Generate() {
    CliResult run = Run({"revision", "--autogenerate", "-m", "auto"});
    EXPECT_TRUE(Succeeded(run));
    std::string path = FindSqlPath(run.out);
    EXPECT_FALSE(path.empty()) << run.Describe();
    return path.empty() ? "" : ReadFile(path);
  }

  void ExpectCheckClean() {
    CliResult check = Run({"check"});
    EXPECT_TRUE(Succeeded(check));
    EXPECT_THAT(check.OutLines(), ElementsAre("No new upgrade operations detected."));
  }

  // The first revision from kApp, applied, with rows.
  void StartFromApp() {
    project_.Write("schema.sql", kApp);
    Generate();
    ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
    ExecSql(project_.db(),
            "INSERT INTO Customers VALUES (1, 'Alfreds', 1, 3), (2, 'Berglunds', 0, 5);"
            "INSERT INTO [Order Details] VALUES (10, 1, 12.5, 'first'), (11, 2, 7, NULL);"
            "INSERT INTO notes_fts VALUES ('hello', 'full text world');");
  }

  TempProject project_;
};

// The whole schema loads through its first revision; the FTS5 table is one
// object (its shadow tables are SQLite's, never rendered as tables), and
// downgrade base leaves nothing behind.
TEST_F(SqliteAppTest, FirstRevisionRoundTripsWithFts5) {
  project_.Write("schema.sql", kApp);
  std::string file = Generate();
  EXPECT_THAT(file, HasSubstr("CREATE VIRTUAL TABLE notes_fts USING fts5(title, body)"));
  EXPECT_THAT(file, Not(HasSubstr("notes_fts_data")));
  EXPECT_THAT(file, Not(HasSubstr("notes_fts_config")));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExpectCheckClean();
  ExecSql(project_.db(), "INSERT INTO notes_fts VALUES ('a', 'searchable words');");
  EXPECT_THAT(QueryColumn(project_.db(),
                          "SELECT title FROM notes_fts WHERE notes_fts MATCH "
                          "'searchable'"),
              ElementsAre("a"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "base"})));
  EXPECT_THAT(QueryColumn(project_.db(),
                          "SELECT name FROM sqlite_master WHERE name NOT LIKE '%retort_version%'"),
              IsEmpty());
}

// INT/INTEGER (not a key), CHARACTER VARYING(n)/VARCHAR(n), BOOL/BOOLEAN,
// case and spacing mean the same column: no change.
TEST_F(SqliteAppTest, TypeSpellingsOfTheSameColumnAreNoChange) {
  StartFromApp();
  std::string respelled = kApp;
  for (auto [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"CHARACTER VARYING(40)", "varchar( 40 )"},
           {"BOOL NOT NULL", "boolean NOT NULL"},
           {"\"visits\" INT", "\"visits\" integer"},
           {"varchar (20)", "CHARACTER VARYING(20)"}}) {
    size_t at = respelled.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    respelled.replace(at, from.size(), to);
  }
  project_.Write("schema.sql", respelled);
  ExpectCheckClean();
}

// Widening a column is not flagged DESTRUCTIVE (its downgrade, narrowing
// it back, is).
TEST_F(SqliteAppTest, WideningIsNotDestructive) {
  StartFromApp();
  std::string wider = kApp;
  wider.replace(wider.find("varchar (20)"), 12, "VARCHAR(200)");
  project_.Write("schema.sql", wider);
  std::string file = Generate();
  std::string up = file.substr(0, file.find("-- migrate:downgrade"));
  std::string down = file.substr(file.find("-- migrate:downgrade"));
  EXPECT_THAT(up, HasSubstr("VARCHAR(200)"));
  EXPECT_THAT(up, Not(HasSubstr("DESTRUCTIVE")));
  EXPECT_THAT(down, HasSubstr("DESTRUCTIVE"));
}

// Rename hints whatever the quoting: the rows stay (they were lost to a
// DROP COLUMN and an ADD COLUMN).
TEST_F(SqliteAppTest, RenameHintsWithBracketsAndBackticksKeepTheData) {
  StartFromApp();
  std::string renamed = kApp;
  auto replace = [&](const std::string& from, const std::string& to) {
    size_t at = renamed.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    renamed.replace(at, from.size(), to);
  };
  replace("[Price] NUMERIC NOT NULL DEFAULT 0,",
          "[Unit Price] NUMERIC NOT NULL DEFAULT 0, -- retort:renamed-from [Price]");
  replace("`active` BOOL NOT NULL DEFAULT 1,",
          "`is active` BOOL NOT NULL DEFAULT 1, -- retort:renamed-from `active`");
  project_.Write("schema.sql", renamed);
  std::string file = Generate();
  std::string up = file.substr(0, file.find("-- migrate:downgrade"));
  EXPECT_THAT(up, HasSubstr("RENAME COLUMN"));
  EXPECT_THAT(up, Not(HasSubstr("DROP COLUMN")));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExpectCheckClean();
  EXPECT_THAT(QueryColumn(project_.db(),
                          "SELECT [Unit Price] || '/' || [is active] FROM [Order Details] "
                          "JOIN Customers USING (CustomerID) ORDER BY OrderID"),
              ElementsAre("12.5/1", "7/0"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(QueryColumn(project_.db(), "SELECT Price FROM [Order Details] ORDER BY OrderID"),
              ElementsAre("12.5", "7"));
}

// `retort dump` of a database made by hand is a declared schema that loads
// into an empty database and that `check` finds identical to the original.
TEST_F(SqliteAppTest, DumpLoadsAndChecksCleanAgainstTheOriginal) {
  ExecSql(project_.db(), std::string(kApp) +
                             "CREATE VIEW [Big Orders] AS SELECT * FROM [Order Details] "
                             "WHERE Price > 10;"
                             "CREATE TRIGGER visit AFTER INSERT ON [Order Details] BEGIN "
                             "UPDATE Customers SET visits = visits + 1 "
                             "WHERE CustomerID = NEW.CustomerID; END;");
  CliResult printed = Run({"dump"});
  ASSERT_TRUE(Succeeded(printed));
  EXPECT_THAT(printed.out, HasSubstr("CREATE VIRTUAL TABLE notes_fts USING fts5(title, body)"));
  EXPECT_THAT(printed.out, Not(HasSubstr("notes_fts_data")));
  EXPECT_THAT(printed.out, HasSubstr("CREATE TRIGGER visit"));

  CliResult written = Run({"dump", "--output", "dumped.sql"});
  ASSERT_TRUE(Succeeded(written));
  EXPECT_THAT(written.out, HasSubstr("Wrote dumped.sql"));
  auto trimmed = [](std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text;
  };
  EXPECT_EQ(trimmed(ReadFile(project_.root() / "dumped.sql")), trimmed(printed.out));

  // Into an empty database, then compared with the original.
  TempDir other;
  ExecSql(other.path() / "fresh.db", ReadFile(project_.root() / "dumped.sql"));
  project_.WriteConfig(TempProject::DefaultConfig("schema = dumped.sql"));
  ExpectCheckClean();

  // A bad output path: one line, nothing left behind.
  EXPECT_TRUE(IsOneLineError(Run({"dump", "--output", "no/such/folder/x.sql"}), 1,
                             {"Can't write no/such/folder/x.sql"}));
}

// A column added by hand in production, which the declared schema lacks,
// is drift that check reports.
TEST_F(SqliteAppTest, ColumnAddedByHandIsDrift) {
  StartFromApp();
  ExecSql(project_.db(), "ALTER TABLE Customers ADD COLUMN hotfix TEXT;");
  CliResult check = Run({"check"});
  EXPECT_TRUE(IsOneLineError(check, 1, {"New upgrade operations detected: 1"}));
  EXPECT_THAT(check.OutLines(),
              ::testing::Contains(HasSubstr("removed column 'Customers.hotfix'")));
}

}  // namespace
}  // namespace retort::test
