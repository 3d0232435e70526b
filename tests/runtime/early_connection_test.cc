// EarlyConnection: the connection `upgrade`, `downgrade`, `stamp` and
// `current` open on another thread while the revision files load. What a
// user relies on: the connection it hands over works (PostgreSQL and MySQL,
// used on the thread that takes it; an existing SQLite file, its schema
// read early), a failure surfaces as the usual one-line error only when
// taken, and a missing SQLite file or a URL that does not parse starts
// nothing.
#include "runtime/early_connection.h"

#include <gtest/gtest.h>

#include <string>

#include "driver/connection.h"
#include "retort/config.h"
#include "retort/database_url.h"
#include "retort/error.h"
#include "testing/mysql_server.h"
#include "testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace retort::runtime {
namespace {

Config ConfigFor(const std::string& url) {
  return Config::FromSettings(DatabaseUrl::Parse(url), {}, std::chrono::milliseconds(0));
}

TEST(EarlyConnectionTest, HandsOverAWorkingPostgresConnectionOnce) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  test::ScratchPostgresDatabase db(server);
  EarlyConnection early = EarlyConnection::Start(ConfigFor(db.url()));
  std::unique_ptr<driver::Connection> connection = early.Take();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->dialect(), "postgresql");
  auto rows = connection->Query("SELECT current_database()");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], db.name());
  EXPECT_EQ(early.Take(), nullptr) << "a second Take() has nothing to give";
}

TEST(EarlyConnectionTest, AFailureIsThrownWhenTakenWithoutThePassword) {
  const std::string password = "early-secret-pw";
  EarlyConnection early =
      EarlyConnection::Start(ConfigFor("postgresql://app:" + password + "@127.0.0.1:1/app"));
  try {
    early.Take();
    FAIL() << "connecting to port 1 succeeded";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("Can't connect to postgresql://app:***@127.0.0.1:1/app"),
              std::string::npos)
        << message;
    EXPECT_EQ(message.find(password), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(EarlyConnectionTest, HandsOverAWorkingMysqlConnectionOnce) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  test::ScratchMysqlDatabase db(server);
  EarlyConnection early = EarlyConnection::Start(ConfigFor(db.url()));
  std::unique_ptr<driver::Connection> connection = early.Take();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->dialect(), "mysql");
  // Opened on the other thread, used on this one.
  connection->ExecuteScript("CREATE TABLE early_t (id INT)");
  auto rows = connection->Query("SELECT DATABASE(), COUNT(*) FROM early_t");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], db.name());
  EXPECT_EQ(rows[0][1], "0");
  EXPECT_EQ(early.Take(), nullptr) << "a second Take() has nothing to give";
}

TEST(EarlyConnectionTest, AMySQLFailureIsThrownWhenTakenWithoutThePassword) {
  const std::string password = "early-secret-pw";
  EarlyConnection early =
      EarlyConnection::Start(ConfigFor("mysql://app:" + password + "@127.0.0.1:1/app"));
  try {
    early.Take();
    FAIL() << "connecting to port 1 succeeded";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("Can't connect to mysql://app:***@127.0.0.1:1/app"), std::string::npos)
        << message;
    EXPECT_EQ(message.find(password), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(EarlyConnectionTest, AnUntakenConnectionIsClosedQuietly) {
  // Destroying it (the files failed to load) must neither throw nor hang.
  EXPECT_NO_THROW({
    EarlyConnection early = EarlyConnection::Start(ConfigFor("postgresql://app:pw@127.0.0.1:1/a"));
  });
}

TEST(EarlyConnectionTest, AMissingSqliteFileStartsNothing) {
  // Opening would create the file: a command that then fails (a revision
  // file that does not parse) must leave nothing behind.
  EarlyConnection early = EarlyConnection::Start(ConfigFor("sqlite:///never-created.db"));
  EXPECT_EQ(early.Take(), nullptr);
  EXPECT_FALSE(std::filesystem::exists("never-created.db"));
  EXPECT_EQ(EarlyConnection::Start(ConfigFor("sqlite://")).Take(), nullptr) << "in memory";
}

TEST(EarlyConnectionTest, AnExistingSqliteFileIsHandedOverWithItsSchemaRead) {
  test::TempDir dir;
  const std::string url = "sqlite:///" + (dir / "early.db").string();
  driver::Connect(DatabaseUrl::Parse(url))->ExecuteScript("CREATE TABLE early_t (id INTEGER)");
  EarlyConnection early = EarlyConnection::Start(ConfigFor(url));
  std::unique_ptr<driver::Connection> connection = early.Take();
  ASSERT_NE(connection, nullptr);
  EXPECT_EQ(connection->dialect(), "sqlite");
  // Opened (and its schema parsed) on the other thread, used on this one.
  connection->ExecuteScript("INSERT INTO early_t VALUES (1)");
  EXPECT_EQ(connection->Query("SELECT count(*) FROM early_t").at(0).at(0), "1");
  EXPECT_EQ(early.Take(), nullptr) << "a second Take() has nothing to give";
}

TEST(EarlyConnectionTest, ASqliteFileAnotherProgramHasLockedDoesNotHoldUpTheHandOver) {
  // Parsing the schema early does not wait for another program's lock (the
  // run waits for it later, under its own lock_timeout).
  test::TempDir dir;
  const std::string url = "sqlite:///" + (dir / "locked.db").string();
  std::unique_ptr<driver::Connection> other = driver::Connect(DatabaseUrl::Parse(url));
  other->ExecuteScript("CREATE TABLE t (id INTEGER); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1)");
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<driver::Connection> connection = EarlyConnection::Start(ConfigFor(url)).Take();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_NE(connection, nullptr);
  other->Rollback();
  EXPECT_EQ(connection->Query("SELECT count(*) FROM t").at(0).at(0), "0");
}

}  // namespace
}  // namespace retort::runtime
