// retort against a real MariaDB server, as a process: the seed-style flow
// (tables with foreign keys and indexes, a data migration), relative steps,
// --sql in MySQL syntax, ten concurrent deploys, bad URLs and an unreachable
// server, and never a password on the terminal.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iterator>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/mysql_expect.h"
#include "cli/postgres_expect.h"  // NeverPrints, PrintsInOrder
#include "testing/cli_runner.h"
#include "testing/mysql_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

// The shape of the seed projects: users and posts with a foreign key and an
// index, then a data migration (add a column, fill it, make it NOT NULL).
std::vector<RevisionSpec> SeedRevisions() {
  return {
      {.id = "a1",
       .upgrade = "CREATE TABLE users (\n"
                  "  id INT AUTO_INCREMENT PRIMARY KEY,\n"
                  "  email VARCHAR(200) NOT NULL UNIQUE\n"
                  ");\n"
                  "CREATE TABLE posts (\n"
                  "  id INT AUTO_INCREMENT PRIMARY KEY,\n"
                  "  user_id INT NOT NULL,\n"
                  "  title VARCHAR(200) NOT NULL,\n"
                  "  CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON "
                  "DELETE CASCADE\n"
                  ");\n"
                  "CREATE INDEX posts_title ON posts (title);\n"
                  "INSERT INTO users (email) VALUES ('ann@example.com'), ('bob@example.com');\n"
                  "INSERT INTO posts (user_id, title) VALUES (1, 'hello'), (2, 'world');\n",
       .downgrade = "DROP TABLE posts;\nDROP TABLE users;\n",
       .message = "users and posts"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "ALTER TABLE users ADD COLUMN display_name VARCHAR(200) NULL;\n"
                  "UPDATE users SET display_name = SUBSTRING_INDEX(email, '@', 1);\n"
                  "ALTER TABLE users MODIFY display_name VARCHAR(200) NOT NULL;\n",
       .downgrade = "ALTER TABLE users DROP COLUMN display_name;\n",
       .message = "display names"},
  };
}

TEST(MysqlWorkflowTest, SeedFlowUpgradeDowngradeAndStepBack) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project(SeedRevisions());
  project.WriteConfig(MysqlConfig(db.url()));

  CliResult up = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_TRUE(PrintsInOrder(up.err, {"Running upgrade  -> a1, users and posts",
                                     "Running upgrade a1 -> b2, display names"}));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre("b2"));
  EXPECT_THAT(MysqlColumn(db, "SELECT display_name FROM users ORDER BY id"),
              ElementsAre("ann", "bob"));
  EXPECT_THAT(MysqlColumn(db,
                          "SELECT is_nullable FROM information_schema.columns WHERE "
                          "table_schema = DATABASE() AND column_name = 'display_name'"),
              ElementsAre("NO"));
  EXPECT_THAT(MysqlColumn(db,
                          "SELECT referenced_table_name FROM "
                          "information_schema.key_column_usage WHERE table_schema = "
                          "DATABASE() AND constraint_name = 'posts_user_fk'"),
              ElementsAre("users"));
  EXPECT_THAT(MysqlColumn(db, "SELECT revision FROM retort_version_history ORDER BY revision"),
              ElementsAre("a1", "b2"));
  // A finished run leaves no progress behind.
  EXPECT_THAT(MysqlColumn(db, "SELECT count(*) FROM retort_version_progress"), ElementsAre("0"));

  CliResult current = RunRetort({"current"}, project.root());
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.out, HasSubstr("b2 (head)"));

  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "-1"}, project.root())));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre("a1"));
  EXPECT_THAT(MysqlColumn(db,
                          "SELECT count(*) FROM information_schema.columns WHERE "
                          "table_schema = DATABASE() AND column_name = 'display_name'"),
              ElementsAre("0"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "+1"}, project.root())));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre("b2"));

  CliResult status = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(status));
  EXPECT_THAT(status.out, HasSubstr("Pending:   none, up to date"));
  EXPECT_THAT(status.out, HasSubstr("Integrity: ok"));
  EXPECT_THAT(status.out, Not(HasSubstr("Half-applied")));

  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_THAT(MysqlTables(db),
              ElementsAre("retort_version", "retort_version_history", "retort_version_progress"));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre());
}

