// FindTransactionControl and the linter's transaction-control rule: what a
// transactional revision must not contain, and what only looks like it.

#include "lint/transaction_control.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lint/linter.h"

namespace retort::lint {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "LINE STATEMENT" per finding, for compact expectations.
std::vector<std::string> Found(std::string_view sql) {
  std::vector<std::string> out;
  for (const TransactionControl& c : FindTransactionControl(sql, 1)) {
    out.push_back(std::to_string(c.line) + " " + c.statement);
  }
  return out;
}

TEST(TransactionControlTest, PsqlHabitsAreFound) {
  EXPECT_THAT(Found("BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\n"),
              ElementsAre("1 BEGIN", "3 COMMIT"));
  EXPECT_THAT(Found("CREATE TABLE t (id int);\ncommit;"), ElementsAre("2 COMMIT"));
  EXPECT_THAT(Found("end transaction;\nROLLBACK;\nabort;"),
              ElementsAre("1 END", "2 ROLLBACK", "3 ABORT"));
  EXPECT_THAT(Found("START TRANSACTION;\nPREPARE TRANSACTION 'x';\nBEGIN IMMEDIATE;"),
              ElementsAre("1 START TRANSACTION", "2 PREPARE TRANSACTION", "3 BEGIN"));
  EXPECT_THAT(Found("COMMIT AND CHAIN;"), ElementsAre("1 COMMIT"));
  // Text is only lexed when it holds one of the words in some case: mixed
  // case is still found, and text without any of them has none.
  EXPECT_THAT(Found("CREATE TABLE t (id int);\nCoMmIt;"), ElementsAre("2 COMMIT"));
  EXPECT_THAT(Found("CREATE TABLE t (id INTEGER);\nDROP TABLE u;"), IsEmpty());
}

TEST(TransactionControlTest, SavepointsNestAndAreAllowed) {
  EXPECT_THAT(Found("SAVEPOINT a;\nINSERT INTO t VALUES (1);\nROLLBACK TO SAVEPOINT a;\n"
                    "ROLLBACK TRANSACTION TO a;\nRELEASE a;"),
              IsEmpty());
}

TEST(TransactionControlTest, QuotedCommentedAndDollarQuotedTextIsNotAStatement) {
  EXPECT_THAT(Found("INSERT INTO log VALUES ('COMMIT;');\n-- COMMIT;\n/* BEGIN; */\n"
                    "SELECT \"commit\" FROM t;"),
              IsEmpty());
  // A plpgsql body: BEGIN ... END; inside $$ ... $$.
  EXPECT_THAT(Found("CREATE FUNCTION f() RETURNS trigger AS $$\nBEGIN\n  NEW.x := 1;\n"
                    "  RETURN NEW;\nEND;\n$$ LANGUAGE plpgsql;\nDO $body$ BEGIN PERFORM 1; END "
                    "$body$;"),
              IsEmpty());
}

TEST(TransactionControlTest, TriggerAndAtomicBodiesBelongToTheirCreate) {
  EXPECT_THAT(Found("CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN\n  UPDATE c SET n = n + 1;\n"
                    "  DELETE FROM q;\nEND;\nCOMMIT;"),
              ElementsAre("5 COMMIT"));
  EXPECT_THAT(Found("CREATE FUNCTION one() RETURNS int LANGUAGE sql BEGIN ATOMIC\n"
                    "  SELECT 1;\nEND;"),
              IsEmpty());
  EXPECT_THAT(Found("CREATE TEMP TRIGGER x AFTER DELETE ON t BEGIN SELECT CASE WHEN 1 THEN 1 "
                    "END; END;\nEND;"),
              ElementsAre("2 END"));
  EXPECT_THAT(Found("CREATE FUNCTION nothing() RETURNS void LANGUAGE sql BEGIN ATOMIC END;\n"
                    "COMMIT;"),
              ElementsAre("2 COMMIT"));
}

TEST(TransactionControlTest, LintFlagsItInTransactionalRevisionsOnly) {
  script::Script script;
  script.revision.id = "b2";
  script.path = "versions/b2.sql";
  script.upgrade.sql = "CREATE TABLE t (id int);\nCOMMIT;\n";
  script.upgrade.first_line = 4;
  std::vector<Finding> findings = Linter(Dialect::kSqlite).Lint(script);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].line, 5);
  EXPECT_EQ(findings[0].rule, "transaction-control");
  EXPECT_EQ(findings[0].message,
            "COMMIT in a transactional revision would commit or discard the run so far behind "
            "retort's back; remove it, or mark the revision 'Transactional: no' to run it "
            "outside a transaction");
  script.transactional = false;
  EXPECT_THAT(Linter(Dialect::kSqlite).Lint(script), IsEmpty());
}

TEST(TransactionControlTest, AllowCommentSilencesIt) {
  EXPECT_THAT(Linter(Dialect::kPostgresql).LintSql("COMMIT; -- retort:allow transaction-control"),
              IsEmpty());
}

}  // namespace
}  // namespace retort::lint
