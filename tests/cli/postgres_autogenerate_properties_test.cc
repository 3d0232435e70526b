// Autogenerate on PostgreSQL, the round trip of issue 13 for what sits
// around the tables: an enum losing a value under a partial index, a CHECK
// and views; enum values added without recreating views; a serial column
// becoming an identity. Run as a user runs them against the suite's real
// server; the databases are compared by their catalogs (pg_dump of the
// upgraded database against pg_dump of one loaded from the declared schema).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "cli/postgres_expect.h"
#include "testing/cli_runner.h"
#include "testing/pg_dump.h"
#include "testing/postgres_server.h"
#include "testing/temp_project.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

namespace fs = std::filesystem;

class PostgresPropertiesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto url = PostgresServerUrl();
    if (!url) GTEST_SKIP() << "RETORT_SKIP_POSTGRES=1: PostgreSQL tests switched off";
    db_ = std::make_unique<ScratchPostgresDatabase>(*url);
    project_ = std::make_unique<TempProject>();
    project_->WriteConfig(PgConfig(db_->url(), "schema = schema.sql\n"));
  }

  CliResult Run(const std::vector<std::string>& args) { return RunRetort(args, project_->root()); }

  // Declares `schema`, autogenerates; the revision's text.
  std::string Generate(const std::string& schema) {
    project_->Write("schema.sql", schema);
    CliResult run = Run({"revision", "--autogenerate", "-m", "auto"});
    EXPECT_TRUE(Succeeded(run));
    std::string path = FindSqlPath(run.out);
    EXPECT_FALSE(path.empty()) << run.Describe();
    return path.empty() ? "" : ReadFile(path);
  }

  // The catalog of a fresh database loaded from `schema`.
  static std::string Loaded(const std::string& schema) {
    ScratchPostgresDatabase fresh(*PostgresServerUrl());
    fresh.Exec(schema);
    return PgDumpCatalog(fresh.url());
  }

  void ExpectCheckClean() {
    CliResult check = Run({"check"});
    EXPECT_TRUE(Succeeded(check)) << check.Describe();
    EXPECT_THAT(check.out, HasSubstr("No new upgrade operations detected."));
  }

  // Upgrade to head; the database must then be `schema`.
  void UpgradeTo(const std::string& schema) {
    CliResult up = Run({"upgrade", "head"});
    ASSERT_TRUE(Succeeded(up)) << up.Describe();
    EXPECT_EQ(PgDumpCatalog(db_->url()), Loaded(schema));
    ExpectCheckClean();
  }

  std::unique_ptr<ScratchPostgresDatabase> db_;
  std::unique_ptr<TempProject> project_;
};

const char* kOrders = R"sql(
CREATE TYPE status AS ENUM ('new', 'paid', 'shipped');
CREATE TABLE orders (
    id integer PRIMARY KEY,
    state status NOT NULL DEFAULT 'new',
    total numeric(10, 2) NOT NULL,
    CONSTRAINT orders_paid_total CHECK (state <> 'paid' OR total > 0)
);
CREATE INDEX ix_orders_open ON orders (id) WHERE state <> 'shipped';
CREATE VIEW open_orders AS SELECT id, state FROM orders WHERE state = 'new';
CREATE VIEW open_order_ids AS SELECT id FROM open_orders;
CREATE MATERIALIZED VIEW order_totals AS SELECT state, sum(total) AS total FROM orders GROUP BY state;
CREATE UNIQUE INDEX ix_order_totals ON order_totals (state);
COMMENT ON VIEW open_orders IS 'waiting for payment';
)sql";

// The enum gains a value: ALTER TYPE ... ADD VALUE and nothing else (the
// views and the materialized view were dropped and created again). The
// downgrade removes it, rebuilding the type under a partial index, a CHECK
// and views that cast to it: it failed with `operator does not exist:
// status = status__retort_old`.
TEST_F(PostgresPropertiesTest, EnumValueAddedAndRemovedUnderIndexesChecksAndViews) {
  Generate(kOrders);
  UpgradeTo(kOrders);
  db_->Exec(
      "INSERT INTO orders VALUES (1, 'new', 0), (2, 'paid', 5), (3, 'shipped', 7);"
      "REFRESH MATERIALIZED VIEW order_totals;");

  std::string edited = kOrders;
  edited.replace(edited.find("'paid', "), 8, "'paid', 'refunded', ");
  std::string file = Generate(edited);
  EXPECT_THAT(file, HasSubstr("ALTER TYPE status ADD VALUE 'refunded' AFTER 'paid';"));
  std::string upgrade = file.substr(0, file.find("-- migrate:downgrade"));
  EXPECT_THAT(upgrade, Not(HasSubstr("VIEW")));
  UpgradeTo(edited);
  EXPECT_THAT(Column(*db_, "SELECT count(*)::text FROM order_totals"), ElementsAre("3"));

  CliResult down = Run({"downgrade", "-1"});
  ASSERT_TRUE(Succeeded(down)) << down.Describe();
  EXPECT_EQ(PgDumpCatalog(db_->url()), Loaded(kOrders));
  EXPECT_THAT(Column(*db_, "SELECT id || ' ' || state FROM orders ORDER BY id"),
              ElementsAre("1 new", "2 paid", "3 shipped"));
  EXPECT_THAT(Column(*db_, "SELECT state || ' ' || total FROM order_totals ORDER BY state"),
              ElementsAre("new 0.00", "paid 5.00", "shipped 7.00"));
  EXPECT_THAT(Column(*db_, "SELECT obj_description('open_orders'::regclass, 'pg_class')"),
              ElementsAre("waiting for payment"));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
}

