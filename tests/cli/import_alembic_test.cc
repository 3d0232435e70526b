// `retort import alembic`, checked the way a team switching would check it:
// against Alembic itself (Debian's alembic, run as a process) on fixtures of
// real shape (tests/import/alembic_projects/): the same history, the same
// statements in the same order, the same resulting schema, a database
// migrated halfway by Alembic finished by retort, and the bad inputs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const fs::path kFixtures = fs::path(RETORT_SOURCE_DIR) / "tests/import/alembic_projects";
// The worked example's Alembic project (docs/migrating.md) is the "shop"
// fixture: a merge, two bases, a label, depends_on, two version locations,
// annotated assignments, a data migration, an env.py importing the app.
const fs::path kExample = fs::path(RETORT_SOURCE_DIR) / "examples/alembic_shop";

// A fixture copied into a temp folder (Alembic and retort both write there).
fs::path CopyFixture(const TempDir& dir, const std::string& name) {
  fs::path to = dir / name;
  fs::copy(name == "shop" ? kExample / "alembic" : kFixtures / name, to,
           fs::copy_options::recursive);
  return to;
}

// Every file under `root`, relative path -> content.
std::map<std::string, std::string> Tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file()) {
      files[entry.path().lexically_relative(root).generic_string()] = ReadFile(entry.path());
    }
  }
  return files;
}

CliResult Alembic(const std::vector<std::string>& args, const fs::path& cwd) {
  std::vector<std::string> argv{"/usr/bin/alembic"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, cwd);
}

// The statements of a --sql script, whitespace collapsed, without comments,
// transaction boundaries and version-table statements (which the issue sets
// aside: retort also keeps a history table).
std::vector<std::string> Statements(const std::string& script) {
  std::string text;
  for (const std::string& line : SplitLines(script)) {
    if (line.rfind("--", 0) == 0) continue;
    text += line + "\n";
  }
  std::vector<std::string> out;
  static const std::regex kEnd(";[ \t]*\n");
  for (std::sregex_token_iterator it(text.begin(), text.end(), kEnd, -1), end; it != end; ++it) {
    std::string statement = std::regex_replace(it->str(), std::regex("\\s+"), " ");
    statement = std::regex_replace(statement, std::regex("^ | $"), "");
    if (statement.empty() || statement == "BEGIN" || statement == "COMMIT" ||
        statement.find("alembic_version") != std::string::npos) {
      continue;
    }
    out.push_back(statement);
  }
  return out;
}

class ImportAlembicShop : public ::testing::Test {
 protected:
  void SetUp() override {
    shop_ = CopyFixture(dir_, "shop");
    CliResult imported =
        RunRetort({"import", "alembic", "alembic.ini", "--dialect", "sqlite"}, shop_);
    ASSERT_EQ(imported.exit_code, 0) << imported.Describe();
    report_ = imported.out;
    project_ = shop_ / "retort";
  }

  TempDir dir_;
  fs::path shop_, project_;
  std::string report_;
};

TEST_F(ImportAlembicShop, ReportsAndKeepsIdsFileNamesAndLayout) {
  EXPECT_THAT(report_, HasSubstr("Imported 7 revisions from alembic.ini [alembic] into"));
  EXPECT_THAT(report_, HasSubstr("rendered by Alembic offline: 7"));
  EXPECT_THAT(report_, HasSubstr("need a hand: 0"));
  EXPECT_TRUE(
      fs::exists(project_ / "migrations/versions/4d5e6f708192_merge_orders_and_status.sql"));
  EXPECT_TRUE(fs::exists(project_ / "audit/versions/a1b2c3d4e5f6_audit_log.sql"));
  EXPECT_TRUE(fs::exists(project_ / "migrations/script.sql.tmpl"));
  std::string ini = ReadFile(project_ / "retort.ini");
  EXPECT_THAT(ini, HasSubstr("version_table = alembic_version\n"));
  EXPECT_THAT(ini, HasSubstr("version_locations = migrations/versions audit/versions\n"));
  std::string merge =
      ReadFile(project_ / "migrations/versions/4d5e6f708192_merge_orders_and_status.sql");
  EXPECT_THAT(merge, HasSubstr("-- Revises: 2b3c4d5e6f70, 3c4d5e6f7081\n"));
  EXPECT_THAT(merge, HasSubstr("-- Create Date: 2023-04-13 10:00:00.000000\n"));
  // No temporary folder is left beside the result.
  for (const auto& entry : fs::directory_iterator(shop_)) {
    EXPECT_THAT(entry.path().filename().string(), ::testing::Not(StartsWith(".retort")));
  }
}

TEST_F(ImportAlembicShop, TheExamplesCommittedResultIsWhatTheImportWrites) {
  EXPECT_EQ(Tree(project_), Tree(kExample / "retort"));
}

