// Another SQL-file tool's migrations where retort expects its revisions:
// loading the project fails with one line naming the tool and the
// `retort import` command, instead of a bare parse error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "import/sql_tool_fixtures.h"
#include "retort/error.h"
#include "script/foreign_files.h"
#include "script/script_directory.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Optional;

TEST(ForeignFiles, RecognisesEachToolAndNotRetortsOwnFiles) {
  EXPECT_THAT(script::ForeignToolOf("20240101000000_a.sql", "-- migrate:up\nSELECT 1;\n"),
              Optional(std::string("dbmate")));
  EXPECT_THAT(script::ForeignToolOf("20240101000000_a.sql",
                                    "-- comment\n-- migrate:up transaction:false\nSELECT 1;\n"),
              Optional(std::string("dbmate")));
  EXPECT_THAT(script::ForeignToolOf("1_a.sql", "-- +goose Up\nSELECT 1;\n"),
              Optional(std::string("goose")));
  EXPECT_THAT(script::ForeignToolOf("000001_create.up.sql", "CREATE TABLE a (id INT);\n"),
              Optional(std::string("golang-migrate")));
  EXPECT_THAT(script::ForeignToolOf("V1_1__create.sql", "CREATE TABLE a (id INT);\n"),
              Optional(std::string("flyway")));
  EXPECT_THAT(script::ForeignToolOf("R__views.sql", "CREATE VIEW v AS SELECT 1;\n"),
              Optional(std::string("flyway")));
  // retort's own file with a mistake in it keeps its own error.
  EXPECT_EQ(script::ForeignToolOf("V1__x.sql", "-- Revision ID: V1\n-- migrate:up\n"),
            std::nullopt);
  EXPECT_EQ(script::ForeignToolOf("notes.sql", "SELECT 1;\n"), std::nullopt);
}

class ForeignFolder : public ::testing::TestWithParam<import::SqlTool> {};

TEST_P(ForeignFolder, LoadingNamesTheImportCommand) {
  import::SqlTool tool = GetParam();
  TempDir dir;
  fs::path versions = dir / "migrations" / "versions";
  WriteToolFolder(tool, versions, 1);
  dir.Write("retort.ini", "[retort]\nscript_location = migrations\nurl = sqlite://\n");
  ConfigSource source;
  source.file = dir / "retort.ini";
  Config config = Config::Load(source);
  std::string name(import::SqlToolName(tool));
  try {
    script::ScriptDirectory::Load(config);
    ADD_FAILURE() << "loaded another tool's files";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_THAT(message, HasSubstr(": a " + name +
                                   " migration, not a retort revision; convert "
                                   "the folder with `retort import " +
                                   name + " " + versions.string() + "`"));
    EXPECT_EQ(message.find('\n'), std::string::npos);
  }
}

INSTANTIATE_TEST_SUITE_P(Tools, ForeignFolder, ::testing::ValuesIn(AllTools()),
                         [](const auto& info) {
                           std::string name(import::SqlToolName(info.param));
                           name.erase(std::remove(name.begin(), name.end(), '-'), name.end());
                           return name;
                         });

}  // namespace
}  // namespace retort::test
