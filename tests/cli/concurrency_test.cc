// Concurrent runs against one SQLite file are safe: each revision is
// applied exactly once, however many `retort upgrade head` start at once.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

constexpr int kProcesses = 8;
constexpr int kRevisions = 5;
constexpr int kRounds = 3;

// r1 creates `applied`; every revision creates its own table (without IF
// NOT EXISTS, so a second run would fail) and logs itself in `applied`.
std::vector<RevisionSpec> LoggedRevisions() {
  std::vector<RevisionSpec> specs;
  for (int i = 1; i <= kRevisions; ++i) {
    std::string id = "rev" + std::to_string(i);
    std::string up = i == 1 ? "CREATE TABLE applied (rev TEXT NOT NULL);\n" : "";
    up += "CREATE TABLE t" + std::to_string(i) + " (id INTEGER);\n";
    up += "INSERT INTO applied VALUES ('" + id + "');\n";
    RevisionSpec spec{
        .id = id, .upgrade = up, .downgrade = "DROP TABLE t" + std::to_string(i) + ";"};
    if (i > 1) spec.revises = {"rev" + std::to_string(i - 1)};
    specs.push_back(spec);
  }
  return specs;
}

TEST(ConcurrencyTest, EightUpgradesAtOnceApplyEachRevisionOnce) {
  std::vector<std::string> expected;
  for (int i = 1; i <= kRevisions; ++i) expected.push_back("rev" + std::to_string(i));
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TempProject project(LoggedRevisions());
    std::vector<CliResult> results =
        RunRetortConcurrently(kProcesses, {"upgrade", "head"}, project.root());
    for (const CliResult& result : results) EXPECT_TRUE(Succeeded(result));
    EXPECT_THAT(QueryColumn(project.db(), "SELECT rev FROM applied ORDER BY rev"),
                ElementsAreArray(expected));
    EXPECT_THAT(VersionRows(project.db()), ElementsAre("rev5"));
    // Exactly one process ran the migrations; the others found nothing to do.
    int ran = 0;
    for (const CliResult& result : results) {
      if (result.err.find("Running upgrade  -> rev1") != std::string::npos) ++ran;
    }
    EXPECT_EQ(ran, 1);
  }
}

}  // namespace
}  // namespace retort::test
