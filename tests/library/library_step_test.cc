// C++ steps (retort/step.h): run on the migration's connection inside the
// revision's transaction; a failure rolls the revision back; the CLI and
// --sql refuse a step revision before anything runs. And the example
// service (examples/service), run as a process on both backends.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "library/library_fixture.h"

namespace retort::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

const char kStepFile[] = "migrations/versions/2b_label_items.sql";

using StepTest = LibraryTest;

// The error `call` throws, or "" when it does not throw.
template <typename F>
std::string ErrorOf(F call) {
  try {
    call();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_P(StepTest, StepRunsOnTheMigrationsConnectionInsideItsTransaction) {
  std::vector<std::string> seen;
  StepRegistry steps;
  steps.Register("label_items", [&](Connection& db) {
    seen.push_back(db.dialect());
    // The revision's own SQL ran just before, in the same transaction; the
    // version row still names the parent.
    for (const Row& row : db.Query("SELECT count(*) FROM labels")) seen.push_back(*row[0]);
    for (const Row& row : db.Query("SELECT version_num FROM retort_version")) {
      seen.push_back(*row[0]);
    }
    if (db.dialect() == "postgresql") {
      // Another session does not see the uncommitted table.
      std::unique_ptr<Connection> other = Connect(url());
      seen.push_back(std::to_string(
          other->Query("SELECT 1 FROM information_schema.tables WHERE table_name = 'labels'")
              .size()));
    }
    db.Execute("INSERT INTO labels (item_id, label) VALUES (1, 'from-step')");
  });
  ASSERT_THAT(Upgrade(url(), library_migrations(), "head", Quiet(&steps)), SizeIs(2));
  std::vector<std::string> expected{GetParam(), "0", "a1b1"};
  if (GetParam() == "postgresql") expected.push_back("0");
  EXPECT_EQ(seen, expected);
  EXPECT_THAT(Column("SELECT label FROM labels"), ElementsAre("from-step"));
}

TEST_P(StepTest, FailingStepRollsBackTheWholeRun) {
  StepRegistry steps;
  steps.Register("label_items", [](Connection&) { throw std::runtime_error("boom"); });
  EXPECT_EQ(ErrorOf([&] { Upgrade(url(), library_migrations(), "head", Quiet(&steps)); }),
            std::string("Step 'label_items' of revision b2c2 (") + kStepFile +
                ") failed: boom; rolled back a1b1 and b2c2: the database is as it was before "
                "this run");
  // One transaction for the run: nothing stays, version table included.
  EXPECT_THAT(Tables(), IsEmpty());
}

TEST_P(StepTest, FailingStepRollsBackItsRevisionVersionRowIncluded) {
  StepRegistry steps;
  steps.Register("label_items",
                 [](Connection& db) { db.Execute("INSERT INTO nowhere VALUES (1)"); });
  Options options = Quiet(&steps);
  options.settings = {{"transaction_per_migration", "true"}};
  std::string error = ErrorOf([&] { Upgrade(url(), library_migrations(), "head", options); });
  EXPECT_THAT(error, HasSubstr(std::string("Step 'label_items' of revision b2c2 (") + kStepFile +
                               ") failed: "));
  EXPECT_THAT(error, HasSubstr("nowhere"));
  // a1b1 committed on its own; b2c2's table, version row and history row
  // are gone with its transaction.
  EXPECT_THAT(Column("SELECT version_num FROM retort_version"), ElementsAre("a1b1"));
  EXPECT_THAT(Column("SELECT revision FROM retort_version_history"), ElementsAre("a1b1"));
  EXPECT_THAT(Tables(), Not(Contains("labels")));
}

TEST_P(StepTest, UnregisteredStepIsRefusedBeforeAnythingRuns) {
  EXPECT_EQ(ErrorOf([&] { Upgrade(url(), library_migrations(), "head", Quiet()); }),
            std::string("Revision b2c2 (") + kStepFile +
                ") runs the C++ step 'label_items', which is not registered (registered: none)");
  EXPECT_THAT(Tables(), IsEmpty());
}

TEST_P(StepTest, DowngradeRunsTheStepsDowngradeBeforeTheSql) {
  std::vector<std::string> counts;
  StepRegistry steps;
  steps.Register(
      "label_items",
      [](Connection& db) { db.Execute("INSERT INTO labels (item_id, label) VALUES (1, 'x')"); },
      [&](Connection& db) { counts.push_back(*db.Query("SELECT count(*) FROM labels")[0][0]); });
  Upgrade(url(), library_migrations(), "head", Quiet(&steps));
  std::vector<AppliedStep> down = Downgrade(url(), library_migrations(), "a1b1", Quiet(&steps));
  ASSERT_THAT(down, SizeIs(1));
  EXPECT_THAT(counts, ElementsAre("1"));
  EXPECT_THAT(Tables(), Not(Contains("labels")));
}

TEST_P(StepTest, CliRefusesAStepRevisionAndChangesNothing) {
  CliResult result = Cli({"upgrade", "head"});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              ElementsAre(std::string("FAILED: Revision b2c2 (") + kStepFile +
                          ") runs the C++ step 'label_items', which only the application that "
                          "registers it can run (see docs/library.md)"));
  EXPECT_THAT(Tables(), IsEmpty());
  // Up to the revision before it is fine.
  EXPECT_EQ(Cli({"upgrade", "a1b1"}).exit_code, 0);
}

TEST_P(StepTest, OfflineSqlSaysTheStepCannotBeRendered) {
  CliResult result = Cli({"upgrade", "head", "--sql"});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              ElementsAre(std::string("FAILED: Revision b2c2 (") + kStepFile +
                          ") runs the C++ step 'label_items', which cannot be rendered as SQL; "
                          "run it from the application"));
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(Cli({"upgrade", "a1b1", "--sql"}).exit_code, 0);
}

