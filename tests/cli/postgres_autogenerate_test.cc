// `retort revision --autogenerate` and `retort check` on PostgreSQL, run as
// a user runs them, against the suite's real server.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_dir.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace fs = std::filesystem;

const char* kUsers =
    "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, "
    "created_at timestamptz NOT NULL DEFAULT now());";

std::string Section(const std::string& file, const std::string& marker) {
  size_t start = file.find(marker);
  if (start == std::string::npos) return "<no " + marker + ">";
  start += marker.size();
  size_t end = file.find("-- migrate:", start);
  return file.substr(start, end == std::string::npos ? std::string::npos : end - start);
}
std::string UpSection(const std::string& file) { return Section(file, "-- migrate:upgrade"); }
std::string DownSection(const std::string& file) { return Section(file, "-- migrate:downgrade"); }

// retort_scratch_* databases on the server.
std::set<std::string> ScratchDatabases(const std::string& server_url) {
  ScratchPostgresDatabase probe(server_url);
  std::set<std::string> names;
  for (const auto& row :
       probe.Query("SELECT datname FROM pg_database WHERE datname LIKE 'retort_scratch_%'")) {
    names.insert(row[0]);
  }
  return names;
}

class PostgresAutogenerateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = PostgresServerUrl();
    if (!url) GTEST_SKIP() << "RETORT_SKIP_POSTGRES=1: PostgreSQL tests switched off";
    server_url_ = *url;
    db_ = std::make_unique<ScratchPostgresDatabase>(*url);
    project_ =
        std::make_unique<TempProject>(std::vector<RevisionSpec>{{.id = "a1",
                                                                 .upgrade = kUsers,
                                                                 .downgrade = "DROP TABLE users;",
                                                                 .message = "add users",
                                                                 .file_name = "a1_users.sql"}});
    WriteConfig("");
    project_->Write("schema.sql", std::string(kUsers) + "\n");
    UpgradeHead();
    db_->Exec("INSERT INTO users (name) VALUES ('ann'), ('bob')");
  }

  void WriteConfig(const std::string& extra) {
    project_->WriteConfig(PgConfig(db_->url(), "schema = schema.sql\n" + extra));
  }

  CliResult Run(const std::vector<std::string>& args) {
    CliResult result = RunRetort(args, project_->root());
    EXPECT_TRUE(NeverPrints(result, PgUrl::Parse(db_->url()).password));
    return result;
  }
  void UpgradeHead() { ASSERT_TRUE(Succeeded(Run({"upgrade", "head"}))); }

  std::vector<fs::path> NewFiles() const {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(project_->versions_dir())) {
      if (entry.path().filename() != "a1_users.sql") files.push_back(entry.path());
    }
    return files;
  }
  void DiscardGenerated() {
    for (const fs::path& file : NewFiles()) fs::remove(file);
  }

  std::string Generate(CliResult* result = nullptr) {
    CliResult run = Run({"revision", "--autogenerate", "-m", "auto"});
    if (result != nullptr) *result = run;
    EXPECT_TRUE(Succeeded(run));
    std::string path = FindSqlPath(run.out);
    EXPECT_FALSE(path.empty()) << run.Describe();
    return path.empty() ? "" : ReadFile(path);
  }

  std::vector<std::string> Names() const {
    return Column(*db_, "SELECT name FROM users ORDER BY id");
  }

  std::string server_url_;
  std::unique_ptr<ScratchPostgresDatabase> db_;
  std::unique_ptr<TempProject> project_;
};

