// The driver conformance suite (golang-migrate style): every driver passes the
// same tests against a real database: a SQLite file, a private SQLite
// in-memory database, and scratch databases on the suite's PostgreSQL and
// MariaDB servers. SQL here is portable (typed columns, $1 parameters); what
// cannot be (trigger syntax, message wording, whether DDL can be rolled
// back) comes from the DriverCase.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "driver/connection.h"
#include "driver/transaction.h"
#include "retort/database_url.h"
#include "testing/mysql_server.h"
#include "testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace retort::driver {
namespace {

// gmock is not linked: gtest's own substring predicate reads as well.
#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))
#define EXPECT_NOT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, std::string(needle), std::string(haystack))

struct DriverCase {
  std::string name;
  // Creates a fresh, empty database (inside `dir`, or on the PostgreSQL test
  // server) and returns its URL; `keep` owns what must outlive the test.
  std::function<std::string(const test::TempDir& dir, std::shared_ptr<void>& keep)> create;
  // Whether two connections to the URL see the same database (false for a
  // private in-memory database), so cross-connection tests apply.
  bool shared = true;
  std::string dialect = "sqlite";
  // What CurrentSchema() says and TableExists() accepts for the default
  // (empty: the URL's database, as on MySQL).
  std::string default_schema = "main";
  // The database's message for a missing table.
  std::function<std::string(const std::string& table)> missing_table = [](const std::string& t) {
    return "no such table: " + t;
  };
  // Creates tables t (x TEXT) and log (id, msg TEXT) and a trigger whose
  // body holds two statements: after an insert into t, log gets
  // 'inserted; ' || x and 'second'.
  std::string trigger_script =
      "CREATE TABLE t (x TEXT);\n"
      "CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT);\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"
      "  INSERT INTO log (msg) VALUES ('inserted; ' || new.x);\n"
      "  INSERT INTO log (msg) VALUES ('second');\n"
      "END;\n";
  // The database's words for a syntax error.
  std::string syntax_error = "syntax error";
  // Whether a rollback undoes DDL (MySQL commits each DDL statement).
  bool transactional_ddl = true;
  // A statement that cannot run inside a transaction block.
  std::string non_transactional = "VACUUM";
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const DriverCase& driver, std::ostream* out) { *out << driver.name; }

using std::chrono::milliseconds;
constexpr milliseconds kForever{0};

class ConnectionTest : public ::testing::TestWithParam<DriverCase> {
 protected:
  std::unique_ptr<Connection> Open() { return Connect(DatabaseUrl::Parse(url_)); }
  void SetUp() override {
    if (GetParam().dialect == "postgresql" && !test::PostgresServerUrl()) {
      GTEST_SKIP() << "RETORT_SKIP_POSTGRES=1: PostgreSQL tests switched off";
    }
    if (GetParam().dialect == "mysql" && !test::MysqlServerUrl()) {
      GTEST_SKIP() << "RETORT_SKIP_MYSQL=1: MySQL tests switched off";
    }
    url_ = GetParam().create(dir_, keep_);
    db_ = Open();
  }
  void TearDown() override { db_.reset(); }
  std::string DefaultSchema() const {
    const std::string& schema = GetParam().default_schema;
    return schema.empty() ? DatabaseUrl::Parse(url_).database() : schema;
  }

