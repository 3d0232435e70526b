// The MySQL rules (operations that copy the table or block writes where
// ALGORITHM=INSTANT/INPLACE, LOCK=NONE would do): each flagged, silenced by
// the online form, and left alone on a table the revision creates. No
// server needed ("MySQL", not "Mysql", in the names).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lint/linter.h"

namespace retort::lint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> Brief(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& finding : findings) {
    out.push_back(std::to_string(finding.line) + " " + finding.rule);
  }
  return out;
}

std::vector<std::string> LintMysql(const std::string& sql) {
  return Brief(Linter(Dialect::kMysql).LintSql(sql));
}

TEST(MySQLLinterTest, FlagsCopyingAndLockingAlterations) {
  struct Case {
    std::string sql;
    std::vector<std::string> expected;
  };
  const Case cases[] = {
      // ADD COLUMN anywhere but last.
      {"ALTER TABLE `users` ADD COLUMN `age` int AFTER `id`;", {"1 mysql-add-column-not-last"}},
      {"ALTER TABLE users ADD nick varchar(20) FIRST;", {"1 mysql-add-column-not-last"}},
      {"ALTER TABLE users ADD COLUMN age int AFTER id, ALGORITHM=INSTANT;", {}},
      {"ALTER TABLE users ADD COLUMN age int;", {}},
      // MODIFY / CHANGE.
      {"ALTER TABLE `users` MODIFY COLUMN `name` varchar(80) NOT NULL;", {"1 mysql-modify-column"}},
      {"ALTER TABLE users CHANGE name full_name text;", {"1 mysql-modify-column"}},
      {"ALTER TABLE users MODIFY name varchar(80), ALGORITHM=INPLACE, LOCK=NONE;", {}},
      {"ALTER TABLE users RENAME COLUMN name TO full_name;", {}},
      // Indexes without ALGORITHM/LOCK.
      {"CREATE INDEX ix ON users (name);", {"1 mysql-index-without-algorithm-lock"}},
      {"CREATE UNIQUE INDEX `ix` ON `users` (`name`(10));",
       {"1 mysql-index-without-algorithm-lock"}},
      {"CREATE INDEX ix ON users (name) ALGORITHM=INPLACE LOCK=NONE;", {}},
      {"ALTER TABLE users ADD INDEX ix (name);", {"1 mysql-index-without-algorithm-lock"}},
      {"ALTER TABLE users ADD UNIQUE KEY uq (email), ALGORITHM=INPLACE, LOCK=NONE;", {}},
      {"ALTER TABLE users ADD INDEX ix (name), LOCK=SHARED;",
       {"1 mysql-index-without-algorithm-lock"}},
      {"DROP INDEX ix ON users;", {"1 mysql-index-without-algorithm-lock"}},
      {"ALTER TABLE users DROP INDEX ix, ALGORITHM=INPLACE, LOCK=NONE;", {}},
      // Foreign keys copy unless foreign_key_checks is off.
      {"ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (uid) REFERENCES users (id);",
       {"1 mysql-add-foreign-key"}},
      {"SET foreign_key_checks = 0;\n"
       "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (uid) REFERENCES users (id);\n"
       "SET foreign_key_checks = 1;",
       {}},
      // Dropping a key is not dropping a column.
      {"ALTER TABLE posts DROP FOREIGN KEY fk;", {}},
      {"ALTER TABLE `posts` DROP COLUMN `title`;", {"1 drop-column"}},
      // A table the revision creates has no rows to copy.
      {"CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int FIRST;\n"
       "CREATE INDEX ix ON t (a);\nALTER TABLE t MODIFY a bigint;",
       {}},
      // Silenced.
      {"-- retort:allow mysql-modify-column\nALTER TABLE users MODIFY name text;", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(LintMysql(c.sql), c.expected) << c.sql;
}

TEST(MySQLLinterTest, MessagesNameTheTableAndTheFix) {
  std::vector<Finding> findings =
      Linter(Dialect::kMysql).LintSql("ALTER TABLE users MODIFY COLUMN name varchar(80);");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].message, HasSubstr("'users.name'"));
  EXPECT_THAT(findings[0].message, HasSubstr("ALGORITHM=INPLACE, LOCK=NONE"));
}

TEST(MySQLLinterTest, PostgresqlRulesStayOffAndMysqlRulesStayOffElsewhere) {
  // CREATE INDEX without CONCURRENTLY and a missing lock_timeout are
  // PostgreSQL's; the MySQL rules are not applied to PostgreSQL or SQLite.
  EXPECT_THAT(LintMysql("ALTER TABLE users ADD COLUMN a int NOT NULL;"), IsEmpty());
  const std::string sql = "ALTER TABLE users MODIFY COLUMN name text;";
  EXPECT_THAT(Brief(Linter(Dialect::kSqlite).LintSql(sql)), IsEmpty());
  EXPECT_THAT(Brief(Linter(Dialect::kPostgresql).LintSql(sql)),
              ElementsAre("1 missing-lock-timeout"));
}

}  // namespace
}  // namespace retort::lint
