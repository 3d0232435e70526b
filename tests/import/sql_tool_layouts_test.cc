// Each SQL-file tool's layout imported and run: `upgrade head` on a fresh
// SQLite file makes what the tool's own SQL, run in the tool's order, makes;
// and each malformed folder is refused with one line, writing nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "import/sql_tool_fixtures.h"
#include "import/sql_tool_import.h"
#include "retort/error.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using import::SqlTool;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> FolderNames(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string SqliteUrl(const fs::path& db) { return "sqlite:///" + db.string(); }

class SqlToolLayout : public ::testing::TestWithParam<SqlTool> {};

TEST_P(SqlToolLayout, UpgradeHeadMakesWhatTheToolsSqlMakes) {
  SqlTool tool = GetParam();
  TempDir dir;
  WriteToolFolder(tool, dir / "tool");
  import::SqlToolImportRequest request;
  request.tool = tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  EXPECT_THAT(report.revisions, ElementsAreArray(ExpectedIds(tool)));
  EXPECT_EQ(report.config_file, dir / "project" / "retort.ini");

  // The tool's SQL, run directly in the tool's order.
  fs::path reference = dir / "reference.db";
  for (const Change& change : Changes()) ExecSql(reference, change.up);

  fs::path db = dir / "app.db";
  Config config = LoadProject(report.config_file, SqliteUrl(db));
  retort::Upgrade(config, "head", {}, Quiet());
  EXPECT_THAT(VersionRows(db), ElementsAre(ExpectedIds(tool).back()));
  ExecSql(db, "DROP TABLE retort_version; DROP TABLE retort_version_history;");
  EXPECT_EQ(SchemaDump(db), SchemaDump(reference));

  // Every down (Flyway: undo) file came along: down to base leaves nothing.
  fs::path round_trip = dir / "round_trip.db";
  Config second = LoadProject(report.config_file, SqliteUrl(round_trip));
  retort::Upgrade(second, "head", {}, Quiet());
  retort::Downgrade(second, "base", {}, Quiet());
  EXPECT_THAT(TableNames(round_trip), ElementsAre("retort_version", "retort_version_history"));
  EXPECT_THAT(QueryColumn(round_trip, "SELECT name FROM sqlite_master WHERE type = 'trigger'"),
              ::testing::IsEmpty());
}

TEST_P(SqlToolLayout, RevisionFilesKeepNamesMessagesAndTransactions) {
  SqlTool tool = GetParam();
  TempDir dir;
  WriteToolFolder(tool, dir / "tool");
  import::SqlToolImportRequest request;
  request.tool = tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  import::ImportSqlTool(request);
  fs::path versions = dir / "project" / "migrations" / "versions";
  std::vector<std::string> versions_of_tool = Versions(tool);
  std::vector<std::string> expected_files;
  for (size_t i = 0; i < 4; ++i) {
    std::string name = Changes()[i].name;
    expected_files.push_back(tool == SqlTool::kFlyway
                                 ? "V" + versions_of_tool[i] + "__" + name + ".sql"
                                 : versions_of_tool[i] + "_" + name + ".sql");
  }
  std::sort(expected_files.begin(), expected_files.end());
  EXPECT_EQ(FolderNames(versions), expected_files);

  std::string first, index_file;
  for (const std::string& name : expected_files) {
    if (name.find("email_index") != std::string::npos) index_file = ReadFile(versions / name);
    if (name.find("create_users") != std::string::npos) first = ReadFile(versions / name);
  }
  EXPECT_THAT(index_file, HasSubstr("-- email index\n"));
  EXPECT_THAT(index_file, HasSubstr("-- Revision ID: " + ExpectedIds(tool)[3] + "\n"));
  EXPECT_THAT(index_file, HasSubstr("-- Revises: " + ExpectedIds(tool)[2] + "\n"));
  EXPECT_THAT(index_file, HasSubstr("-- Transactional: no\n"));
  EXPECT_THAT(first, HasSubstr("-- create users\n"));
  EXPECT_THAT(first, HasSubstr("-- Revises: \n"));
  EXPECT_THAT(first, HasSubstr("-- Transactional: yes\n"));
  EXPECT_THAT(first, HasSubstr("CREATE TABLE users"));
  // The generated retort.ini names no database: --url may hold a password.
  std::string ini = ReadFile(dir / "project" / "retort.ini");
  EXPECT_THAT(ini, HasSubstr("\nurl =\n"));
  EXPECT_THAT(ini, HasSubstr("retort adopt " + std::string(import::SqlToolName(tool))));
}