TEST(MysqlWorkflowTest, OfflineSqlIsMysqlWithoutTransactionPretence) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  TempProject project(SeedRevisions());
  // Offline: the URL only picks the dialect; nothing connects.
  project.WriteConfig(MysqlConfig("mysql://app:s3cret-pw@127.0.0.1:1/app"));
  CliResult sql = RunRetort({"upgrade", "head", "--sql"}, project.root());
  ASSERT_TRUE(Succeeded(sql));
  EXPECT_THAT(sql.out, HasSubstr("CREATE TABLE retort_version (\n    version_num VARCHAR(255) "
                                 "NOT NULL, \n    CONSTRAINT retort_version_pkc PRIMARY KEY "
                                 "(version_num)\n);"));
  EXPECT_THAT(sql.out, HasSubstr("INSERT INTO retort_version (version_num) VALUES ('a1');"));
  EXPECT_THAT(sql.out, HasSubstr("UPDATE retort_version SET version_num='b2' WHERE "
                                 "retort_version.version_num = 'a1';"));
  EXPECT_THAT(sql.out, HasSubstr("ON DUPLICATE KEY UPDATE"));
  // DDL commits on its own in MySQL: no BEGIN/COMMIT pretending otherwise.
  EXPECT_THAT(sql.out, Not(HasSubstr("BEGIN")));
  EXPECT_THAT(sql.out, Not(HasSubstr("COMMIT")));
  EXPECT_THAT(sql.out, Not(HasSubstr("START TRANSACTION")));
  EXPECT_TRUE(NeverPrints(sql, "s3cret-pw"));
}

TEST(MysqlWorkflowTest, AlembicVersionTableIsAdopted) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  // What Alembic leaves on MySQL: alembic_version with VARCHAR(32).
  db.Exec(
      "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
      "alembic_version_pkc PRIMARY KEY (version_num))");
  db.Exec("CREATE TABLE users (id INT PRIMARY KEY)");
  db.Exec("INSERT INTO alembic_version VALUES ('a1')");
  TempProject project({{.id = "a1",
                        .upgrade = "CREATE TABLE users (id INT PRIMARY KEY);",
                        .downgrade = "DROP TABLE users;"},
                       {.id = "a_revision_id_longer_than_thirty_two_chars",
                        .revises = {"a1"},
                        .upgrade = "ALTER TABLE users ADD COLUMN name VARCHAR(50);",
                        .downgrade = "ALTER TABLE users DROP COLUMN name;"}});
  project.WriteConfig(MysqlConfig(db.url(), "version_table = alembic_version"));
  CliResult up = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(up.err, Not(HasSubstr("-> a1,")));
  EXPECT_THAT(MysqlVersionRows(db, "alembic_version"),
              ElementsAre("a_revision_id_longer_than_thirty_two_chars"));
}

TEST(MysqlConcurrencyTest, TenUpgradesAtOnceApplyEachRevisionOnce) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  std::vector<RevisionSpec> specs;
  for (int i = 1; i <= 5; ++i) {
    std::string id = "rev" + std::to_string(i);
    std::string up =
        i == 1 ? "CREATE TABLE applied (rev VARCHAR(10) PRIMARY KEY, conn INT);\n" : "";
    // No IF NOT EXISTS: a second run would fail, and the primary key turns
    // a double insert into an error.
    up += "CREATE TABLE t" + std::to_string(i) + " (id INT PRIMARY KEY);\n";
    up += "INSERT INTO applied VALUES ('" + id + "', CONNECTION_ID());\n";
    RevisionSpec spec{.id = id, .upgrade = up, .downgrade = "DROP TABLE t" + std::to_string(i)};
    if (i > 1) spec.revises = {"rev" + std::to_string(i - 1)};
    specs.push_back(spec);
  }
  TempProject project(specs);
  project.WriteConfig(MysqlConfig(db.url()));
  std::vector<CliResult> results = RunRetortConcurrently(10, {"upgrade", "head"}, project.root());
  int ran = 0;
  for (const CliResult& result : results) {
    EXPECT_TRUE(Succeeded(result));
    EXPECT_TRUE(NeverPrints(result, MysqlPassword(db.url())));
    if (result.err.find("Running upgrade  -> rev1") != std::string::npos) ++ran;
  }
  EXPECT_EQ(ran, 1) << "exactly one process runs the migrations";
  EXPECT_THAT(MysqlColumn(db, "SELECT rev FROM applied ORDER BY rev"),
              ElementsAreArray({"rev1", "rev2", "rev3", "rev4", "rev5"}));
  EXPECT_THAT(MysqlColumn(db, "SELECT count(DISTINCT conn) FROM applied"), ElementsAre("1"));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre("rev5"));
}

