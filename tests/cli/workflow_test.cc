// The main workflow, as a user runs it: init, revision, edit, upgrade,
// current, history, downgrade; branches, merges, labels and stamp.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

// The path a `revision`/`merge` run printed, made absolute against `cwd`.
std::filesystem::path PrintedPath(const CliResult& result, const std::filesystem::path& cwd) {
  std::filesystem::path path = FindSqlPath(result.out);
  if (path.empty()) return path;
  return path.is_absolute() ? path : cwd / path;
}

TEST(WorkflowTest, InitRevisionUpgradeCurrentHistoryDowngrade) {
  TempDir dir;
  const std::filesystem::path db = dir / "app.db";

  // init
  CliResult init = RunRetort({"init", "migrations"}, dir.path());
  ASSERT_TRUE(Succeeded(init));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "retort.ini"));
  EXPECT_TRUE(std::filesystem::is_directory(dir / "migrations" / "versions"));
  EXPECT_TRUE(std::filesystem::is_regular_file(dir / "migrations" / "script.sql.tmpl"));
  EXPECT_THAT(ReadFile(dir / "retort.ini"), HasSubstr("url = sqlite:///app.db"));

  // revision -m: a generated 12-hex id, no parent.
  CliResult first = RunRetort({"revision", "-m", "add users"}, dir.path());
  ASSERT_TRUE(Succeeded(first));
  std::filesystem::path first_file = PrintedPath(first, dir.path());
  ASSERT_TRUE(std::filesystem::is_regular_file(first_file)) << first.Describe();
  EXPECT_EQ(first_file.parent_path(), dir / "migrations" / "versions");
  std::string first_text = ReadFile(first_file);
  std::smatch match;
  ASSERT_TRUE(
      std::regex_search(first_text, match, std::regex(R"(-- Revision ID: ([0-9a-f]{12})\s*\n)")))
      << first_text;
  const std::string rev1 = match[1];
  EXPECT_THAT(first_file.filename().string(), HasSubstr(rev1));
  EXPECT_THAT(first_file.filename().string(), HasSubstr("add_users"));
  EXPECT_THAT(first_text, HasSubstr("add users"));
  EXPECT_THAT(first_text, HasSubstr("-- migrate:upgrade"));
  EXPECT_THAT(first_text, HasSubstr("-- migrate:downgrade"));
  EXPECT_TRUE(std::regex_search(first_text, std::regex(R"(-- Revises:[ \t]*\n)"))) << first_text;
  FillSections(first_file, "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
               "DROP TABLE users;");

  // A second revision revises the first.
  CliResult second = RunRetort({"revision", "-m", "add posts", "--rev-id", "posts1"}, dir.path());
  ASSERT_TRUE(Succeeded(second));
  std::filesystem::path second_file = PrintedPath(second, dir.path());
  ASSERT_TRUE(std::filesystem::is_regular_file(second_file)) << second.Describe();
  std::string second_text = ReadFile(second_file);
  EXPECT_THAT(second_text, HasSubstr("-- Revision ID: posts1"));
  EXPECT_TRUE(std::regex_search(second_text, std::regex("-- Revises: " + rev1))) << second_text;
  FillSections(second_file,
               "CREATE TABLE posts (id INTEGER PRIMARY KEY,\n"
               "                    user_id INTEGER REFERENCES users(id));\n"
               "CREATE INDEX ix_posts_user ON posts(user_id);",
               "DROP INDEX ix_posts_user;\nDROP TABLE posts;");

  // Nothing touched the database yet.
  EXPECT_FALSE(std::filesystem::exists(db));

  // upgrade head: both run, one progress line each, on stderr.
  CliResult up = RunRetort({"upgrade", "head"}, dir.path());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(TableNames(db),
              ElementsAre("posts", "retort_version", "retort_version_history", "users"));
  EXPECT_THAT(VersionRows(db), ElementsAre("posts1"));
  EXPECT_THAT(up.err, HasSubstr("Running upgrade  -> " + rev1 + ", add users"));
  EXPECT_THAT(up.err, HasSubstr("Running upgrade " + rev1 + " -> posts1, add posts"));
  EXPECT_LT(up.err.find("-> " + rev1), up.err.find("-> posts1"));

  // upgrade head again: nothing to do.
  CliResult again = RunRetort({"upgrade", "head"}, dir.path());
  ASSERT_TRUE(Succeeded(again));
  EXPECT_THAT(again.err, Not(HasSubstr("Running upgrade")));

  // current marks the head.
  CliResult current = RunRetort({"current"}, dir.path());
  ASSERT_TRUE(Succeeded(current));
  EXPECT_THAT(current.OutLines(), ElementsAre("posts1 (head)"));

  // heads
  CliResult heads = RunRetort({"heads"}, dir.path());
  ASSERT_TRUE(Succeeded(heads));
  EXPECT_THAT(heads.OutLines(), ElementsAre("posts1 (head)"));

  // history: newest first.
  CliResult history = RunRetort({"history"}, dir.path());
  ASSERT_TRUE(Succeeded(history));
  EXPECT_THAT(history.OutLines(), ElementsAre(rev1 + " -> posts1 (head), add posts",
                                              "<base> -> " + rev1 + ", add users"));

  // history -i marks the current revision.
  CliResult history_i = RunRetort({"history", "-i"}, dir.path());
  ASSERT_TRUE(Succeeded(history_i));
  EXPECT_THAT(history_i.out, HasSubstr("posts1 (head) (current)"));

  // show
  CliResult show = RunRetort({"show", rev1}, dir.path());
  ASSERT_TRUE(Succeeded(show));
  EXPECT_THAT(show.out, HasSubstr(rev1));
  EXPECT_THAT(show.out, HasSubstr("add users"));

  // downgrade -1
  CliResult down = RunRetort({"downgrade", "-1"}, dir.path());
  ASSERT_TRUE(Succeeded(down));
  EXPECT_THAT(down.err, HasSubstr("Running downgrade posts1 -> " + rev1));
  EXPECT_THAT(TableNames(db), ElementsAre("retort_version", "retort_version_history", "users"));
  EXPECT_THAT(VersionRows(db), ElementsAre(rev1));
  CliResult current_after = RunRetort({"current"}, dir.path());
  ASSERT_TRUE(Succeeded(current_after));
  EXPECT_THAT(current_after.OutLines(), ElementsAre(rev1));

  // downgrade base: only the version table is left, with no rows.
  CliResult to_base = RunRetort({"downgrade", "base"}, dir.path());
  ASSERT_TRUE(Succeeded(to_base));
  EXPECT_THAT(TableNames(db), ElementsAre("retort_version", "retort_version_history"));
  EXPECT_THAT(VersionRows(db), IsEmpty());
  CliResult current_base = RunRetort({"current"}, dir.path());
  ASSERT_TRUE(Succeeded(current_base));
  EXPECT_THAT(current_base.out, Not(HasSubstr(rev1)));

  // Relative upgrade from base.
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "+1"}, dir.path())));
  EXPECT_THAT(VersionRows(db), ElementsAre(rev1));
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "+1"}, dir.path())));
  EXPECT_THAT(VersionRows(db), ElementsAre("posts1"));
}

