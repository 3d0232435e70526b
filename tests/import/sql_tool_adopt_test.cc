// Adopting a database an SQL-file tool manages: its version table made with
// the tool's own DDL and filled as the tool fills it, on a real SQLite file
// and on the PostgreSQL test server; the matching revision is recorded and
// `upgrade head` runs only what the tool had not applied. Dirty, failed,
// gapped and unknown states are refused, changing nothing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "import/sql_tool_fixtures.h"
#include "import/sql_tool_import.h"
#include "retort/error.h"
#include "testing/postgres_server.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using import::SqlTool;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The tools' own DDL for SQLite (dbmate's sqlite driver, golang-migrate's
// sqlite3 driver, goose's sqlite3 dialect, Flyway's SQLite history table).
constexpr char kDbmateSqlite[] =
    "create table if not exists schema_migrations (version varchar(128) primary key);";
constexpr char kGolangMigrateSqlite[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version uint64,dirty bool);"
    "CREATE UNIQUE INDEX IF NOT EXISTS version_unique ON schema_migrations (version);";
constexpr char kGooseSqlite[] =
    "CREATE TABLE goose_db_version (id INTEGER PRIMARY KEY AUTOINCREMENT, version_id INTEGER NOT "
    "NULL, is_applied INTEGER NOT NULL, tstamp TIMESTAMP DEFAULT (datetime('now')));"
    "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, 1);";
constexpr char kFlywaySqlite[] =
    "CREATE TABLE \"flyway_schema_history\" (\"installed_rank\" INT NOT NULL PRIMARY KEY, "
    "\"version\" VARCHAR(50), \"description\" VARCHAR(200) NOT NULL, \"type\" VARCHAR(20) NOT "
    "NULL, \"script\" VARCHAR(1000) NOT NULL, \"checksum\" INT, \"installed_by\" VARCHAR(100) NOT "
    "NULL, \"installed_on\" TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f','now')), "
    "\"execution_time\" INT NOT NULL, \"success\" BOOLEAN NOT NULL);"
    "CREATE INDEX \"flyway_schema_history_s_idx\" ON \"flyway_schema_history\" (\"success\");";

std::string FlywayRow(int rank, const std::string& version, const std::string& description,
                      const std::string& type, const std::string& script, bool success) {
  return "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, "
         "checksum, installed_by, execution_time, success) VALUES (" +
         std::to_string(rank) + ", " + (version.empty() ? "NULL" : "'" + version + "'") + ", '" +
         description + "', '" + type + "', '" + script + "', 123, 'app', 5, " +
         (success ? "true" : "false") + ");";
}

// The first `applied` changes run by hand, as the tool ran them.
void ApplyChanges(const fs::path& db, size_t applied) {
  for (size_t i = 0; i < applied; ++i) ExecSql(db, Changes()[i].up);
}

struct Sqlite {
  TempDir dir;
  fs::path db = dir / "app.db";
  std::string url = "sqlite:///" + (dir / "app.db").string();

  import::SqlToolImportRequest Request(SqlTool tool){WriteToolFolder(tool, dir / "tool");
  import::SqlToolImportRequest request;
  request.tool = tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  request.url = url;
  return request;
} void UpgradeHead() {
  retort::Upgrade(LoadProject(dir / "project" / "retort.ini", url), "head", {}, Quiet());
}
};  // namespace