  test::TempDir dir_;
  std::shared_ptr<void> keep_;
  std::string url_;
  std::unique_ptr<Connection> db_;
};

TEST_P(ConnectionTest, ExecutesScriptsAndQueriesWithParameters) {
  db_->ExecuteScript(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "INSERT INTO users (id, email) VALUES (1, 'a@example.com');\n"
      "INSERT INTO users (id, email) VALUES (2, NULL);\n");
  auto rows = db_->Query("SELECT id, email FROM users WHERE id >= $1 ORDER BY id", {"1"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "1");
  EXPECT_EQ(rows[0][1], "a@example.com");
  EXPECT_EQ(rows[1][1], std::nullopt);
  EXPECT_TRUE(db_->Query("SELECT id FROM users WHERE email = $1", {"nobody"}).empty());
}

TEST_P(ConnectionTest, EmptyAndCommentOnlyScriptsAreFine) {
  db_->ExecuteScript("");
  db_->ExecuteScript("  -- nothing here\n/* nor here */\n;\n");
  EXPECT_FALSE(db_->InTransaction());
}

TEST_P(ConnectionTest, TriggerBodiesAndSemicolonsInLiteralsStayInOneStatement) {
  db_->ExecuteScript(GetParam().trigger_script + "INSERT INTO t VALUES ('a;b');\n");
  auto rows = db_->Query("SELECT msg FROM log ORDER BY id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "inserted; a;b");
  EXPECT_EQ(rows[1][0], "second");
}

TEST_P(ConnectionTest, FailingStatementStopsTheScriptAndReportsItsOffset) {
  const std::string script =
      "CREATE TABLE a (x INTEGER);\n"
      "-- the next one fails\n"
      "  /* really */ INSERT INTO userz VALUES (1);\n"
      "CREATE TABLE b (x INTEGER);\n";
  try {
    db_->ExecuteScript(script);
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_CONTAINS(e.what(), GetParam().missing_table("userz"));
    EXPECT_NOT_CONTAINS(e.what(), "\n");
    EXPECT_EQ(e.offset(), script.find("INSERT"));
  }
  EXPECT_TRUE(db_->TableExists("", "a"));
  EXPECT_FALSE(db_->TableExists("", "b")) << "nothing after the failure may run";
}

TEST_P(ConnectionTest, SyntaxErrorsReportTheStatementOffset) {
  const std::string script = "CREATE TABLE a (x INTEGER);\n\nCREATE TABLE (oops;\n";
  try {
    db_->ExecuteScript(script);
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_CONTAINS(e.what(), GetParam().syntax_error);
    EXPECT_EQ(e.offset(), script.find("CREATE TABLE (oops"));
  }
}

TEST_P(ConnectionTest, QueryErrorsCarryTheDatabaseMessage) {
  try {
    db_->Query("SELECT * FROM missing_table");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), GetParam().missing_table("missing_table"));
    EXPECT_NOT_CONTAINS(e.what(), "\n");
  }
}

TEST_P(ConnectionTest, RollbackUndoesDdlAndData) {
  db_->ExecuteScript("CREATE TABLE keep (x INTEGER); INSERT INTO keep VALUES (1);");
  db_->Begin();
  EXPECT_TRUE(db_->InTransaction());
  db_->ExecuteScript("INSERT INTO keep VALUES (2); UPDATE keep SET x = 5;");
  if (GetParam().transactional_ddl) {
    db_->ExecuteScript("CREATE TABLE gone (x INTEGER); DROP TABLE keep;");
  }
  db_->Rollback();
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_FALSE(db_->TableExists("", "gone"));
  EXPECT_EQ(db_->Query("SELECT count(*) FROM keep")[0][0], "1");
  EXPECT_EQ(db_->Query("SELECT x FROM keep")[0][0], "1");
}

TEST_P(ConnectionTest, DdlCommitsTheTransactionWhereItCannotBeRolledBack) {
  if (GetParam().transactional_ddl) GTEST_SKIP() << "DDL is transactional here";
  db_->ExecuteScript("CREATE TABLE keep (x INTEGER);");
  db_->Begin();
  db_->ExecuteScript("INSERT INTO keep VALUES (1);");
  db_->ExecuteScript("CREATE TABLE committed_by_ddl (x INTEGER);");
  // The server says what happened: the DDL ended the transaction, with the
  // insert before it committed.
  EXPECT_FALSE(db_->InTransaction());
  db_->Rollback();
  EXPECT_TRUE(db_->TableExists("", "committed_by_ddl"));
  EXPECT_EQ(db_->Query("SELECT count(*) FROM keep")[0][0], "1");
}

TEST_P(ConnectionTest, CommitIsVisibleToOtherConnections) {
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);");
  db_->Commit();
  EXPECT_FALSE(db_->InTransaction());
  if (!GetParam().shared) return;
  auto other = Open();
  EXPECT_EQ(other->Query("SELECT x FROM t")[0][0], "7");
}

