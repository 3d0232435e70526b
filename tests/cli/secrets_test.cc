// A password in a URL never appears in output: not in errors, progress or
// --sql scripts, whichever way the URL arrives.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSecret = "s3cret";
// Port 1 on localhost: nothing listens, the connection is refused at once.
constexpr const char* kUrl = "postgresql://u:s3cret@127.0.0.1:1/db";

struct SecretCase {
  std::string name;
  std::vector<std::string> args;
  Env env;
  std::string config_url;  // url in retort.ini; empty: sqlite
};

// gtest names the case in failure output instead of dumping its bytes.
void PrintTo(const SecretCase& c, std::ostream* os) { *os << c.name; }

class SecretTest : public ::testing::TestWithParam<SecretCase> {};

TEST_P(SecretTest, PasswordNeverPrinted) {
  const SecretCase& c = GetParam();
  TempProject project({{.id = "aaa111",
                        .upgrade = "CREATE TABLE t1 (id INTEGER);",
                        .downgrade = "DROP TABLE t1;"}});
  if (!c.config_url.empty()) {
    project.WriteConfig("[retort]\nscript_location = migrations\nurl = " + c.config_url + "\n");
  }
  CliResult result = RunRetort(c.args, project.root(), c.env, 30);
  EXPECT_FALSE(result.timed_out);
  EXPECT_THAT(result.out, Not(HasSubstr(kSecret))) << result.Describe();
  EXPECT_THAT(result.err, Not(HasSubstr(kSecret))) << result.Describe();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, SecretTest,
    ::testing::Values(
        SecretCase{"UrlOption", {"--url", kUrl, "current"}, {}, ""},
        SecretCase{"DatabaseUrlEnv", {"current"}, {{"DATABASE_URL", kUrl}}, ""},
        SecretCase{"ConfigFile", {"upgrade", "head"}, {}, kUrl},
        SecretCase{"DriverSuffix",
                   {"--url", "postgresql+psycopg2://u:s3cret@127.0.0.1:1/db", "current"},
                   {},
                   ""},
        SecretCase{"MalformedPort",
                   {"--url", "postgresql://u:s3cret@127.0.0.1:notaport/db", "current"},
                   {},
                   ""},
        SecretCase{
            "UnsupportedScheme", {"--url", "oracle://u:s3cret@127.0.0.1/db", "current"}, {}, ""},
        SecretCase{"MysqlUnreachable",
                   {"--url", "mysql+pymysql://u:s3cret@127.0.0.1:1/db", "current"},
                   {},
                   ""},
        SecretCase{"MysqlBadParameter",
                   {"--url", "mysql://u:s3cret@127.0.0.1/db?ssl-mode=bogus", "current"},
                   {},
                   ""},
        SecretCase{"OfflineScript", {"--url", kUrl, "upgrade", "base:head", "--sql"}, {}, ""}),
    [](const ::testing::TestParamInfo<SecretCase>& info) { return info.param.name; });

// Passwords a URL carries in pieces (raw '@', '?', quote or space in them,
// typos before them): no piece may be printed.
struct PiecesCase {
  std::string name;
  std::string url;              // given with --url, $DATABASE_URL and in retort.ini
  std::string setting = "url";  // the retort.ini setting it is pasted into
};

void PrintTo(const PiecesCase& c, std::ostream* os) { *os << c.name; }

class PasswordPiecesTest : public ::testing::TestWithParam<PiecesCase> {};

// The password pieces are Qa1x, Qb2y and Qc3z.
TEST_P(PasswordPiecesTest, NoPieceIsPrinted) {
  const PiecesCase& c = GetParam();
  TempProject project;
  std::vector<CliResult> results;
  if (c.setting == "url") {
    results.push_back(RunRetort({"--url", c.url, "current"}, project.root(), {}, 30));
    results.push_back(
        RunRetort({"upgrade", "head"}, project.root(), {{"DATABASE_URL", c.url}}, 30));
    project.WriteConfig("[retort]\nscript_location = migrations\nurl = " + c.url + "\n");
  } else {
    project.WriteConfig("[retort]\nscript_location = migrations\n" + c.setting + " = " + c.url +
                        "\n");
  }
  results.push_back(RunRetort({"upgrade", "head"}, project.root(), {}, 30));
  for (const CliResult& result : results) {
    EXPECT_NE(result.exit_code, 0) << result.Describe();
    EXPECT_EQ(ProblemLines(result).size(), 1u) << result.Describe();
    for (const char* piece : {"Qa1x", "Qb2y", "Qc3z"}) {
      EXPECT_THAT(result.out + result.err, Not(HasSubstr(piece))) << result.Describe();
    }
  }
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PasswordPiecesTest,
    ::testing::Values(
        PiecesCase{"SchemeTypoOneSlash", "postgresql:/u:Qa1x@127.0.0.1:1/db"},
        PiecesCase{"SchemeTypoNoColon", "postgresql//u:Qa1x@127.0.0.1:1/db"},
        PiecesCase{"RawQuestionMark", "postgresql://u:Qa1x?Qb2y@127.0.0.1:1/db"},
        PiecesCase{"Quote", "postgresql://u:Qa1x'Qb2y@127.0.0.1:1/db"},
        PiecesCase{"Space", "postgresql://u:Qa1x Qb2y@127.0.0.1:1/db"},
        PiecesCase{"RawAtAndQuestionMark", "postgresql://u:Qa1x@Qb2y?Qc3z@127.0.0.1:1/db"},
        PiecesCase{"RawAtAndQuestionMarkBadPort",
                   "postgresql://u:Qa1x@Qb2y?Qc3z@127.0.0.1:notaport/db"},
        PiecesCase{"PasswordParameterBadPort",
                   "postgresql://u@127.0.0.1:notaport/db?password=Qa1x"},
        PiecesCase{"PastedIntoLockTimeout", "postgresql://u:Qa1x@Qb2y?Qc3z@h/db", "lock_timeout"},
        PiecesCase{"PastedIntoTransactionPerMigration", "postgresql://u:Qa1x?Qb2y@h/db",
                   "transaction_per_migration"}),
    [](const ::testing::TestParamInfo<PiecesCase>& info) { return info.param.name; });

TEST(SecretTest, FailedConnectionIsOneLineWithoutThePassword) {
  TempProject project;
  CliResult result = RunRetort({"--url", kUrl, "current"}, project.root(), {}, 30);
  EXPECT_TRUE(IsOneLineError(result, 1, {"127.0.0.1"}));
  EXPECT_THAT(result.err, Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace retort::test
