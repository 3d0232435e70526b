// PostgreSQL-only driver behaviour against the suite's real server: what the
// conformance suite cannot ask of SQLite (SQLSTATEs, connection failures
// with a password in the URL, dollar-quoted and BEGIN ATOMIC bodies, the
// advisory lock's key, a connection the server drops).
#include "driver/postgres_connection.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "driver/connection.h"
#include "retort/database_url.h"
#include "testing/postgres_server.h"

namespace retort::driver {
namespace {

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))
#define EXPECT_NOT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, std::string(needle), std::string(haystack))

using std::chrono::milliseconds;

// The message of the Error that `action` throws ("" when it does not).
template <typename Action>
std::string ErrorOf(Action action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an Error";
  return "";
}

// A URL on the test server's host and port with other parts swapped in.
std::string UrlWith(const std::string& server_url, const std::string& user,
                    const std::string& password, const std::string& host, const std::string& port,
                    const std::string& database, const std::string& query = "") {
  (void)server_url;
  return fmt::format("postgresql://{}:{}@{}:{}/{}{}", user, password, host, port, database, query);
}

TEST(PostgresConnectionTest, TheServersHintFollowsTheMessage) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  std::string message = ErrorOf([&] { db->ExecuteScript("SELECT no_such_function(1)"); });
  EXPECT_EQ(message,
            "function no_such_function(integer) does not exist (SQLSTATE 42883); hint: No "
            "function matches the given name and argument types. You might need to add explicit "
            "type casts.");
}

TEST(PostgresConnectionTest, ErrorsAreOneLineWithTheSqlstate) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  std::string message = ErrorOf([&] { db->ExecuteScript("SELECT * FROM userz"); });
  EXPECT_EQ(message, "relation \"userz\" does not exist (SQLSTATE 42P01)");
  message = ErrorOf([&] {
    db->ExecuteScript("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (1);");
  });
  EXPECT_CONTAINS(message, "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_CONTAINS(message, "(SQLSTATE 23505)");
  EXPECT_NOT_CONTAINS(message, "\n");
  message = ErrorOf([&] { db->Query("SELEC 1"); });
  EXPECT_EQ(message, "syntax error at or near \"SELEC\" (SQLSTATE 42601)");
}

TEST(PostgresConnectionTest, DollarQuotedAndBeginAtomicBodiesRunAsOneStatement) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  const std::string script =
      "CREATE TABLE t (x INTEGER);\n"
      "CREATE FUNCTION add_two() RETURNS void LANGUAGE sql\n"
      "BEGIN ATOMIC\n"
      "  INSERT INTO t VALUES (1);\n"
      "  INSERT INTO t VALUES (CASE WHEN true THEN 2 END);\n"
      "END;\n"
      "DO $body$ BEGIN PERFORM add_two(); END $body$;\n"
      "SELECT E'it\\'s; fine';\n"
      "INSERT INTO missing VALUES (1);\n";
  try {
    db->ExecuteScript(script);
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_EQ(e.offset(), script.find("INSERT INTO missing"));
  }
  EXPECT_EQ(db->Query("SELECT count(*) FROM t")[0][0], "2");
}

TEST(PostgresConnectionTest, ChangedRowsAndNullsThroughQuery) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  db->ExecuteScript("CREATE TABLE v (n TEXT); INSERT INTO v VALUES ('a'), (NULL);");
  EXPECT_EQ(db->ChangedRows(), 2);
  auto rows = db->Query("SELECT n FROM v ORDER BY n NULLS LAST");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1][0], std::nullopt);
  db->Query("UPDATE v SET n = $1 WHERE n = $2", {"b", "a"});
  EXPECT_EQ(db->ChangedRows(), 1);
}

TEST(PostgresConnectionTest, CommitOfAnAbortedTransactionIsAnError) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  db->Begin();
  EXPECT_THROW(db->ExecuteScript("SELECT * FROM nothing_here"), StatementError);
  EXPECT_TRUE(db->InTransaction());
  EXPECT_CONTAINS(ErrorOf([&] { db->Commit(); }), "rolled back");
  EXPECT_FALSE(db->InTransaction());
}

TEST(PostgresConnectionTest, WrongPasswordIsOneLineWithoutThePassword) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  DatabaseUrl good = DatabaseUrl::Parse(server);
  const std::string secret = "Sup3rSecretPw";
  std::string url = UrlWith(server, good.user(), secret, good.host(), good.port(), good.database());
  std::string message = ErrorOf([&] { Connect(DatabaseUrl::Parse(url)); });
  EXPECT_CONTAINS(message, "Can't connect to " + DatabaseUrl::Parse(url).Redacted());
  EXPECT_CONTAINS(message, "password authentication failed");
  EXPECT_NOT_CONTAINS(message, secret);
  EXPECT_NOT_CONTAINS(message, "\n");
}