TEST_F(PostgresAutogenerateTest, FullLoop) {
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name varchar(100) NOT NULL, "
                  "created_at timestamptz NOT NULL DEFAULT now(), email text UNIQUE);\n"
                  "CREATE INDEX ix_users_lower_name ON users (lower(name)) WHERE email IS NOT "
                  "NULL;\n");
  CliResult check = Run({"check"});
  EXPECT_TRUE(IsOneLineError(check, 1, {"New upgrade operations detected: "}));
  EXPECT_THAT(check.OutLines(), Contains("Detected added column 'users.email'"));

  CliResult generated;
  std::string file = Generate(&generated);
  EXPECT_THAT(generated.OutLines(), Contains("Detected added column 'users.email'"));
  EXPECT_THAT(generated.OutLines(), Contains(HasSubstr("ix_users_lower_name")));
  EXPECT_THAT(UpSection(file), HasSubstr("ADD COLUMN email text"));
  EXPECT_THAT(UpSection(file), HasSubstr("CREATE INDEX ix_users_lower_name"));
  EXPECT_THAT(DownSection(file), HasSubstr("DROP COLUMN email"));
  EXPECT_THAT(DownSection(file), HasSubstr("-- DESTRUCTIVE: "));

  UpgradeHead();
  CliResult clean = Run({"check"});
  EXPECT_TRUE(Succeeded(clean));
  EXPECT_THAT(clean.OutLines(), ElementsAre("No new upgrade operations detected."));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));

  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));
  EXPECT_TRUE(IsOneLineError(Run({"check"}), 1, {"Target database is not up to date."}));
  DiscardGenerated();
  CliResult again = Run({"check"});
  EXPECT_EQ(again.exit_code, 1) << again.Describe();
  EXPECT_THAT(again.OutLines(), Contains("Detected added column 'users.email'"));
  project_->Write("schema.sql", std::string(kUsers) + "\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
}

