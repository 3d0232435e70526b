// Integrity as a user meets it: edit an applied revision, see upgrade
// refuse with one line, review, `retort repair`, upgrade again.
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
using ::testing::MatchesRegex;

TEST(IntegrityCliTest, EditedRevisionRefusesThenRepairAcceptsIt) {
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  RevisionSpec edited = TableRevision("aaa111", {}, "t1");
  edited.upgrade = "CREATE TABLE t1 (id INTEGER, name TEXT);";
  project.AddRevision(edited);
  project.AddRevision(TableRevision("bbb222", {"aaa111"}, "t2"));

  DbState before = Snapshot(project.db());
  CliResult refused = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(refused, 1,
                             {"Revision file migrations/versions/aaa111_create_t1.sql (aaa111) "
                              "changed after it was applied: recorded checksum ",
                              "retort repair"}));
  EXPECT_THAT(ProblemLines(refused)[0],
              MatchesRegex(".*recorded checksum [0-9a-f]{12}, file [0-9a-f]{12}; review the "
                           "change, then run `retort repair`"));
  EXPECT_EQ(Snapshot(project.db()), before);

  CliResult repaired = RunRetort({"repair"}, project.root());
  ASSERT_TRUE(Succeeded(repaired));
  EXPECT_THAT(repaired.OutLines(),
              ElementsAre(MatchesRegex("Recorded checksum of aaa111 "
                                       "\\(migrations/versions/aaa111_create_t1.sql\\): "
                                       "[0-9a-f]{12} -> [0-9a-f]{12}")));
  CliResult again = RunRetort({"repair"}, project.root());
  ASSERT_TRUE(Succeeded(again));
  EXPECT_THAT(again.OutLines(),
              ElementsAre("Nothing to repair: every applied revision matches its recorded "
                          "checksum."));

  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_EQ(VersionRows(project.db()), std::vector<std::string>{"bbb222"});
}

TEST(IntegrityCliTest, CommentEditsPass) {
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  RevisionSpec edited = TableRevision("aaa111", {}, "t1");
  edited.upgrade = "-- note: reviewed\nCREATE TABLE t1\n  (id INTEGER);";
  project.AddRevision(edited);
  EXPECT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
}

TEST(IntegrityCliTest, AlembicStampedDatabaseIsAdopted) {
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")},
      "version_table = alembic_version");
  ExecSql(project.db(),
          "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
          "alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES "
          "('aaa111'); CREATE TABLE t1 (id INTEGER);");
  CliResult result = RunRetort({"upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_EQ(ProblemLines(result), std::vector<std::string>{});
  EXPECT_EQ(QueryColumn(project.db(), "SELECT revision FROM alembic_version_history"),
            std::vector<std::string>{"bbb222"});
}

struct BadInputCase {
  std::string name;
  std::string tamper;  // SQL run on the upgraded database
  bool delete_file = false;
  std::vector<std::string> needles;
};

void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

class IntegrityBadInputTest : public ::testing::TestWithParam<BadInputCase> {};

TEST_P(IntegrityBadInputTest, OneLineExitOneDatabaseUntouched) {
  const BadInputCase& c = GetParam();
  TempProject project(
      {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  if (!c.tamper.empty()) ExecSql(project.db(), c.tamper);
  if (c.delete_file) std::filesystem::remove(project.versions_dir() / "bbb222_create_t2.sql");
  DbState before = Snapshot(project.db());
  CliResult result = RunRetort({"downgrade", "base"}, project.root());
  EXPECT_TRUE(IsOneLineError(result, 1, c.needles));
  EXPECT_EQ(Snapshot(project.db()), before);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, IntegrityBadInputTest,
    ::testing::Values(
        BadInputCase{"unexpected_column",
                     "ALTER TABLE retort_version_history ADD COLUMN who TEXT",
                     false,
                     {"History table main.retort_version_history has unexpected columns "
                      "(revision, checksum, applied_at, duration_ms, revises, who)"}},
        BadInputCase{"missing_column",
                     "ALTER TABLE retort_version_history DROP COLUMN duration_ms",
                     false,
                     {"History table main.retort_version_history has unexpected columns "
                      "(revision, checksum, applied_at, revises); expected revision, "
                      "checksum, applied_at, duration_ms, revises"}},
        BadInputCase{"non_hex_checksum",
                     "UPDATE retort_version_history SET checksum = 'XYZ' WHERE revision = "
                     "'aaa111'",
                     false,
                     {"History table has a malformed checksum 'XYZ' for revision aaa111 "
                      "(migrations/versions/aaa111_create_t1.sql)",
                      "retort repair"}},
        BadInputCase{
            "applied_file_deleted",
            "",
            true,
            {"Can't locate revision identified by 'bbb222': applied revision bbb222 has no "
             "file (deleted?)"}}),
    [](const ::testing::TestParamInfo<BadInputCase>& info) { return info.param.name; });

TEST(IntegrityCliTest, StampRecordsNoChecksums) {
  TempProject project({TableRevision("aaa111", {}, "t1")});
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "head"}, project.root())));
  EXPECT_EQ(QueryColumn(project.db(), "SELECT count(*) FROM retort_version_history"),
            std::vector<std::string>{"0"});
}

}  // namespace
}  // namespace retort::test
