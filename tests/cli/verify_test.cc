// `retort verify` as a user runs it: from the project folder, on scratch
// databases, never touching the target.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

const char* kUsersUp = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);";
const char* kPostsUp =
    "CREATE TABLE posts (id INTEGER PRIMARY KEY);\nCREATE INDEX ix ON users (email);";

std::vector<RevisionSpec> GoodRevisions() {
  return {
      {.id = "a1",
       .upgrade = kUsersUp,
       .downgrade = "DROP TABLE users;",
       .message = "add users",
       .file_name = "a1_users.sql"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = kPostsUp,
       .downgrade = "DROP INDEX ix;\nDROP TABLE posts;",
       .message = "add posts",
       .file_name = "b2_posts.sql"},
  };
}

const char* kSchema =
    "create table users (id integer primary key, email text not null);\n"
    "create table posts (id integer primary key);\n"
    "create index ix on users(email);\n";

TEST(VerifyTest, GoodSqliteProjectPasses) {
  TempProject project(GoodRevisions(), "schema = schema.sql");
  project.Write("schema.sql", kSchema);
  CliResult result = RunRetort({"verify"}, project.root());
  ASSERT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.OutLines(),
              ElementsAre("ok: fresh database upgrades to head (2 revision(s))",
                          "ok: revision a1 (migrations/versions/a1_users.sql): up, down, up",
                          "ok: revision b2 (migrations/versions/b2_posts.sql): up, down, up",
                          "ok: downgrade to base leaves nothing behind",
                          "ok: declared schema (schema.sql) stamped at head; upgrade runs nothing",
                          "ok: head matches the declared schema (schema.sql)",
                          "verify passed: 2 revision(s)"));
  EXPECT_FALSE(std::filesystem::exists(project.db())) << "the target was touched";
}

TEST(VerifyTest, DowngradeThatDoesNotUndoItsUpgradeIsNamed) {
  std::vector<RevisionSpec> revisions = GoodRevisions();
  revisions[1].downgrade = "DROP TABLE posts;";
  TempProject project(revisions);
  CliResult result = RunRetort({"verify"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              Contains("FAILED: Revision b2 (migrations/versions/b2_posts.sql): downgrade does not "
                       "undo upgrade: unexpected in database: index ix ON users (email)"));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(VerifyTest, IrreversibleRevisionIsAFinding) {
  std::vector<RevisionSpec> revisions = GoodRevisions();
  revisions[1].downgrade = std::nullopt;
  TempProject project(revisions);
  CliResult result = RunRetort({"verify"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              Contains("FAILED: Revision b2 (migrations/versions/b2_posts.sql): irreversible: it "
                       "has no downgrade, so it cannot be rolled back or verified (write its -- "
                       "migrate:downgrade section)"));
}

TEST(VerifyTest, HeadThatDiffersFromTheDeclaredSchemaIsNamed) {
  TempProject project(GoodRevisions(), "schema = schema.sql");
  project.Write("schema.sql", std::string(kSchema) + "CREATE TABLE extra (x INT);\n");
  CliResult result = RunRetort({"verify"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              Contains("FAILED: Head differs from the declared schema (schema.sql): missing in "
                       "database: table extra; missing in database: column extra.x INTEGER"));
  EXPECT_FALSE(std::filesystem::exists(project.db()));
}

TEST(VerifyTest, FailingUpgradeNamesTheRevision) {
  std::vector<RevisionSpec> revisions = GoodRevisions();
  revisions[1].upgrade = "CREATE TABLEX posts;";
  TempProject project(revisions);
  CliResult result = RunRetort({"verify"}, project.root());
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  ASSERT_EQ(result.ErrLines().size(), 2u) << result.Describe();
  EXPECT_THAT(result.ErrLines()[1],
              StartsWith("FAILED: Upgrade of a fresh database to head fails: "));
  EXPECT_THAT(result.ErrLines()[1], HasSubstr("b2"));
}

std::vector<std::string> PublicTables(const ScratchPostgresDatabase& db) {
  std::vector<std::string> names;
  for (const auto& row :
       db.Query("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")) {
    names.push_back(row[0]);
  }
  return names;
}

TEST(VerifyPostgresTest, GoodProjectPassesAndTargetIsUntouched) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  ScratchPostgresDatabase target(url);
  TempProject project(GoodRevisions(), "schema = schema.sql");
  project.Write("schema.sql",
                "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);\n"
                "CREATE TABLE posts (id int4 PRIMARY KEY);\nCREATE INDEX ix ON users (email);\n");
  CliResult result = RunRetort({"verify"}, project.root(), {{"DATABASE_URL", target.url()}});
  ASSERT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.OutLines(), Contains("verify passed: 2 revision(s)"));
  EXPECT_THAT(PublicTables(target), IsEmpty());
}

// A downgrade that works on an empty table but not once a later revision
// put rows in it: each revision passes up/down/up alone, and only the full
// downgrade to base shows what stays behind.
TEST(VerifyPostgresTest, LeftoversAtBaseAreNamed) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  ScratchPostgresDatabase target(url);
  TempProject project({
      {.id = "a1",
       .upgrade = "CREATE TABLE t (x int);\nCREATE TABLE audit (y int);",
       .downgrade = "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM t) THEN DROP TABLE audit; END IF; "
                    "END $$;\nDROP TABLE t;",
       .message = "add t",
       .file_name = "a1_t.sql"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "INSERT INTO t VALUES (1);",
       .downgrade = "DELETE FROM t WHERE false;",
       .message = "seed t",
       .file_name = "b2_seed.sql"},
  });
  CliResult result = RunRetort({"verify"}, project.root(), {{"DATABASE_URL", target.url()}});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              Contains("FAILED: Downgrade to base leaves objects behind: table audit (created by "
                       "Revision a1 (migrations/versions/a1_t.sql)); column audit.y integer "
                       "(created by Revision a1 (migrations/versions/a1_t.sql))"));
  EXPECT_THAT(PublicTables(target), IsEmpty());
}

TEST(VerifyPostgresTest, BadDowngradeIsNamed) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  ScratchPostgresDatabase target(url);
  std::vector<RevisionSpec> revisions = GoodRevisions();
  revisions[0].upgrade = "CREATE TABLE users (id int PRIMARY KEY, email text NOT NULL);";
  revisions[0].downgrade = "ALTER TABLE users DROP COLUMN email;";
  TempProject project(revisions);
  CliResult result = RunRetort({"verify"}, project.root(), {{"DATABASE_URL", target.url()}});
  EXPECT_EQ(result.exit_code, 1) << result.Describe();
  EXPECT_THAT(result.ErrLines(),
              Contains("FAILED: Revision a1 (migrations/versions/a1_users.sql): downgrade does not "
                       "undo upgrade: unexpected in database: table users; unexpected in database: "
                       "column users.id integer NOT NULL; unexpected in database: primary key on "
                       "users users_pkey (id)"));
  EXPECT_THAT(PublicTables(target), IsEmpty());
}

}  // namespace
}  // namespace retort::test