// What autogenerate writes passes `retort lint`: an index on an existing
// table is built CONCURRENTLY in a 'Transactional: no' revision (both ways);
// other DDL on an existing table runs after SET LOCAL lock_timeout.
TEST_F(PostgresAutogenerateTest, GeneratedRevisionsPassLint) {
  project_->Write("schema.sql",
                  std::string(kUsers) + "\nCREATE INDEX ix_users_name ON users (name);\n");
  std::string file = Generate();
  EXPECT_THAT(file, HasSubstr("-- Transactional: no"));
  EXPECT_THAT(UpSection(file), HasSubstr("CREATE INDEX CONCURRENTLY ix_users_name ON"));
  EXPECT_THAT(DownSection(file), HasSubstr("DROP INDEX CONCURRENTLY ix_users_name"));
  CliResult lint = Run({"lint"});
  EXPECT_TRUE(Succeeded(lint)) << lint.Describe();
  UpgradeHead();
  EXPECT_THAT(Column(*db_,
                     "SELECT indisvalid::text FROM pg_index WHERE indexrelid = "
                     "'ix_users_name'::regclass"),
              ElementsAre("true"));
  EXPECT_THAT(Column(*db_, "SELECT current_setting('lock_timeout')"), ElementsAre("0"))
      << "a later session sees no leftover setting";
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  UpgradeHead();

  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, created_at "
                  "timestamptz NOT NULL DEFAULT now(), nick text);\n"
                  "CREATE INDEX ix_users_name ON users (name);\n");
  file = Generate();
  EXPECT_THAT(file, HasSubstr("-- Transactional: yes"));
  EXPECT_THAT(UpSection(file), HasSubstr("SET LOCAL lock_timeout = '5s';"));
  lint = Run({"lint"});
  EXPECT_TRUE(Succeeded(lint)) << lint.Describe();
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));

  // A column and an index on it together: two revisions, the index built
  // CONCURRENTLY in the second; a UNIQUE index stays in the first (a foreign
  // key may need it) and lint flags it there.
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, created_at "
                  "timestamptz NOT NULL DEFAULT now(), nick text, email text);\n"
                  "CREATE INDEX ix_users_name ON users (name);\n"
                  "CREATE UNIQUE INDEX ix_users_email ON users (email);\n");
  // By default one revision, so that downgrade -1 undoes it; lint flags
  // the index there.
  CliResult one_file = Run({"revision", "--autogenerate", "-m", "email", "--rev-id", "e1"});
  ASSERT_TRUE(Succeeded(one_file)) << one_file.Describe();
  EXPECT_THAT(ReadFile(FindSqlPath(one_file.out)),
              HasSubstr("CREATE UNIQUE INDEX ix_users_email ON"));
  EXPECT_THAT(Run({"lint"}).out, HasSubstr("create-index-not-concurrently"));
  fs::remove(FindSqlPath(one_file.out));
  // --concurrently: two revisions, the index built CONCURRENTLY in the second.
  CliResult two = Run({"revision", "--autogenerate", "-m", "email", "--concurrently"});
  ASSERT_TRUE(Succeeded(two)) << two.Describe();
  std::vector<std::string> generated;
  for (const std::string& line : two.OutLines()) {
    if (line.find("Generating ") != std::string::npos) generated.push_back(line);
  }
  ASSERT_EQ(generated.size(), 2u) << two.Describe();
  std::vector<std::string> files = {ReadFile(FindSqlPath(generated[0])),
                                    ReadFile(FindSqlPath(generated[1]))};
  EXPECT_THAT(UpSection(files[0]), HasSubstr("ADD COLUMN email text"));
  EXPECT_THAT(UpSection(files[0]), Not(HasSubstr("INDEX")));
  EXPECT_THAT(files[1], HasSubstr("-- Transactional: no"));
  EXPECT_THAT(files[1], HasSubstr("email (without blocking writes)"));
  EXPECT_THAT(UpSection(files[1]), HasSubstr("CREATE UNIQUE INDEX CONCURRENTLY ix_users_email ON"));
  EXPECT_THAT(DownSection(files[1]), HasSubstr("DROP INDEX CONCURRENTLY ix_users_email;"));
  lint = Run({"lint"});
  EXPECT_TRUE(Succeeded(lint)) << lint.Describe();
  CliResult heads = Run({"heads"});
  EXPECT_EQ(heads.OutLines().size(), 1u) << heads.Describe();
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-2"})));
  EXPECT_THAT(Column(*db_, "SELECT count(*)::text FROM pg_class WHERE relname = 'ix_users_email'"),
              ElementsAre("0"));
  UpgradeHead();
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));

  // A UNIQUE index a new foreign key references stays before it, in one
  // revision.
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, created_at "
                  "timestamptz NOT NULL DEFAULT now(), nick text, email text);\n"
                  "CREATE INDEX ix_users_name ON users (name);\n"
                  "CREATE UNIQUE INDEX ix_users_email ON users (email);\n"
                  "CREATE UNIQUE INDEX ix_users_nick ON users (nick);\n"
                  "CREATE TABLE invites (nick text REFERENCES users (nick));\n");
  CliResult one = Run({"revision", "--autogenerate", "-m", "invites", "--concurrently"});
  ASSERT_TRUE(Succeeded(one)) << one.Describe();
  const std::vector<std::string> lines = one.OutLines();
  EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                          [](const std::string& line) {
                            return line.find("Generating ") != std::string::npos;
                          }),
            1)
      << one.Describe();
  EXPECT_THAT(ReadFile(FindSqlPath(one.out)), HasSubstr("CREATE UNIQUE INDEX ix_users_nick ON"));
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));

  // A CHECK added to the existing table: NOT VALID in the first revision,
  // validated in the second, which blocks no writes.
  const std::string head_line = Run({"heads"}).out;
  const std::string before = head_line.substr(0, head_line.find(' '));
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name text NOT NULL, created_at "
                  "timestamptz NOT NULL DEFAULT now(), nick text, email text, CONSTRAINT "
                  "name_not_empty CHECK (name <> ''));\n"
                  "CREATE INDEX ix_users_name ON users (name);\n"
                  "CREATE UNIQUE INDEX ix_users_email ON users (email);\n"
                  "CREATE UNIQUE INDEX ix_users_nick ON users (nick);\n"
                  "CREATE TABLE invites (nick text REFERENCES users (nick));\n");
  CliResult checked = Run({"revision", "--autogenerate", "-m", "name check", "--concurrently"});
  ASSERT_TRUE(Succeeded(checked)) << checked.Describe();
  std::vector<std::string> written;
  for (const std::string& line : checked.OutLines()) {
    if (!FindSqlPath(line).empty()) written.push_back(ReadFile(FindSqlPath(line)));
  }
  ASSERT_EQ(written.size(), 2u) << checked.Describe();
  EXPECT_THAT(UpSection(written[0]), HasSubstr("ADD CONSTRAINT name_not_empty CHECK"));
  EXPECT_THAT(UpSection(written[0]), HasSubstr("NOT VALID;"));
  EXPECT_THAT(UpSection(written[1]),
              HasSubstr("ALTER TABLE users VALIDATE CONSTRAINT name_not_empty;"));
  // The one finding left is the UNIQUE index the invites revision keeps.
  lint = Run({"lint"});
  EXPECT_THAT(lint.OutLines(), ElementsAre(HasSubstr("_invites.sql:"))) << lint.Describe();
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(Column(*db_,
                     "SELECT convalidated::text FROM pg_constraint WHERE conname = "
                     "'name_not_empty'"),
              ElementsAre("true"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", before})));
  EXPECT_THAT(Column(*db_,
                     "SELECT count(*)::text FROM pg_constraint WHERE conname = "
                     "'name_not_empty'"),
              ElementsAre("0"));
}

TEST_F(PostgresAutogenerateTest, DestructiveChangesAreMarked) {
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, name varchar(20), "
                  "created_at timestamptz NOT NULL DEFAULT now());\n");
  CliResult result;
  std::string file = Generate(&result);
  // Narrowing text to varchar(20): marked. Dropping NOT NULL is not
  // destructive on the way up, but its reverse (the downgrade) is.
  EXPECT_THAT(result.OutLines(), Contains(HasSubstr("[DESTRUCTIVE: ")));
  std::string up = UpSection(file);
  size_t mark = up.find("-- DESTRUCTIVE: ");
  ASSERT_NE(mark, std::string::npos) << file;
  EXPECT_LT(mark, up.find("TYPE character varying(20)")) << file;
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));
  DiscardGenerated();
  project_->Write("schema.sql", std::string(kUsers) + "\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
}

