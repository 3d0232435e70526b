// Bad input against a real PostgreSQL server: each failure is one line,
// exit 1, the password never printed, the database untouched.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/background_process.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;

// A password no PostgreSQL message contains by chance.
constexpr const char* kPassword = "Zq7-Distinctive-Pw-91";

std::vector<RevisionSpec> TwoRevisions() {
  return {
      {.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "bbb222",
       .revises = {"aaa111"},
       .upgrade = "CREATE TABLE t2 (id INTEGER);",
       .downgrade = "DROP TABLE t2;"}};
}

// What a case gets to work with: the scratch database (already upgraded to
// aaa111 through the good URL) and the URL parts to bend.
struct Arranged {
  const ScratchPostgresDatabase& db;
  PgUrl url;  // the good URL: the server's superuser and its password
};

struct BadInputCase {
  std::string name;
  // Prepares the database (as the superuser) and returns the URL retort is
  // given; kPassword appears in it wherever a password does.
  std::function<std::string(Arranged&)> arrange;
  std::vector<std::string> needles;  // each must appear in the error line
};

void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

// A role cluster-wide unique per database, dropped when the test ends.
class ScratchRole {
 public:
  ScratchRole(const std::string& server, const std::string& name) : server_(server), name_(name) {}
  ~ScratchRole() {
    try {
      PostgresExec(server_, "DROP ROLE IF EXISTS " + name_);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  ScratchRole(const ScratchRole&) = delete;
  ScratchRole& operator=(const ScratchRole&) = delete;

 private:
  std::string server_;
  std::string name_;
};

class PostgresBadInputTest : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(PostgresBadInputTest, OneLineExitOnePasswordHiddenDatabaseUntouched) {
  const BadInputCase& c = GetParam();
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  // The role name is the database's name, so parallel tests never clash.
  std::string role = db.name() + "_user";
  ScratchRole role_guard(server, role);
  PostgresExec(server, "CREATE ROLE " + role + " LOGIN PASSWORD '" + kPassword + "'");
  TempProject project(TwoRevisions());
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));

  Arranged setup{db, PgUrl::Parse(db.url())};
  std::string url = c.arrange(setup);
  std::string before = PgSnapshot(db);
  CliResult result = RunRetort({"--url", url, "upgrade", "head"}, project.root(), {}, 60);
  EXPECT_TRUE(IsOneLineError(result, 1, c.needles));
  EXPECT_TRUE(NeverPrints(result, kPassword));
  EXPECT_TRUE(NeverPrints(result, setup.url.password));
  EXPECT_EQ(PgSnapshot(db), before);
  // No database was created on the way (e.g. for the missing one).
  EXPECT_THAT(Column(db, "SELECT datname FROM pg_database WHERE datname LIKE '" + db.name() + "%'"),
              ElementsAre(db.name()));
}

// The role created for the test, with kPassword.
PgUrl AsRole(const Arranged& s) {
  PgUrl url = s.url;
  url.user = s.db.name() + "_user";
  url.password = kPassword;
  return url;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PostgresBadInputTest,
    ::testing::Values(
        BadInputCase{"UnreachableHost",
                     [](Arranged& s) {
                       PgUrl url = AsRole(s);
                       url.port = "1";  // nothing listens on port 1
                       return url.Format();
                     },
                     {"127.0.0.1", "Connection refused||could not connect"}},
        BadInputCase{"WrongPassword",
                     [](Arranged& s) {
                       PgUrl url = s.url;
                       url.password = kPassword;  // not the server's password
                       return url.Format();
                     },
                     {"password authentication failed", "retort_test"}},
        BadInputCase{"MissingDatabase",
                     [](Arranged& s) {
                       PgUrl url = AsRole(s);
                       url.database = s.db.name() + "_missing";
                       return url.Format();
                     },
                     {"does not exist", "_missing"}},
        BadInputCase{"SslRequiredButServerHasNone",
                     [](Arranged& s) {
                       PgUrl url = AsRole(s);
                       url.query = "sslmode=require";
                       return url.Format("postgres");
                     },
                     {"SSL"}},
        BadInputCase{"NoPrivilegeToCreateTheVersionTable",
                     [](Arranged& s) {
                       // The version table is missing and the role may not
                       // create tables in public.
                       s.db.Exec("DROP TABLE retort_version; DROP TABLE t1");
                       s.db.Exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
                       return AsRole(s).Format();
                     },
                     {"retort_version", "permission denied", "42501"}},
        BadInputCase{"NoPrivilegeOnTheVersionTable",
                     [](Arranged& s) {
                       s.db.Exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
                       return AsRole(s).Format();
                     },
                     {"permission denied", "42501"}},
        BadInputCase{"VersionTableWithUnexpectedColumns",
                     [](Arranged& s) {
                       s.db.Exec(
                           "ALTER TABLE retort_version ADD COLUMN applied_at TIMESTAMP "
                           "DEFAULT now()");
                       return s.url.Format();
                     },
                     {"retort_version", "applied_at||column"}},
        BadInputCase{"VersionTableWithoutVersionNum",
                     [](Arranged& s) {
                       s.db.Exec("ALTER TABLE retort_version RENAME COLUMN version_num TO rev");
                       return s.url.Format();
                     },
                     {"retort_version", "version_num"}}),
    [](const ::testing::TestParamInfo<BadInputCase>& info) { return info.param.name; });