std::string ImportError(const import::SqlToolImportRequest& request) {
  try {
    import::ImportSqlTool(request);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(SqlToolAdopt, DbmateSqlite) {
  Sqlite s;
  ApplyChanges(s.db, 2);
  ExecSql(s.db, std::string(kDbmateSqlite) +
                    "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), "
                    "('20240102000000');");
  import::SqlToolImportReport report = import::ImportSqlTool(s.Request(SqlTool::kDbmate));
  ASSERT_TRUE(report.adoption);
  EXPECT_EQ(report.adoption->revision, "v20240102000000");
  EXPECT_EQ(report.adoption->tool_state, "at version 20240102000000");
  EXPECT_THAT(VersionRows(s.db), ElementsAre("v20240102000000"));
  // Only the two the tool had not applied run (a re-run would fail: the
  // table exists).
  s.UpgradeHead();
  EXPECT_THAT(VersionRows(s.db), ElementsAre("v20240104000000"));
  EXPECT_THAT(QueryColumn(s.db, "SELECT name FROM sqlite_master WHERE name = 'users_email'"),
              ElementsAre("users_email"));
}

TEST(SqlToolAdopt, GolangMigrateSqliteAndDirtyRefused) {
  Sqlite s;
  ApplyChanges(s.db, 3);
  ExecSql(s.db, std::string(kGolangMigrateSqlite) +
                    "INSERT INTO schema_migrations (version, dirty) VALUES (3, 1);");
  std::string before = FullDump(s.db);
  import::SqlToolImportRequest request = s.Request(SqlTool::kGolangMigrate);
  EXPECT_EQ(ImportError(request),
            "golang-migrate left the database dirty at version 3 (a migration failed half-way): "
            "repair the schema by hand, run `migrate force VERSION` with the version it really "
            "is at, then adopt");
  EXPECT_EQ(FullDump(s.db), before);
  EXPECT_FALSE(fs::exists(s.dir / "project"));

  ExecSql(s.db, "UPDATE schema_migrations SET dirty = 0;");
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  EXPECT_EQ(report.adoption->revision, "v3");
  s.UpgradeHead();
  EXPECT_THAT(VersionRows(s.db), ElementsAre("v10"));
}

TEST(SqlToolAdopt, GooseSqliteLatestRowOfAVersionDecides) {
  Sqlite s;
  ApplyChanges(s.db, 2);
  // Version 3 applied, then rolled back by an old goose (a row with
  // is_applied = 0).
  ExecSql(s.db, std::string(kGooseSqlite) +
                    "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, 1), (2, 1), "
                    "(3, 1), (3, 0);");
  import::SqlToolImportReport report = import::ImportSqlTool(s.Request(SqlTool::kGoose));
  EXPECT_EQ(report.adoption->revision, "v2");
  s.UpgradeHead();
  EXPECT_THAT(VersionRows(s.db), ElementsAre("v10"));
}

TEST(SqlToolAdopt, FlywaySqliteBaselineAndFailedRefused) {
  Sqlite s;
  ApplyChanges(s.db, 3);
  ExecSql(s.db, std::string(kFlywaySqlite) +
                    FlywayRow(1, "1.1", "<< Flyway Baseline >>", "BASELINE",
                              "<< Flyway Baseline >>", true) +
                    FlywayRow(2, "2", "touch trigger", "SQL", "V2__touch_trigger.sql", false));
  import::SqlToolImportRequest request = s.Request(SqlTool::kFlyway);
  EXPECT_EQ(ImportError(request),
            "Flyway recorded a failed migration (version 2 V2__touch_trigger.sql): fix the "
            "database and run `flyway repair` first, then adopt");
  EXPECT_FALSE(fs::exists(s.dir / "project"));
  EXPECT_THAT(VersionRows(s.db), IsEmpty());

  ExecSql(s.db, "UPDATE flyway_schema_history SET success = 1 WHERE installed_rank = 2;");
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  // Below the baseline counts as applied, as Flyway counts it.
  EXPECT_EQ(report.adoption->revision, "V2");
  s.UpgradeHead();
  EXPECT_THAT(VersionRows(s.db), ElementsAre("V10"));
}

TEST(SqlToolAdopt, GapsAndUnknownVersionsAreRefused) {
  Sqlite s;
  ApplyChanges(s.db, 1);
  ExecSql(s.db, std::string(kDbmateSqlite) +
                    "INSERT INTO schema_migrations (version) VALUES ('20240101000000'), "
                    "('20240103000000');");
  import::SqlToolImportRequest request = s.Request(SqlTool::kDbmate);
  EXPECT_EQ(ImportError(request),
            "dbmate applied version 20240103000000 but not the earlier version 20240102000000 "
            "(out of order): apply 20240102000000 with dbmate first, or remove the gap, then "
            "adopt");
  ExecSql(s.db,
          "DELETE FROM schema_migrations WHERE version = '20240103000000';"
          "INSERT INTO schema_migrations (version) VALUES ('20990101000000');");
  EXPECT_EQ(ImportError(request),
            "dbmate's table records version 20990101000000, but no migration has it (revision "
            "v20990101000000): restore its file first");
  ExecSql(s.db, "DROP TABLE schema_migrations;");
  EXPECT_THAT(ImportError(request), HasSubstr("No dbmate table 'schema_migrations' in sqlite:///"));
  EXPECT_FALSE(fs::exists(s.dir / "project"));
  EXPECT_THAT(VersionRows(s.db), IsEmpty());
}

TEST(SqlToolAdopt, FollowUpAdoptsAnotherDatabaseOnce) {
  Sqlite s;
  import::SqlToolImportRequest request = s.Request(SqlTool::kGoose);
  request.url.reset();
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  EXPECT_FALSE(report.adoption);

  fs::path other = s.dir / "staging.db";
  ApplyChanges(other, 1);
  ExecSql(other, std::string(kGooseSqlite) +
                     "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, 1);");
  Config config = LoadProject(report.config_file, "sqlite:///" + other.string());
  import::AdoptionResult first =
      import::AdoptSqlToolDatabase(config, SqlTool::kGoose, std::nullopt, {});
  EXPECT_EQ(first.revision, "v1");
  EXPECT_FALSE(first.already_recorded);
  import::AdoptionResult again =
      import::AdoptSqlToolDatabase(config, SqlTool::kGoose, std::nullopt, {});
  EXPECT_TRUE(again.already_recorded);

  // The tool moved on after adoption: retort's table disagrees, refused.
  ExecSql(other,
          Changes()[1].up + "INSERT INTO goose_db_version (version_id, is_applied) VALUES (2, 1);");
  try {
    import::AdoptSqlToolDatabase(config, SqlTool::kGoose, std::nullopt, {});
    ADD_FAILURE() << "adopted over another recorded revision";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "retort's version table 'retort_version' already records v1 (not v2): the "
                 "database was adopted or migrated by retort before; check it with `retort "
                 "current`");
  }
  EXPECT_THAT(VersionRows(other), ElementsAre("v1"));
}

// ---- PostgreSQL: the tools' own DDL.

constexpr char kFlywayPostgres[] =
    R"(CREATE TABLE "public"."flyway_schema_history" (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
);
ALTER TABLE "public"."flyway_schema_history" ADD CONSTRAINT "flyway_schema_history_pk" PRIMARY KEY ("installed_rank");
CREATE INDEX "flyway_schema_history_s_idx" ON "public"."flyway_schema_history" ("success");)";
constexpr char kGoosePostgres[] =
    "CREATE TABLE goose_db_version (id serial NOT NULL, version_id bigint NOT NULL, is_applied "
    "boolean NOT NULL, tstamp timestamp NULL default now(), PRIMARY KEY(id));"
    "INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true);";
