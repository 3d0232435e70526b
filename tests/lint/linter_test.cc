// Each rule: a statement it flags, the same statement silenced by a
// `retort:allow` comment, and a near miss it must not flag.
#include "lint/linter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::lint {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr Dialect kPg = Dialect::kPostgresql;
constexpr Dialect kLite = Dialect::kSqlite;

// "LINE rule" per finding, the part of a finding a table can state briefly.
std::vector<std::string> Brief(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& finding : findings) {
    out.push_back(std::to_string(finding.line) + " " + finding.rule);
  }
  return out;
}

struct Case {
  std::string name;
  Dialect dialect;
  std::string sql;
  std::vector<std::string> expected;
};

// Every PostgreSQL case that alters an existing table starts with this so
// that only the rule under test fires.
const std::string kTimeout = "SET lock_timeout = '5s';\n";

const std::vector<Case> kCases = {
    // drop-table
    {"drop table flagged", kLite, "DROP TABLE users;", {"1 drop-table"}},
    {"drop table flagged pg",
     kPg,
     kTimeout + "DROP TABLE IF EXISTS public.users CASCADE;",
     {"2 drop-table"}},
    {"drop table silenced same line", kLite, "DROP TABLE users; -- retort:allow drop-table", {}},
    {"drop table silenced line before", kLite, "-- retort:allow drop-table\nDROP TABLE users;", {}},
    {"drop table silenced by all", kLite, "/* retort:allow all */ DROP TABLE users;", {}},
    {"drop table other rule named",
     kLite,
     "-- retort:allow drop-column\nDROP TABLE users;",
     {"2 drop-table"}},
    {"drop table created in same revision",
     kLite,
     "CREATE TABLE scratch (id INTEGER);\nDROP TABLE scratch;",
     {}},
    // The SQLite table rebuild autogenerate writes copies every row first.
    {"table rebuild is not drop table",
     kLite,
     "CREATE TABLE _retort_new_users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);\n"
     "INSERT INTO _retort_new_users (id, email) SELECT id, email FROM users;\n"
     "DROP TABLE users;\n"
     "ALTER TABLE _retort_new_users RENAME TO users;",
     {}},
    {"copy without the rename back is drop table",
     kLite,
     "CREATE TABLE users_copy (id INTEGER);\n"
     "INSERT INTO users_copy (id) SELECT id FROM users;\n"
     "DROP TABLE users;",
     {"3 drop-table"}},
    {"copy of some rows is drop table",
     kLite,
     "CREATE TABLE _new (id INTEGER);\n"
     "INSERT INTO _new (id) SELECT id FROM users WHERE id > 10;\n"
     "DROP TABLE users;\n"
     "ALTER TABLE _new RENAME TO users;",
     {"3 drop-table"}},
    {"rebuild drop silenced",
     kLite,
     "CREATE TABLE c (id INTEGER);\nINSERT INTO c SELECT * FROM users;\n"
     "DROP TABLE users; -- retort:allow drop-table",
     {}},
    {"drop index is not drop table", kLite, "DROP INDEX ix_users_email;", {}},
    {"drop table inside a string",
     kLite,
     "INSERT INTO log VALUES ('DROP TABLE users;');\n-- DROP TABLE users;",
     {}},
    {"drop table inside dollar quotes",
     kLite,
     "CREATE FUNCTION f() RETURNS void AS $body$ DROP TABLE users; $body$ LANGUAGE sql;",
     {}},
    {"two drops, one silenced",
     kLite,
     "DROP TABLE a; -- retort:allow drop-table\n\nDROP TABLE b;",
     {"3 drop-table"}},
    // drop-column
    {"drop column flagged", kLite, "ALTER TABLE users\n  DROP COLUMN email;", {"2 drop-column"}},
    {"drop column without COLUMN keyword",
     kPg,
     kTimeout + "ALTER TABLE users DROP email;",
     {"2 drop-column"}},
    {"drop column silenced in statement",
     kLite,
     "ALTER TABLE users -- retort:allow drop-column\n  DROP COLUMN email;",
     {}},
    {"drop column silenced with a list",
     kLite,
     "-- retort:allow type-narrowing, drop-column (moved to profiles)\n"
     "ALTER TABLE users DROP COLUMN email;",
     {}},
    {"drop constraint is not drop column",
     kPg,
     kTimeout + "ALTER TABLE users DROP CONSTRAINT users_email_key;",
     {}},
    {"drop default is not drop column",
     kPg,
     kTimeout + "ALTER TABLE users ALTER COLUMN email DROP DEFAULT;",
     {}},
    // create-index-not-concurrently
    {"create index flagged",
     kPg,
     kTimeout + "CREATE INDEX ix ON users (email);",
     {"2 create-index-not-concurrently"}},
    {"create unique index flagged",
     kPg,
     kTimeout + "CREATE UNIQUE INDEX IF NOT EXISTS ix ON ONLY public.users (email);",
     {"2 create-index-not-concurrently"}},
    {"create index silenced",
     kPg,
     kTimeout + "-- retort:allow create-index-not-concurrently\nCREATE INDEX ix ON users (email);",
     {}},
    {"create index concurrently", kPg, "CREATE INDEX CONCURRENTLY ix ON users (email);", {}},
    {"create index on a new table",
     kPg,
     "CREATE TABLE posts (id int);\nCREATE INDEX ix ON posts (id);",
     {}},
    {"create index is fine on sqlite", kLite, "CREATE INDEX ix ON users (email);", {}},
    // add-column-not-null-without-default
    {"not null column flagged",
     kPg,
     kTimeout + "ALTER TABLE users ADD COLUMN age integer NOT NULL;",
     {"2 add-column-not-null-without-default"}},
    {"not null column silenced",
     kPg,
     kTimeout + "ALTER TABLE users ADD COLUMN age integer NOT NULL; "
                "-- retort:allow add-column-not-null-without-default",
     {}},
    {"not null column with default",
     kPg,
     kTimeout + "ALTER TABLE users ADD COLUMN age integer NOT NULL DEFAULT 0;",
     {}},
    {"nullable column", kPg, kTimeout + "ALTER TABLE users ADD COLUMN age integer;", {}},
    {"not null inside a check",
     kPg,
     kTimeout + "ALTER TABLE users ADD COLUMN age integer CHECK (age IS NOT NULL);",
     {}},
    {"not null column on sqlite is not this rule",
     kLite,
     "ALTER TABLE users ADD COLUMN age integer NOT NULL;",
     {}},
    // alter-column-type and type-narrowing
    {"alter type flagged",
     kPg,
     kTimeout + "ALTER TABLE users ALTER COLUMN email TYPE text;",
     {"2 alter-column-type"}},
    {"set data type flagged",
     kPg,
     kTimeout + "ALTER TABLE users ALTER email SET DATA TYPE varchar(100) USING email::text;",
     {"2 alter-column-type"}},
    {"alter type silenced",
     kPg,
     kTimeout +
         "-- retort:allow alter-column-type\nALTER TABLE users ALTER COLUMN email TYPE text;",
     {}},
    {"alter type on a new table",
     kPg,
     "CREATE TABLE t (a varchar(10));\nALTER TABLE t ALTER COLUMN a TYPE varchar(5);",
     {}},
    {"set not null is not a type change",
     kPg,
     kTimeout + "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
     {}},
    // add-foreign-key-without-not-valid
    {"foreign key flagged",
     kPg,
     kTimeout + "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);",
     {"2 add-foreign-key-without-not-valid"}},
    {"foreign key silenced",
     kPg,
     kTimeout + "ALTER TABLE posts -- retort:allow add-foreign-key-without-not-valid\n"
                "  ADD FOREIGN KEY (user_id) REFERENCES users (id);",
     {}},
    {"foreign key not valid",
     kPg,
     kTimeout + "ALTER TABLE posts ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) "
                "NOT VALID;",
     {}},
    // add-check-without-not-valid
    {"check flagged",
     kPg,
     kTimeout + "ALTER TABLE users ADD CONSTRAINT c CHECK (age > 0);",
     {"2 add-check-without-not-valid"}},
    {"check silenced",
     kPg,
     kTimeout +
         "ALTER TABLE users ADD CHECK (age > 0); -- retort:allow add-check-without-not-valid",
     {}},
    {"check not valid", kPg, kTimeout + "ALTER TABLE users ADD CHECK (age > 0) NOT VALID;", {}},
    {"check on a new table",
     kPg,
     "CREATE TABLE t (age int);\nALTER TABLE t ADD CHECK (age > 0);",
     {}},
    // missing-lock-timeout
    {"no lock timeout",
     kPg,
     "ALTER TABLE users ADD COLUMN age integer;\nDROP INDEX ix;",
     {"1 missing-lock-timeout"}},
    {"lock timeout after the ddl",
     kPg,
     "CREATE INDEX ix ON users (email);\nSET LOCAL lock_timeout TO '2s';",
     {"1 create-index-not-concurrently", "1 missing-lock-timeout"}},
    {"lock timeout silenced",
     kPg,
     "-- retort:allow missing-lock-timeout\nALTER TABLE users ADD COLUMN age integer;",
     {}},
    {"set local lock timeout",
     kPg,
     "SET LOCAL lock_timeout = '5s';\nALTER TABLE users ADD COLUMN age integer;",
     {}},
    {"only new tables need no timeout",
     kPg,
     "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN age integer;\nCREATE INDEX i ON t (id);",
     {}},
    {"statement timeout is not lock timeout",
     kPg,
     "SET statement_timeout = '5s';\nALTER TABLE users ADD COLUMN age integer;",
     {"2 missing-lock-timeout"}},
    {"no lock timeout rule on sqlite", kLite, "ALTER TABLE users ADD COLUMN age integer;", {}},
};

