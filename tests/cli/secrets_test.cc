// A password in a URL never appears in output: not in errors, progress or
// --sql scripts, whichever way the URL arrives.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

TEST(SecretTest, FailedConnectionIsOneLineWithoutThePassword) {
  TempProject project;
  CliResult result = RunRetort({"--url", kUrl, "current"}, project.root(), {}, 30);
  EXPECT_TRUE(IsOneLineError(result, 1, {"127.0.0.1"}));
  EXPECT_THAT(result.err, Not(HasSubstr(kSecret)));
}

}  // namespace
}  // namespace retort::test
