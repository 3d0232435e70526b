// `retort import dbmate|golang-migrate|flyway|goose` and `retort adopt` run
// as a user runs them: the report, the next commands working on the result,
// adoption in the same run and as a follow-up, and one-line refusals.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

void WriteDbmate(const TempDir& dir) {
  dir.Write("db/migrations/20240101000000_create_users.sql",
            "-- migrate:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n\n-- migrate:down\n"
            "DROP TABLE users;\n");
  dir.Write("db/migrations/20240102000000_add_name.sql",
            "-- migrate:up\nALTER TABLE users ADD COLUMN name TEXT;\n\n-- migrate:down\n"
            "ALTER TABLE users DROP COLUMN name;\n");
}

TEST(ImportSqlToolsCli, GooseFolderBecomesAProjectThatUpgrades) {
  TempDir dir;
  dir.Write("migrations_goose/1_create_users.sql",
            "-- +goose Up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n-- +goose Down\n"
            "DROP TABLE users;\n");
  dir.Write("migrations_goose/2_add_name.sql",
            "-- +goose NO TRANSACTION\n-- +goose Up\nALTER TABLE users ADD COLUMN name TEXT;\n");
  CliResult result = RunRetort({"import", "goose", "migrations_goose"}, dir.path());
  ASSERT_TRUE(Succeeded(result));
  std::vector<std::string> lines = result.OutLines();
  ASSERT_GE(lines.size(), 4u) << result.Describe();
  EXPECT_EQ(lines[0], "Imported 2 goose migration(s): v1 ... v2");
  EXPECT_EQ(lines[1], "  config: ./retort.ini");
  EXPECT_THAT(lines, Contains(HasSubstr("note: 1 revision(s) without a down migration are "
                                        "irreversible (a downgrade through them stops before "
                                        "running): v2")));
  EXPECT_THAT(lines.back(), HasSubstr("adopt goose --url URL"));

  Env env{{"DATABASE_URL", "sqlite:///app.db"}};
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, dir.path(), env)));
  EXPECT_THAT(VersionRows(dir / "app.db"), ElementsAre("v2"));
  CliResult history = RunRetort({"history"}, dir.path(), env);
  EXPECT_THAT(history.OutLines(),
              ElementsAre("v1 -> v2 (head), add name", "<base> -> v1, create users"));
}

TEST(ImportSqlToolsCli, UrlAdoptsInTheSameRunAndUpgradeRunsOnlyWhatIsNew) {
  TempDir dir;
  WriteDbmate(dir);
  ExecSql(dir / "app.db",
          "CREATE TABLE users (id INTEGER PRIMARY KEY);"
          "create table if not exists schema_migrations (version varchar(128) primary key);"
          "INSERT INTO schema_migrations (version) VALUES ('20240101000000');");
  CliResult result = RunRetort(
      {"import", "dbmate", "db/migrations", "--into", "retort", "--url", "sqlite:///app.db"},
      dir.path());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_EQ(result.OutLines().back(),
            "Adopted: dbmate is at version 20240101000000; recorded v20240101000000 in retort's "
            "version table (`upgrade head` runs only what comes after)");
  // --url is not written down: it may carry a password.
  EXPECT_THAT(ReadFile(dir / "retort" / "retort.ini"), HasSubstr("\nurl =\n"));

  CliResult upgrade = RunRetort(
      {"-c", "retort/retort.ini", "--url", "sqlite:///app.db", "upgrade", "head"}, dir.path());
  ASSERT_TRUE(Succeeded(upgrade));
  EXPECT_THAT(upgrade.ErrLines(),
              Contains(HasSubstr("Running upgrade v20240101000000 -> v20240102000000, add name")));
  EXPECT_THAT(upgrade.ErrLines(), Not(Contains(HasSubstr("-> v20240101000000,"))));
  EXPECT_THAT(VersionRows(dir / "app.db"), ElementsAre("v20240102000000"));
  EXPECT_THAT(QueryColumn(dir / "app.db", "SELECT name FROM pragma_table_info('users')"),
              ElementsAre("id", "name"));
}

