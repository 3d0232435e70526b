// `retort status [--json]` as a user runs it: one screen, exit 0 even when
// it reports problems.
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
using ::testing::HasSubstr;

TEST(StatusTest, FreshDatabaseListsEveryRevisionAsPending) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  CliResult result = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(
      result.OutLines(),
      ElementsAre("Database:  sqlite:///app.db", "Current:   base (nothing applied)",
                  "Heads:     bbb222", "Pending:   2 revisions", "  upgrade  -> aaa111, create t1",
                  "  upgrade aaa111 -> bbb222, create t2",
                  "Integrity: ok (no history table yet: checksums are recorded from the "
                  "next upgrade)",
                  "Schema:    not checked (no `schema` configured)"));
  EXPECT_FALSE(std::filesystem::exists(project.db()) && !TableNames(project.db()).empty())
      << "status changes nothing";
}

TEST(StatusTest, EditedRevisionIsListedNotRefused) {
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  RevisionSpec edited = TableRevision("aaa111", {}, "t1");
  edited.upgrade = "CREATE TABLE t1 (id BIGINT);";
  project.AddRevision(edited);
  CliResult result = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  std::vector<std::string> lines = result.OutLines();
  ASSERT_EQ(lines.size(), 7u) << result.Describe();
  EXPECT_EQ(lines[1], "Current:   aaa111");
  EXPECT_EQ(lines[3], "Pending:   none, up to date");
  EXPECT_EQ(lines[4], "Integrity: 1 problem");
  EXPECT_THAT(lines[5], HasSubstr("  Revision file migrations/versions/aaa111_create_t1.sql "
                                  "(aaa111) changed after it was applied"));
}

TEST(StatusTest, JsonForMachines) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  ExecSql(project.db(), "UPDATE retort_version_history SET checksum = 'x\"y'");
  CliResult result = RunRetort({"status", "--json"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  ASSERT_EQ(result.OutLines().size(), 1u);
  // The file's checksum varies with nothing the test controls; mask it.
  std::string out = result.out;
  const std::string key = "\"file_checksum\":\"";
  size_t at = out.find(key);
  ASSERT_NE(at, std::string::npos) << out;
  out.replace(at + key.size(), 64, "<sha256>");
  EXPECT_EQ(
      out,
      R"({"database":"sqlite:///app.db","current":["aaa111"],"heads":["bbb222"],)"
      R"("pending":[{"revision":"bbb222","description":"upgrade aaa111 -> bbb222, create t2"}],)"
      R"("up_to_date":false,"history_table":true,"half_applied":[],"integrity_problems":[{"kind":"malformed_checksum",)"
      R"("revision":"aaa111","file":"migrations/versions/aaa111_create_t1.sql",)"
      R"("recorded_checksum":"x\"y","file_checksum":"<sha256>","message":"History table has a )"
      R"(malformed checksum 'x\"y' for revision aaa111 (migrations/versions/aaa111_create_t1.sql), )"
      R"(expected 64 hex digits; review the file, then run `retort repair`"}],"schema":null})"
      "\n");
}

TEST(StatusTest, DeclaredSchemaMatchOrDifferences) {
  TempProject project({TableRevision("aaa111", {}, "t1")}, "schema = schema.sql");
  project.Write("schema.sql", "CREATE TABLE t1 (id INTEGER);\n");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  CliResult matches = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(matches));
  EXPECT_EQ(matches.OutLines().back(), "Schema:    matches the declared schema");

  project.Write("schema.sql", "CREATE TABLE t1 (id INTEGER);\nCREATE TABLE t9 (id INTEGER);\n");
  CliResult differs = RunRetort({"status"}, project.root());
  ASSERT_TRUE(Succeeded(differs));
  EXPECT_THAT(differs.out, HasSubstr("Schema:    2 differences from the declared schema\n"
                                     "  missing in database: table t9\n"));
  CliResult json = RunRetort({"status", "--json"}, project.root());
  EXPECT_THAT(json.out, HasSubstr(R"("schema":{"matches":false,"differences":[")"));
}

}  // namespace
}  // namespace retort::test