class LinterCaseTest : public ::testing::TestWithParam<Case> {};

TEST_P(LinterCaseTest, Findings) {
  const Case& c = GetParam();
  Linter linter(c.dialect);
  EXPECT_THAT(Brief(linter.LintSql(c.sql)), ElementsAreArray(c.expected)) << c.sql;
}

INSTANTIATE_TEST_SUITE_P(Rules, LinterCaseTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           std::string name = info.param.name;
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

// Narrowing needs the type an earlier revision declared, so these run two
// revisions through one Linter, as `retort lint` does (oldest first).
struct NarrowingCase {
  std::string declared;  // the first revision's SQL
  std::string altered;   // the second revision's SQL
  bool narrows;
};

class NarrowingTest : public ::testing::TestWithParam<NarrowingCase> {};

TEST_P(NarrowingTest, Detected) {
  const NarrowingCase& c = GetParam();
  for (Dialect dialect : {kLite, kPg}) {
    Linter linter(dialect);
    EXPECT_THAT(linter.LintSql(c.declared), IsEmpty());
    std::vector<std::string> rules;
    for (const Finding& f : linter.LintSql(kTimeout + c.altered)) rules.push_back(f.rule);
    bool narrowed = std::find(rules.begin(), rules.end(), "type-narrowing") != rules.end();
    EXPECT_EQ(narrowed, c.narrows) << c.declared << " / " << c.altered;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Types, NarrowingTest,
    ::testing::Values(
        NarrowingCase{"CREATE TABLE users (email varchar(255) NOT NULL);",
                      "ALTER TABLE users ALTER COLUMN email TYPE varchar(40);", true},
        NarrowingCase{"CREATE TABLE users (email text);",
                      "ALTER TABLE users ALTER COLUMN email TYPE character varying(40);", true},
        NarrowingCase{"CREATE TABLE users (id bigint);",
                      "ALTER TABLE users ALTER COLUMN id SET DATA TYPE integer;", true},
        NarrowingCase{"CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN n numeric(12,2);",
                      "ALTER TABLE t ALTER COLUMN n TYPE numeric(8,2);", true},
        // Widening and unknown or cross-family changes are not narrowing.
        NarrowingCase{"CREATE TABLE users (email varchar(40));",
                      "ALTER TABLE users ALTER COLUMN email TYPE varchar(255);", false},
        NarrowingCase{"CREATE TABLE users (id integer);",
                      "ALTER TABLE users ALTER COLUMN id TYPE bigint;", false},
        NarrowingCase{"CREATE TABLE users (email text);",
                      "ALTER TABLE users ALTER COLUMN other TYPE varchar(10);", false},
        NarrowingCase{"CREATE TABLE users (id text);",
                      "ALTER TABLE users ALTER COLUMN id TYPE integer USING id::integer;", false}));

TEST(LinterTest, NarrowingSilenced) {
  Linter linter(kLite);
  linter.LintSql("CREATE TABLE users (email varchar(255));");
  EXPECT_THAT(linter.LintSql("-- retort:allow type-narrowing\n"
                             "ALTER TABLE users ALTER COLUMN email TYPE varchar(40);"),
              IsEmpty());
}

TEST(LinterTest, MessagesNameTheObject) {
  Linter linter(kPg);
  linter.LintSql("CREATE TABLE users (email varchar(255));");
  std::vector<Finding> findings =
      linter.LintSql("ALTER TABLE users ALTER COLUMN email TYPE varchar(40), DROP COLUMN age;", 7);
  ASSERT_EQ(findings.size(), 4u);
  EXPECT_EQ(findings[0].line, 7);
  EXPECT_EQ(findings[0].rule, "missing-lock-timeout");
  EXPECT_THAT(findings[0].message, HasSubstr("ALTER TABLE 'users'"));
  EXPECT_EQ(findings[1].rule, "alter-column-type");
  EXPECT_THAT(findings[1].message, HasSubstr("'users.email' TYPE varchar(40)"));
  EXPECT_EQ(findings[2].rule, "type-narrowing");
  EXPECT_THAT(findings[2].message, HasSubstr("from varchar(255) to varchar(40)"));
  EXPECT_EQ(findings[3].rule, "drop-column");
  EXPECT_THAT(findings[3].message, HasSubstr("'users.age'"));
}

TEST(LinterTest, EveryRuleIsListed) {
  std::vector<std::string> names;
  for (const RuleInfo& rule : Rules()) names.emplace_back(rule.name);
  EXPECT_THAT(names, ElementsAreArray(
                         {"drop-table", "drop-column", "type-narrowing",
                          "create-index-not-concurrently", "add-column-not-null-without-default",
                          "alter-column-type", "add-foreign-key-without-not-valid",
                          "add-check-without-not-valid", "missing-lock-timeout", "needs-rewrite",
                          "transaction-control", "mysql-add-column-not-last", "mysql-modify-column",
                          "mysql-index-without-algorithm-lock", "mysql-add-foreign-key"}));
}

}  // namespace
}  // namespace retort::lint
