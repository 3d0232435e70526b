// The MySQL statement splitter and helpers, without a server ("MySQL" in
// the names, not "Mysql": these need no MariaDB fixture).
#include "driver/mysql_statements.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "retort/error.h"

namespace retort::driver {
namespace {

std::vector<std::string> Pieces(std::string_view sql) {
  std::vector<std::string> out;
  for (const StatementSpan& span : SplitMysqlStatements(sql)) {
    out.emplace_back(sql.substr(span.offset, span.length));
  }
  return out;
}

TEST(SplitMySQLStatementsTest, SplitsAsTheMysqlClientDoes) {
  struct Case {
    const char* sql;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"CREATE TABLE a (x INT); INSERT INTO a VALUES (1)",
       {"CREATE TABLE a (x INT)", "INSERT INTO a VALUES (1)"}},
      {"INSERT INTO a VALUES ('x;y', \"p;q\", 'it''s', 'back\\';slash');",
       {"INSERT INTO a VALUES ('x;y', \"p;q\", 'it''s', 'back\\';slash')"}},
      {"SELECT `we;ird` FROM t", {"SELECT `we;ird` FROM t"}},
      {"-- a; comment\n# another; one\n/* and; this */ SELECT 1;", {"SELECT 1"}},
      // "--" without a space is an operator, not a comment.
      {"SELECT 1--1; SELECT 2", {"SELECT 1--1", "SELECT 2"}},
      {"  ;; \n", {}},
      // Executable comments (mysqldump's) are statements the server runs.
      {"/*!40101 SET NAMES utf8mb4 */;\n/*M!100100 SET @x = 1 */;\n/* plain */ SELECT 1;",
       {"/*!40101 SET NAMES utf8mb4 */", "/*M!100100 SET @x = 1 */", "SELECT 1"}},
      {"DELIMITER //\nCREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; SET @y = "
       "2; END//\nDELIMITER ;\nSELECT 3;",
       {"CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW BEGIN SET @x = 1; SET @y = 2; END",
        "SELECT 3"}},
  };
  for (const Case& c : cases) EXPECT_EQ(Pieces(c.sql), c.want) << c.sql;
}

TEST(SplitMySQLStatementsTest, OffsetsPointAtTheStatementStart) {
  const std::string sql = "SELECT 1;\n-- note\n  UPDATE t SET x = 1;";
  auto spans = SplitMysqlStatements(sql);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].offset, sql.find("UPDATE"));
}

TEST(CommitsImplicitlyMySQLTest, DdlCommitsDmlDoesNot) {
  for (const char* sql : {"CREATE TABLE a (x INT)", "alter table a add y int", "DROP INDEX i ON a",
                          "RENAME TABLE a TO b", "TRUNCATE a", "/* c */ GRANT SELECT ON a TO u",
                          "CALL p()", "LOCK TABLES a WRITE"}) {
    EXPECT_TRUE(CommitsImplicitly(sql)) << sql;
  }
  for (const char* sql : {"INSERT INTO a VALUES (1)", "update a set x = 1", "DELETE FROM a",
                          "REPLACE INTO a VALUES (1)", "-- c\nSELECT 1",
                          "WITH x AS (SELECT 1) "
                          "SELECT * FROM x",
                          "(SELECT 1) UNION (SELECT 2)", "SET @a = 1"}) {
    EXPECT_FALSE(CommitsImplicitly(sql)) << sql;
  }
}

TEST(BindMySQLParametersTest, ReplacesPlaceholdersOutsideQuotes) {
  auto quote = [](const std::string& v) { return "'" + v + "'"; };
  EXPECT_EQ(BindMysqlParameters("SELECT $1, '$1', `$2`, $2 -- $1\n", {"a", "b"}, quote),
            "SELECT 'a', '$1', `$2`, 'b' -- $1\n");
  EXPECT_EQ(BindMysqlParameters("SELECT x$1 FROM t", {"a"}, quote), "SELECT x$1 FROM t");
  try {
    BindMysqlParameters("SELECT $3", {"a"}, quote);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "Query parameter $3 has no value (1 given)");
  }
}

}  // namespace
}  // namespace retort::driver
