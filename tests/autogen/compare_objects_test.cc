// Compare() and the PostgreSQL renderer on Snapshot::objects (extensions,
// domains, functions, partitions, unrenderable kinds), hand-built: the order
// of creation and drop, and what is said about what cannot be rendered. The
// CLI tests (tests/cli/postgres_autogenerate_objects_test.cc) prove the
// lists execute on a real server.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "autogen/compare.h"
#include "autogen/render.h"

namespace retort::autogen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

schema::SchemaObject Obj(std::string kind, std::string name, std::string definition,
                         std::string parent = "") {
  return schema::SchemaObject{.kind = std::move(kind),
                              .name = std::move(name),
                              .definition = std::move(definition),
                              .parent = std::move(parent)};
}

schema::Snapshot Shop() {
  schema::Snapshot s{.dialect = "postgresql"};
  s.tables = {{.name = "events"}, {.name = "orders"}};
  s.columns = {{.table = "events", .name = "at", .type = "date", .position = 1},
               {.table = "orders", .name = "amount", .type = "money_amount", .position = 1}};
  s.triggers = {{.table = "orders",
                 .name = "orders_touch",
                 .definition = "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW "
                               "EXECUTE FUNCTION touch()"}};
  s.objects = {
      Obj("extension", "citext", "", "citext"),
      Obj("domain", "money_amount", "numeric(12,2)", "money_amount"),
      Obj("domain constraint", "money_amount.positive", "CONSTRAINT positive CHECK (VALUE >= 0)",
          "money_amount"),
      Obj("domain default", "money_amount", "0", "money_amount"),
      Obj("function", "touch()", "CREATE OR REPLACE FUNCTION public.touch()\n ...", "touch()"),
      Obj("partition key", "events", "RANGE (at)"),
      Obj("partition", "events_2026",
          "PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01') PARTITION BY "
          "RANGE (at)",
          "events"),
      Obj("partition", "events_2026_01",
          "PARTITION OF events_2026 FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
          "events_2026"),
  };
  return s;
}

std::vector<std::string> Sql(const std::vector<Operation>& ops, const schema::Snapshot& from,
                             const schema::Snapshot& to) {
  std::vector<std::string> out;
  for (const auto& s : RenderPostgresql(ops, from, to)) out.push_back(s.sql);
  return out;
}

// From nothing: extension, domain and its parts, functions (bodies not
// checked), tables with their key, partitions parent first, triggers. The
// downgrade drops in the opposite order.
TEST(CompareObjectsTest, CreatedInDependencyOrderDroppedInReverse) {
  schema::Snapshot empty{.dialect = "postgresql"};
  Comparison c = Compare(empty, Shop());
  std::vector<std::string> up = Sql(c.operations, empty, Shop());
  EXPECT_THAT(
      up,
      ElementsAre(
          "CREATE EXTENSION citext;", "CREATE DOMAIN money_amount AS numeric(12,2);",
          "ALTER DOMAIN money_amount SET DEFAULT 0;",
          "ALTER DOMAIN money_amount ADD CONSTRAINT positive CHECK (VALUE >= 0);",
          "SET check_function_bodies = off;", "CREATE OR REPLACE FUNCTION public.touch()\n ...;",
          "RESET check_function_bodies;",
          "CREATE TABLE events (\n    at date\n) PARTITION BY RANGE (at);",
          "CREATE TABLE orders (\n    amount money_amount\n);",
          // A new table's triggers come with it (after every function).
          "CREATE TRIGGER orders_touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION "
          "touch();",
          "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO "
          "('2027-01-01') PARTITION BY RANGE (at);",
          "CREATE TABLE events_2026_01 PARTITION OF events_2026 FOR VALUES FROM ('2026-01-01') TO "
          "('2026-02-01');"));
  std::vector<std::string> down = Sql(Reverse(c.operations), Shop(), empty);
  EXPECT_THAT(down,
              ElementsAre("DROP TABLE events_2026_01;", "DROP TABLE events_2026;",
                          "DROP TABLE orders;", "DROP TABLE events;", "DROP FUNCTION touch();",
                          "ALTER DOMAIN money_amount DROP CONSTRAINT positive;",
                          "ALTER DOMAIN money_amount DROP DEFAULT;", "DROP DOMAIN money_amount;",
                          "DROP EXTENSION citext;"));
}

// A changed body is replaced in place; a changed check dropped and added;
// new bounds detach and attach.
TEST(CompareObjectsTest, ChangesInPlace) {
  schema::Snapshot a = Shop(), b = Shop();
  b.objects[2].definition = "CONSTRAINT positive CHECK (VALUE > 0)";
  b.objects[4].definition = "CREATE OR REPLACE FUNCTION public.touch()\n new";
  b.objects[7].definition =
      "PARTITION OF events_2026 FOR VALUES FROM ('2026-01-01') TO ('2026-03-01')";
  Comparison c = Compare(a, b);
  EXPECT_THAT(Sql(c.operations, a, b),
              ElementsAre("ALTER DOMAIN money_amount DROP CONSTRAINT positive;",
                          "ALTER DOMAIN money_amount ADD CONSTRAINT positive CHECK (VALUE > 0);",
                          "SET check_function_bodies = off;",
                          "CREATE OR REPLACE FUNCTION public.touch()\n new;",
                          "RESET check_function_bodies;",
                          "ALTER TABLE events_2026 DETACH PARTITION events_2026_01;",
                          "ALTER TABLE events_2026 ATTACH PARTITION events_2026_01 FOR VALUES "
                          "FROM ('2026-01-01') TO ('2026-03-01');"));
  EXPECT_THAT(c.warnings, IsEmpty());
}

// An operator: a warning names it whenever it is declared; a difference is
// a change whose SQL is a comment saying what to write by hand. A new
// partition key on an existing table likewise.
TEST(CompareObjectsTest, UnrenderableKindsAreNamedNeverSilent) {
  schema::Snapshot a = Shop(), b = Shop();
  b.objects.push_back(Obj("operator", "=== (integer, integer)", "int4eq"));
  b.objects[5].definition = "LIST (at)";
  Comparison c = Compare(a, b);
  ASSERT_EQ(c.operations.size(), 2u);
  EXPECT_THAT(Describe(c.operations[0]), HasSubstr("added operator '=== (integer, integer)'"));
  EXPECT_EQ(Describe(c.operations[1]),
            "changed partition key 'events' (not rendered: retort cannot write this change, do "
            "it by hand)");
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("operator '=== (integer, integer)', which autogenerate "
                                       "cannot render"));
  std::vector<std::string> sql = Sql(c.operations, a, b);
  ASSERT_EQ(sql.size(), 2u);
  EXPECT_THAT(sql[0], HasSubstr("-- NOT RENDERED: added operator '=== (integer, integer)'"));
  EXPECT_THAT(sql[0], HasSubstr("--   declared: int4eq"));
  EXPECT_THAT(sql[1], HasSubstr("-- NOT RENDERED: changed partition key 'events'"));
  // The same on both sides: no change, the warning stays.
  Comparison same = Compare(b, b);
  EXPECT_THAT(same.operations, IsEmpty());
  EXPECT_EQ(same.warnings.size(), 1u);
}

}  // namespace
}  // namespace retort::autogen
