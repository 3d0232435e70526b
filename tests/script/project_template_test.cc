#include "script/project_template.h"

#include <gtest/gtest.h>

#include "retort/config.h"
#include "retort/error.h"
#include "script/revision_template.h"
#include "script/revision_writer.h"
#include "script/script_directory.h"
#include "testing/scoped_env.h"
#include "testing/temp_dir.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;
using test::ScopedCurrentPath;
using test::ScopedEnv;
using test::TempDir;

class InitProjectTest : public ::testing::Test {
 protected:
  std::string InitError(const fs::path& directory, const fs::path& config,
                        const std::string& name = "generic") {
    try {
      InitProject(directory, config, name);
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  TempDir dir_;
  ScopedCurrentPath cwd_{dir_.path()};
  ScopedEnv no_url_{"DATABASE_URL", nullptr};
};

TEST_F(InitProjectTest, CreatesAWorkingProject) {
  std::vector<fs::path> created = InitProject("migrations", "retort.ini", "generic");
  // .gitignore lists the revision cache (docs/performance.md).
  EXPECT_EQ(created, (std::vector<fs::path>{"migrations", "migrations/versions",
                                            "migrations/script.sql.tmpl", "migrations/.gitignore",
                                            "retort.ini"}));
  EXPECT_NE(test::ReadFile(dir_.path() / "migrations/.gitignore").find(".retort-cache"),
            std::string::npos);
  Config config = Config::Load({});
  EXPECT_EQ(config.script_location(), dir_.path() / "migrations");
  EXPECT_EQ(config.Url().path(), "app.db");
  // To the second: revisions made in one minute sort by creation.
  EXPECT_EQ(config.file_template(),
            "%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d%(second).2d_%(rev)s_%(slug)s");
  EXPECT_EQ(config.version_table(), "retort_version");
  EXPECT_EQ(config.Get("timezone"), "UTC");
  EXPECT_FALSE(config.transaction_per_migration());

  ScriptDirectory scripts = ScriptDirectory::Load(config);
  NewRevision request;
  request.message = "first";
  request.rev_id = "f1";
  fs::path path = WriteRevision(config, scripts, request);
  EXPECT_EQ(ParseRevisionFile(path).revision.id, "f1");
  // Template comments do not reach revision files.
  EXPECT_EQ(ParseRevisionFile(path).header_text.find("##"), std::string::npos);
}

TEST_F(InitProjectTest, PostgresqlTemplate) {
  InitProject("db", "retort.ini", "postgresql");
  Config config = Config::Load({});
  EXPECT_EQ(config.Url().backend(), DatabaseUrl::Backend::kPostgresql);
  EXPECT_EQ(config.Url().Redacted(), "postgresql://user:***@localhost:5432/app");
}

TEST_F(InitProjectTest, PointsAConfigElsewhereAtTheFolder) {
  InitProject("migrations", "conf/dev.ini", "generic");
  ConfigSource source;
  source.file = "conf/dev.ini";
  EXPECT_EQ(Config::Load(source).script_location(), dir_.path() / "migrations");
  EXPECT_NE(Config::Load(source).GetOr("script_location", "").find("migrations"),
            std::string::npos);

  InitProject(dir_.path() / "abs", "abs.ini", "generic");
  source.file = "abs.ini";
  EXPECT_EQ(Config::Load(source).script_location(), dir_.path() / "abs");
}

TEST_F(InitProjectTest, AcceptsAnEmptyExistingFolder) {
  fs::create_directories("migrations");
  EXPECT_EQ(InitProject("migrations", "retort.ini", "generic").front(), "migrations/versions");
}

TEST_F(InitProjectTest, Refuses) {
  dir_.Write("full/x", "");
  dir_.Write("taken.ini", "");
  dir_.Write("afile", "");
  EXPECT_EQ(InitError("full", "retort.ini"), "Directory full already exists and is not empty");
  EXPECT_EQ(InitError("afile", "retort.ini"), "Directory afile already exists and is not empty");
  EXPECT_EQ(InitError("migrations", "taken.ini"), "Config file 'taken.ini' already exists");
  EXPECT_EQ(InitError("migrations", "retort.ini", "mysql"), "No such template 'mysql'");
  // Nothing was created by the refusals.
  EXPECT_FALSE(fs::exists("migrations"));
  EXPECT_FALSE(fs::exists("retort.ini"));
}

TEST(ListTemplatesTest, OffersGenericAndPostgresql) {
  std::vector<ProjectTemplate> templates = ListTemplates();
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].name, "generic");
  EXPECT_EQ(templates[1].name, "postgresql");
  for (const ProjectTemplate& t : templates) {
    EXPECT_FALSE(t.description.empty());
    EXPECT_EQ(t.description.find('\n'), std::string::npos);
  }
}

TEST(RenderRevisionTemplateTest, Substitutes) {
  const std::map<std::string, std::string> values = {
      {"message", "one\ntwo"}, {"id", "a1"}, {"empty", ""}, {"body", "x;\ny;"}};
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"-- ${message}\n", "-- one\n-- two\n"},
      {"${body}\n", "x;\ny;\n"},
      {"id=${id} ${ id }|${empty}|", "id=a1 a1||"},
      {"## dropped\n  ## dropped too\nkept ## not a comment\n", "kept ## not a comment\n"},
      {"$$ $$$$ $1 $body$ cost: 5$\n", "$ $$ $1 $body$ cost: 5$\n"},
      {"no newline at end", "no newline at end"},
  };
  for (const Case& c : cases)
    EXPECT_EQ(RenderRevisionTemplate(c.text, values, "t"), c.want) << c.text;
}

TEST(RenderRevisionTemplateTest, ReportsErrorsWithLine) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"ok\n${nope}\n", "t.tmpl:2: unknown placeholder '${nope}'"},
      {"## ${nope}\n${id\n", "t.tmpl:2: unterminated placeholder '${id'"},
  };
  for (const Case& c : cases) {
    try {
      RenderRevisionTemplate(c.text, {{"id", "x"}}, "t.tmpl");
      ADD_FAILURE() << "no error for " << c.text;
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), c.want);
    }
  }
}

}  // namespace
}  // namespace retort::script