// A serial column made an identity: the old sequence goes (it stayed, and
// the identity got `items_id_seq1`), the numbering goes on where it was,
// and the downgrade brings the serial's sequence back.
TEST_F(PostgresPropertiesTest, SerialToIdentityMovesTheSequence) {
  const std::string serial = "CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL);\n";
  Generate(serial);
  UpgradeTo(serial);
  db_->Exec("INSERT INTO items (name) VALUES ('a'), ('b'), ('c');");

  const std::string identity =
      "CREATE TABLE items (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
      "name text NOT NULL);\n";
  Generate(identity);
  UpgradeTo(identity);
  EXPECT_THAT(Column(*db_, "SELECT relname::text FROM pg_class WHERE relkind = 'S'"),
              ElementsAre("items_id_seq"));
  db_->Exec("INSERT INTO items (name) VALUES ('d');");
  EXPECT_THAT(Column(*db_, "SELECT id::text FROM items WHERE name = 'd'"), ElementsAre("4"));

  CliResult down = Run({"downgrade", "-1"});
  ASSERT_TRUE(Succeeded(down)) << down.Describe();
  EXPECT_EQ(PgDumpCatalog(db_->url()), Loaded(serial));
  db_->Exec("INSERT INTO items (name) VALUES ('e');");
  EXPECT_THAT(Column(*db_, "SELECT id || name FROM items ORDER BY id"),
              ElementsAre("1a", "2b", "3c", "4d", "5e"));
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  EXPECT_EQ(PgDumpCatalog(db_->url()), Loaded(identity));
}

const char* kEvents = R"sql(
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    payload text
) WITH (fillfactor = 70);
ALTER TABLE events ALTER COLUMN kind SET STATISTICS 500;
CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text);
CREATE MATERIALIZED VIEW event_kinds AS
    SELECT kind, count(*) AS n FROM events GROUP BY kind WITH NO DATA;
)sql";

const char* kEventsEdited = R"sql(
CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    payload text
) WITH (fillfactor = 90, autovacuum_enabled = false);
ALTER TABLE events ALTER COLUMN payload SET STATISTICS 100;
CREATE TABLE cache (k text PRIMARY KEY, v text);
CREATE MATERIALIZED VIEW event_kinds AS
    SELECT kind, count(*) AS n FROM events GROUP BY kind WITH NO DATA;
)sql";

// UNLOGGED, storage parameters, SET STATISTICS and a materialized view
// WITH NO DATA are inspected, compared and rendered (all four were
// dropped: the first revision made a logged table with default storage
// and statistics, and a filled materialized view). A change made by hand
// in the database is drift `check` reports.
TEST_F(PostgresPropertiesTest, TableAndColumnPropertiesRoundTrip) {
  std::string first = Generate(kEvents);
  EXPECT_THAT(first, HasSubstr("CREATE UNLOGGED TABLE cache"));
  EXPECT_THAT(first, HasSubstr("WITH NO DATA"));
  UpgradeTo(kEvents);
  EXPECT_THAT(Column(*db_,
                     "SELECT relispopulated::text FROM pg_class WHERE relname = "
                     "'event_kinds'"),
              ElementsAre("false"));
  db_->Exec(
      "INSERT INTO events VALUES (1, 'a', 'x'), (2, 'b', NULL);"
      "INSERT INTO cache VALUES ('k', 'v');");

  std::string file = Generate(kEventsEdited);
  EXPECT_THAT(file, HasSubstr("ALTER TABLE cache SET LOGGED;"));
  EXPECT_THAT(file, HasSubstr("ALTER TABLE events SET (fillfactor=90, autovacuum_enabled=false);"));
  EXPECT_THAT(file, HasSubstr("ALTER TABLE events ALTER COLUMN payload SET STATISTICS 100;"));
  UpgradeTo(kEventsEdited);

  CliResult down = Run({"downgrade", "-1"});
  ASSERT_TRUE(Succeeded(down)) << down.Describe();
  EXPECT_EQ(PgDumpCatalog(db_->url()), Loaded(kEvents));
  EXPECT_THAT(Column(*db_, "SELECT id || kind FROM events ORDER BY id"), ElementsAre("1a", "2b"));
  EXPECT_THAT(Column(*db_, "SELECT k || v FROM cache"), ElementsAre("kv"));

  // Back at head, a change made by hand in production is reported (check
  // compares at head only, as Alembic's does).
  ASSERT_TRUE(Succeeded(Run({"upgrade", "head"})));
  ExpectCheckClean();
  db_->Exec("ALTER TABLE events SET (fillfactor = 50);");
  CliResult check = Run({"check"});
  EXPECT_EQ(check.exit_code, 1) << check.Describe();
  EXPECT_THAT(check.out, HasSubstr("table options storage parameters (fillfactor=90,"
                                   "autovacuum_enabled=false) on 'events'"));
}

}  // namespace
}  // namespace retort::test
