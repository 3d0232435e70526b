#include "schema/declared_schema.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "driver/connection.h"
#include "retort/config.h"
#include "retort/error.h"
#include "schema/scratch_database.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::schema {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Config LoadConfig(const test::TempProject& project, std::optional<std::string> url = std::nullopt) {
  ConfigSource source;
  source.file = project.config_path();
  source.url = std::move(url);
  return Config::Load(source);
}

bool PostgresDatabaseExists(const std::string& server_url, const std::string& name) {
  auto connection = driver::Connect(DatabaseUrl::Parse(server_url));
  return !connection->Query("SELECT 1 FROM pg_database WHERE datname = $1", {name}).empty();
}

TEST(DeclaredSchemaTest, NotConfiguredIsNullopt) {
  test::TempProject project;
  auto target = driver::Connect(DatabaseUrl::Parse("sqlite://"));
  EXPECT_EQ(DiffAgainstDeclaredSchema(LoadConfig(project), *target), std::nullopt);
}

TEST(DeclaredSchemaTest, SqliteFolderInNameOrderMatchesAndDiffers) {
  test::TempProject project({}, "schema = schema");
  project.Write("schema/02_posts.sql", "CREATE TABLE posts (id INTEGER REFERENCES users (id));");
  project.Write("schema/01_users.sql", "CREATE TABLE users (id INTEGER PRIMARY KEY);");
  Config config = LoadConfig(project);
  auto target = driver::Connect(DatabaseUrl::Parse("sqlite://"));
  target->ExecuteScript(
      "CREATE TABLE users (id INTEGER PRIMARY KEY);"
      "CREATE TABLE retort_version (version_num TEXT);");
  EXPECT_THAT(*DiffAgainstDeclaredSchema(config, *target),
              ElementsAre("missing in database: table posts",
                          "missing in database: column posts.id INTEGER",
                          "missing in database: foreign key on posts (id) REFERENCES users (id) ON "
                          "DELETE NO ACTION ON UPDATE NO ACTION"));
  target->ExecuteScript("CREATE TABLE posts (id integer REFERENCES users (id));");
  EXPECT_THAT(*DiffAgainstDeclaredSchema(config, *target), IsEmpty());
}

TEST(DeclaredSchemaTest, BadStatementNamesFileAndLine) {
  test::TempProject project({}, "schema = schema.sql");
  project.Write("schema.sql", "CREATE TABLE a (id INT);\n\nCREATE TABLEX b;\n");
  auto target = driver::Connect(DatabaseUrl::Parse("sqlite://"));
  try {
    DiffAgainstDeclaredSchema(LoadConfig(project), *target);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("schema.sql:3: "));
  }
}

TEST(ScratchDatabaseTest, SqliteFileIsRemoved) {
  test::TempProject project;
  std::string path;
  {
    ScratchDatabase scratch(LoadConfig(project));
    path = scratch.url().path();
    scratch.Connect()->ExecuteScript("CREATE TABLE t (id INT)");
    EXPECT_TRUE(std::filesystem::exists(path));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(path).parent_path()));
}

TEST(ScratchDatabaseTest, PostgresDatabaseIsDroppedEvenWhenWorkFails) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  test::ScratchPostgresDatabase target(url);
  test::TempProject project({}, "dev_url = " + url);
  std::string name;
  try {
    ScratchDatabase scratch(LoadConfig(project, target.url()));
    name = scratch.Describe().substr(0, scratch.Describe().find(' '));
    ASSERT_TRUE(PostgresDatabaseExists(url, name));
    auto open_session = scratch.Connect();  // still open when the drop runs
    open_session->ExecuteScript("CREATE TABLEX oops");
  } catch (const Error&) {
  }
  ASSERT_THAT(name, ::testing::StartsWith("retort_scratch_"));
  EXPECT_FALSE(PostgresDatabaseExists(url, name));
}

TEST(DeclaredSchemaTest, PostgresTargetServerWithoutDevUrl) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  test::ScratchPostgresDatabase target(url);
  test::TempProject project({}, "schema = schema.sql");
  project.Write("schema.sql", "CREATE TABLE users (id INT PRIMARY KEY, name varchar(50));");
  ConfigSource source;
  source.file = project.config_path();
  source.url = target.url();
  Config config = Config::Load(source);
  auto connection = driver::Connect(DatabaseUrl::Parse(target.url()));
  connection->ExecuteScript("CREATE TABLE users (id integer PRIMARY KEY, name text);");
  EXPECT_THAT(*DiffAgainstDeclaredSchema(config, *connection),
              ElementsAre("differs: column users.name: character varying(50) vs text"));
}

// Revisions are written in the target's dialect, so a scratch database of
// another kind is refused before anything is created.
TEST(ScratchDatabaseTest, DevUrlOfAnotherKindIsAUsageError) {
  test::TempProject project({}, "dev_url = postgresql://u:s3cret@127.0.0.1:1/x");
  try {
    ScratchDatabase scratch(LoadConfig(project));
    FAIL() << "a SQLite target with a PostgreSQL dev_url must be refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.ExitCode(), 2);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("is not the same kind of database"));
    EXPECT_THAT(e.what(), ::testing::Not(::testing::HasSubstr("s3cret")));
  }
}

}  // namespace
}  // namespace retort::schema