TEST_P(ConnectionTest, TransactionRollsBackUnlessCommitted) {
  db_->ExecuteScript("CREATE TABLE rows_ (x INTEGER);");
  {
    Transaction transaction(*db_);
    if (GetParam().transactional_ddl) db_->ExecuteScript("CREATE TABLE abandoned (x INTEGER);");
    db_->ExecuteScript("INSERT INTO rows_ VALUES (1);");
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_FALSE(db_->TableExists("", "abandoned"));
  EXPECT_EQ(db_->Query("SELECT count(*) FROM rows_")[0][0], "0");
  {
    Transaction transaction(*db_);
    db_->ExecuteScript("CREATE TABLE kept (x INTEGER);");
    db_->ExecuteScript("INSERT INTO rows_ VALUES (2);");
    transaction.Commit();
  }
  EXPECT_TRUE(db_->TableExists("", "kept"));
  EXPECT_EQ(db_->Query("SELECT count(*) FROM rows_")[0][0], "1");
}

TEST_P(ConnectionTest, RollbackAfterTheDatabaseEndedTheTransactionIsHarmless) {
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE t (x INTEGER);");
  db_->Rollback();
  EXPECT_NO_THROW(db_->Rollback());
}

TEST_P(ConnectionTest, ChangedRowsCountsTheLastStatement) {
  db_->ExecuteScript("CREATE TABLE v (n TEXT); INSERT INTO v VALUES ('a'), ('b'), ('c');");
  db_->ExecuteScript("UPDATE v SET n = 'z' WHERE n = 'a'");
  EXPECT_EQ(db_->ChangedRows(), 1);
  db_->ExecuteScript("DELETE FROM v WHERE n = 'nothing'");
  EXPECT_EQ(db_->ChangedRows(), 0);
  db_->ExecuteScript("DELETE FROM v");
  EXPECT_EQ(db_->ChangedRows(), 3);
}

TEST_P(ConnectionTest, TableExistsLooksAtTablesOnly) {
  db_->ExecuteScript("CREATE TABLE t (x INTEGER); CREATE VIEW v AS SELECT x FROM t;");
  EXPECT_TRUE(db_->TableExists("", "t"));
  EXPECT_TRUE(db_->TableExists(DefaultSchema(), "t"));
  EXPECT_FALSE(db_->TableExists("", "v"));
  EXPECT_FALSE(db_->TableExists("", "missing"));
}

TEST_P(ConnectionTest, TableColumnsListsColumnsInOrder) {
  db_->ExecuteScript("CREATE TABLE t (version_num VARCHAR(32) NOT NULL, applied TEXT);");
  EXPECT_EQ(db_->TableColumns("", "t"), (std::vector<std::string>{"version_num", "applied"}));
  EXPECT_EQ(db_->TableColumns(DefaultSchema(), "t").size(), 2u);
  EXPECT_TRUE(db_->TableColumns("", "missing").empty());
}

TEST_P(ConnectionTest, CurrentSchemaIsTheDefaultOne) {
  EXPECT_EQ(db_->CurrentSchema(), DefaultSchema());
}

TEST_P(ConnectionTest, DialectNamesTheBackend) { EXPECT_EQ(db_->dialect(), GetParam().dialect); }

TEST_P(ConnectionTest, MigrationLockIsHeldAcrossCommitsUntilReleased) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->AcquireMigrationLock("", "retort_version", kForever);
  // A run commits several times (transaction_per_migration): the lock must
  // survive that, or another run could slip in between two revisions.
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE step1 (x INTEGER);");
  db_->Commit();

  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto other = Open();
    other->AcquireMigrationLock("", "retort_version", kForever);
    acquired = true;
    EXPECT_TRUE(other->TableExists("", "step2")) << "the waiter saw a half-done run";
    other->ReleaseMigrationLock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(acquired) << "a second run got the lock while the first held it";
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE step2 (x INTEGER);");
  db_->Commit();
  db_->ReleaseMigrationLock();
  waiter.join();
  EXPECT_TRUE(acquired);
}