TEST_F(PostgresAutogenerateTest, NotAtHeadIsRefusedAndNothingIsWritten) {
  project_->AddRevision({.id = "b2",
                         .revises = {"a1"},
                         .upgrade = "CREATE TABLE posts (id int);",
                         .downgrade = "DROP TABLE posts;",
                         .file_name = "b2_posts.sql"});
  std::string before = PgSnapshot(*db_);
  EXPECT_TRUE(IsOneLineError(Run({"revision", "--autogenerate", "-m", "x"}), 1,
                             {"Target database is not up to date."}));
  EXPECT_TRUE(IsOneLineError(Run({"check"}), 1, {"Target database is not up to date."}));
  EXPECT_EQ(NewFiles().size(), 1u);  // b2 only
  EXPECT_EQ(PgSnapshot(*db_), before);
}

TEST_F(PostgresAutogenerateTest, SqlErrorNamesTheLineAndTheScratchDatabaseIsDropped) {
  std::set<std::string> before = ScratchDatabases(server_url_);
  project_->Write("schema.sql", std::string(kUsers) + "\nCREATE TABLE t (x no_such_type);\n");
  CliResult result = Run({"revision", "--autogenerate", "-m", "x"});
  EXPECT_TRUE(IsOneLineError(result, 1, {"schema.sql:2: ", "no_such_type"}));
  EXPECT_THAT(NewFiles(), IsEmpty());
  // Other tests running at the same time may hold scratch databases for a
  // moment: wait for those; ours must not remain.
  std::set<std::string> left;
  for (int attempt = 0; attempt < 50; ++attempt) {
    left.clear();
    for (const std::string& name : ScratchDatabases(server_url_)) {
      if (!before.contains(name)) left.insert(name);
    }
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_THAT(left, IsEmpty());
}

TEST_F(PostgresAutogenerateTest, RenameHintsRenderRenames) {
  project_->Write("schema.sql",
                  "-- retort:renamed-from users\n"
                  "CREATE TABLE people (\n"
                  "  id serial PRIMARY KEY,\n"
                  "  full_name text NOT NULL, -- retort:renamed-from name\n"
                  "  created_at timestamptz NOT NULL DEFAULT now()\n"
                  ");\n");
  CliResult result;
  std::string file = Generate(&result);
  EXPECT_THAT(result.OutLines(), Contains("Detected renamed table 'users' to 'people'"));
  EXPECT_THAT(UpSection(file), HasSubstr("RENAME TO people"));
  EXPECT_THAT(UpSection(file), HasSubstr("RENAME COLUMN name TO full_name"));
  EXPECT_THAT(UpSection(file), Not(HasSubstr("DROP TABLE")));
  UpgradeHead();
  EXPECT_THAT(Column(*db_, "SELECT full_name FROM people ORDER BY id"), ElementsAre("ann", "bob"));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));
}

