// Autogenerate, check, verify and dump on a real MariaDB server, as a
// process. A corpus of schema pairs (S, S'): declared S on an empty
// database, `revision --autogenerate`, `upgrade head`; the catalog
// (information_schema, read here, not through retort's inspector) equals
// that of a database loaded from S; `check` finds nothing. Then rows, S',
// the same again, `downgrade -1` keeps the rows and gives S's catalog back,
// `downgrade base` leaves no table. mariadb-dump --no-data of S as the
// declared schema, and `retort dump`'s output, give no change.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/mysql_expect.h"
#include "testing/cli_runner.h"
#include "testing/mysql_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Pair {
  std::string name;
  std::string s;      // statements separated by ";\n"
  std::string rows;   // inserted into S before S' runs
  std::string s2;     // S'
  std::string query;  // rows to compare across S -> S' -> S
};

// Every kind of object: column types with charset/collation, defaults, ON
// UPDATE CURRENT_TIMESTAMP, AUTO_INCREMENT, ENUM/SET, generated columns,
// primary keys, unique/plain/prefix/DESC/FULLTEXT indexes, foreign keys with
// actions, checks, views, table comments; and a table and a column renamed
// through hints.
std::vector<Pair> Corpus() {
  return {
      {.name = "columns, indexes, checks, comments",
       .s = "CREATE TABLE p (id int AUTO_INCREMENT PRIMARY KEY,\n"
            " name varchar(50) NOT NULL DEFAULT 'x''y',\n"
            " n2 varchar(20) CHARACTER SET latin1,\n"
            " e enum('a','b') DEFAULT 'a', s set('x','y'),\n"
            " ts timestamp NOT NULL DEFAULT current_timestamp ON UPDATE current_timestamp,\n"
            " d decimal(10,2) DEFAULT 1.5, j json, c int CHECK (c > 0),\n"
            " g int AS (c + 1) VIRTUAL, b tinyint(1) DEFAULT 0, dt datetime DEFAULT NULL,\n"
            " UNIQUE KEY uq (name(10), n2), KEY ix (d DESC),\n"
            " CONSTRAINT ck CHECK (d < 100)) COMMENT 'people';\n"
            "CREATE TABLE gone (id int PRIMARY KEY, note text, FULLTEXT KEY ft (note));\n"
            "CREATE VIEW v AS SELECT id, name FROM p WHERE id > 1",
       .rows = "INSERT INTO p (name, c, d) VALUES ('ann', 1, 2), ('bob', 2, 3);\n"
               "INSERT INTO gone VALUES (1, 'kept')",
       .s2 = "CREATE TABLE p (id int AUTO_INCREMENT PRIMARY KEY,\n"
             " name varchar(80) NOT NULL DEFAULT 'x''y' COMMENT 'the name',\n"
             " n2 varchar(20) CHARACTER SET latin1,\n"
             " e enum('a','b','c') DEFAULT 'b', s set('x','y'),\n"
             " ts timestamp NOT NULL DEFAULT current_timestamp ON UPDATE current_timestamp,\n"
             " d decimal(12,2) DEFAULT 1.5, j json, c int CHECK (c >= 0),\n"
             " g int AS (c + 1) VIRTUAL, b tinyint(1) DEFAULT 0, dt datetime DEFAULT NULL,\n"
             " extra int NOT NULL DEFAULT 7,\n"
             " UNIQUE KEY uq (name(12), n2), KEY ix2 (d),\n"
             " CONSTRAINT ck CHECK (d < 100)) COMMENT 'persons';\n"
             "CREATE TABLE added (id bigint unsigned NOT NULL PRIMARY KEY,\n"
             " p_id int, FOREIGN KEY (p_id) REFERENCES p (id) ON DELETE SET NULL)\n"
             " COLLATE utf8mb4_bin;\n"
             "CREATE VIEW v AS SELECT id, name, extra FROM p WHERE id > 1",
       .query = "SELECT CONCAT(id, ':', name, ':', d, ':', c) FROM p ORDER BY id"},
      {.name = "foreign keys and renames by hint",
       .s = "CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY,\n"
            " email varchar(200) NOT NULL UNIQUE);\n"
            "CREATE TABLE posts (id int AUTO_INCREMENT PRIMARY KEY,\n"
            " uid int NOT NULL,\n"
            " title varchar(200) NOT NULL,\n"
            " CONSTRAINT posts_user FOREIGN KEY (uid) REFERENCES users (id) ON DELETE CASCADE)",
       .rows = "INSERT INTO users (email) VALUES ('a@x'), ('b@x');\n"
               "INSERT INTO posts (uid, title) VALUES (1, 'hello'), (2, 'world')",
       .s2 = "CREATE TABLE users (id int AUTO_INCREMENT PRIMARY KEY,\n"
             " email varchar(200) NOT NULL UNIQUE);\n"
             "CREATE TABLE articles ( -- retort:renamed-from posts\n"
             " id int AUTO_INCREMENT PRIMARY KEY,\n"
             " user_id int NOT NULL, -- retort:renamed-from uid\n"
             " title varchar(200) NOT NULL,\n"
             " CONSTRAINT posts_user FOREIGN KEY (user_id) REFERENCES users (id)\n"
             "   ON DELETE RESTRICT ON UPDATE CASCADE)",
       .query = "SELECT CONCAT(u.email, ':', p.title) FROM users u JOIN posts p ON p.uid = u.id "
                "ORDER BY 1"},
  };
}