TEST_P(ConnectionTest, TheMigrationLockDoesNotBlockOrdinaryReadersAndWriters) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  if (GetParam().dialect == "sqlite") db_->ExecuteScript("PRAGMA journal_mode=WAL;");
  db_->ExecuteScript("CREATE TABLE t (x INTEGER);");
  db_->AcquireMigrationLock("", "retort_version", kForever);
  auto application = Open();
  application->ExecuteScript("INSERT INTO t VALUES (1);");
  EXPECT_EQ(application->Query("SELECT count(*) FROM t")[0][0], "1");
  db_->Begin();
  db_->ExecuteScript("INSERT INTO t VALUES (2);");
  db_->Commit();
  db_->ReleaseMigrationLock();
  EXPECT_EQ(application->Query("SELECT count(*) FROM t")[0][0], "2");
}

TEST_P(ConnectionTest, ClosingTheConnectionReleasesTheLock) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->AcquireMigrationLock("", "retort_version", kForever);
  db_.reset();
  auto other = Open();
  other->AcquireMigrationLock("", "retort_version", kForever);
  other->ReleaseMigrationLock();
}

TEST_P(ConnectionTest, NonTransactionalStatementsRunUnderTheLock) {
  db_->AcquireMigrationLock("", "retort_version", kForever);
  db_->ExecuteScript("CREATE TABLE t (x INTEGER); " + GetParam().non_transactional + ";");
  EXPECT_TRUE(db_->TableExists("", "t"));
  db_->ReleaseMigrationLock();
}

TEST_P(ConnectionTest, LockTimeoutGivesUpWithOneClearLine) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->AcquireMigrationLock("", "retort_version", kForever);
  auto other = Open();
  auto start = std::chrono::steady_clock::now();
  try {
    other->AcquireMigrationLock("", "retort_version", milliseconds(300));
    FAIL() << "expected the lock wait to time out";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "Timed out after 0.3 s waiting for the migration lock on " +
                                         DatabaseUrl::Parse(url_).Redacted() +
                                         " (another retort run holds it)");
  }
  auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, milliseconds(300));
  EXPECT_LT(waited, milliseconds(3000));
  // The holder is unaffected, and the lock is free again once released.
  db_->ReleaseMigrationLock();
  other->AcquireMigrationLock("", "retort_version", milliseconds(300));
  other->ReleaseMigrationLock();
}

