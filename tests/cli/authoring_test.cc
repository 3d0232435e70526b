// `revision`, `merge` and `edit` as a user runs them: options that shape the
// new file, and the refusals (each one line, exit 1 or 2, nothing written).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::HasSubstr;

// A project made by `init`, so the real template is used.
class AuthoringTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(Succeeded(RunRetort({"init", "migrations"}, dir_.path()))); }

  // Runs `revision args...` and returns the new file's text.
  std::string NewRevision(const std::vector<std::string>& args) {
    std::vector<std::string> full{"revision"};
    full.insert(full.end(), args.begin(), args.end());
    CliResult result = RunRetort(full, dir_.path());
    EXPECT_TRUE(Succeeded(result));
    std::filesystem::path path = FindSqlPath(result.out);
    if (path.empty()) return "";
    if (!path.is_absolute()) path = dir_.path() / path;
    return ReadFile(path);
  }

  std::vector<std::string> VersionFiles(const std::filesystem::path& folder) const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  TempDir dir_;
};

TEST_F(AuthoringTest, HeaderOptions) {
  std::string root = NewRevision({"-m", "root", "--rev-id", "root1"});
  EXPECT_THAT(root, HasSubstr("-- Revision ID: root1"));

  std::string labelled = NewRevision(
      {"-m", "auth tables", "--head", "base", "--branch-label", "auth", "--rev-id", "auth1"});
  EXPECT_TRUE(std::regex_search(labelled, std::regex("-- Revises:[ \\t]*\\n"))) << labelled;
  EXPECT_THAT(labelled, HasSubstr("-- Branch Labels: auth"));

  std::string dependent = NewRevision(
      {"-m", "needs auth", "--head", "root1", "--depends-on", "auth1", "--rev-id", "dep1"});
  EXPECT_THAT(dependent, HasSubstr("-- Revises: root1"));
  EXPECT_THAT(dependent, HasSubstr("-- Depends On: auth1"));

  std::string on_label =
      NewRevision({"-m", "more auth", "--head", "auth@head", "--rev-id", "auth2"});
  EXPECT_THAT(on_label, HasSubstr("-- Revises: auth1"));

  std::string spliced =
      NewRevision({"-m", "side branch", "--head", "root1", "--splice", "--rev-id", "side1"});
  EXPECT_THAT(spliced, HasSubstr("-- Revises: root1"));
}

TEST_F(AuthoringTest, VersionPath) {
  std::filesystem::create_directories(dir_ / "more_versions");
  {
    std::string ini = ReadFile(dir_ / "retort.ini");
    WriteFile(dir_ / "retort.ini", std::regex_replace(ini, std::regex("version_locations =[^\\n]*"),
                                                      "version_locations = more_versions"));
  }
  CliResult result = RunRetort(
      {"revision", "-m", "elsewhere", "--rev-id", "else1", "--version-path", "more_versions"},
      dir_.path());
  ASSERT_TRUE(Succeeded(result));
  std::vector<std::string> files = VersionFiles(dir_ / "more_versions");
  ASSERT_EQ(files.size(), 1u);
  EXPECT_THAT(files[0], HasSubstr("else1_elsewhere"));
  CliResult heads = RunRetort({"heads"}, dir_.path());
  ASSERT_TRUE(Succeeded(heads));
  EXPECT_THAT(heads.out, HasSubstr("else1 (head)"));
}

TEST_F(AuthoringTest, FileTemplateAndSlug) {
  std::string ini = ReadFile(dir_ / "retort.ini");
  WriteFile(dir_ / "retort.ini", std::regex_replace(ini, std::regex("file_template =[^\\n]*"),
                                                    "file_template = %%(rev)s-%%(slug)s") +
                                     "\n");
  CliResult result =
      RunRetort({"revision", "-m", "Add Users, Posts & Tags!", "--rev-id", "abc123"}, dir_.path());
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(VersionFiles(dir_ / "migrations" / "versions"),
              ::testing::ElementsAre("abc123-add_users_posts_tags.sql"));
}

struct AuthoringErrorCase {
  std::string name;
  std::vector<std::string> args;
  int exit_code;
  std::vector<std::string> needles;
};

// gtest names the case in failure output instead of dumping its bytes.
void PrintTo(const AuthoringErrorCase& c, std::ostream* os) { *os << c.name; }

class AuthoringErrorTest : public ::testing::TestWithParam<AuthoringErrorCase> {};

// root1 <- a2 and root1 <- b2: two heads.
TEST_P(AuthoringErrorTest, OneLineNothingWritten) {
  const AuthoringErrorCase& c = GetParam();
  TempProject project({{.id = "root1", .upgrade = "SELECT 1;"},
                       {.id = "a2", .revises = {"root1"}, .upgrade = "SELECT 1;"},
                       {.id = "b2", .revises = {"root1"}, .upgrade = "SELECT 1;"}});
  CliResult result = RunRetort(c.args, project.root());
  EXPECT_TRUE(IsOneLineError(result, c.exit_code, c.needles));
  int files = 0;
  for ([[maybe_unused]] const auto& entry :
       std::filesystem::directory_iterator(project.versions_dir())) {
    ++files;
  }
  EXPECT_EQ(files, 3);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, AuthoringErrorTest,
    ::testing::Values(
        AuthoringErrorCase{
            "SeveralHeads", {"revision", "-m", "x"}, 1, {"Multiple heads are present"}},
        AuthoringErrorCase{
            "NotAHead", {"revision", "-m", "x", "--head", "root1"}, 1, {"root1", "--splice"}},
        AuthoringErrorCase{"UnknownHead",
                           {"revision", "-m", "x", "--head", "nosuch"},
                           1,
                           {"Can't locate revision identified by 'nosuch'"}},
        AuthoringErrorCase{
            "DuplicateRevId", {"revision", "-m", "x", "--head", "a2", "--rev-id", "b2"}, 1, {"b2"}},
        AuthoringErrorCase{"IllegalRevId",
                           {"revision", "-m", "x", "--head", "a2", "--rev-id", "bad-id"},
                           2,
                           {"bad-id"}},
        AuthoringErrorCase{"MergeUnknown", {"merge", "a2", "nosuch", "-m", "m"}, 1, {"nosuch"}},
        AuthoringErrorCase{"EditUnknown", {"edit", "nosuch"}, 1, {"nosuch"}}),
    [](const ::testing::TestParamInfo<AuthoringErrorCase>& info) { return info.param.name; });

TEST(EditTest, OpensTheFileInEditor) {
  TempProject project({{.id = "root1", .upgrade = "SELECT 1;", .file_name = "root1_x.sql"}});
  // The "editor" records the path it was given.
  CliResult result = RunRetort({"edit", "root1"}, project.root(),
                               {{"EDITOR", "sh -c 'echo \"$0\" > edited.txt'"}});
  ASSERT_TRUE(Succeeded(result));
  EXPECT_THAT(ReadFile(project.root() / "edited.txt"), HasSubstr("root1_x.sql"));
}

}  // namespace
}  // namespace retort::test
