// Connection::ExecuteEach: the version- and history-table writes of one
// revision, which PostgreSQL receives in one round trip. Each statement's
// row count and the failing statement must come back as if they had run one
// by one, on every driver.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "driver/connection.h"
#include "retort/database_url.h"
#include "testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace retort::driver {
namespace {

class ExecuteEachTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      if (!test::PostgresServerUrl()) GTEST_SKIP() << "PostgreSQL tests switched off";
      scratch_ = std::make_unique<test::ScratchPostgresDatabase>(*test::PostgresServerUrl());
      url_ = scratch_->url();
    } else {
      url_ = "sqlite:///" + (dir_ / "each.db").string();
    }
    db_ = Connect(DatabaseUrl::Parse(url_));
    db_->ExecuteScript(
        "CREATE TABLE v (version_num VARCHAR(32) NOT NULL);\n"
        "INSERT INTO v VALUES ('a');\n"
        "CREATE TABLE h (revision VARCHAR(32) PRIMARY KEY, note TEXT);\n");
  }
  void TearDown() override { db_.reset(); }

  std::vector<std::string> Versions() {
    std::vector<std::string> rows;
    for (const Row& row : db_->Query("SELECT version_num FROM v ORDER BY version_num")) {
      rows.push_back(row.at(0).value_or(""));
    }
    return rows;
  }

  test::TempDir dir_;
  std::unique_ptr<test::ScratchPostgresDatabase> scratch_;
  std::string url_;
  std::unique_ptr<Connection> db_;
};

TEST_P(ExecuteEachTest, ReturnsEachStatementsRowCountInOrder) {
  db_->Begin();
  std::vector<long long> changed =
      db_->ExecuteEach({"UPDATE v SET version_num = 'b' WHERE version_num = 'a'",
                        "UPDATE v SET version_num = 'c' WHERE version_num = 'zzz'",
                        "INSERT INTO h (revision, note) VALUES ('b', 'x; -- not a comment')",
                        "DELETE FROM h WHERE revision = 'b' -- a trailing comment"});
  db_->Commit();
  EXPECT_EQ(changed, (std::vector<long long>{1, 0, 1, 1}));
  EXPECT_EQ(db_->ChangedRows(), 1);
  EXPECT_EQ(Versions(), std::vector<std::string>{"b"});
}

TEST_P(ExecuteEachTest, AFailureNamesTheStatementAndNothingAfterItRuns) {
  db_->Begin();
  try {
    db_->ExecuteEach({"UPDATE v SET version_num = 'b' WHERE version_num = 'a'",
                      "INSERT INTO nosuch (x) VALUES (1)",
                      "INSERT INTO h (revision) VALUES ('after')"});
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_EQ(e.offset(), 1u) << "the index of the failing statement";
    EXPECT_NE(std::string(e.what()).find("nosuch"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
  db_->Rollback();
  EXPECT_EQ(Versions(), std::vector<std::string>{"a"}) << "the transaction rolled back";
  EXPECT_TRUE(db_->Query("SELECT revision FROM h").empty());
  // The connection is usable after the failure.
  EXPECT_EQ(db_->ExecuteEach({"UPDATE v SET version_num = 'd'"}), std::vector<long long>{1});
}

TEST_P(ExecuteEachTest, NothingToRunIsNothing) { EXPECT_TRUE(db_->ExecuteEach({}).empty()); }

// ExecuteBatch: one statement run once per row of parameters (SQLite's
// history rows, prepared once); a failing row is named and stops the rest.
TEST_P(ExecuteEachTest, BatchRunsTheStatementOncePerRow) {
  db_->Begin();
  db_->ExecuteBatch("INSERT INTO h (revision, note) VALUES ($1, $2)",
                    {{"a", "x; -- not a comment"}, {"b", ""}, {"c", "it's"}});
  db_->Commit();
  std::vector<std::string> rows;
  for (const Row& row : db_->Query("SELECT revision || '=' || note FROM h ORDER BY revision")) {
    rows.push_back(row.at(0).value_or("NULL"));
  }
  EXPECT_EQ(rows, (std::vector<std::string>{"a=x; -- not a comment", "b=", "c=it's"}));
  db_->ExecuteBatch("INSERT INTO h (revision, note) VALUES ($1, $2)", {});
}

TEST_P(ExecuteEachTest, ABatchFailureNamesTheRowAndNothingAfterItRuns) {
  db_->Begin();
  try {
    db_->ExecuteBatch("INSERT INTO h (revision, note) VALUES ($1, $2)",
                      {{"x", "1"}, {"y", "2"}, {"x", "again"}, {"z", "after"}});
    FAIL() << "expected StatementError";
  } catch (const StatementError& e) {
    EXPECT_EQ(e.offset(), 2u) << "the index of the failing row";
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos) << e.what();
  }
  db_->Rollback();
  EXPECT_TRUE(db_->Query("SELECT revision FROM h").empty());
}

INSTANTIATE_TEST_SUITE_P(Drivers, ExecuteEachTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace retort::driver
