// MigrationContext against the suite's real PostgreSQL server: one
// transaction per run (a failure late in a run leaves the catalog exactly as
// before), `Transactional: no` revisions between transactional ones, the
// version table's schema and shape, the migration lock, and a connection the
// server drops mid-revision.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "driver/connection.h"
#include "graph/plan.h"
#include "retort/config.h"
#include "retort/error.h"
#include "runtime/migration_context.h"
#include "runtime/run_command.h"
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
#define EXPECT_NOT_CONTAINS(haystack, needle) \
  EXPECT_PRED_FORMAT2(::testing::IsNotSubstring, std::string(needle), std::string(haystack))

// A RunCommand against a PostgreSQL URL.
struct PgCommand : RunCommand {
  PgCommand(const TempProject& project, const std::string& url,
            std::chrono::milliseconds wait = std::chrono::milliseconds(0))
      : RunCommand(project, RunOptions{}, url, wait) {}
};

std::string Join(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& row : rows) {
    for (const auto& cell : row) out += cell + "|";
    out += "\n";
  }
  return out;
}

// Everything a failed run could have touched: relations of every kind,
// columns with types and defaults, constraints, indexes, functions, the
// sequences' positions and the data.
std::string CatalogDump(const ScratchPostgresDatabase& db) {
  const char* kUserSchemas = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
  std::string out;
  out += Join(db.Query(
      fmt::format("SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN pg_namespace n "
                  "ON n.oid = c.relnamespace WHERE n.nspname {} ORDER BY 1, 2",
                  kUserSchemas)));
  out += Join(db.Query(fmt::format(
      "SELECT table_schema, table_name, column_name, data_type, column_default, is_nullable "
      "FROM information_schema.columns WHERE table_schema {} ORDER BY 1, 2, ordinal_position",
      kUserSchemas)));
  out += Join(db.Query(
      "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
      "WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"));
  out += Join(db.Query("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"));
  out += Join(db.Query(
      "SELECT p.proname FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1"));
  out += Join(db.Query("SELECT nspname FROM pg_namespace ORDER BY 1"));
  return out;
}

Strings VersionRows(const ScratchPostgresDatabase& db,
                    const std::string& table = "retort_version") {
  Strings out;
  for (const auto& row : db.Query("SELECT version_num FROM " + table + " ORDER BY 1")) {
    out.push_back(row[0]);
  }
  return out;
}

int LineOf(const std::filesystem::path& path, const std::string& needle) {
  std::ifstream in(path);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.find(needle) != std::string::npos) return number;
  }
  return 0;
}

// r1 .. r8, each doing some kind of DDL or data change, r7 failing halfway.
std::vector<RevisionSpec> EightRevisions() {
  std::vector<RevisionSpec> revisions = {
      {.id = "r1",
       .upgrade = "CREATE TABLE projects (id SERIAL PRIMARY KEY, name TEXT NOT NULL, "
                  "meta JSONB DEFAULT '{}'::jsonb);",
       .downgrade = "DROP TABLE projects;"},
      {.id = "r2",
       .upgrade = "CREATE TABLE tasks (id SERIAL PRIMARY KEY, project_id INTEGER REFERENCES "
                  "projects (id), title TEXT);",
       .downgrade = "DROP TABLE tasks;"},
      {.id = "r3",
       .upgrade = "CREATE INDEX tasks_project ON tasks (project_id);\n"
                  "INSERT INTO projects (name) VALUES ('added by r3');",
       .downgrade = "DROP INDEX tasks_project;"},
      {.id = "r4",
       .upgrade = "ALTER TABLE projects ADD COLUMN archived BOOLEAN NOT NULL DEFAULT false;\n"
                  "UPDATE projects SET name = name || '!';",
       .downgrade = "ALTER TABLE projects DROP COLUMN archived;"},
      {.id = "r5",
       .upgrade = "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                  "BEGIN\n  NEW.title := upper(NEW.title);\n  RETURN NEW;\nEND;\n$$;\n"
                  "CREATE TRIGGER tasks_touch BEFORE INSERT ON tasks FOR EACH ROW "
                  "EXECUTE FUNCTION touch();",
       .downgrade = "DROP TRIGGER tasks_touch ON tasks; DROP FUNCTION touch();"},
      {.id = "r6",
       .upgrade = "CREATE SCHEMA reporting;\n"
                  "CREATE VIEW reporting.open_tasks AS SELECT * FROM tasks;",
       .downgrade = "DROP SCHEMA reporting CASCADE;"},
      {.id = "r7",
       .upgrade = "CREATE TABLE iterations (id SERIAL PRIMARY KEY);\n"
                  "DROP TABLE tasks CASCADE;\n"
                  "-- a typo follows\n"
                  "INSERT INTO userz VALUES (1);\n"
                  "CREATE TABLE never (id INTEGER);\n",
       .downgrade = "DROP TABLE iterations;"},
      {.id = "r8", .upgrade = "CREATE TABLE after_r7 (id INTEGER);", .downgrade = ""},
  };
  for (std::size_t i = 0; i < revisions.size(); ++i) {
    revisions[i].file_name = revisions[i].id + ".sql";
    if (i > 0) revisions[i].revises = {revisions[i - 1].id};
  }
  return revisions;
}