constexpr char kGolangMigratePostgres[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version bigint not null primary key, dirty "
    "boolean not null);";
constexpr char kDbmatePostgres[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version character varying(128) NOT NULL "
    "PRIMARY KEY);";

struct PostgresCase {
  SqlTool tool;
  std::string ddl;
  std::string first_applied;  // rows saying the first change is applied
  std::string dirty;          // rows saying the tool failed or left it dirty; empty: none
};

class SqlToolAdoptPostgres : public ::testing::TestWithParam<PostgresCase> {};

TEST_P(SqlToolAdoptPostgres, AdoptsThenUpgradesOnlyWhatIsNew) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  const PostgresCase& c = GetParam();
  ScratchPostgresDatabase database(server);
  database.Exec(Changes()[0].up);
  database.Exec(c.ddl);
  TempDir dir;
  WriteToolFolder(c.tool, dir / "tool", 2);
  import::SqlToolImportRequest request;
  request.tool = c.tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  if (!c.dirty.empty()) {
    database.Exec(c.dirty);
    request.url = database.url();
    try {
      import::ImportSqlTool(request);
      ADD_FAILURE() << "adopted a dirty database";
    } catch (const Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("then adopt"));
    }
    EXPECT_FALSE(fs::exists(dir / "project"));
    EXPECT_THAT(database.Query("SELECT to_regclass('retort_version') IS NULL"),
                ElementsAre(ElementsAre("t")));
    database.Exec("DELETE FROM " + std::string(import::DefaultToolTable(c.tool)));
    if (c.tool == SqlTool::kGoose) {
      database.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)");
    }
  }
  database.Exec(c.first_applied);
  request.url.reset();
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  // The follow-up form, as a second database would be adopted.
  Config config = LoadProject(report.config_file, database.url());
  import::AdoptionResult result = import::AdoptSqlToolDatabase(config, c.tool, std::nullopt, {});
  EXPECT_EQ(result.revision, ExpectedIds(c.tool)[0]);
  EXPECT_THAT(database.Query("SELECT version_num FROM retort_version"),
              ElementsAre(ElementsAre(ExpectedIds(c.tool)[0])));
  retort::Upgrade(config, "head", {}, Quiet());
  EXPECT_THAT(database.Query("SELECT version_num FROM retort_version"),
              ElementsAre(ElementsAre(ExpectedIds(c.tool)[1])));
  EXPECT_THAT(database.Query("SELECT count(*) FROM information_schema.columns WHERE table_name = "
                             "'users' AND column_name = 'name'"),
              ElementsAre(ElementsAre("1")));
}

