// Triggers, stored procedures and functions, events and partitioning on a
// real MariaDB server: retort compares them but cannot render them. Never
// silent: autogenerate names each in a warning and writes a NOT RENDERED
// comment in the revision, `check` fails while the database differs from
// the declared schema, and passes once they are created by hand as declared.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/mysql_expect.h"
#include "testing/cli_runner.h"
#include "testing/mysql_server.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kTrigger =
    "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW "
    "SET NEW.updated = NEW.updated + 1";
constexpr const char* kProcedure =
    "CREATE PROCEDURE forget(IN below int)\n"
    "BEGIN\n"
    "  DELETE FROM orders WHERE total < below;\n"
    "END";

std::string Declared() {
  return std::string(
             "CREATE TABLE orders (id int PRIMARY KEY, total int NOT NULL,\n"
             " updated int NOT NULL DEFAULT 0);\n") +
         kTrigger + ";\nDELIMITER //\n" + kProcedure + "//\nDELIMITER ;\n";
}

std::string Generate(const TempProject& project, std::string* path_out = nullptr) {
  CliResult run = RunRetort({"revision", "--autogenerate", "-m", "auto"}, project.root());
  EXPECT_TRUE(Succeeded(run)) << run.Describe();
  EXPECT_THAT(run.out + run.err,
              HasSubstr("Warning: the declared schema holds mysql trigger 'orders_touch', which "
                        "autogenerate cannot render"));
  EXPECT_THAT(run.out + run.err,
              HasSubstr("Warning: the declared schema holds mysql procedure 'forget'"));
  std::string path = FindSqlPath(run.out);
  EXPECT_FALSE(path.empty()) << run.Describe();
  if (path_out) *path_out = path;
  return path.empty() ? "" : ReadFile(path);
}

void ExpectCheckClean(const TempProject& project) {
  CliResult check = RunRetort({"check"}, project.root());
  EXPECT_TRUE(Succeeded(check)) << check.Describe();
  EXPECT_THAT(check.out + check.err, HasSubstr("No new upgrade operations detected."));
}

std::vector<std::string> Routines(const ScratchMysqlDatabase& db) {
  return MysqlColumn(db,
                     "SELECT CONCAT(routine_type, ' ', routine_name) FROM "
                     "information_schema.routines WHERE routine_schema = DATABASE() ORDER BY 1");
}

std::vector<std::string> Triggers(const ScratchMysqlDatabase& db) {
  return MysqlColumn(db,
                     "SELECT trigger_name FROM information_schema.triggers WHERE "
                     "trigger_schema = DATABASE() ORDER BY 1");
}

