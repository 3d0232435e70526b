// `retort import alembic --dialect postgresql` on the real PostgreSQL test
// server: a database brought halfway by Alembic's own SQL (its offline
// script, as `alembic upgrade REV --sql | psql` applies it; the machine's
// Alembic has no PostgreSQL driver to connect itself) is adopted as it is
// and finished by retort, ending where Alembic ends.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"
#include "testing/temp_dir.h"

namespace retort::test {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

CliResult Alembic(const std::vector<std::string>& args, const fs::path& cwd) {
  std::vector<std::string> argv{"/usr/bin/alembic"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunProcess(argv, cwd);
}

// What a user compares: columns, indexes, constraints and the lookup rows
// (retort's own history table aside).
std::string Catalog(const ScratchPostgresDatabase& db) {
  std::string out;
  for (const char* sql :
       {"SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, '') "
        "FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> "
        "'alembic_version_history' ORDER BY 1, 2",
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename "
        "<> 'alembic_version_history' ORDER BY 1",
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = "
        "'public'::regnamespace AND conname NOT LIKE 'alembic_version_history%' ORDER BY 1",
        "SELECT code, label FROM customer_statuses ORDER BY 1",
        "SELECT version_num FROM alembic_version ORDER BY 1"}) {
    for (const auto& row : db.Query(sql)) {
      for (const std::string& value : row) out += value + "|";
      out += "\n";
    }
  }
  return out;
}

TEST(ImportAlembicPostgres, ADatabaseAlembicMigratedHalfwayIsAdoptedAndFinished) {
  RETORT_POSTGRES_URL_OR_SKIP(server);
  TempDir dir;
  fs::path shop = dir / "shop";
  fs::copy(fs::path(RETORT_SOURCE_DIR) / "examples/alembic_shop/alembic", shop,
           fs::copy_options::recursive);
  CliResult imported =
      RunRetort({"import", "alembic", "--dialect", "postgresql", "--into", "pg"}, shop);
  ASSERT_EQ(imported.exit_code, 0) << imported.Describe();
  // Alembic's offline scripts for PostgreSQL: only the URL's dialect counts.
  std::string ini = ReadFile(shop / "alembic.ini");
  WriteFile(shop / "alembic.ini",
            std::regex_replace(ini, std::regex("sqlite:///shop.db"), "postgresql://"));
  CliResult half_script = Alembic({"upgrade", "2b3c4d5e6f70", "--sql"}, shop);
  CliResult full_script = Alembic({"upgrade", "heads", "--sql"}, shop);
  ASSERT_EQ(half_script.exit_code, 0) << half_script.Describe();
  ASSERT_EQ(full_script.exit_code, 0) << full_script.Describe();

  ScratchPostgresDatabase by_alembic(server), adopted(server);
  by_alembic.Exec(full_script.out);
  adopted.Exec(half_script.out);

  const fs::path project = shop / "pg";
  CliResult current = RunRetort({"--url", adopted.url(), "current"}, project);
  ASSERT_EQ(current.exit_code, 0) << current.Describe();
  EXPECT_EQ(current.out, "2b3c4d5e6f70\n");

  CliResult rest = RunRetort({"--url", adopted.url(), "upgrade", "heads"}, project);
  ASSERT_EQ(rest.exit_code, 0) << rest.Describe();
  EXPECT_THAT(rest.err, Not(HasSubstr("-> 1a2b3c4d5e6f")));
  EXPECT_THAT(rest.err, Not(HasSubstr("-> 2b3c4d5e6f70")));
  EXPECT_THAT(rest.err, HasSubstr("Running upgrade 1a2b3c4d5e6f -> 3c4d5e6f7081"));
  EXPECT_EQ(Catalog(adopted), Catalog(by_alembic));
  EXPECT_THAT(Catalog(adopted), HasSubstr("ix_audit_log_table_name"));

  // Nothing left: a second run has nothing to do.
  CliResult again = RunRetort({"--url", adopted.url(), "upgrade", "heads"}, project);
  EXPECT_EQ(again.exit_code, 0);
  EXPECT_THAT(again.err, Not(HasSubstr("Running upgrade")));
}

}  // namespace
}  // namespace retort::test