TEST_F(PostgresAutogenerateTest, DropAndAddWithoutAHintIsAPossibleRename) {
  project_->Write("schema.sql",
                  "CREATE TABLE users (id serial PRIMARY KEY, title text NOT NULL, "
                  "created_at timestamptz NOT NULL DEFAULT now());\n");
  CliResult result = Run({"check"});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.OutLines(), Contains(HasSubstr("Warning: column 'users.name' was removed and "
                                                    "'users.title' added with the same type")));
}

TEST_F(PostgresAutogenerateTest, FiltersAndBookkeepingTables) {
  WriteConfig("exclude_tables = audit_*\n");
  db_->Exec("CREATE TABLE audit_log (id serial PRIMARY KEY, what text)");
  CliResult result = Run({"check"});
  EXPECT_TRUE(Succeeded(result));
  EXPECT_THAT(result.out, Not(HasSubstr("retort_version")));
  EXPECT_THAT(result.out, Not(HasSubstr("audit")));
  WriteConfig("include_tables = users\n");
  project_->Write("schema.sql", std::string(kUsers) + "\nCREATE TABLE other (x int);\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
  WriteConfig("");
  CliResult unfiltered = Run({"check"});
  EXPECT_EQ(unfiltered.exit_code, 1);
  EXPECT_THAT(unfiltered.OutLines(), Contains("Detected added table 'other'"));
  EXPECT_THAT(unfiltered.OutLines(),
              Contains("Detected removed table 'audit_log'  [DESTRUCTIVE: drops table audit_log "
                       "and its data]"));
  EXPECT_THAT(unfiltered.out, Not(HasSubstr("retort_version")));
}

TEST_F(PostgresAutogenerateTest, EnumsAndCommentsRoundTrip) {
  project_->Write("schema.sql", "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');\n" +
                                    std::string(kUsers) +
                                    "\nALTER TABLE users ADD COLUMN mood mood;\n"
                                    "COMMENT ON TABLE users IS 'people who log in';\n");
  Generate();
  UpgradeHead();
  EXPECT_TRUE(Succeeded(Run({"check"})));
  ASSERT_TRUE(Succeeded(Run({"downgrade", "-1"})));
  DiscardGenerated();
  project_->Write("schema.sql", std::string(kUsers) + "\n");
  EXPECT_TRUE(Succeeded(Run({"check"})));
  EXPECT_THAT(Names(), ElementsAre("ann", "bob"));
}

}  // namespace
}  // namespace retort::test