INSTANTIATE_TEST_SUITE_P(Tools, SqlToolLayout, ::testing::ValuesIn(AllTools()),
                         [](const auto& info) {
                           std::string name(import::SqlToolName(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

TEST(SqlToolImport, MissingDownIsImportedIrreversibleAndReported) {
  TempDir dir;
  dir.Write("tool/1_create.up.sql", "CREATE TABLE a (id INTEGER);\n");
  dir.Write("tool/2_more.up.sql", "CREATE TABLE b (id INTEGER);\n");
  dir.Write("tool/2_more.down.sql", "DROP TABLE b;\n");
  dir.Write("tool/README.md", "not a migration\n");
  import::SqlToolImportRequest request;
  request.tool = SqlTool::kGolangMigrate;
  request.source = dir / "tool";
  request.into = dir / "project";
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  EXPECT_THAT(report.notes, ::testing::Contains(HasSubstr("irreversible")));
  EXPECT_THAT(report.notes, ::testing::Contains(AllOf(HasSubstr("irreversible"), HasSubstr("v1"),
                                                      Not(HasSubstr("v2")))));
  EXPECT_THAT(report.notes, ::testing::Contains(HasSubstr("README.md: not a golang-migrate name")));

  fs::path db = dir / "app.db";
  Config config = LoadProject(report.config_file, SqliteUrl(db));
  retort::Upgrade(config, "head", {}, Quiet());
  retort::Downgrade(config, "v1", {}, Quiet());
  EXPECT_THAT(TableNames(db), ElementsAre("a", "retort_version", "retort_version_history"));
  try {
    retort::Downgrade(config, "base", {}, Quiet());
    ADD_FAILURE() << "downgrade through an irreversible revision ran";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("v1"));
  }
}

TEST(SqlToolImport, FlywayRepeatablesComeLastAsOneTimeRevisions) {
  TempDir dir;
  dir.Write("sql/V1__create_users.sql", "CREATE TABLE users (id INTEGER, email TEXT);\n");
  dir.Write("sql/nested/V2__add_name.sql", "ALTER TABLE users ADD COLUMN name TEXT;\n");
  dir.Write("sql/R__users_view.sql",
            "DROP VIEW IF EXISTS user_emails;\nCREATE VIEW user_emails AS SELECT email FROM "
            "users;\n");
  import::SqlToolImportRequest request;
  request.tool = SqlTool::kFlyway;
  request.source = dir / "sql";
  request.into = dir / "project";
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  EXPECT_THAT(report.revisions, ElementsAre("V1", "V2", "R_users_view"));
  EXPECT_THAT(report.notes,
              ::testing::Contains(HasSubstr("R__users_view.sql: a Flyway repeatable")));
  fs::path db = dir / "app.db";
  retort::Upgrade(LoadProject(report.config_file, SqliteUrl(db)), "head", {}, Quiet());
  EXPECT_THAT(QueryColumn(db, "SELECT name FROM sqlite_master WHERE type = 'view'"),
              ElementsAre("user_emails"));
}

struct BadInput {
  std::string label;
  SqlTool tool;
  std::vector<std::pair<std::string, std::string>> files;
  std::string error;
};

class SqlToolBadInput : public ::testing::TestWithParam<BadInput> {};

TEST_P(SqlToolBadInput, RefusedInOneLineWritingNothing) {
  const BadInput& input = GetParam();
  TempDir dir;
  fs::create_directories(dir / "tool");
  for (const auto& [name, text] : input.files) dir.Write("tool/" + name, text);
  import::SqlToolImportRequest request;
  request.tool = input.tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  std::string message = "no error";
  try {
    import::ImportSqlTool(request);
  } catch (const Error& e) {
    message = e.what();
  }
  EXPECT_THAT(message, HasSubstr(input.error));
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  // Nothing half-way: no project, no temporary folder left beside it.
  EXPECT_THAT(FolderNames(dir.path()), ElementsAre("tool"));
}

const std::string kUsers = "CREATE TABLE users (id INTEGER);\n";

INSTANTIATE_TEST_SUITE_P(
    Cases, SqlToolBadInput,
    ::testing::Values(
        BadInput{"EmptyFolder", SqlTool::kDbmate, {}, "tool: no dbmate migrations"},
        BadInput{"DbmateNoDown",
                 SqlTool::kDbmate,
                 {{"20240101000000_a.sql", "-- migrate:up\n" + kUsers}},
                 "20240101000000_a.sql: no '-- migrate:down' block"},
        BadInput{"DbmateNoUp",
                 SqlTool::kDbmate,
                 {{"20240101000000_a.sql", "-- migrate:down\nDROP TABLE users;\n"}},
                 "20240101000000_a.sql: no '-- migrate:up' block"},
        BadInput{"DbmateSqlBeforeUp",
                 SqlTool::kDbmate,
                 {{"1_a.sql", kUsers + "-- migrate:up\n-- migrate:down\n"}},
                 "1_a.sql:1: SQL before '-- migrate:up'"},
        BadInput{"DbmateDuplicateVersion",
                 SqlTool::kDbmate,
                 {{"1_a.sql", "-- migrate:up\n-- migrate:down\n"},
                  {"1_b.sql", "-- migrate:up\n-- migrate:down\n"}},
                 "1_b.sql: version 1 is also"},
        BadInput{"GolangMigrateDownWithoutUp",
                 SqlTool::kGolangMigrate,
                 {{"1_a.up.sql", kUsers}, {"2_b.down.sql", "DROP TABLE b;\n"}},
                 "2_b.down.sql: a down migration without an up migration for version 2"},
        BadInput{"GolangMigrateDuplicateVersion",
                 SqlTool::kGolangMigrate,
                 {{"1_a.up.sql", kUsers}, {"0001_b.up.sql", kUsers}},
                 "version 1 has two up files"},
        BadInput{"GooseNoUp",
                 SqlTool::kGoose,
                 {{"1_a.sql", kUsers}},
                 "1_a.sql:1: SQL before '-- +goose Up'"},
        BadInput{"GooseOnlyDown",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Down\nDROP TABLE users;\n"}},
                 "1_a.sql:1: '-- +goose Down' before '-- +goose Up'"},
        BadInput{"GooseUnclosedStatement",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Up\n-- +goose StatementBegin\n" + kUsers +
                                  "-- +goose Down\nDROP TABLE users;\n"}},
                 "1_a.sql:2: '-- +goose StatementBegin' without '-- +goose StatementEnd'"},
        BadInput{"GooseStrayStatementEnd",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Up\n" + kUsers + "-- +goose StatementEnd\n"}},
                 "1_a.sql:3: '-- +goose StatementEnd' without '-- +goose StatementBegin'"},
        BadInput{"GooseUnknownAnnotation",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Upp\n" + kUsers}},
                 "1_a.sql:1: unknown goose annotation '-- +goose Upp'"},
        BadInput{"GooseEnvsub",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose ENVSUB ON\n-- +goose Up\n" + kUsers}},
                 "goose substitutes environment variables"},
        BadInput{"GooseDuplicateVersion",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Up\n" + kUsers}, {"001_b.sql", "-- +goose Up\n" + kUsers}},
                 "version 1 is also"},
        BadInput{"GooseGoMigration",
                 SqlTool::kGoose,
                 {{"1_a.sql", "-- +goose Up\n" + kUsers}, {"2_b.go", "package migrations\n"}},
                 "2_b.go: a goose Go migration"},
        BadInput{"FlywayDuplicateVersion",
                 SqlTool::kFlyway,
                 {{"V1__a.sql", kUsers}, {"V1.0__b.sql", kUsers}},
                 "version 1 is also"},
        BadInput{"FlywayUndoWithoutVersion",
                 SqlTool::kFlyway,
                 {{"V1__a.sql", kUsers}, {"U3__c.sql", "DROP TABLE c;\n"}},
                 "U3__c.sql: an undo migration without a versioned migration 3"},
        BadInput{"FlywayPlaceholder",
                 SqlTool::kFlyway,
                 {{"V1__a.sql", "CREATE TABLE ${schema}.users (id INTEGER);\n"}},
                 "V1__a.sql:1: Flyway placeholder '${schema}'"},
        BadInput{"FlywayBadVersion",
                 SqlTool::kFlyway,
                 {{"V1a__x.sql", kUsers}},
                 "V1a__x.sql: version '1a' is not a Flyway version"}),
    [](const auto& info) { return info.param.label; });

TEST(SqlToolImport, RefusesAnExistingProjectAndAMissingSource) {
  TempDir dir;
  WriteToolFolder(SqlTool::kDbmate, dir / "tool");
  dir.Write("project/migrations/keep.txt", "mine\n");
  import::SqlToolImportRequest request;
  request.tool = SqlTool::kDbmate;
  request.source = dir / "tool";
  request.into = dir / "project";
  try {
    import::ImportSqlTool(request);
    ADD_FAILURE() << "imported over an existing migrations folder";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("migrations already exists: import into another folder"));
  }
  EXPECT_THAT(FolderNames(dir / "project"), ElementsAre("migrations"));
  EXPECT_THAT(FolderNames(dir / "project" / "migrations"), ElementsAre("keep.txt"));

  // An existing folder without a project is filled in place.
  fs::remove_all(dir / "project" / "migrations");
  import::ImportSqlTool(request);
  EXPECT_THAT(FolderNames(dir / "project"), ElementsAre("migrations", "retort.ini"));

  request.source = dir / "nowhere";
  request.into = dir / "other";
  try {
    import::ImportSqlTool(request);
    ADD_FAILURE() << "imported a missing folder";
  } catch (const UsageError& e) {
    EXPECT_THAT(e.what(), HasSubstr("nowhere' does not exist or is not a folder"));
  }
}

}  // namespace
}  // namespace retort::test