TEST(PostgresMigrationTest, TheSeventhOfEightFailingLeavesTheDatabaseExactlyAsBefore) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(EightRevisions());
  // A database that already has data and an earlier revision applied.
  PgCommand(project, db.url()).Upgrade("r1");
  db.Exec("INSERT INTO projects (name) VALUES ('existing')");
  const std::string before = CatalogDump(db);
  const auto data_before = db.Query("SELECT * FROM projects ORDER BY id");

  PgCommand run(project, db.url());
  std::string error = ErrorOf([&] { run.Upgrade("head"); });
  const auto file = project.versions_dir() / "r7.sql";
  EXPECT_EQ(error, fmt::format("Error in revision r7 ({}:{}): relation \"userz\" does not exist "
                               "(SQLSTATE 42P01); rolled back r2, r3, r4 and 3 more: the "
                               "database is as it was before this run",
                               file.string(), LineOf(file, "INSERT INTO userz")));
  EXPECT_EQ(CatalogDump(db), before) << "r2..r7's DDL must all be rolled back";
  EXPECT_EQ(db.Query("SELECT * FROM projects ORDER BY id"), data_before);
  EXPECT_EQ(VersionRows(db), Strings{"r1"});
  EXPECT_EQ(run.log().size(), 5u) << "r2..r6 ran before the failure";

  // The same run after the typo is fixed goes all the way.
  auto fixed = EightRevisions();
  fixed[6].upgrade = "CREATE TABLE iterations (id SERIAL PRIMARY KEY);";
  TempProject repaired(fixed);
  PgCommand(repaired, db.url()).Upgrade("head");
  EXPECT_EQ(VersionRows(db), Strings{"r8"});
}

TEST(PostgresMigrationTest, ANonTransactionalConcurrentIndexRunsBetweenTransactionalRevisions) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1",
       .upgrade = "CREATE TABLE users (id SERIAL PRIMARY KEY, email TEXT);",
       .downgrade = "DROP TABLE users;"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE INDEX CONCURRENTLY users_email ON users (email);",
       .downgrade = "DROP INDEX CONCURRENTLY users_email;",
       .transactional = false},
      {.id = "c3",
       .revises = {"b2"},
       .upgrade = "CREATE TABLE posts (id SERIAL PRIMARY KEY);",
       .downgrade = "DROP TABLE posts;"},
  });
  PgCommand(project, db.url()).Upgrade("head");
  EXPECT_EQ(VersionRows(db), Strings{"c3"});
  EXPECT_EQ(db.Query("SELECT indexname FROM pg_indexes WHERE indexname = 'users_email'").size(),
            1u);
  PgCommand(project, db.url()).Downgrade("base");
  EXPECT_TRUE(VersionRows(db).empty());
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname IN ('users', 'posts', "
                       "'users_email')")
                  .empty());
}

TEST(PostgresMigrationTest, ConcurrentIndexInATransactionalRevisionFailsWithTheSqlstate) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1",
       .upgrade = "CREATE TABLE users (email TEXT);\n"
                  "CREATE INDEX CONCURRENTLY users_email ON users (email);"}});
  EXPECT_CONTAINS(ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); }),
                  "CREATE INDEX CONCURRENTLY cannot run inside a transaction block (SQLSTATE "
                  "25001)");
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname = 'users'").empty());
}

TEST(PostgresMigrationTest, VersionTableLivesInTheConfiguredSchema) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec("CREATE SCHEMA \"Ops\"");
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}},
      "version_table_schema = Ops\nversion_table = Deploy_Versions");
  PgCommand command(project, db.url());
  command.Upgrade("head");
  EXPECT_EQ(VersionRows(db, "\"Ops\".\"Deploy_Versions\""), Strings{"a1"});
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename ILIKE "
                       "'%version%'")
                  .empty());
  EXPECT_EQ(PgCommand(project, db.url()).context().CurrentHeads(), Strings{"a1"});
}