std::vector<std::string> Statements(const std::string& sql) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < sql.size()) {
    size_t end = sql.find(";\n", start);
    if (end == std::string::npos) end = sql.size();
    out.push_back(sql.substr(start, end - start));
    start = end + 2;
  }
  return out;
}

void Load(const ScratchMysqlDatabase& db, const std::string& sql) {
  for (const std::string& statement : Statements(sql)) db.Exec(statement);
}

// The catalog of `db` as information_schema has it, bookkeeping tables left
// out and the database's own name taken out of view texts.
std::vector<std::string> Catalog(const ScratchMysqlDatabase& db) {
  const std::string mine =
      " table_schema = DATABASE() AND table_name NOT LIKE 'retort\\_version%' ";
  const std::vector<std::string> queries = {
      "SELECT CONCAT_WS('|', table_name, table_type, table_comment) FROM information_schema.tables "
      "WHERE" +
          mine,
      "SELECT CONCAT_WS('|', table_name, column_name, column_type, is_nullable,"
      " IFNULL(column_default, '-'), extra, IFNULL(collation_name, '-'), column_comment,"
      " IFNULL(generation_expression, '-')) FROM information_schema.columns WHERE" +
          mine,
      "SELECT CONCAT_WS('|', table_name, index_name, non_unique, seq_in_index, column_name,"
      " IFNULL(sub_part, '-'), IFNULL(collation, '-'), index_type) "
      "FROM information_schema.statistics WHERE" +
          mine,
      "SELECT CONCAT_WS('|', table_name, constraint_name, check_clause) "
      "FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()",
      "SELECT CONCAT_WS('|', table_name, constraint_name, referenced_table_name, update_rule,"
      " delete_rule) FROM information_schema.referential_constraints "
      "WHERE constraint_schema = DATABASE()",
      "SELECT CONCAT_WS('|', table_name, REPLACE(view_definition, CONCAT('`', DATABASE(), '`.'),"
      " '')) FROM information_schema.views WHERE" +
          mine,
  };
  std::vector<std::string> out;
  for (const std::string& query : queries) {
    std::vector<std::string> part = MysqlColumn(db, query + " ORDER BY 1");
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::string Config(const ScratchMysqlDatabase& db) {
  return MysqlConfig(db.url(), "schema = schema.sql\n");
}

CliResult Autogenerate(const TempProject& project, const std::string& message) {
  return RunRetort({"revision", "--autogenerate", "-m", message}, project.root());
}

TEST(MysqlAutogenerateTest, CorpusRoundTripsWithRowsKept) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  for (const Pair& pair : Corpus()) {
    SCOPED_TRACE(pair.name);
    ScratchMysqlDatabase db(server);
    ScratchMysqlDatabase declared(server);
    Load(declared, pair.s);
    TempProject project;
    project.WriteConfig(Config(db));
    project.Write("schema.sql", pair.s + ";\n");

    ASSERT_TRUE(Succeeded(Autogenerate(project, "s")));
    ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
    std::vector<std::string> catalog_s = Catalog(declared);
    EXPECT_EQ(Catalog(db), catalog_s);
    CliResult check = RunRetort({"check"}, project.root());
    EXPECT_TRUE(Succeeded(check));
    EXPECT_THAT(check.out + check.err, HasSubstr("No new upgrade operations detected."));

    Load(db, pair.rows);
    std::vector<std::string> rows = MysqlColumn(db, pair.query);
    ASSERT_FALSE(rows.empty());
    ScratchMysqlDatabase declared2(server);
    Load(declared2, pair.s2);
    project.Write("schema.sql", pair.s2 + ";\n");
    ASSERT_TRUE(Succeeded(Autogenerate(project, "s2")));
    CliResult up = RunRetort({"upgrade", "head"}, project.root());
    ASSERT_TRUE(Succeeded(up));
    EXPECT_EQ(Catalog(db), Catalog(declared2));
    EXPECT_TRUE(Succeeded(RunRetort({"check"}, project.root())));

    CliResult down = RunRetort({"downgrade", "-1"}, project.root());
    ASSERT_TRUE(Succeeded(down));
    EXPECT_EQ(MysqlColumn(db, pair.query), rows);
    EXPECT_EQ(Catalog(db), catalog_s);

    ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
    EXPECT_THAT(MysqlTables(db),
                ElementsAre("retort_version", "retort_version_history", "retort_version_progress"));
  }
}

// mysql://user:password@host:port/db -> the mariadb-dump arguments.
std::vector<std::string> DumpArgs(const std::string& url) {
  static const std::regex kForm(R"(^[a-z0-9+]+://([^:@/]*):([^@/]*)@([^:/]+):(\d+)/([^?]+).*$)");
  std::smatch m;
  if (!std::regex_match(url, m, kForm)) throw std::runtime_error("unexpected test URL form");
  return {"mariadb-dump",    "--no-data",       "--skip-comments", "-u" + m[1].str(),
          "-p" + m[2].str(), "-h" + m[3].str(), "-P" + m[4].str(), m[5].str()};
}

TEST(MysqlAutogenerateTest, DumpsAsDeclaredSchemaGiveNoChangeAndVerifyPasses) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  const Pair pair = Corpus()[0];
  ScratchMysqlDatabase db(server);
  ScratchMysqlDatabase declared(server);
  Load(declared, pair.s);
  TempProject project;
  project.WriteConfig(Config(db));
  project.Write("schema.sql", pair.s + ";\n");
  ASSERT_TRUE(Succeeded(Autogenerate(project, "s")));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));

  // mariadb-dump's file (executable comments, DROP ... IF EXISTS, ENGINE=,
  // the view's placeholder table) as the declared schema.
  CliResult dumped = RunProcess(DumpArgs(declared.url()), project.root());
  ASSERT_TRUE(Succeeded(dumped));
  project.Write("schema.sql", dumped.out);
  CliResult check = RunRetort({"check"}, project.root());
  EXPECT_TRUE(Succeeded(check));
  EXPECT_THAT(check.out + check.err, HasSubstr("No new upgrade operations detected."));

  // retort's own dump of the database, the same.
  CliResult dump = RunRetort({"dump"}, project.root());
  ASSERT_TRUE(Succeeded(dump));
  EXPECT_THAT(dump.out, HasSubstr("CREATE TABLE `p`"));
  project.Write("schema.sql", dump.out + "\n");
  EXPECT_TRUE(Succeeded(RunRetort({"check"}, project.root())));

  CliResult verify = RunRetort({"verify"}, project.root());
  EXPECT_TRUE(Succeeded(verify));
  EXPECT_THAT(verify.out + verify.err, HasSubstr("verify passed"));

  // A declared schema the server refuses: one line naming file and line,
  // nothing written, the database unchanged.
  std::vector<std::string> before = Catalog(db);
  project.Write("schema.sql", "CREATE TABLE ok1 (id int);\nCREATE TABLE bad (id nosuchtype);\n");
  CliResult bad = Autogenerate(project, "bad");
  EXPECT_TRUE(IsOneLineError(bad, 1, {"schema.sql:2"}));
  EXPECT_EQ(Catalog(db), before);
  // A drift made by hand is what check reports.
  db.Exec("ALTER TABLE p ADD COLUMN hand int");
  project.Write("schema.sql", pair.s + ";\n");
  CliResult drift = RunRetort({"check"}, project.root());
  EXPECT_EQ(drift.exit_code, 1) << drift.Describe();
  EXPECT_THAT(drift.out + drift.err, HasSubstr("p.hand"));
}

}  // namespace
}  // namespace retort::test
