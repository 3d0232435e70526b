// The C++ library on MySQL/MariaDB: an application that links retort
// migrates its own MySQL database at start-up from the embedded revisions,
// C++ steps included, as it does on SQLite and PostgreSQL
// (library_api_test.cc). A failing step leaves no revision recorded.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "library_migrations.h"
#include "retort/retort.h"
#include "testing/mysql_server.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::SizeIs;

std::vector<std::string> Column(const ScratchMysqlDatabase& db, const std::string& sql) {
  std::vector<std::string> values;
  for (const auto& row : db.Query(sql)) values.push_back(row.at(0));
  return values;
}

std::vector<std::string> UserTables(const ScratchMysqlDatabase& db) {
  return Column(db,
                "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                "DATABASE() ORDER BY table_name");
}

Options Quiet(const StepRegistry* steps) {
  Options options;
  options.log = nullptr;
  options.steps = steps;
  return options;
}

TEST(LibraryMysqlTest, EmbeddedUpgradeRunsTheStepThenDowngradeToBase) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  StepRegistry steps;
  steps.Register("label_items", [](Connection& connection) {
    for (const Row& row : connection.Query("SELECT id, name FROM items ORDER BY id")) {
      connection.Query("INSERT INTO labels (item_id, label) VALUES ($1, $2)",
                       {*row[0], row[1]->size() > 5 ? "long" : "short"});
    }
  });

  std::vector<AppliedStep> applied = Upgrade(db.url(), library_migrations(), "head", Quiet(&steps));
  ASSERT_THAT(applied, SizeIs(2));
  EXPECT_EQ(applied[1].revision, "b2c2");
  EXPECT_THAT(Column(db, "SELECT version_num FROM retort_version"), ElementsAre("b2c2"));
  EXPECT_THAT(Column(db, "SELECT label FROM labels ORDER BY item_id"),
              ElementsAre("short", "short", "long", "long"));
  std::vector<RevisionInfo> current = Current(db.url(), library_migrations(), Quiet(&steps));
  ASSERT_THAT(current, SizeIs(1));
  EXPECT_EQ(current[0].id, "b2c2");

  // Nothing left to do: a second start-up applies nothing.
  EXPECT_THAT(Upgrade(db.url(), library_migrations(), "head", Quiet(&steps)), SizeIs(0));

  EXPECT_THAT(Downgrade(db.url(), library_migrations(), "base", Quiet(&steps)), SizeIs(2));
  EXPECT_THAT(Column(db, "SELECT count(*) FROM retort_version"), ElementsAre("0"));
  for (const std::string& table : UserTables(db)) {
    EXPECT_TRUE(table.starts_with("retort_")) << table << " left behind";
  }
}

// MySQL commits DDL as it goes: the failed step's revision is not recorded
// and the error names the step, so the next start-up runs it again.
TEST(LibraryMysqlTest, AFailingStepIsNotRecordedAndNamesTheStep) {
  RETORT_MYSQL_URL_OR_SKIP(server);
  ScratchMysqlDatabase db(server);
  StepRegistry steps;
  steps.Register("label_items", [](Connection&) { throw std::runtime_error("boom"); });
  std::string error;
  try {
    Upgrade(db.url(), library_migrations(), "head", Quiet(&steps));
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_THAT(error, ::testing::HasSubstr("Step 'label_items' of revision b2c2"));
  EXPECT_THAT(error, ::testing::HasSubstr("boom"));
  std::vector<std::string> versions = Column(db, "SELECT version_num FROM retort_version");
  EXPECT_THAT(versions, ::testing::Not(::testing::Contains("b2c2")));
}

}  // namespace
}  // namespace retort::test