TEST(PostgresMigrationTest, AMissingVersionTableSchemaIsOneClearLineAndChangesNothing) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}},
      "version_table_schema = nowhere");
  EXPECT_EQ(ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); }),
            "Can't create the version table nowhere.retort_version: schema \"nowhere\" does not "
            "exist (SQLSTATE 3F000)");
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname = 't'").empty());
}

TEST(PostgresMigrationTest, AVersionTableWithUnexpectedColumnsStopsTheRunBeforeAnything) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec("CREATE TABLE retort_version (id INTEGER, name TEXT)");
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}});
  const std::string expected =
      "Version table public.retort_version has unexpected columns (id, name); expected "
      "version_num";
  EXPECT_EQ(ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); }), expected);
  EXPECT_EQ(ErrorOf([&] { PgCommand(project, db.url()).context().CurrentHeads(); }), expected);
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname = 't'").empty());

  // An extra column is unexpected too, even beside version_num.
  db.Exec("DROP TABLE retort_version");
  db.Exec(
      "CREATE TABLE retort_version (version_num VARCHAR(32) PRIMARY KEY, applied_at "
      "TIMESTAMP DEFAULT now())");
  EXPECT_EQ(ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); }),
            "Version table public.retort_version has unexpected columns (version_num, "
            "applied_at); expected version_num");
}

TEST(PostgresMigrationTest, NoPrivilegeToCreateTheVersionTableIsTheServersMessage) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  // PostgreSQL 15+ gives PUBLIC no CREATE on schema public.
  const std::string role = db.name() + "_ro";
  const std::string password = "ro-Secret-9";
  test::PostgresExec(server, "CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
  db.Exec("REVOKE CREATE ON SCHEMA public FROM PUBLIC");
  DatabaseUrl owner = DatabaseUrl::Parse(db.url());
  const std::string url = fmt::format("postgresql://{}:{}@{}:{}/{}", role, password, owner.host(),
                                      owner.port(), owner.database());
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}});
  std::string error = ErrorOf([&] { PgCommand(project, url).Upgrade("head"); });
  EXPECT_EQ(error,
            "Can't create the version table public.retort_version: permission denied for schema "
            "public (SQLSTATE 42501)");
  EXPECT_NOT_CONTAINS(error, password);
  db.Exec("DROP OWNED BY " + role);
  // The scratch database is dropped later; the role is cluster-wide.
  test::PostgresExec(server, "DROP ROLE " + role);
}

TEST(PostgresMigrationTest, ADroppedConnectionNamesTheRevisionAndAppliesNothingOfIt) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE users (id INTEGER);"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE half (id INTEGER);\nSELECT pg_sleep(3);\n"},
  });
  PgCommand(project, db.url()).Upgrade("a1");
  std::atomic<bool> done{false};
  std::thread killer([&] {
    // Waits for the sleeping statement, then ends its backend.
    for (int i = 0; i < 100 && !done; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      auto rows = db.Query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db.name() +
          "' AND query LIKE 'SELECT pg_sleep(3)%' AND pid <> pg_backend_pid()");
      if (!rows.empty()) return;
    }
  });
  auto start = std::chrono::steady_clock::now();
  std::string error = ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); });
  done = true;
  killer.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_CONTAINS(error, "Error in revision b2 (");
  EXPECT_CONTAINS(error, "terminating connection due to administrator command");
  EXPECT_NOT_CONTAINS(error, "\n");
  EXPECT_EQ(VersionRows(db), Strings{"a1"});
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname = 'half'").empty());
}

TEST(PostgresMigrationTest, TenConcurrentRunsApplyEachRevisionOnce) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  db.Exec("CREATE TABLE runs (revision TEXT)");
  std::vector<RevisionSpec> revisions;
  for (int i = 0; i < 5; ++i) {
    RevisionSpec spec{.id = fmt::format("c{}", i),
                      .upgrade = fmt::format("CREATE TABLE t{0} (id INTEGER);\n"
                                             "INSERT INTO runs VALUES ('c{0}');\n"
                                             "SELECT pg_sleep(0.05);",
                                             i)};
    if (i > 0) spec.revises = {fmt::format("c{}", i - 1)};
    revisions.push_back(spec);
  }
  TempProject project(revisions);
  std::vector<std::string> errors(10);
  std::vector<std::thread> runs;
  for (int i = 0; i < 10; ++i) {
    runs.emplace_back([&, i] {
      std::string error = ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); });
      if (error != "(no error)") errors[i] = error;
    });
  }
  for (auto& run : runs) run.join();
  for (const std::string& error : errors) EXPECT_EQ(error, "");
  EXPECT_EQ(Join(db.Query("SELECT revision, count(*) FROM runs GROUP BY 1 ORDER BY 1")),
            "c0|1|\nc1|1|\nc2|1|\nc3|1|\nc4|1|\n");
  EXPECT_EQ(VersionRows(db), Strings{"c4"});
}

