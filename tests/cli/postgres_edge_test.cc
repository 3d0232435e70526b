// PostgreSQL connection edges from the seed workflows (issue 16): --wait
// gives up at once on what waiting cannot fix, and libpq's two-line reasons
// read as sentences.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

std::vector<RevisionSpec> OneRevision() {
  return {
      {.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"}};
}

// Unknown role, unknown database, wrong password: the server answered, so
// --wait 30 fails at once instead of retrying for 30 s.
TEST(PostgresEdgeTest, WaitFailsAtOnceOnErrorsThatWillNeverPass) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  PgUrl good = PgUrl::Parse(db.url());
  PgUrl no_role = good;
  no_role.user = "no_such_role_h3";
  PgUrl no_database = good;
  no_database.database = "no_such_database_h3";
  PgUrl bad_password = good;
  bad_password.password = "Wrong-Password-77";
  TempProject project(OneRevision());
  struct Case {
    PgUrl url;
    const char* says;
  };
  for (const Case& c : {Case{no_role, "no_such_role_h3"}, Case{no_database, "no_such_database_h3"},
                        Case{bad_password, "password authentication failed||no_such"}}) {
    auto start = std::chrono::steady_clock::now();
    CliResult result =
        RunRetort({"--wait", "30", "--url", c.url.Format(), "upgrade", "head"}, project.root());
    auto took = std::chrono::steady_clock::now() - start;
    if (c.url.password == bad_password.password && result.exit_code == 0) {
      continue;  // a trust-authenticated server accepts any password
    }
    EXPECT_TRUE(IsOneLineError(result, 1, {c.says})) << c.url.Format();
    EXPECT_LT(took, std::chrono::seconds(10)) << "retried: " << result.Describe();
    EXPECT_TRUE(NeverPrints(result, "Wrong-Password-77"));
  }
  EXPECT_TRUE(PgTables(db).empty()) << "nothing ran";
}

TEST(PostgresEdgeTest, ConnectionRefusedReadsAsSentences) {
  TempProject project(OneRevision());
  CliResult result =
      RunRetort({"--url", "postgresql://deployer@127.0.0.1:1/app", "current"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, {"Connection refused. Is the server running"}));
}

}  // namespace
}  // namespace retort::test