INSTANTIATE_TEST_SUITE_P(
    Tools, SqlToolAdoptPostgres,
    ::testing::Values(
        PostgresCase{SqlTool::kDbmate, kDbmatePostgres,
                     "INSERT INTO schema_migrations (version) VALUES ('20240101000000')", ""},
        PostgresCase{SqlTool::kGolangMigrate, kGolangMigratePostgres,
                     "INSERT INTO schema_migrations (version, dirty) VALUES (1, false)",
                     "INSERT INTO schema_migrations (version, dirty) VALUES (2, true)"},
        PostgresCase{SqlTool::kGoose, kGoosePostgres,
                     "INSERT INTO goose_db_version (version_id, is_applied) VALUES (1, true)", ""},
        PostgresCase{
            SqlTool::kFlyway, kFlywayPostgres,
            FlywayRow(1, "1", "create users", "SQL", "V1__create_users.sql", true),
            "INSERT INTO flyway_schema_history (installed_rank, version, description, type, "
            "script, checksum, installed_by, execution_time, success) VALUES (1, '1', 'create "
            "users', 'SQL', 'V1__create_users.sql', 1, 'app', 1, false)"}),
    [](const auto& info) {
      std::string name(import::SqlToolName(info.param.tool));
      name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
      return name;
    });

}  // namespace retort::test
}  // namespace retort::test

namespace retort::test {
namespace {

// A statement PostgreSQL refuses inside a transaction, in each tool's way of
// saying "no transaction" (golang-migrate has none: the statement itself
// tells): imported as `Transactional: no`, it runs.
class SqlToolNoTransactionPostgres : public ::testing::TestWithParam<SqlTool> {};

TEST_P(SqlToolNoTransactionPostgres, ConcurrentIndexRunsOutsideATransaction) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  SqlTool tool = GetParam();
  ScratchPostgresDatabase database(server);
  TempDir dir;
  const std::string create = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n";
  const std::string index = "CREATE INDEX CONCURRENTLY users_email ON users (email);\n";
  const std::string drop = "DROP INDEX CONCURRENTLY users_email;\n";
  switch (tool) {
    case SqlTool::kDbmate:
      dir.Write("tool/1_users.sql",
                "-- migrate:up\n" + create + "-- migrate:down\nDROP TABLE users;\n");
      dir.Write("tool/2_index.sql", "-- migrate:up transaction:false\n" + index +
                                        "-- migrate:down transaction:false\n" + drop);
      break;
    case SqlTool::kGolangMigrate:
      dir.Write("tool/1_users.up.sql", create);
      dir.Write("tool/2_index.up.sql", index);
      dir.Write("tool/2_index.down.sql", drop);
      break;
    case SqlTool::kGoose:
      dir.Write("tool/1_users.sql", "-- +goose Up\n" + create);
      dir.Write("tool/2_index.sql",
                "-- +goose NO TRANSACTION\n-- +goose Up\n" + index + "-- +goose Down\n" + drop);
      break;
    case SqlTool::kFlyway:
      dir.Write("tool/V1__users.sql", create);
      dir.Write("tool/V2__index.sql", index);
      dir.Write("tool/U2__index.sql", drop);
      break;
  }
  import::SqlToolImportRequest request;
  request.tool = tool;
  request.source = dir / "tool";
  request.into = dir / "project";
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  Config config = LoadProject(report.config_file, database.url());
  retort::Upgrade(config, "head", {}, Quiet());
  EXPECT_THAT(database.Query("SELECT indexname FROM pg_indexes WHERE tablename = 'users' AND "
                             "indexname = 'users_email'"),
              ElementsAre(ElementsAre("users_email")));
  retort::Downgrade(config, "-1", {}, Quiet());
  EXPECT_THAT(database.Query("SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email'"),
              ElementsAre(ElementsAre("0")));
}

INSTANTIATE_TEST_SUITE_P(Tools, SqlToolNoTransactionPostgres, ::testing::ValuesIn(AllTools()),
                         [](const auto& info) {
                           std::string name(import::SqlToolName(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

}  // namespace
}  // namespace retort::test
