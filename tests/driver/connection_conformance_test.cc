// The driver conformance suite (golang-migrate style): every driver passes the
// same tests against a real database. Today: a SQLite file and a private
// SQLite in-memory database; PostgreSQL joins by adding a DriverCase.
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
  // The URL of a fresh, empty database inside `dir`.
  std::function<std::string(const test::TempDir& dir)> url;
  // Whether two connections to the URL see the same database (false for a
  // private in-memory database), so cross-connection tests apply.
  bool shared = true;
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const DriverCase& driver, std::ostream* out) { *out << driver.name; }

class ConnectionTest : public ::testing::TestWithParam<DriverCase> {
 protected:
  std::unique_ptr<Connection> Open() { return Connect(DatabaseUrl::Parse(GetParam().url(dir_))); }
  void SetUp() override { db_ = Open(); }

  test::TempDir dir_;
  std::unique_ptr<Connection> db_;
};

TEST_P(ConnectionTest, ExecutesScriptsAndQueriesWithParameters) {
  db_->ExecuteScript(
      "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);\n"
      "INSERT INTO users (id, email) VALUES (1, 'a@example.com');\n"
      "INSERT INTO users (id, email) VALUES (2, NULL);\n");
  auto rows = db_->Query("SELECT id, email FROM users WHERE id >= ? ORDER BY id", {"1"});
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "1");
  EXPECT_EQ(rows[0][1], "a@example.com");
  EXPECT_EQ(rows[1][1], std::nullopt);
  EXPECT_TRUE(db_->Query("SELECT id FROM users WHERE email = ?", {"nobody"}).empty());
}

TEST_P(ConnectionTest, EmptyAndCommentOnlyScriptsAreFine) {
  db_->ExecuteScript("");
  db_->ExecuteScript("  -- nothing here\n/* nor here */\n;\n");
  EXPECT_FALSE(db_->InTransaction());
}

TEST_P(ConnectionTest, TriggerBodiesAndSemicolonsInLiteralsStayInOneStatement) {
  db_->ExecuteScript(
      "CREATE TABLE t (x TEXT);\n"
      "CREATE TABLE log (msg TEXT);\n"
      "CREATE TRIGGER t_ins AFTER INSERT ON t BEGIN\n"
      "  INSERT INTO log VALUES ('inserted; ' || new.x);\n"
      "  INSERT INTO log VALUES ('second');\n"
      "END;\n"
      "INSERT INTO t VALUES ('a;b');\n");
  auto rows = db_->Query("SELECT msg FROM log ORDER BY rowid");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0], "inserted; a;b");
  EXPECT_EQ(rows[1][0], "second");
}

TEST_P(ConnectionTest, FailingStatementStopsTheScriptAndReportsItsOffset) {
  const std::string script =
      "CREATE TABLE a (x);\n"
      "-- the next one fails\n"
      "  /* really */ INSERT INTO userz VALUES (1);\n"
      "CREATE TABLE b (x);\n";
  try {
    db_->ExecuteScript(script);
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_CONTAINS(e.what(), "no such table: userz");
    EXPECT_EQ(e.offset(), script.find("INSERT"));
  }
  EXPECT_TRUE(db_->TableExists("", "a"));
  EXPECT_FALSE(db_->TableExists("", "b")) << "nothing after the failure may run";
}

TEST_P(ConnectionTest, SyntaxErrorsReportTheStatementOffset) {
  const std::string script = "CREATE TABLE a (x);\n\nCREATE TABLE (oops;\n";
  try {
    db_->ExecuteScript(script);
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_CONTAINS(e.what(), "syntax error");
    EXPECT_EQ(e.offset(), script.find("CREATE TABLE (oops"));
  }
}

TEST_P(ConnectionTest, QueryErrorsCarryTheDatabaseMessage) {
  try {
    db_->Query("SELECT * FROM missing_table");
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "no such table: missing_table");
  }
}

TEST_P(ConnectionTest, RollbackUndoesDdlAndData) {
  db_->ExecuteScript("CREATE TABLE keep (x); INSERT INTO keep VALUES (1);");
  db_->Begin();
  EXPECT_TRUE(db_->InTransaction());
  db_->ExecuteScript("CREATE TABLE gone (x); INSERT INTO keep VALUES (2); DROP TABLE keep;");
  db_->Rollback();
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_FALSE(db_->TableExists("", "gone"));
  EXPECT_EQ(db_->Query("SELECT count(*) FROM keep")[0][0], "1");
}

