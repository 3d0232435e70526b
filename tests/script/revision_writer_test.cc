#include "script/revision_writer.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "project_fixture.h"
#include "retort/error.h"
#include "script/project_template.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class RevisionWriterTest : public ProjectTest {
 protected:
  fs::path Write(NewRevision request) {
    Config config = LoadConfig();
    return WriteRevision(config, ScriptDirectory::Load(config), request);
  }
  std::string WriteError(NewRevision request) {
    try {
      Write(std::move(request));
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
  static NewRevision Request(const std::string& message, const std::string& rev_id) {
    NewRevision request;
    request.message = message;
    request.rev_id = rev_id;
    return request;
  }
  size_t FileCount(const std::string& folder = "migrations/versions") const {
    size_t n = 0;
    for (const auto& entry : fs::directory_iterator(dir_.path() / folder))
      n += entry.is_regular_file();
    return n;
  }
};

TEST_F(RevisionWriterTest, WritesTheFirstRevisionFromTheDefaultTemplate) {
  fs::path path = Write(Request("Add users table", "ae1027a6acf"));
  EXPECT_EQ(path, dir_.path() / "migrations/versions/ae1027a6acf_add_users_table.sql");
  std::string text = ReadAll(path);
  std::smatch date;
  ASSERT_TRUE(std::regex_search(
      text, date,
      std::regex("-- Create Date: (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?)\n")))
      << text;
  EXPECT_EQ(text,
            "-- Add users table\n--\n-- Revision ID: ae1027a6acf\n-- Revises: \n"
            "-- Create Date: " +
                date[1].str() +
                "\n-- Branch Labels: \n-- Depends On: \n"
                "-- Transactional: yes\n\n-- migrate:upgrade\n\n\n-- migrate:downgrade\n\n");
  Script script = ParseRevisionFile(path);
  EXPECT_EQ(script.revision.doc, "Add users table");
  EXPECT_FALSE(script.upgrade.has_statements);
}

TEST_F(RevisionWriterTest, ChainsOnTheHeadAndNamesFilesByTemplate) {
  WriteConfig(
      "file_template = %%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s\n"
      "truncate_slug_length = 10\ntimezone = UTC\n");
  fs::path first = Write(Request("one", "a1"));
  fs::path second = Write(Request("Second revision, with words", "b2"));
  EXPECT_TRUE(std::regex_match(second.filename().string(), std::regex("20\\d{6}_b2_second_.sql")))
      << second;
  Script script = ParseRevisionFile(second);
  EXPECT_EQ(script.revision.down_revisions, (std::vector<std::string>{"a1"}));
  EXPECT_NE(first, second);
}

TEST_F(RevisionWriterTest, GeneratesRandomIds) {
  NewRevision request;
  request.message = "";
  fs::path path = Write(request);
  Script script = ParseRevisionFile(path);
  EXPECT_TRUE(std::regex_match(script.revision.id, std::regex("[0-9a-f]{12}")))
      << script.revision.id;
  EXPECT_EQ(script.revision.doc, "empty message");
  EXPECT_EQ(path.filename().string(), script.revision.id + "_.sql");
}

TEST_F(RevisionWriterTest, RendersBodiesLabelsAndMultiLineMessages) {
  Revision("a.sql", "a", "", "-- Branch Labels: core");
  Revision("b.sql", "bbbb1234", "a");
  NewRevision request = Request("first line\nsecond line", "c");
  request.branch_labels = {"feature", "x.y"};
  request.depends_on = {"bbbb", "core"};
  request.upgrade_sql = "CREATE TABLE t (x int);\nCREATE INDEX i ON t (x);";
  request.downgrade_sql = "DROP TABLE t;";
  Script script = ParseRevisionFile(Write(request));
  EXPECT_EQ(script.revision.doc, "first line\nsecond line");
  EXPECT_EQ(script.revision.down_revisions, (std::vector<std::string>{"bbbb1234"}));
  EXPECT_EQ(script.revision.branch_labels, (std::vector<std::string>{"feature", "x.y"}));
  // A prefix resolves to the full id; a branch label stays a label.
  EXPECT_EQ(script.revision.dependencies, (std::vector<std::string>{"bbbb1234", "core"}));
  EXPECT_EQ(script.upgrade.sql, "CREATE TABLE t (x int);\nCREATE INDEX i ON t (x);\n\n");
  EXPECT_EQ(script.downgrade.sql, "DROP TABLE t;\n");
}

TEST_F(RevisionWriterTest, MergesHeadsInTheGivenOrder) {
  Revision("a.sql", "a");
  Revision("b.sql", "b", "a");
  Revision("c.sql", "c", "a");
  NewRevision request = Request("merge", "m");
  request.heads = {"c", "b"};
  EXPECT_EQ(ParseRevisionFile(Write(request)).revision.down_revisions,
            (std::vector<std::string>{"c", "b"}));
}

TEST_F(RevisionWriterTest, HeadsSpecMergesEveryHead) {
  Revision("a.sql", "a");
  Revision("b.sql", "b", "a");
  Revision("c.sql", "c", "a");
  NewRevision request = Request("merge all", "m");
  request.heads = {"heads"};
  EXPECT_EQ(ParseRevisionFile(Write(request)).revision.down_revisions,
            (std::vector<std::string>{"b", "c"}));
}

TEST_F(RevisionWriterTest, SpliceAndBaseStartNewBranches) {
  Revision("a.sql", "a");
  Revision("b.sql", "b", "a");
  NewRevision splice = Request("branch", "s");
  splice.heads = {"a"};
  splice.splice = true;
  EXPECT_EQ(ParseRevisionFile(Write(splice)).revision.down_revisions,
            (std::vector<std::string>{"a"}));
  NewRevision root = Request("new root", "r");
  root.heads = {"base"};
  EXPECT_TRUE(ParseRevisionFile(Write(root)).revision.down_revisions.empty());
}

TEST_F(RevisionWriterTest, PicksTheVersionLocationOfTheHead) {
  WriteConfig("version_locations = migrations/versions other\n");
  Revision("a.sql", "a", "", "", "other");
  NewRevision request = Request("next", "n");
  EXPECT_EQ(Write(request).parent_path(), dir_.path() / "other");

  NewRevision root = Request("root", "r");
  root.heads = {"base"};
  root.version_path = dir_.path() / "migrations" / "versions";
  EXPECT_EQ(Write(root).parent_path(), dir_.path() / "migrations" / "versions");
}

TEST_F(RevisionWriterTest, RefusesLikeAlembic) {
  Revision("a.sql", "a", "", "-- Branch Labels: core");
  Revision("b.sql", "b", "a");
  Revision("c.sql", "c", "a");
  struct Case {
    const char* name;
    std::function<void(NewRevision&)> setup;
    std::string want;
  };
  const Case cases[] = {
      {"multiple heads", [](NewRevision&) {},
       "Multiple heads are present; please specify the head revision on which the new revision "
       "should be based, or perform a merge."},
      {"not a head", [](NewRevision& r) { r.heads = {"a"}; },
       "Revision a is not a head revision; please specify --splice to create a new branch from "
       "this revision"},
      {"unknown head", [](NewRevision& r) { r.heads = {"zz"}; },
       "Can't locate revision identified by 'zz'"},
      {"duplicate heads",
       [](NewRevision& r) {
         r.heads = {"b", "b"};
       },
       "Duplicate head revisions specified"},
      {"existing id", [](NewRevision& r) { r.heads = {"b"}, r.rev_id = "c"; },
       "Revision c is already present in " + (dir_.path() / "migrations/versions/c.sql").string()},
      {"illegal id", [](NewRevision& r) { r.heads = {"b"}, r.rev_id = "x-y@z"; },
       "Character(s) '-, @' not allowed in revision identifier 'x-y@z'"},
      {"label in use", [](NewRevision& r) { r.heads = {"b"}, r.branch_labels = {"core"}; },
       "Branch name 'core' in revision n already used by revision a"},
      {"label equals an id", [](NewRevision& r) { r.heads = {"b"}, r.branch_labels = {"c"}; },
       "Branch name 'c' in revision n already used by revision c"},
      {"bad label", [](NewRevision& r) { r.heads = {"b"}, r.branch_labels = {"a@b"}; },
       "Bad branch label 'a@b': use letters, digits, '_', '-' or '.'"},
      {"unknown dependency", [](NewRevision& r) { r.heads = {"b"}, r.depends_on = {"nope"}; },
       "Can't locate revision identified by 'nope'"},
      {"foreign version path",
       [&](NewRevision& r) { r.heads = {"b"}, r.version_path = dir_.path() / "elsewhere"; },
       "Path " + (dir_.path() / "elsewhere").string() +
           " is not represented in current version locations"},
  };
  for (const Case& c : cases) {
    NewRevision request = Request("n", "n");
    c.setup(request);
    EXPECT_EQ(WriteError(request), c.want) << c.name;
  }
  EXPECT_EQ(FileCount(), 3u);
}

TEST_F(RevisionWriterTest, NeedsAVersionPathForANewRootAmongSeveralLocations) {
  WriteConfig("version_locations = migrations/versions other\n");
  fs::create_directories(dir_.path() / "other");
  EXPECT_EQ(WriteError(Request("root", "r")),
            "Multiple version locations present, please specify --version-path");
}

TEST_F(RevisionWriterTest, RefusesToOverwriteAnExistingPath) {
  // A folder named like the new file: the loader skips it, the writer must
  // not clobber it.
  fs::path path = dir_.path() / "migrations/versions/x_same.sql";
  fs::create_directories(path);
  EXPECT_EQ(WriteError(Request("same", "x")), "File " + path.string() + " already exists");
}

TEST_F(RevisionWriterTest, ChecksTheTemplate) {
  struct Case {
    const char* name;
    const char* tmpl;
    std::string want;
  };
  std::string tmpl_path = (dir_.path() / "migrations/script.sql.tmpl").string();
  const Case cases[] = {
      {"unknown placeholder", "-- ${message}\n-- Revision ID: ${rev}\n",
       tmpl_path + ":2: unknown placeholder '${rev}'"},
      {"unterminated", "-- ${message\n", tmpl_path + ":1: unterminated placeholder '${message'"},
      {"no revision id", "-- ${message}\n-- migrate:upgrade\n",
       "no 'Revision ID' header (check " + tmpl_path + ")"},
      {"wrong revision id", "-- Revision ID: fixed\n-- migrate:upgrade\n",
       tmpl_path + " does not render 'Revision ID: n'; check its header lines"},
      {"no labels",
       "-- Revision ID: ${up_revision}\n-- Revises: ${down_revision}\n-- migrate:upgrade\n",
       "Version n specified branch_labels lbl, however the migration file " +
           (dir_.path() / "migrations/versions/n_n.sql").string() +
           " does not have them; have you upgraded your script.sql.tmpl to include the 'Branch "
           "Labels' header?"},
  };
  for (const Case& c : cases) {
    dir_.Write("migrations/script.sql.tmpl", c.tmpl);
    NewRevision request = Request("n", "n");
    request.branch_labels = {"lbl"};
    std::string got = WriteError(request);
    EXPECT_NE(got.find(c.want), std::string::npos) << c.name << ": " << got;
    EXPECT_EQ(FileCount(), 0u) << c.name;
  }
}

TEST_F(RevisionWriterTest, UsesTheProjectTemplate) {
  dir_.Write("migrations/script.sql.tmpl",
             "## a template comment\n-- ${message}\n-- Revision ID: ${up_revision}\n"
             "-- Revises: ${down_revision}\n-- Depends On: ${depends_on}\n"
             "-- Transactional: no\n-- migrate:upgrade\nSELECT '$$x$$';\n");
  Script script = ParseRevisionFile(Write(Request("custom", "c1")));
  EXPECT_FALSE(script.transactional);
  EXPECT_EQ(script.header_text,
            "custom\nRevision ID: c1\nRevises:\nDepends On:\nTransactional: no");
  EXPECT_EQ(script.upgrade.sql, "SELECT '$x$';\n");
}

TEST_F(RevisionWriterTest, ReportsABadFileTemplate) {
  WriteConfig("file_template = %%(rev)s_%%(nope)s\n");
  EXPECT_EQ(WriteError(Request("x", "x")),
            (dir_.path() / "retort.ini").string() +
                ": setting 'file_template': unknown token '%(nope)s'");
}

TEST(RevisionTemplateTextTest, DefaultTemplateDocumentsItsSyntax) {
  std::string text = RevisionTemplateText("generic");
  EXPECT_EQ(text.rfind("## ", 0), 0u);
  EXPECT_NE(text.find("${name} is replaced"), std::string::npos);
  EXPECT_NE(RevisionTemplateText("postgresql").find("CONCURRENTLY"), std::string::npos);
  EXPECT_THROW(RevisionTemplateText("nope"), UsageError);
}

}  // namespace
}  // namespace retort::script