TEST(WorkflowTest, InitRefusesToOverwrite) {
  TempDir dir;
  ASSERT_TRUE(Succeeded(RunRetort({"init", "migrations"}, dir.path())));
  WriteFile(dir / "retort.ini", "[retort]\n# mine\n");
  CliResult again = RunRetort({"init", "migrations"}, dir.path());
  EXPECT_TRUE(IsOneLineError(again, 1, {"migrations||retort.ini"}));
  EXPECT_EQ(ReadFile(dir / "retort.ini"), "[retort]\n# mine\n");
}

TEST(WorkflowTest, QuietSuppressesProgress) {
  TempProject project({{.id = "aaa111",
                        .upgrade = "CREATE TABLE t1 (id INTEGER);",
                        .downgrade = "DROP TABLE t1;",
                        .message = "one"}});
  CliResult up = RunRetort({"-q", "upgrade", "head"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(up.err, Not(HasSubstr("Running upgrade")));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
}

// aaa111 <- bbb222 (label auth) and aaa111 <- ccc333: two heads.
std::vector<RevisionSpec> BranchedRevisions() {
  return {
      {.id = "aaa111",
       .upgrade = "CREATE TABLE t1 (id INTEGER);",
       .downgrade = "DROP TABLE t1;",
       .message = "root"},
      {.id = "bbb222",
       .revises = {"aaa111"},
       .upgrade = "CREATE TABLE t2 (id INTEGER);",
       .downgrade = "DROP TABLE t2;",
       .message = "auth branch",
       .labels = {"auth"}},
      {.id = "ccc333",
       .revises = {"aaa111"},
       .upgrade = "CREATE TABLE t3 (id INTEGER);",
       .downgrade = "DROP TABLE t3;",
       .message = "other branch"},
  };
}

TEST(WorkflowTest, BranchesLabelsAndMerge) {
  TempProject project(BranchedRevisions());
  const auto& root = project.root();

  CliResult heads = RunRetort({"heads"}, root);
  ASSERT_TRUE(Succeeded(heads));
  std::vector<std::string> head_lines = heads.OutLines();
  std::sort(head_lines.begin(), head_lines.end());
  EXPECT_THAT(head_lines, ElementsAre("bbb222 (auth) (head)", "ccc333 (head)"));

  CliResult branches = RunRetort({"branches"}, root);
  ASSERT_TRUE(Succeeded(branches));
  EXPECT_THAT(branches.out, HasSubstr("aaa111"));
  EXPECT_THAT(branches.out, HasSubstr("bbb222"));
  EXPECT_THAT(branches.out, HasSubstr("ccc333"));

  // label@head upgrades one branch only.
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "auth@head"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1", "t2"));

  // heads upgrades the rest: one row per head.
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222", "ccc333"));
  CliResult current = RunRetort({"current"}, root);
  ASSERT_TRUE(Succeeded(current));
  std::vector<std::string> current_lines = current.OutLines();
  std::sort(current_lines.begin(), current_lines.end());
  // As Alembic: `current` shows no branch labels, `heads` does.
  EXPECT_THAT(current_lines, ElementsAre("bbb222 (head)", "ccc333 (head)"));

  // merge heads -> one head; upgrade head then works.
  CliResult merge = RunRetort({"merge", "heads", "-m", "merge them", "--rev-id", "mmm444"}, root);
  ASSERT_TRUE(Succeeded(merge));
  std::filesystem::path merge_file = PrintedPath(merge, root);
  ASSERT_TRUE(std::filesystem::is_regular_file(merge_file)) << merge.Describe();
  std::string merge_text = ReadFile(merge_file);
  EXPECT_TRUE(
      std::regex_search(merge_text, std::regex("-- Revises: (bbb222, ccc333|ccc333, bbb222)")))
      << merge_text;
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("mmm444"));

  // As in Alembic, -1 from a merge point is ambiguous (two parents)...
  CliResult ambiguous = RunRetort({"downgrade", "-1"}, root);
  EXPECT_TRUE(IsOneLineError(ambiguous, 1, {"Ambiguous walk"}));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("mmm444"));
  // ...while naming a parent restores both heads.
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "bbb222"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222", "ccc333"));
}