TEST(PostgresConnectionTest, UnreachableHostIsOneLineWithoutThePassword) {
  const std::string secret = "Sup3rSecretPw";
  std::string url = UrlWith("", "someone", secret, "127.0.0.1", "1", "app", "?connect_timeout=5");
  std::string message = ErrorOf([&] { Connect(DatabaseUrl::Parse(url)); });
  EXPECT_CONTAINS(message, "Can't connect to postgresql://someone:***@127.0.0.1:1/app");
  EXPECT_CONTAINS(message, "Connection refused");
  EXPECT_NOT_CONTAINS(message, secret);
  EXPECT_NOT_CONTAINS(message, "\n");
}

TEST(PostgresConnectionTest, MissingDatabaseIsOneLineWithoutThePassword) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  DatabaseUrl good = DatabaseUrl::Parse(server);
  std::string url = UrlWith(server, good.user(), good.password(), good.host(), good.port(),
                            "no_such_database_here");
  std::string message = ErrorOf([&] { Connect(DatabaseUrl::Parse(url)); });
  EXPECT_CONTAINS(message, "database \"no_such_database_here\" does not exist");
  EXPECT_NOT_CONTAINS(message, good.password());
  EXPECT_NOT_CONTAINS(message, "\n");
}

TEST(PostgresConnectionTest, QueryParametersArePassedToLibpq) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url() + "?application_name=retort_probe&sslmode="
                                                       "disable&connect_timeout=5"));
  EXPECT_EQ(db->Query("SELECT current_setting('application_name')")[0][0], "retort_probe");
  std::string message = ErrorOf(
      [&] { Connect(DatabaseUrl::Parse(scratch.url() + "?no_such_option=1&password=abcdefg")); });
  EXPECT_CONTAINS(message, "invalid connection option \"no_such_option\"");
  EXPECT_NOT_CONTAINS(message, "abcdefg");
}

TEST(PostgresConnectionTest, LockKeysDifferPerVersionTableAndDatabase) {
  EXPECT_NE(PostgresConnection::LockKey("db", "public", "retort_version"),
            PostgresConnection::LockKey("db", "other", "retort_version"));
  EXPECT_NE(PostgresConnection::LockKey("db", "public", "retort_version"),
            PostgresConnection::LockKey("db2", "public", "retort_version"));
  EXPECT_NE(PostgresConnection::LockKey("ab", "c", "t"),
            PostgresConnection::LockKey("a", "bc", "t"));
  EXPECT_EQ(PostgresConnection::LockKey("db", "public", "t"),
            PostgresConnection::LockKey("db", "public", "t"));
}

TEST(PostgresConnectionTest, TheDefaultSchemaAndPublicShareOneLockButOtherTablesDoNot) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto first = Connect(DatabaseUrl::Parse(scratch.url()));
  auto second = Connect(DatabaseUrl::Parse(scratch.url()));
  first->AcquireMigrationLock("", "retort_version", milliseconds(0));
  EXPECT_THROW(second->AcquireMigrationLock("public", "retort_version", milliseconds(200)), Error);
  EXPECT_NO_THROW(second->AcquireMigrationLock("public", "other_version", milliseconds(200)));
}

TEST(PostgresConnectionTest, ADroppedConnectionIsOneLineAndRollbackIsHarmless) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase scratch(server);
  auto db = Connect(DatabaseUrl::Parse(scratch.url()));
  db->AcquireMigrationLock("", "retort_version", milliseconds(0));
  std::string pid = *db->Query("SELECT pg_backend_pid()")[0][0];
  db->Begin();
  db->ExecuteScript("CREATE TABLE half (x INTEGER);");
  std::thread killer([&] {
    std::this_thread::sleep_for(milliseconds(300));
    test::PostgresExec(server, "SELECT pg_terminate_backend(" + pid + ")");
  });
  std::string message = ErrorOf([&] { db->ExecuteScript("SELECT pg_sleep(5);"); });
  killer.join();
  EXPECT_CONTAINS(message, "terminating connection due to administrator command");
  EXPECT_NOT_CONTAINS(message, "\n");
  EXPECT_NO_THROW(db->Rollback());
  EXPECT_NO_THROW(db->ReleaseMigrationLock());
  EXPECT_FALSE(db->InTransaction());
  // The server rolled the transaction back and freed the lock.
  auto other = Connect(DatabaseUrl::Parse(scratch.url()));
  EXPECT_FALSE(other->TableExists("", "half"));
  EXPECT_NO_THROW(other->AcquireMigrationLock("", "retort_version", milliseconds(2000)));
}

}  // namespace
}  // namespace retort::driver