TEST_P(StepTest, ExampleServiceUpgradesAtStartUpAndQueries) {
  TempDir cwd;  // nothing on disk: the service carries its migrations
  CliResult first = RunProcess({RETORT_EXAMPLE_SERVICE, url()}, cwd.path());
  ASSERT_EQ(first.exit_code, 0) << first.Describe();
  EXPECT_THAT(first.OutLines(), ElementsAre("applied 2 revision(s)", "order 1: small",
                                            "order 2: large", "order 3: small"));
  // "Running on <db>", then one line per revision.
  EXPECT_THAT(first.ErrLines(), SizeIs(3));
  EXPECT_THAT(first.ErrLines()[2], HasSubstr("[migrations] Running upgrade 5d0e6c1a2b3f -> "
                                             "8f3a9b7c6d5e, backfill order size ("));
  CliResult again = RunProcess({RETORT_EXAMPLE_SERVICE, url()}, cwd.path());
  ASSERT_EQ(again.exit_code, 0) << again.Describe();
  EXPECT_EQ(again.OutLines().front(), "applied 0 revision(s)");
}

TEST(StepRegistryTest, RefusesBadAndDuplicateNames) {
  StepRegistry steps;
  steps.Register("backfill_status", [](Connection&) {});
  EXPECT_EQ(ErrorOf([&] { steps.Register("backfill_status", [](Connection&) {}); }),
            "Step 'backfill_status' is registered twice");
  EXPECT_EQ(ErrorOf([&] { steps.Register("no spaces", [](Connection&) {}); }),
            "Bad step name 'no spaces' (names are [A-Za-z0-9_.-]+)");
  EXPECT_EQ(ErrorOf([&] { steps.Register("empty", nullptr); }),
            "Step 'empty' has no upgrade function");
  EXPECT_THAT(steps.Names(), ElementsAre("backfill_status"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StepTest, ::testing::Values("sqlite", "postgresql"),
                         BackendName);

}  // namespace
}  // namespace retort::test