TEST(MysqlErrorsTest, BadUrlsAndConnectionFailuresAreOneLineWithoutThePassword) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project({TableRevision("a1", {}, "t1")});
  struct Case {
    std::string url;
    int exit_code;
    std::vector<std::string> needles;
  };
  std::string wrong_password = db.url();
  wrong_password.replace(wrong_password.find(MysqlPassword(db.url())),
                         MysqlPassword(db.url()).size(), "not-the-s3cret");
  const Case cases[] = {
      {"mysql://u:s3cret-pw@127.0.0.1:99999/db", 2, {"port '99999'", "u:***@"}},
      {"mysql://u:s3cret-pw@127.0.0.1/db?sslmode=require", 2, {"unknown MySQL parameter"}},
      {"mysql+pymysql://u:s3cret-pw@127.0.0.1:1/db", 1, {"Can't connect to", "u:***@"}},
      {wrong_password, 1, {"Can't connect to", "Access denied"}},
  };
  for (const Case& c : cases) {
    CliResult result = RunRetort({"--url", c.url, "upgrade", "head"}, project.root());
    EXPECT_TRUE(IsOneLineError(result, c.exit_code, c.needles)) << c.url;
    EXPECT_TRUE(NeverPrints(result, "s3cret")) << c.url;
  }
  // Nothing was created by the refused runs.
  EXPECT_THAT(MysqlTables(db), ElementsAre());
}

// The declared schema differs from head: verify and check say so in one
// line and change nothing (mysql_autogenerate_test.cc covers the round trip).
TEST(MysqlErrorsTest, DriftFromTheDeclaredSchemaIsOneLineAndChangesNothing) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project({TableRevision("a1", {}, "t1")});
  project.Write("schema.sql", "CREATE TABLE t1 (x INT);\n");
  project.WriteConfig(MysqlConfig(db.url(), "schema = schema.sql"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  const auto tables = MysqlTables(db);
  const std::pair<std::string, std::string> cases[] = {
      {"verify", "Head differs from the declared schema (schema.sql)"},
      {"check", "New upgrade operations detected"},
  };
  for (const auto& [command, needle] : cases) {
    CliResult result = RunRetort({command}, project.root());
    // verify's progress lines go before the one FAILED line.
    EXPECT_EQ(result.exit_code, 1) << result.Describe();
    EXPECT_THAT(result.err, HasSubstr("FAILED: " + needle)) << command;
  }
  EXPECT_EQ(MysqlTables(db), tables);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(project.versions_dir()),
                          std::filesystem::directory_iterator()),
            1)
      << "no revision file was written";
}

TEST(MysqlErrorsTest, AFailingStatementNamesRevisionFileLineAndServerMessage) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project(
      {{.id = "a1", .upgrade = "SELECT * FROM missing_table;\n", .downgrade = "SELECT 1;"}});
  project.WriteConfig(MysqlConfig(db.url()));
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(
      IsOneLineError(result, 1, {"revision a1", "a1_", ".sql:", "missing_table' doesn't exist"}));
  // The first statement failed: nothing is half-applied, nothing to resolve.
  EXPECT_THAT(result.err, Not(HasSubstr("resolve")));
  EXPECT_THAT(MysqlVersionRows(db), ElementsAre());
}

}  // namespace
}  // namespace retort::test