// The server drops retort's connection while a revision runs: one line,
// exit 1, and (one transaction) nothing of the run is left.
TEST(PostgresConnectionLostTest, ServerTerminatesTheBackendMidRun) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(TwoRevisions());
  project.AddRevision({.id = "ccc333",
                       .revises = {"bbb222"},
                       .upgrade = "CREATE TABLE t3 (id INTEGER);\nSELECT pg_sleep(30);",
                       .downgrade = "DROP TABLE t3;"});
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  std::string before = PgSnapshot(db);

  BackgroundProcess run(RetortArgv({"upgrade", "head"}), project.root());
  const std::string find_backend =
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
      "AND pid <> pg_backend_pid() AND query LIKE '%pg_sleep(30)%'";
  ASSERT_TRUE(WaitUntil([&] { return !db.Query(find_backend).empty(); })) << "ccc333 never started";
  db.Query("SELECT pg_terminate_backend(pid) FROM (" + find_backend + ") AS running");

  CliResult result = run.Wait();
  EXPECT_TRUE(IsOneLineError(
      result, 1,
      {"ccc333", "terminating connection||server closed the connection||57P01||connection"}));
  EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db.url()).password));
  EXPECT_EQ(PgSnapshot(db), before);
  EXPECT_THAT(PgVersionRows(db), ElementsAre("aaa111"));
}

// upgrade opens the PostgreSQL connection while it reads the revision
// files (runtime/early_connection.h); a broken file is still the error
// reported, as it was when the files were read first, and the connection
// failure is not.
TEST(PostgresErrorOrderTest, ABrokenRevisionFileIsReportedBeforeAnUnreachableServer) {
  TempProject project(TwoRevisions());
  project.Write("migrations/versions/ccc333_broken.sql",
                "-- Revises: bbb222\n\n-- migrate:upgrade\nSELECT 1;\n");
  std::string url = std::string("postgresql://deployer:") + kPassword + "@127.0.0.1:1/app";
  for (const char* command : {"upgrade", "downgrade", "stamp"}) {
    CliResult result = RunRetort({"--url", url, command, "head"}, project.root());
    EXPECT_TRUE(IsOneLineError(result, 1, {"ccc333_broken.sql:1", "no 'Revision ID' header"}))
        << command;
    EXPECT_TRUE(NeverPrints(result, "127.0.0.1")) << command << ": " << result.Describe();
    EXPECT_TRUE(NeverPrints(result, kPassword)) << command;
  }
  CliResult current = RunRetort({"--url", url, "current"}, project.root());
  EXPECT_TRUE(IsOneLineError(current, 1, {"ccc333_broken.sql:1"}));
}

// --wait SECONDS retries the connection for that long before failing with
// the connection error (for containers whose database starts alongside).
TEST(PostgresWaitTest, WaitRetriesThenFailsWithTheConnectionError) {
  TempProject project(TwoRevisions());
  std::string url = std::string("postgresql://deployer:") + kPassword + "@127.0.0.1:1/app";
  auto start = std::chrono::steady_clock::now();
  CliResult result = RunRetort({"--wait", "2", "--url", url, "upgrade", "head"}, project.root());
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(IsOneLineError(result, 1, {"127.0.0.1"}));
  EXPECT_TRUE(NeverPrints(result, kPassword));
  EXPECT_GE(took, std::chrono::milliseconds(1500)) << "did not wait:\n" << result.Describe();
}

TEST(PostgresWaitTest, WaitSucceedsAtOnceWhenTheServerIsUp) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(TwoRevisions());
  project.WriteConfig(PgConfig(db.url()));
  ASSERT_TRUE(Succeeded(RunRetort({"--wait", "30", "upgrade", "head"}, project.root())));
  EXPECT_THAT(PgVersionRows(db), ElementsAre("bbb222"));
}

TEST(PostgresWaitTest, WaitMustBeANumber) {
  TempProject project(TwoRevisions());
  CliResult result = RunRetort({"--wait", "soon", "current"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 2, {"--wait||wait"}));
}

}  // namespace
}  // namespace retort::test