TEST_F(ImportAlembicShop, HistoryAndHeadsAreAlembics) {
  for (std::vector<std::string> command :
       {std::vector<std::string>{"history"}, {"heads"}, {"history", "-r", "audit@base:"}}) {
    CliResult alembic = Alembic(command, shop_);
    CliResult retort = RunRetort(command, project_);
    ASSERT_EQ(alembic.exit_code, 0) << alembic.Describe();
    ASSERT_EQ(retort.exit_code, 0) << retort.Describe();
    EXPECT_EQ(retort.out, alembic.out) << command.front();
  }
}

TEST_F(ImportAlembicShop, OfflineScriptRunsAlembicsStatementsInAlembicsOrder) {
  CliResult alembic = Alembic({"upgrade", "heads", "--sql"}, shop_);
  CliResult retort = RunRetort({"upgrade", "heads", "--sql"}, project_);
  ASSERT_EQ(alembic.exit_code, 0) << alembic.Describe();
  ASSERT_EQ(retort.exit_code, 0) << retort.Describe();
  std::vector<std::string> expected = Statements(alembic.out);
  ASSERT_GE(expected.size(), 12u);
  EXPECT_EQ(Statements(retort.out), expected);

  alembic = Alembic({"downgrade", "heads:base", "--sql"}, shop_);
  retort = RunRetort({"downgrade", "heads:base", "--sql"}, project_);
  if (alembic.exit_code == 0) {
    ASSERT_EQ(retort.exit_code, 0) << retort.Describe();
    EXPECT_EQ(Statements(retort.out), Statements(alembic.out));
  }
}

// A SQLite database as a user compares two: the catalog and the rows, with
// whitespace in the stored CREATE statements collapsed (Alembic sends tabs
// online and prints spaces offline), timestamps of DEFAULT CURRENT_TIMESTAMP
// masked, and retort's own history table left out.
std::string Compared(const fs::path& db) {
  ExecSql(db, "DROP TABLE IF EXISTS alembic_version_history");
  std::string dump = std::regex_replace(FullDump(db), std::regex("[ \t\n]+"), " ");
  // retort creates the version column wider than Alembic (docs/file-formats.md).
  dump = std::regex_replace(dump, std::regex("version_num VARCHAR\\(\\d+\\)"),
                            "version_num VARCHAR(n)");
  return std::regex_replace(dump, std::regex("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d"), "<now>");
}

TEST_F(ImportAlembicShop, SameSchemaAsAlembicAndAHalfwayDatabaseContinues) {
  // Alembic all the way on one database...
  ASSERT_EQ(Alembic({"upgrade", "heads"}, shop_).exit_code, 0);
  const std::string alembic_schema = Compared(shop_ / "shop.db");
  fs::rename(shop_ / "shop.db", shop_ / "by_alembic.db");

  // ...retort all the way on another (retort.ini copied sqlite:///shop.db,
  // relative to the current folder, as in SQLAlchemy).
  CliResult up = RunRetort({"upgrade", "heads"}, shop_ / "retort");
  ASSERT_EQ(up.exit_code, 0) << up.Describe();
  fs::path by_retort = project_ / "shop.db";
  EXPECT_EQ(Compared(by_retort), alembic_schema);
  EXPECT_THAT(alembic_schema, HasSubstr("Active (ordered at least once)"));

  // Halfway with Alembic, then retort: adopted as is, only the rest runs.
  ASSERT_EQ(Alembic({"upgrade", "2b3c4d5e6f70"}, shop_).exit_code, 0);
  CliResult alembic_current = Alembic({"current"}, shop_);
  CliResult current = RunRetort({"--url", "sqlite:///../shop.db", "current"}, project_);
  ASSERT_EQ(current.exit_code, 0) << current.Describe();
  EXPECT_EQ(current.out, alembic_current.out);
  CliResult rest = RunRetort({"--url", "sqlite:///../shop.db", "upgrade", "heads"}, project_);
  ASSERT_EQ(rest.exit_code, 0) << rest.Describe();
  EXPECT_THAT(rest.err, ::testing::Not(HasSubstr("-> 2b3c4d5e6f70")));
  EXPECT_THAT(rest.err, HasSubstr("Running upgrade 1a2b3c4d5e6f -> 3c4d5e6f7081"));
  // Alembic itself now sees both heads as current.
  CliResult after = Alembic({"current"}, shop_);
  EXPECT_THAT(after.out, HasSubstr("5e6f708192a3 (head)\n"));
  EXPECT_THAT(after.out, HasSubstr("b2c3d4e5f6a7 (effective head)\n"));
  EXPECT_EQ(Compared(shop_ / "shop.db"), alembic_schema);
}

