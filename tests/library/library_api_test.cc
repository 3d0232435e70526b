// The operations (retort/operations.h) return the right values, on SQLite
// and PostgreSQL, from embedded migrations and from a Config; errors are
// retort::Error with the CLI's own lines; progress goes to the callback.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "library/library_fixture.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

std::vector<std::string> Ids(const std::vector<RevisionInfo>& revisions) {
  std::vector<std::string> ids;
  for (const RevisionInfo& revision : revisions) ids.push_back(revision.id);
  return ids;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The process's working folder, restored on destruction.
class ScopedCwd {
 public:
  explicit ScopedCwd(const std::filesystem::path& to) : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(to);
  }
  ~ScopedCwd() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

using LibraryApiTest = LibraryTest;

TEST(EmbeddedMigrationsTest, CarriesEveryFileByteForByteInNameOrder) {
  const EmbeddedMigrations& embedded = library_migrations();
  ASSERT_THAT(embedded.files, SizeIs(2));
  EXPECT_EQ(embedded.files[0].path, "migrations/versions/1a_create_items.sql");
  EXPECT_EQ(embedded.files[1].path, "migrations/versions/2b_label_items.sql");
  for (const EmbeddedMigrations::File& file : embedded.files) {
    EXPECT_EQ(file.content, ReadFile(kLibraryMigrations.parent_path() / std::string(file.path)))
        << file.path;
  }
}

TEST_P(LibraryApiTest, EmbeddedUpgradeReturnsAppliedStepsAndLogsTheCliLines) {
  StepRegistry steps = LabelSteps();
  std::vector<std::string> lines;
  Options options;
  options.steps = &steps;
  options.log = [&lines](const std::string& line) { lines.push_back(line); };
  TempDir empty;
  std::vector<AppliedStep> applied;
  {
    // No revision file anywhere near: the bytes come from the program.
    ScopedCwd cwd(empty.path());
    applied = Upgrade(url(), library_migrations(), "head", options);
  }
  ASSERT_THAT(applied, SizeIs(2));
  EXPECT_EQ(applied[0].revision, "a1b1");
  EXPECT_EQ(applied[0].direction, AppliedStep::Direction::kUpgrade);
  EXPECT_EQ(applied[0].description, "upgrade  -> a1b1, create items");
  EXPECT_EQ(applied[1].revision, "b2c2");
  EXPECT_EQ(applied[1].description, "upgrade a1b1 -> b2c2, label items");
  EXPECT_THAT(
      lines,
      ElementsAre(MatchesRegex("Running on .*"),  // the database about to change
                  MatchesRegex("Running upgrade  -> a1b1, create items \\([0-9]+ ms\\)"),
                  MatchesRegex("Running upgrade a1b1 -> b2c2, label items \\([0-9]+ ms\\)")));
  EXPECT_THAT(Column("SELECT label FROM labels ORDER BY item_id"),
              ElementsAre("short", "short", "long", "long"));
  EXPECT_THAT(Upgrade(url(), library_migrations(), "head", options), IsEmpty());
}

TEST_P(LibraryApiTest, CurrentHeadsHistoryAndStatusDescribeTheDatabase) {
  StepRegistry steps = LabelSteps();
  const EmbeddedMigrations& embedded = library_migrations();
  EXPECT_THAT(Current(url(), embedded, Quiet()), IsEmpty());
  Upgrade(url(), embedded, "a1b1", Quiet(&steps));

  std::vector<RevisionInfo> current = Current(url(), embedded, Quiet());
  ASSERT_THAT(current, SizeIs(1));
  EXPECT_EQ(current[0].id, "a1b1");
  EXPECT_TRUE(current[0].is_current);
  EXPECT_FALSE(current[0].is_head);
  EXPECT_EQ(current[0].message, "create items");
  EXPECT_EQ(current[0].path, "migrations/versions/1a_create_items.sql");

  std::vector<RevisionInfo> heads = Heads(embedded);
  ASSERT_THAT(heads, SizeIs(1));
  EXPECT_EQ(heads[0].id, "b2c2");
  EXPECT_EQ(heads[0].step, "label_items");
  EXPECT_THAT(heads[0].parents, ElementsAre("a1b1"));
  EXPECT_TRUE(heads[0].is_head);

  EXPECT_THAT(Ids(History(url(), embedded)), ElementsAre("b2c2", "a1b1"));
  EXPECT_THAT(Ids(History(url(), embedded, "current:")), ElementsAre("b2c2", "a1b1"));

  StatusReport status = Status(url(), embedded, Quiet());
  EXPECT_THAT(status.current, ElementsAre("a1b1"));
  EXPECT_THAT(status.heads, ElementsAre("b2c2"));
  ASSERT_THAT(status.pending, SizeIs(1));
  EXPECT_EQ(status.pending[0].revision, "b2c2");
  EXPECT_EQ(status.pending[0].description, "upgrade a1b1 -> b2c2, label items");
  EXPECT_FALSE(status.up_to_date());
  EXPECT_TRUE(status.history_table);
  EXPECT_THAT(status.problems, IsEmpty());
  EXPECT_FALSE(status.schema_differences.has_value());
  EXPECT_EQ(status.database.find("secret"), std::string::npos);
}

TEST_P(LibraryApiTest, ConfigOverloadsReadTheFilesAsTheCliDoes) {
  StepRegistry steps = LabelSteps();
  Config config = LoadConfig();
  std::vector<AppliedStep> up = Upgrade(config, "head", Quiet(&steps));
  ASSERT_THAT(up, SizeIs(2));
  EXPECT_THAT(Ids(Current(config)), ElementsAre("b2c2"));
  EXPECT_THAT(Ids(Heads(config)), ElementsAre("b2c2"));
  EXPECT_THAT(Ids(History(config, "a1b1:")), ElementsAre("b2c2", "a1b1"));
  EXPECT_TRUE(Status(config).up_to_date());

  std::vector<AppliedStep> down = Downgrade(config, "a1b1", Quiet(&steps));
  ASSERT_THAT(down, SizeIs(1));
  EXPECT_EQ(down[0].direction, AppliedStep::Direction::kDowngrade);
  EXPECT_EQ(down[0].revision, "b2c2");
  EXPECT_THAT(Tables(), ::testing::Not(::testing::Contains("labels")));

  std::vector<AppliedStep> stamped = Stamp(config, {"b2c2"}, Quiet());
  ASSERT_THAT(stamped, SizeIs(1));
  EXPECT_EQ(stamped[0].direction, AppliedStep::Direction::kStamp);
  EXPECT_EQ(stamped[0].revision, "b2c2");
  EXPECT_EQ(stamped[0].duration.count() >= 0, true);
  EXPECT_THAT(Ids(Current(config)), ElementsAre("b2c2"));
}

TEST_P(LibraryApiTest, ErrorsAreTheCliLines) {
  Config config = LoadConfig();
  CliResult cli = Cli({"upgrade", "zz9"});
  ASSERT_EQ(cli.exit_code, 1) << cli.Describe();
  try {
    Upgrade(config, "zz9", Quiet());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(cli.ErrLines(), ElementsAre(std::string("FAILED: ") + e.what()));
    EXPECT_EQ(e.ExitCode(), 1);
  }
  try {
    Upgrade(url(), library_migrations(), "zz9", Quiet());
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(cli.ErrLines(), ElementsAre(std::string("FAILED: ") + e.what()));
  }
  try {
    History(config, "nocolon");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    CliResult history = Cli({"history", "-r", "nocolon"});
    EXPECT_THAT(history.ErrLines(), ElementsAre(std::string("FAILED: ") + e.what()));
    EXPECT_EQ(e.ExitCode(), history.exit_code);
  }
  EXPECT_THROW(Upgrade("nosuch://db", library_migrations(), "head", Quiet()), UsageError);
  EXPECT_THAT(Tables(), IsEmpty());
}

TEST_P(LibraryApiTest, ChecksumsFromEmbeddedEqualTheCliFromFiles) {
  // Library first (embedded), then the CLI on the files: no integrity problem.
  StepRegistry steps = LabelSteps();
  Upgrade(url(), library_migrations(), "head", Quiet(&steps));
  CliResult upgrade = Cli({"upgrade", "head"});
  EXPECT_EQ(upgrade.exit_code, 0) << upgrade.Describe();
  CliResult status = Cli({"status"});
  EXPECT_THAT(status.OutLines(), ::testing::Contains("Integrity: ok")) << status.Describe();
  EXPECT_THAT(Status(url(), library_migrations(), Quiet()).problems, IsEmpty());

  // The reverse: the CLI records a1b1 from its file; the library, from its
  // embedded copy, finds nothing to refuse and runs the rest.
  Downgrade(url(), library_migrations(), "base", Quiet(&steps));
  ASSERT_EQ(Cli({"upgrade", "a1b1"}).exit_code, 0);
  EXPECT_THAT(Upgrade(url(), library_migrations(), "head", Quiet(&steps)), SizeIs(1));
  EXPECT_THAT(Status(url(), library_migrations(), Quiet()).problems, IsEmpty());
}

TEST_P(LibraryApiTest, AnEditedFileIsRefusedLikeTheCli) {
  Config config = LoadConfig();
  ASSERT_EQ(Cli({"upgrade", "a1b1"}).exit_code, 0);
  std::filesystem::path file = project().versions_dir() / "1a_create_items.sql";
  std::string text = ReadFile(file);
  text.replace(text.find("'kiwi'"), 6, "'pear'");
  std::ofstream(file, std::ios::binary) << text;
  CliResult cli = Cli({"upgrade", "head"});
  ASSERT_EQ(cli.exit_code, 1);
  StepRegistry steps = LabelSteps();
  // File paths in messages are relative to the working folder, as the CLI's.
  ScopedCwd cwd(project().root());
  try {
    Upgrade(config, "head", Quiet(&steps));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(cli.ErrLines(), ElementsAre(std::string("FAILED: ") + e.what()));
  }
  StatusReport status = Status(config);
  ASSERT_THAT(status.problems, SizeIs(1));
  EXPECT_EQ(status.problems[0].kind, IntegrityIssue::Kind::kChanged);
  EXPECT_EQ(status.problems[0].revision, "a1b1");
  EXPECT_TRUE(status.problems[0].recorded_checksum.has_value());
}

TEST_P(LibraryApiTest, VerifyReturnsThePassedChecksAndRunsTheSteps) {
  StepRegistry steps = LabelSteps();
  VerifyReport report = Verify(LoadConfig(), Quiet(&steps));
  EXPECT_THAT(report.passed, ElementsAre("ok: fresh database upgrades to head (2 revision(s))",
                                         MatchesRegex("ok: revision a1b1 .*: up, down, up"),
                                         MatchesRegex("ok: revision b2c2 .*: up, down, up"),
                                         "ok: downgrade to base leaves nothing behind",
                                         "verify passed: 2 revision(s)"));
  // The target is never touched.
  EXPECT_THAT(Tables(), IsEmpty());
  // The CLI cannot run the step, so it cannot verify the revision.
  CliResult cli = Cli({"verify"});
  EXPECT_EQ(cli.exit_code, 1);
  EXPECT_THAT(cli.err, ::testing::HasSubstr("only the application that registers it can run"));
}

INSTANTIATE_TEST_SUITE_P(Backends, LibraryApiTest, ::testing::Values("sqlite", "postgresql"),
                         BackendName);

}  // namespace
}  // namespace retort::test