TEST(MysqlAutogenerateObjectsTest, TriggerAndProcedureWarnAndFailCheckUntilMadeByHand) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project;
  project.WriteConfig(MysqlConfig(db.url(), "schema = schema.sql\n"));
  project.Write("schema.sql", Declared());

  std::string path;
  std::string file = Generate(project, &path);
  EXPECT_THAT(file, HasSubstr("CREATE TABLE `orders`"));
  EXPECT_THAT(file, HasSubstr("-- NOT RENDERED: added mysql trigger 'orders_touch': retort "
                              "cannot render mysql trigger objects; write this step by hand."));
  EXPECT_THAT(file, HasSubstr("--   declared: BEFORE UPDATE ON `orders` FOR EACH ROW SET "
                              "NEW.updated = NEW.updated + 1"));
  EXPECT_THAT(file, HasSubstr("-- NOT RENDERED: added mysql procedure 'forget'"));
  EXPECT_THAT(file, HasSubstr("-- NOT RENDERED: removed mysql procedure 'forget'"));

  // The revision runs; the trigger and the procedure stay missing, and
  // check says so.
  CliResult up = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up)) << up.Describe();
  EXPECT_THAT(MysqlTables(db), ::testing::Contains("orders"));
  EXPECT_TRUE(Triggers(db).empty());
  EXPECT_TRUE(Routines(db).empty());
  CliResult check = RunRetort({"check"}, project.root());
  EXPECT_EQ(check.exit_code, 1) << check.Describe();
  EXPECT_THAT(check.out, HasSubstr("added mysql trigger 'orders_touch' (not rendered"));
  EXPECT_THAT(check.out, HasSubstr("added mysql procedure 'forget' (not rendered"));

  // Written by hand, exactly as declared: check passes (the definitions
  // compare equal whoever the definer), still naming them in a warning.
  db.Exec(kTrigger);
  db.Exec(kProcedure);
  CliResult clean = RunRetort({"check"}, project.root());
  EXPECT_TRUE(Succeeded(clean)) << clean.Describe();
  EXPECT_THAT(clean.out + clean.err, HasSubstr("No new upgrade operations detected."));
  EXPECT_THAT(clean.out + clean.err,
              HasSubstr("Warning: the declared schema holds mysql trigger 'orders_touch'"));

  // A trigger in the database the schema does not declare: drift.
  db.Exec("CREATE TRIGGER orders_audit AFTER INSERT ON orders FOR EACH ROW SET @n = NEW.id");
  CliResult extra = RunRetort({"check"}, project.root());
  EXPECT_EQ(extra.exit_code, 1) << extra.Describe();
  EXPECT_THAT(extra.out, HasSubstr("removed mysql trigger 'orders_audit' (not rendered"));
  db.Exec("DROP TRIGGER orders_audit");
  ExpectCheckClean(project);

  // A body changed by hand: drift too.
  db.Exec("DROP PROCEDURE forget");
  db.Exec("CREATE PROCEDURE forget(IN below int) BEGIN DELETE FROM orders; END");
  CliResult changed = RunRetort({"check"}, project.root());
  EXPECT_EQ(changed.exit_code, 1) << changed.Describe();
  EXPECT_THAT(changed.out, HasSubstr("changed mysql procedure 'forget' (not rendered"));

  // The downgrade runs too (its comment says what to drop by hand).
  CliResult down = RunRetort({"downgrade", "base"}, project.root());
  ASSERT_TRUE(Succeeded(down)) << down.Describe();
  EXPECT_THAT(Routines(db), ElementsAre("PROCEDURE forget"));

  // The step written by hand in the revision, as the comments ask: the
  // procedure between DELIMITER lines (its body's ";" stays in it), then
  // check is clean on a database the revision built.
  db.Exec("DROP PROCEDURE forget");
  size_t up_end = file.find("-- NOT RENDERED: added");
  size_t down_start = file.find("-- migrate:downgrade");
  ASSERT_TRUE(up_end != std::string::npos && down_start != std::string::npos);
  WriteFile(path, file.substr(0, up_end) + kTrigger + ";\nDELIMITER //\n" + kProcedure +
                      "//\nDELIMITER ;\n\n-- migrate:downgrade\nDROP PROCEDURE forget;\n" +
                      "DROP TABLE `orders`;\n");
  CliResult by_hand = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(by_hand)) << by_hand.Describe();
  EXPECT_THAT(Triggers(db), ElementsAre("orders_touch"));
  EXPECT_THAT(Routines(db), ElementsAre("PROCEDURE forget"));
  ExpectCheckClean(project);
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
  EXPECT_TRUE(Routines(db).empty());
}