TEST_P(ConnectionTest, ABoundedWaitSucceedsWhenTheLockIsReleasedInTime) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->AcquireMigrationLock("", "retort_version", kForever);
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(300));
    db_->ReleaseMigrationLock();
  });
  auto other = Open();
  EXPECT_NO_THROW(other->AcquireMigrationLock("", "retort_version", milliseconds(10'000)));
  releaser.join();
  other->ReleaseMigrationLock();
}

DriverCase SqliteFile() {
  DriverCase driver;
  driver.name = "SqliteFile";
  driver.create = [](const test::TempDir& dir, std::shared_ptr<void>&) {
    return "sqlite:///" + (dir / "conformance.db").string();
  };
  return driver;
}

DriverCase SqliteMemory() {
  DriverCase driver;
  driver.name = "SqliteMemory";
  driver.create = [](const test::TempDir&, std::shared_ptr<void>&) {
    return std::string("sqlite://");
  };
  driver.shared = false;
  return driver;
}

DriverCase Postgresql() {
  DriverCase driver;
  driver.name = "Postgresql";
  driver.create = [](const test::TempDir&, std::shared_ptr<void>& keep) {
    auto database = std::make_shared<test::ScratchPostgresDatabase>(*test::PostgresServerUrl());
    keep = database;
    return database->url();
  };
  driver.dialect = "postgresql";
  driver.default_schema = "public";
  driver.missing_table = [](const std::string& table) {
    return "relation \"" + table + "\" does not exist (SQLSTATE 42P01)";
  };
  driver.trigger_script =
      "CREATE TABLE t (x TEXT);\n"
      "CREATE TABLE log (id SERIAL PRIMARY KEY, msg TEXT);\n"
      "CREATE FUNCTION t_ins() RETURNS trigger LANGUAGE plpgsql AS $$\n"
      "BEGIN\n"
      "  INSERT INTO log (msg) VALUES ('inserted; ' || NEW.x);\n"
      "  INSERT INTO log (msg) VALUES ('second');\n"
      "  RETURN NEW;\n"
      "END;\n"
      "$$;\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION t_ins();\n";
  return driver;
}

DriverCase Mysql() {
  DriverCase driver;
  driver.name = "Mysql";
  driver.create = [](const test::TempDir&, std::shared_ptr<void>& keep) {
    auto database = std::make_shared<test::ScratchMysqlDatabase>(*test::MysqlServerUrl());
    keep = database;
    return database->url();
  };
  driver.dialect = "mysql";
  driver.default_schema = "";  // the scratch database's name
  driver.missing_table = [](const std::string& table) {
    return "." + table + "' doesn't exist (1146, SQLSTATE 42S02)";
  };
  driver.syntax_error = "error in your SQL syntax";
  driver.transactional_ddl = false;
  driver.non_transactional = "OPTIMIZE TABLE t";
  driver.trigger_script =
      "CREATE TABLE t (x TEXT);\n"
      "CREATE TABLE log (id INTEGER AUTO_INCREMENT PRIMARY KEY, msg TEXT);\n"
      "DELIMITER //\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t FOR EACH ROW BEGIN\n"
      "  INSERT INTO log (msg) VALUES (CONCAT('inserted; ', NEW.x));\n"
      "  INSERT INTO log (msg) VALUES ('second');\n"
      "END//\n"
      "DELIMITER ;\n";
  return driver;
}

INSTANTIATE_TEST_SUITE_P(Drivers, ConnectionTest,
                         ::testing::Values(SqliteFile(), SqliteMemory(), Postgresql(), Mysql()),
                         [](const ::testing::TestParamInfo<DriverCase>& info) {
                           return info.param.name;
                         });

// Opening, beyond the conformance suite: errors name the redacted URL.

TEST(ConnectTest, MissingFolderIsNamedWithTheUrl) {
  test::TempDir dir;
  const std::string url = "sqlite:///" + (dir / "no_such_folder" / "app.db").string();
  try {
    Connect(DatabaseUrl::Parse(url));
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "Can't connect to " + url);
    EXPECT_CONTAINS(e.what(), "does not exist");
  }
}

TEST(ConnectTest, AFileThatIsNotADatabaseFailsAtConnect) {
  test::TempDir dir;
  test::WriteFile(dir / "junk.db", std::string(4096, 'x'));
  EXPECT_THROW(Connect(DatabaseUrl::Parse("sqlite:///" + (dir / "junk.db").string())), Error);
}

TEST(ConnectTest, CreatesTheFileOnFirstConnect) {
  test::TempDir dir;
  Connect(DatabaseUrl::Parse("sqlite:///" + (dir / "fresh.db").string()))
      ->ExecuteScript("CREATE TABLE t (x INTEGER);");
  EXPECT_TRUE(std::filesystem::exists(dir / "fresh.db"));
}

}  // namespace
}  // namespace retort::driver