TEST(WorkflowTest, LabelAtBaseRemovesOnlyThatBranch) {
  // Two roots: aaa111, and xxx111 <- yyy222 labelled auth.
  TempProject project({
      {.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "xxx111",
       .upgrade = "CREATE TABLE tx (id INTEGER);",
       .downgrade = "DROP TABLE tx;",
       .labels = {"auth"}},
      {.id = "yyy222",
       .revises = {"xxx111"},
       .upgrade = "CREATE TABLE ty (id INTEGER);",
       .downgrade = "DROP TABLE ty;"},
  });
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "heads"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111", "yyy222"));
  ASSERT_TRUE(Succeeded(RunRetort({"downgrade", "auth@base"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("aaa111"));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1"));
}

TEST(WorkflowTest, DependsOnRunsTheDependencyFirst) {
  TempProject project({
      {.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "bbb222",
       .revises = {"aaa111"},
       .upgrade = "CREATE TABLE t2 (id INTEGER);",
       .downgrade = "DROP TABLE t2;"},
      {.id = "ddd444",
       .upgrade = "CREATE TABLE t4 (id INTEGER);",
       .downgrade = "DROP TABLE t4;",
       .labels = {"other"}},
      {.id = "eee555",
       .revises = {"ddd444"},
       .upgrade = "CREATE TABLE t5 (id INTEGER REFERENCES t2(id));",
       .downgrade = "DROP TABLE t5;",
       .depends_on = {"bbb222"}},
  });
  CliResult up = RunRetort({"upgrade", "eee555"}, project.root());
  ASSERT_TRUE(Succeeded(up));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("retort_version", "retort_version_history", "t1", "t2", "t4", "t5"));
  EXPECT_LT(up.err.find("-> bbb222"), up.err.find("-> eee555")) << up.err;
}

TEST(WorkflowTest, StampSetsTheVersionTableOnly) {
  TempProject project(BranchedRevisions());
  const auto& root = project.root();
  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "bbb222"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
  EXPECT_THAT(TableNames(project.db()), ElementsAre("retort_version", "retort_version_history"));

  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "--purge", "ccc333"}, root)));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("ccc333"));

  ASSERT_TRUE(Succeeded(RunRetort({"stamp", "base"}, root)));
  EXPECT_THAT(VersionRows(project.db()), IsEmpty());
}

TEST(WorkflowTest, EnsureVersionCreatesTheTable) {
  TempProject project;
  ASSERT_TRUE(Succeeded(RunRetort({"ensure_version"}, project.root())));
  EXPECT_THAT(TableNames(project.db()), ElementsAre("retort_version", "retort_version_history"));
  EXPECT_THAT(VersionRows(project.db()), IsEmpty());
}

TEST(WorkflowTest, VersionTableSettingAdoptsAlembicTable) {
  TempProject project(
      {{.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"}},
      "version_table = alembic_version");
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db(), "alembic_version"), ElementsAre("aaa111"));
  EXPECT_THAT(TableNames(project.db()),
              ElementsAre("alembic_version", "alembic_version_history", "t1"));
}

TEST(WorkflowTest, TransactionalNoRevisionRuns) {
  TempProject project({
      {.id = "aaa111", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "bbb222",
       .revises = {"aaa111"},
       .upgrade = "VACUUM;",
       .downgrade = "VACUUM;",
       .transactional = false},
  });
  ASSERT_TRUE(Succeeded(RunRetort({"upgrade", "head"}, project.root())));
  EXPECT_THAT(VersionRows(project.db()), ElementsAre("bbb222"));
}

TEST(WorkflowTest, ListTemplates) {
  TempDir dir;
  CliResult result = RunRetort({"list_templates"}, dir.path());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(result.out, HasSubstr("generic"));
}

}  // namespace
}  // namespace retort::test
