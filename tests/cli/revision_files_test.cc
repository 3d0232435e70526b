// Reading revision files as a user's folder holds them: files that cannot be
// read, and edits the integrity check must catch (issue 16).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
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
using ::testing::Not;

namespace fs = std::filesystem;

std::vector<RevisionSpec> Chain() {
  return {TableRevision("aaa111", {}, "t1"), TableRevision("bbb222", {"aaa111"}, "t2")};
}

TEST(RevisionFilesTest, DanglingOrLoopingSymlinkIsAnErrorNamingIt) {
  TempProject project(Chain());
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "aaa111"}, project.root())));
  DbState before = Snapshot(project.db());
  // The newest revision, moved away with its symlink left behind.
  fs::path link = project.versions_dir() / "ccc333_newest.sql";
  fs::create_symlink(project.root() / "shared" / "ccc333_newest.sql", link);
  for (const std::vector<std::string>& command :
       std::vector<std::vector<std::string>>{{"upgrade", "head"}, {"heads"}, {"history"}}) {
    CliResult result = RunRetort(command, project.root());
    EXPECT_TRUE(IsOneLineError(
        result, 1,
        {"migrations/versions/ccc333_newest.sql", "cannot read revision file", "symlink"}))
        << command[0];
  }
  EXPECT_EQ(Snapshot(project.db()), before);

  fs::remove(link);
  fs::create_symlink("ccc333_newest.sql", link);  // points at itself
  CliResult loop = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(
      loop, 1, {"migrations/versions/ccc333_newest.sql", "Too many levels of symbolic links"}));
  EXPECT_EQ(Snapshot(project.db()), before);

  // A symlink to a real file is read like the file.
  fs::remove(link);
  project.Write("shared/ccc333_newest.sql",
                RenderRevision(TableRevision("ccc333", {"bbb222"}, "t3")));
  fs::create_symlink(project.root() / "shared" / "ccc333_newest.sql", link);
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("ccc333"));
}

TEST(RevisionFilesTest, WhitespaceEditInsideBracketIdentifierIsCaught) {
  // [first name] and [first  name] are different SQLite columns.
  RevisionSpec spec = TableRevision("aaa111", {}, "t1");
  spec.upgrade = "CREATE TABLE people ([first name] TEXT);";
  spec.downgrade = "DROP TABLE people;";
  TempProject project({spec});
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  spec.upgrade = "CREATE TABLE people ([first  name] TEXT);";
  project.AddRevision(spec);
  DbState before = Snapshot(project.db());
  CliResult refused = RunRetort({"upgrade", "head"}, project.root());
  EXPECT_TRUE(IsOneLineError(refused, 1, {"aaa111", "changed after it was applied"}));
  EXPECT_EQ(Snapshot(project.db()), before);
  CliResult status = RunRetort({"status"}, project.root());
  EXPECT_THAT(status.out, HasSubstr("changed after it was applied"));
}

TEST(RevisionFilesTest, ChecksumRecordedBeforeTheBracketFixIsRepairedOnce) {
  // A database migrated by a retort that collapsed whitespace inside
  // [brackets]: 42e186f9... is what it recorded for this very file. The
  // file is reported once; `retort repair` records the new checksum.
  TempProject project;
  project.Write("migrations/versions/pin1.sql",
                "-- pin\n--\n-- Revision ID: pin1\n-- Revises:\n\n-- migrate:upgrade\n"
                "CREATE TABLE [my\n  table] (id INTEGER);\n\n-- migrate:downgrade\n"
                "DROP TABLE [my\n  table];\n");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  ExecSql(project.db(),
          "UPDATE retort_version_history SET checksum = "
          "'42e186f960659d1110fd1c2d9a3944416424a826409ac6c71544f333a38fee10'");
  CliResult status = RunRetort({"status"}, project.root());
  EXPECT_THAT(status.out, HasSubstr("changed after it was applied"));
  ASSERT_TRUE(Succeeded(RunRetort({"repair"}, project.root())));
  CliResult again = RunRetort({"status"}, project.root());
  EXPECT_THAT(again.out, Not(HasSubstr("changed after it was applied")));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "base"}, project.root())));
}

}  // namespace
}  // namespace retort::test