TEST(ImportAlembic, RevisionsThatNeedAHandAreListedAndRefuseToRun) {
  TempDir dir;
  fs::path project = CopyFixture(dir, "needs_hand");
  CliResult imported = RunRetort(
      {"import", "alembic", "--dialect", "sqlite", "--into", (dir / "converted").string()},
      project);
  EXPECT_EQ(imported.exit_code, 1) << imported.Describe();
  EXPECT_THAT(imported.out, HasSubstr("rendered by Alembic offline: 1"));
  EXPECT_THAT(imported.out, HasSubstr("need a hand: 3"));
  EXPECT_THAT(imported.out,
              HasSubstr("migrations/versions/0002_plan_from_app.sql (0002): imports 'myapp', "
                        "which cannot be imported without the application (line 11)"));
  EXPECT_THAT(imported.out,
              HasSubstr("migrations/versions/0003_backfill_domains.sql (0003): upgrade uses "
                        "op.get_bind().execute (it needs a live database connection) (line 20)"));
  EXPECT_THAT(imported.out, HasSubstr("0004_online_only.sql (0004): upgrade branches on "
                                      "context.is_offline_mode()"));
  EXPECT_THAT(imported.out, HasSubstr("irreversible: its downgrade() raises NotImplementedError"));
  EXPECT_THAT(ProblemLines(imported),
              ElementsAre(StartsWith("FAILED: 3 of 4 revisions could not be rendered")));

  fs::path converted = dir / "converted";
  std::string file = ReadFile(converted / "migrations/versions/0003_backfill_domains.sql");
  EXPECT_THAT(file, HasSubstr("-- Needs Rewrite: upgrade uses op.get_bind().execute"));
  EXPECT_THAT(file, HasSubstr("-- |     conn = op.get_bind()\n"));
  // The downgrade rendered, so it is kept.
  EXPECT_THAT(file, HasSubstr("ALTER TABLE accounts DROP COLUMN domain;"));

  // The graph is intact...
  CliResult history = RunRetort({"history"}, converted);
  EXPECT_EQ(history.exit_code, 0) << history.Describe();
  EXPECT_EQ(history.out, Alembic({"history"}, project).out);
  // ...but nothing runs through an unwritten revision, online or offline.
  CliResult up = RunRetort({"upgrade", "head"}, converted);
  EXPECT_EQ(up.exit_code, 1);
  EXPECT_THAT(
      ProblemLines(up),
      ElementsAre("FAILED: Revision 0002 (migrations/versions/0002_plan_from_app.sql) needs "
                  "its SQL written by hand: imports 'myapp', which cannot be imported "
                  "without the application (line 11); write it, then delete the file's "
                  "'Needs Rewrite' line (see docs/migrating.md)"));
  EXPECT_THAT(TableNames(converted / "app.db"), IsEmpty());
  EXPECT_EQ(RunRetort({"upgrade", "head", "--sql"}, converted).exit_code, 1);
  EXPECT_EQ(RunRetort({"upgrade", "0001"}, converted).exit_code, 0);

  // verify and lint point at them.
  CliResult verify = RunRetort({"verify"}, converted);
  EXPECT_EQ(verify.exit_code, 1);
  EXPECT_THAT(verify.err, HasSubstr("Revision 0002 (migrations/versions/0002_plan_from_app.sql) "
                                    "needs its SQL written by hand"));

  CliResult lint = RunRetort({"lint"}, converted);
  EXPECT_EQ(lint.exit_code, 1);
  EXPECT_THAT(lint.out,
              HasSubstr("migrations/versions/0003_backfill_domains.sql:1: needs-rewrite"));
  EXPECT_THAT(lint.out, HasSubstr("0002_plan_from_app.sql:1: needs-rewrite"));

  // With --allow-partial the same import exits 0.
  CliResult partial = RunRetort({"import", "alembic", "--dialect", "sqlite", "--allow-partial",
                                 "--into", (dir / "partial").string()},
                                project);
  EXPECT_EQ(partial.exit_code, 0) << partial.Describe();
}

TEST(ImportAlembic, AlembicFilesWhereRetortExpectsItsOwnNameTheImport) {
  TempDir dir;
  fs::path shop = CopyFixture(dir, "shop");
  CliResult current = RunRetort({"-c", "alembic.ini", "-n", "alembic", "current"}, shop);
  EXPECT_EQ(current.exit_code, 2);
  EXPECT_THAT(ProblemLines(current), ElementsAre(HasSubstr("holds Alembic revisions (.py files")));
  EXPECT_THAT(current.err, HasSubstr("retort import alembic"));

  // No retort.ini, but an alembic.ini: the same pointer.
  CliResult plain = RunRetort({"history"}, shop);
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_THAT(ProblemLines(plain),
              ElementsAre("FAILED: No config file 'retort.ini' found, but 'alembic.ini' is here: "
                          "convert the Alembic project with `retort import alembic alembic.ini "
                          "--dialect sqlite|postgresql`"));
}