// Functions, events and partitioning: compared the same way; made by hand
// as declared, check is clean; the database's definitions are what a change
// is reported against.
TEST(MysqlAutogenerateObjectsTest, FunctionEventAndPartitioningCompareAfterHandWork) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  TempProject project;
  project.WriteConfig(MysqlConfig(db.url(), "schema = schema.sql\n"));
  const std::string function =
      "CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2";
  const std::string event =
      "CREATE EVENT cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM logs WHERE id < 0";
  const std::string partitioned =
      "CREATE TABLE logs (id int NOT NULL, PRIMARY KEY (id)) PARTITION BY RANGE (id) "
      "(PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN MAXVALUE)";
  project.Write("schema.sql", partitioned + ";\n" + function + ";\n" + event + ";\n");

  CliResult run = RunRetort({"revision", "--autogenerate", "-m", "auto"}, project.root());
  ASSERT_TRUE(Succeeded(run)) << run.Describe();
  for (const char* name :
       {"mysql function 'twice'", "mysql event 'cleanup'", "mysql partitioning 'logs'"}) {
    EXPECT_THAT(run.out + run.err, HasSubstr(std::string("Warning: the declared schema holds ") +
                                             name + ", which autogenerate cannot render"));
  }
  std::string file = ReadFile(FindSqlPath(run.out));
  EXPECT_THAT(file, HasSubstr("-- NOT RENDERED: added mysql partitioning 'logs'"));
  EXPECT_THAT(file, HasSubstr("--   declared: PARTITION BY RANGE (`id`) (PARTITION `p0` VALUES "
                              "LESS THAN (100), PARTITION `p1` VALUES LESS THAN (MAXVALUE))"));
  EXPECT_THAT(file, HasSubstr("--   declared: (`x` int(11)) RETURNS int(11) DETERMINISTIC RETURN "
                              "x * 2"));
  EXPECT_THAT(file, HasSubstr("--   declared: ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM "
                              "logs WHERE id < 0"));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  CliResult check = RunRetort({"check"}, project.root());
  EXPECT_EQ(check.exit_code, 1) << check.Describe();
  EXPECT_THAT(check.out, HasSubstr("added mysql partitioning 'logs' (not rendered"));
  EXPECT_THAT(check.out, HasSubstr("added mysql function 'twice' (not rendered"));
  EXPECT_THAT(check.out, HasSubstr("added mysql event 'cleanup' (not rendered"));

  db.Exec(
      "ALTER TABLE logs PARTITION BY RANGE (id) "
      "(PARTITION p0 VALUES LESS THAN (100), PARTITION p1 VALUES LESS THAN MAXVALUE)");
  db.Exec(function);
  db.Exec(event);
  ExpectCheckClean(project);

  db.Exec(
      "ALTER TABLE logs REORGANIZE PARTITION p1 INTO (PARTITION p1 VALUES LESS THAN (200), "
      "PARTITION p2 VALUES LESS THAN MAXVALUE)");
  db.Exec("ALTER EVENT cleanup ON SCHEDULE EVERY 2 DAY");
  CliResult drift = RunRetort({"check"}, project.root());
  EXPECT_EQ(drift.exit_code, 1) << drift.Describe();
  EXPECT_THAT(drift.out, HasSubstr("changed mysql partitioning 'logs' (not rendered"));
  EXPECT_THAT(drift.out, HasSubstr("changed mysql event 'cleanup' (not rendered"));
  EXPECT_THAT(drift.out, Not(HasSubstr("mysql function 'twice' (not rendered")));
}

// mariadb-dump --routines --events of a database holding all five kinds
// (DEFINER clauses, executable comments, DELIMITER ;;) as the declared
// schema: the definitions compare equal, check is clean.
TEST(MysqlAutogenerateObjectsTest, MariadbDumpWithRoutinesAndEventsComparesEqual) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  db.Exec(
      "CREATE TABLE orders (id int NOT NULL, total int NOT NULL, updated int NOT NULL DEFAULT 0, "
      "PRIMARY KEY (id)) PARTITION BY HASH (id) PARTITIONS 2");
  db.Exec(kTrigger);
  db.Exec(kProcedure);
  db.Exec("CREATE FUNCTION twice(x int) RETURNS int DETERMINISTIC RETURN x * 2");
  db.Exec("CREATE EVENT cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM orders");
  static const std::regex kForm(R"(^[a-z0-9+]+://([^:@/]*):([^@/]*)@([^:/]+):(\d+)/([^?]+).*$)");
  std::smatch m;
  const std::string url = db.url();
  ASSERT_TRUE(std::regex_match(url, m, kForm)) << url;
  TempProject project;
  project.WriteConfig(MysqlConfig(db.url(), "schema = schema.sql\n"));
  CliResult dumped = RunProcess(
      {"mariadb-dump", "--no-data", "--skip-comments", "--routines", "--events", "-u" + m[1].str(),
       "-p" + m[2].str(), "-h" + m[3].str(), "-P" + m[4].str(), m[5].str()},
      project.root());
  ASSERT_TRUE(Succeeded(dumped)) << dumped.Describe();
  ASSERT_THAT(dumped.out, HasSubstr("DEFINER="));
  project.Write("schema.sql", dumped.out);
  CliResult check = RunRetort({"check"}, project.root());
  EXPECT_TRUE(Succeeded(check)) << check.Describe();
  EXPECT_THAT(check.out + check.err, HasSubstr("No new upgrade operations detected."));
  for (const char* name :
       {"mysql trigger 'orders_touch'", "mysql procedure 'forget'", "mysql function 'twice'",
        "mysql event 'cleanup'", "mysql partitioning 'orders'"}) {
    EXPECT_THAT(check.out + check.err,
                HasSubstr(std::string("Warning: the declared schema holds ") + name));
  }
}

}  // namespace
}  // namespace retort::test