TEST(ImportSqlToolsCli, AdoptIsTheFollowUpForAnotherDatabase) {
  TempDir dir;
  WriteDbmate(dir);
  ASSERT_TRUE(Succeeded(RunRetort({"import", "dbmate", "db/migrations"}, dir.path())));
  ExecSql(dir / "staging.db",
          "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);"
          "create table if not exists schema_migrations (version varchar(128) primary key);"
          "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), "
          "('20240102000000');");
  CliResult adopt = RunRetort({"adopt", "dbmate", "--url", "sqlite:///staging.db"}, dir.path());
  ASSERT_TRUE(Succeeded(adopt));
  EXPECT_THAT(adopt.OutLines(), ElementsAre("Adopted: dbmate is at version 20240102000000; "
                                            "recorded v20240102000000 in retort's version table "
                                            "(`upgrade head` runs only what comes after)"));
  CliResult current = RunRetort({"--url", "sqlite:///staging.db", "current"}, dir.path());
  EXPECT_THAT(current.OutLines(), ElementsAre("v20240102000000 (head)"));

  // A database the tool never touched: nothing to adopt, said in one line.
  CliResult fresh = RunRetort({"adopt", "dbmate", "--url", "sqlite:///new.db"}, dir.path());
  EXPECT_TRUE(IsOneLineError(fresh, 1, {"No dbmate table 'schema_migrations'", "upgrade head"}));
  CliResult unknown = RunRetort({"adopt", "liquibase"}, dir.path());
  EXPECT_TRUE(IsOneLineError(unknown, 2, {"Unknown tool 'liquibase' for adopt"}));
}

TEST(ImportSqlToolsCli, RefusalsAreOneLineAndWriteNothing) {
  TempDir dir;
  fs::create_directories(dir / "empty");
  EXPECT_TRUE(IsOneLineError(RunRetort({"import", "goose", "empty"}, dir.path()), 1,
                             {"empty: no goose SQL migrations"}));
  EXPECT_TRUE(IsOneLineError(RunRetort({"import", "flyway", "nowhere"}, dir.path()), 2,
                             {"'nowhere' does not exist or is not a folder"}));
  EXPECT_TRUE(IsOneLineError(RunRetort({"import", "golang-migrate"}, dir.path()), 2,
                             {"needs the tool's migrations folder"}));
  EXPECT_TRUE(IsOneLineError(RunRetort({"import", "sqitch", "empty"}, dir.path()), 2,
                             {"Unknown tool 'sqitch'"}));

  dir.Write("gm/1_create_users.up.sql", "CREATE TABLE users (id INTEGER);\n");
  dir.Write("gm/1_create_users.down.sql", "DROP TABLE users;\n");
  ExecSql(dir / "app.db",
          "CREATE TABLE users (id INTEGER);"
          "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);"
          "INSERT INTO schema_migrations VALUES (1, 1);");
  std::string before = FullDump(dir / "app.db");
  CliResult dirty =
      RunRetort({"import", "golang-migrate", "gm", "--url", "sqlite:///app.db"}, dir.path());
  EXPECT_TRUE(IsOneLineError(
      dirty, 1, {"golang-migrate left the database dirty at version 1", "migrate force"}));
  EXPECT_EQ(FullDump(dir / "app.db"), before);
  EXPECT_FALSE(fs::exists(dir / "retort.ini"));
  EXPECT_FALSE(fs::exists(dir / "migrations"));

  // The target exists.
  ASSERT_TRUE(Succeeded(RunRetort({"import", "golang-migrate", "gm"}, dir.path())));
  EXPECT_TRUE(IsOneLineError(RunRetort({"import", "golang-migrate", "gm"}, dir.path()), 1,
                             {"retort.ini already exists", "--into"}));
}

TEST(ImportSqlToolsCli, AnotherToolsFilesInAProjectNameTheImportCommand) {
  TempDir dir;
  dir.Write("retort.ini", "[retort]\nscript_location = migrations\nurl = sqlite:///app.db\n");
  dir.Write("migrations/versions/20240101000000_create_users.sql",
            "-- migrate:up\nCREATE TABLE users (id INTEGER);\n-- migrate:down\nDROP TABLE "
            "users;\n");
  CliResult result = RunRetort({"history"}, dir.path());
  EXPECT_TRUE(IsOneLineError(result, 1,
                             {"20240101000000_create_users.sql: a dbmate migration, not a retort "
                              "revision",
                              "`retort import dbmate "}));
  EXPECT_FALSE(fs::exists(dir / "app.db"));
}

}  // namespace
}  // namespace retort::test