TEST(PostgresMigrationTest, LockTimeoutSettingBoundsTheWait) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}},
      "lock_timeout = 0.5");
  auto holder = driver::Connect(DatabaseUrl::Parse(db.url()));
  holder->AcquireMigrationLock("", "retort_version", std::chrono::milliseconds(0));
  std::string error = ErrorOf([&] { PgCommand(project, db.url()).Upgrade("head"); });
  EXPECT_EQ(error, "Timed out after 0.5 s waiting for the migration lock on " +
                       DatabaseUrl::Parse(db.url()).Redacted() + " (another retort run holds it)");
  EXPECT_TRUE(db.Query("SELECT 1 FROM pg_class WHERE relname IN ('t', 'retort_version')").empty());
  holder->ReleaseMigrationLock();
  PgCommand(project, db.url()).Upgrade("head");
  EXPECT_EQ(VersionRows(db), Strings{"a1"});
}

TEST(PostgresMigrationTest, WaitRetriesTheConnectionThenReportsTheLastError) {
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}});
  auto start = std::chrono::steady_clock::now();
  std::string error = ErrorOf([&] {
    PgCommand(project, "postgresql://u:Secret-Pw-1@127.0.0.1:1/app", std::chrono::seconds(1))
        .Upgrade("head");
  });
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_CONTAINS(error, "Can't connect to postgresql://u:***@127.0.0.1:1/app: ");
  EXPECT_CONTAINS(error, "(still failing after --wait 1 s)");
  EXPECT_NOT_CONTAINS(error, "Secret-Pw-1");
}

TEST(PostgresMigrationTest, WaitSucceedsOnceTheServerAnswers) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(
      std::vector<RevisionSpec>{{.id = "a1", .upgrade = "CREATE TABLE t (id INTEGER);"}});
  // Reachable at once: --wait costs nothing then.
  auto start = std::chrono::steady_clock::now();
  PgCommand(project, db.url(), std::chrono::seconds(30)).Upgrade("head");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(VersionRows(db), Strings{"a1"});
}

TEST(PostgresMigrationTest, OneTransactionRunWritesItsRowsFoldedAndStillCatchesAVanishedRow) {
  // Issue 15: the version and history rows of a one-transaction run go as
  // one DELETE, one multi-row INSERT each (version_writes.h).
  RETORT_POSTGRES_URL_OR_SKIP(server);
  ScratchPostgresDatabase db(server);
  TempProject project(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "b2",
       .revises = {"a1"},
       .upgrade = "CREATE TABLE t2 (id INTEGER);",
       .downgrade = "DROP TABLE t2;"},
      {.id = "c3",
       .revises = {"b2"},
       .upgrade = "CREATE TABLE t3 (id INTEGER);",
       .downgrade = "DROP TABLE t3;"},
  });
  PgCommand(project, db.url()).Upgrade("head");
  EXPECT_EQ(VersionRows(db), Strings{"c3"});
  const std::string history =
      "SELECT revision, COALESCE(revises, '-'), length(checksum) FROM retort_version_history "
      "ORDER BY revision";
  EXPECT_EQ(Join(db.Query(history)), "a1||64|\nb2|a1|64|\nc3|b2|64|\n");
  PgCommand(project, db.url()).Downgrade("a1");
  EXPECT_EQ(VersionRows(db), Strings{"a1"});
  EXPECT_EQ(Join(db.Query(history)), "a1||64|\n");

  // A revision that removes the row the run is about to move: Alembic's
  // check fails the run, and everything rolls back.
  TempProject vanishing(std::vector<RevisionSpec>{
      {.id = "a1", .upgrade = "CREATE TABLE t1 (id INTEGER);", .downgrade = "DROP TABLE t1;"},
      {.id = "b2", .revises = {"a1"}, .upgrade = "DELETE FROM retort_version;"},
      {.id = "c3", .revises = {"b2"}, .upgrade = "CREATE TABLE t3 (id INTEGER);"},
  });
  const std::string before = CatalogDump(db);
  EXPECT_EQ(ErrorOf([&] { PgCommand(vanishing, db.url()).Upgrade("head"); }),
            "Online migration expected to match one row when updating 'a1' to 'b2' in "
            "'retort_version'; 0 found; rolled back b2 and c3: the database is as it was before "
            "this run");
  EXPECT_EQ(CatalogDump(db), before);
  EXPECT_EQ(VersionRows(db), Strings{"a1"});
  EXPECT_EQ(Join(db.Query(history)), "a1||64|\n");
}

}  // namespace
}  // namespace retort::runtime
