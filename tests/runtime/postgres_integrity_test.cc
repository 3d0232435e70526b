// The history table, refusal and long ids on the suite's PostgreSQL server,
// where VARCHAR lengths are enforced: an Alembic VARCHAR(32) version table is
// widened in the run's transaction before a longer id is written.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "graph/plan.h"
#include "retort/config.h"
#include "retort/error.h"
#include "runtime/migration_context.h"
#include "script/script_directory.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::runtime {
namespace {

using test::RevisionSpec;
using test::ScratchPostgresDatabase;
using test::TempProject;
using Strings = std::vector<std::string>;

#define EXPECT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsSubstring, std::string(needle), std::string(haystack))

const std::string kLongId = "add_users_table_with_a_really_long_descriptive_revision_id";

class PgRun {
 public:
  PgRun(const TempProject& project, const std::string& url)
      : config_(Load(project, url)), scripts_(script::ScriptDirectory::Load(config_)) {
    RunOptions options;
    options.check_integrity = true;
    context_ = std::make_unique<MigrationContext>(config_, scripts_, std::move(options));
  }
  void Upgrade(const std::string& destination) {
    context_->Run([&](const Strings& heads) {
      return graph::PlanUpgrade(scripts_.map(), destination, heads);
    });
  }
  MigrationContext& context() { return *context_; }

 private:
  static Config Load(const TempProject& project, const std::string& url) {
    ConfigSource source;
    source.file = project.config_path();
    source.url = url;
    return Config::Load(source);
  }
  Config config_;
  script::ScriptDirectory scripts_;
  std::unique_ptr<MigrationContext> context_;
};

Strings Column(const ScratchPostgresDatabase& db, const std::string& sql) {
  Strings out;
  for (const auto& row : db.Query(sql)) out.push_back(row.at(0));
  return out;
}

std::string VersionNumWidth(const ScratchPostgresDatabase& db, const std::string& table) {
  Strings width = Column(db,
                         "SELECT character_maximum_length::text FROM information_schema.columns "
                         "WHERE table_name = '" +
                             table + "' AND column_name = 'version_num'");
  return width.empty() ? "" : width[0];
}

TEST(PostgresIntegrityTest, LongIdsAndHistoryRowsOnANewDatabase) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{{.id = kLongId,
                                                 .upgrade = "CREATE TABLE users (id INTEGER);",
                                                 .downgrade = "DROP TABLE users;"}});
  PgRun(project, db.url()).Upgrade("head");
  EXPECT_EQ(Column(db, "SELECT version_num FROM retort_version"), Strings{kLongId});
  EXPECT_EQ(VersionNumWidth(db, "retort_version"), "255");
  EXPECT_EQ(Column(db,
                   "SELECT revision || ' ' || length(checksum) || ' ' || "
                   "(applied_at LIKE '____-__-__T__:__:__Z') FROM retort_version_history"),
            Strings{kLongId + " 64 true"});
}

TEST(PostgresIntegrityTest, WidensAnAlembicVersionTableWhenALongerIdIsWritten) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec(
      "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, CONSTRAINT "
      "alembic_version_pkc PRIMARY KEY (version_num)); INSERT INTO alembic_version VALUES ('a1'); "
      "CREATE TABLE users (id INTEGER);");
  TempProject project(std::vector<RevisionSpec>{{.id = "a1",
                                                 .upgrade = "CREATE TABLE users (id INTEGER);",
                                                 .downgrade = "DROP TABLE users;"},
                                                {.id = kLongId,
                                                 .revises = {"a1"},
                                                 .upgrade = "CREATE TABLE posts (id INTEGER);",
                                                 .downgrade = "DROP TABLE posts;"}},
                      "version_table = alembic_version");
  PgRun(project, db.url()).Upgrade("head");
  EXPECT_EQ(Column(db, "SELECT version_num FROM alembic_version"), Strings{kLongId});
  EXPECT_EQ(VersionNumWidth(db, "alembic_version"), "255");
  // Adopted without complaint: history starts with this run.
  EXPECT_EQ(Column(db, "SELECT revision FROM alembic_version_history"), Strings{kLongId});
}

TEST(PostgresIntegrityTest, ShortIdsLeaveAnAlembicTableAsItIs) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)");
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "SELECT 1;", .downgrade = "SELECT 1;"}},
      "version_table = alembic_version");
  PgRun(project, db.url()).Upgrade("head");
  EXPECT_EQ(VersionNumWidth(db, "alembic_version"), "32");
}

TEST(PostgresIntegrityTest, EditedRevisionRefusesThenRepairAccepts) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{{.id = "a1",
                                                 .upgrade = "CREATE TABLE users (id INTEGER);",
                                                 .downgrade = "DROP TABLE users;"}});
  PgRun(project, db.url()).Upgrade("head");
  project.AddRevision(
      {.id = "a1", .upgrade = "CREATE TABLE users (id BIGINT);", .downgrade = "DROP TABLE users;"});
  project.AddRevision({.id = "b2", .revises = {"a1"}, .upgrade = "CREATE TABLE posts (id INT);"});
  std::string error;
  try {
    PgRun(project, db.url()).Upgrade("head");
  } catch (const Error& e) {
    error = e.what();
  }
  EXPECT_CONTAINS(error, "(a1) changed after it was applied");
  EXPECT_EQ(Column(db, "SELECT version_num FROM retort_version"), Strings{"a1"});
  EXPECT_EQ(PgRun(project, db.url()).context().Repair().size(), 1u);
  PgRun(project, db.url()).Upgrade("head");
  EXPECT_EQ(Column(db, "SELECT revision FROM retort_version_history ORDER BY 1"),
            (Strings{"a1", "b2"}));
}

}  // namespace
}  // namespace retort::runtime