TEST_P(ConnectionTest, CommitIsVisibleToOtherConnections) {
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE t (x); INSERT INTO t VALUES (7);");
  db_->Commit();
  EXPECT_FALSE(db_->InTransaction());
  if (!GetParam().shared) return;
  auto other = Open();
  EXPECT_EQ(other->Query("SELECT x FROM t")[0][0], "7");
}

TEST_P(ConnectionTest, TransactionRollsBackUnlessCommitted) {
  {
    Transaction transaction(*db_);
    db_->ExecuteScript("CREATE TABLE abandoned (x);");
  }
  EXPECT_FALSE(db_->InTransaction());
  EXPECT_FALSE(db_->TableExists("", "abandoned"));
  {
    Transaction transaction(*db_);
    db_->ExecuteScript("CREATE TABLE kept (x);");
    transaction.Commit();
  }
  EXPECT_TRUE(db_->TableExists("", "kept"));
}

TEST_P(ConnectionTest, RollbackAfterTheDatabaseEndedTheTransactionIsHarmless) {
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE t (x);");
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
  db_->ExecuteScript("CREATE TABLE t (x); CREATE VIEW v AS SELECT x FROM t;");
  EXPECT_TRUE(db_->TableExists("", "t"));
  EXPECT_TRUE(db_->TableExists("main", "t"));
  EXPECT_FALSE(db_->TableExists("", "v"));
  EXPECT_FALSE(db_->TableExists("", "missing"));
}

TEST_P(ConnectionTest, DialectNamesTheBackend) { EXPECT_EQ(db_->dialect(), "sqlite"); }

TEST_P(ConnectionTest, MigrationLockIsHeldAcrossCommitsUntilReleased) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->AcquireMigrationLock("retort_version");
  // A run commits several times (transaction_per_migration): the lock must
  // survive that, or another run could slip in between two revisions.
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE step1 (x);");
  db_->Commit();

  std::atomic<bool> acquired{false};
  std::thread waiter([&] {
    auto other = Open();
    other->AcquireMigrationLock("retort_version");
    acquired = true;
    EXPECT_TRUE(other->TableExists("", "step2")) << "the waiter saw a half-done run";
    other->ReleaseMigrationLock();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(acquired) << "a second run got the lock while the first held it";
  db_->Begin();
  db_->ExecuteScript("CREATE TABLE step2 (x);");
  db_->Commit();
  db_->ReleaseMigrationLock();
  waiter.join();
  EXPECT_TRUE(acquired);
}

TEST_P(ConnectionTest, TheMigrationLockDoesNotBlockOrdinaryReadersAndWriters) {
  if (!GetParam().shared) GTEST_SKIP() << "a private database has no other connections";
  db_->ExecuteScript("PRAGMA journal_mode=WAL; CREATE TABLE t (x);");
  db_->AcquireMigrationLock("retort_version");
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
  db_->AcquireMigrationLock("retort_version");
  db_.reset();
  auto other = Open();
  other->AcquireMigrationLock("retort_version");
  other->ReleaseMigrationLock();
}

TEST_P(ConnectionTest, NonTransactionalStatementsRunUnderTheLock) {
  db_->AcquireMigrationLock("retort_version");
  db_->ExecuteScript("CREATE TABLE t (x); VACUUM;");
  EXPECT_TRUE(db_->TableExists("", "t"));
  db_->ReleaseMigrationLock();
}

INSTANTIATE_TEST_SUITE_P(
    Drivers, ConnectionTest,
    ::testing::Values(DriverCase{"SqliteFile",
                                 [](const test::TempDir& dir) {
                                   return "sqlite:///" + (dir / "conformance.db").string();
                                 }},
                      DriverCase{"SqliteMemory",
                                 [](const test::TempDir&) { return std::string("sqlite://"); },
                                 false}),
    [](const ::testing::TestParamInfo<DriverCase>& info) { return info.param.name; });

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

TEST(ConnectTest, PostgresqlIsNotBuiltYetAndTheMessageHidesThePassword) {
  try {
    Connect(DatabaseUrl::Parse("postgresql://scott:tiger@localhost:5432/app"));
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_CONTAINS(e.what(), "PostgreSQL support is not built yet");
    EXPECT_NOT_CONTAINS(e.what(), "tiger");
  }
}

TEST(ConnectTest, CreatesTheFileOnFirstConnect) {
  test::TempDir dir;
  Connect(DatabaseUrl::Parse("sqlite:///" + (dir / "fresh.db").string()))
      ->ExecuteScript("CREATE TABLE t (x);");
  EXPECT_TRUE(std::filesystem::exists(dir / "fresh.db"));
}

}  // namespace
}  // namespace retort::driver