struct BadInput {
  std::string name;
  std::string file;     // relative to the project
  std::string content;  // empty: remove the file
  int exit_code;
  std::string message;
};

TEST(ImportAlembic, BadInputsWriteNothingAndSayWhatIsWrong) {
  const std::string ok_header = "revision = 'c3'\ndown_revision = '0001'\n";
  const std::vector<BadInput> cases = {
      {"syntax error", "migrations/versions/c3_bad.py", ok_header + "def upgrade(:\n    pass\n", 1,
       "migrations/versions/c3_bad.py:3: invalid syntax"},
      {"no revision", "migrations/versions/c3_bad.py", "down_revision = '0001'\n", 1,
       "c3_bad.py:1: no 'revision = ...' assignment"},
      {"unknown parent", "migrations/versions/c3_bad.py",
       "revision = 'c3'\ndown_revision = 'nope'\n", 1,
       "c3_bad.py: Revision nope referenced from c3 is not present"},
      {"missing script_location", "alembic.ini", "[alembic]\nsqlalchemy.url = sqlite://\n", 2,
       "FAILED: No 'script_location' setting in [alembic] of alembic.ini"},
      {"package script_location", "alembic.ini", "[alembic]\nscript_location = myapp:migrations\n",
       2, "script_location 'myapp:migrations' names a Python package"},
      {"unreadable file", "migrations/versions/c3_dangling.py", "->nowhere", 1, "Cannot read '"},
      {"existing target", "retort/keep.txt", "mine", 1,
       "already exists; retort import writes a new project"},
  };
  for (const BadInput& c : cases) {
    TempDir dir;
    fs::path project = CopyFixture(dir, "needs_hand");
    fs::remove(project / "migrations/versions/0002_plan_from_app.py");
    fs::remove(project / "migrations/versions/0003_backfill_domains.py");
    fs::remove(project / "migrations/versions/0004_online_only.py");
    if (c.content == "->nowhere") {
      fs::create_symlink(dir / "nowhere.py", project / c.file);
    } else {
      WriteFile(project / c.file, c.content);
    }
    CliResult result = RunRetort({"import", "alembic", "--dialect", "sqlite"}, project);
    EXPECT_EQ(result.exit_code, c.exit_code) << c.name << ": " << result.Describe();
    std::vector<std::string> problems = ProblemLines(result);
    ASSERT_EQ(problems.size(), 1u) << c.name << ": " << result.Describe();
    EXPECT_THAT(problems[0], HasSubstr(c.message)) << c.name;
    if (c.name != "existing target") {
      EXPECT_FALSE(fs::exists(project / "retort")) << c.name;
    } else {
      EXPECT_EQ(ReadFile(project / "retort/keep.txt"), "mine");
    }
    for (const auto& entry : fs::directory_iterator(project)) {
      EXPECT_THAT(entry.path().filename().string(), ::testing::Not(StartsWith(".retort")))
          << c.name;
    }
  }
}

TEST(ImportAlembic, UsageErrors) {
  TempDir dir;
  fs::path project = CopyFixture(dir, "needs_hand");
  CliResult no_dialect = RunRetort({"import", "alembic"}, project);
  EXPECT_EQ(no_dialect.exit_code, 2);
  EXPECT_THAT(ProblemLines(no_dialect),
              ElementsAre("FAILED: retort import alembic needs --dialect sqlite or --dialect "
                          "postgresql (the SQL Alembic renders the revisions in)"));
  CliResult unknown = RunRetort({"import", "liquibase", "x"}, project);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(ProblemLines(unknown), ElementsAre(HasSubstr("Unknown tool 'liquibase'")));
  CliResult section =
      RunRetort({"import", "alembic", "-n", "nope", "--dialect", "sqlite"}, project);
  EXPECT_EQ(section.exit_code, 2);
  EXPECT_THAT(ProblemLines(section), ElementsAre("FAILED: No section 'nope' in alembic.ini"));

  // Without Alembic (a Python that cannot import it): one line, nothing written.
  dir.Write("python-without-site", "#!/bin/sh\nexec /usr/bin/python3 -S -I \"$@\"\n");
  fs::permissions(dir / "python-without-site", fs::perms::owner_all);
  CliResult missing = RunRetort({"import", "alembic", "--dialect", "sqlite"}, project,
                                {{"RETORT_PYTHON", (dir / "python-without-site").string()}});
  EXPECT_EQ(missing.exit_code, 2) << missing.Describe();
  EXPECT_THAT(ProblemLines(missing),
              ElementsAre(HasSubstr("retort import alembic needs Python with Alembic and "
                                    "SQLAlchemy while it imports (never to run migrations)")));
  EXPECT_FALSE(fs::exists(project / "retort"));
}

}  // namespace
}  // namespace retort::test
