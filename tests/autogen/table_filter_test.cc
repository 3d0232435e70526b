#include "autogen/table_filter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace retort::autogen {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

const std::vector<std::string> kBookkeeping = {"retort_version", "retort_version_history"};

TableFilter Filter(std::vector<std::string> include, std::vector<std::string> exclude) {
  return TableFilter(std::move(include), std::move(exclude), kBookkeeping, "public");
}

TEST(TableFilterTest, NoPatternsKeepEveryUserTable) {
  TableFilter filter = Filter({}, {});
  EXPECT_TRUE(filter.Keeps("users"));
  EXPECT_TRUE(filter.Keeps("audit.log"));
}

TEST(TableFilterTest, BookkeepingTablesAreAlwaysOut) {
  for (const TableFilter& filter : {Filter({}, {}), Filter({"*"}, {}), Filter({"retort_*"}, {})}) {
    EXPECT_FALSE(filter.Keeps("retort_version"));
    EXPECT_FALSE(filter.Keeps("retort_version_history"));
    EXPECT_FALSE(filter.Keeps("public.retort_version"));
  }
  TableFilter qualified({}, {}, {"ops.retort_version"}, "public");
  EXPECT_FALSE(qualified.Keeps("ops.retort_version"));
}

struct Case {
  std::vector<std::string> include, exclude;
  std::string table;
  bool kept;
};

TEST(TableFilterTest, PatternsMatchUnqualifiedAndQualifiedNames) {
  const Case cases[] = {
      {{"users"}, {}, "users", true},           {{"users"}, {}, "posts", false},
      {{"public.users"}, {}, "users", true},    {{"public.*"}, {}, "users", true},
      {{"public.*"}, {}, "audit.log", false},   {{"audit.*"}, {}, "audit.log", true},
      {{"log"}, {}, "audit.log", true},         {{"u?ers"}, {}, "users", true},
      {{"[pu]*"}, {}, "posts", true},           {{"USERS"}, {}, "users", true},
      {{}, {"tmp_*"}, "tmp_import", false},     {{}, {"tmp_*"}, "users", true},
      {{"*"}, {"users"}, "users", false},  // exclusion wins
      {{}, {"public.legacy"}, "legacy", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Filter(c.include, c.exclude).Keeps(c.table), c.kept)
        << "table " << c.table << " include " << ::testing::PrintToString(c.include) << " exclude "
        << ::testing::PrintToString(c.exclude);
  }
}

TEST(TableFilterTest, ApplyDropsATableWithEverythingThatLivesOnIt) {
  schema::Snapshot snapshot{.dialect = "postgresql"};
  for (const char* name : {"keep", "tmp_x", "retort_version"}) {
    snapshot.tables.push_back({.name = name});
    snapshot.columns.push_back({.table = name, .name = "id", .type = "integer"});
    snapshot.primary_keys.push_back({.table = name, .name = "pk", .columns = {"id"}});
    snapshot.unique_constraints.push_back({.table = name, .name = "u", .columns = {"id"}});
    snapshot.indexes.push_back({.table = name, .name = std::string("ix_") + name});
    snapshot.foreign_keys.push_back({.table = name, .name = "fk", .referenced_table = "keep"});
    snapshot.checks.push_back({.table = name, .name = "ck", .expression = "id > 0"});
    snapshot.triggers.push_back({.table = name, .name = "tg"});
  }
  snapshot.views.push_back({.name = "tmp_view"});
  snapshot.sequences.push_back({.name = "tmp_seq"});
  snapshot.sequences.push_back({.name = "tmp_x_id_seq", .owner = "tmp_x.id"});
  snapshot.sequences.push_back({.name = "keep_id_seq", .owner = "keep.id"});
  TableFilter filter = Filter({}, {"tmp_*"});
  EXPECT_THAT(filter.ExcludedTables(snapshot), ElementsAre("tmp_x", "retort_version"));
  schema::Snapshot kept = filter.Apply(snapshot);
  ASSERT_EQ(kept.tables.size(), 1u);
  EXPECT_EQ(kept.tables[0].name, "keep");
  for (const auto& column : kept.columns) EXPECT_EQ(column.table, "keep");
  EXPECT_EQ(kept.columns.size(), 1u);
  EXPECT_EQ(kept.primary_keys.size(), 1u);
  EXPECT_EQ(kept.unique_constraints.size(), 1u);
  EXPECT_EQ(kept.indexes.size(), 1u);
  EXPECT_EQ(kept.foreign_keys.size(), 1u);
  EXPECT_EQ(kept.checks.size(), 1u);
  EXPECT_EQ(kept.triggers.size(), 1u);
  // Not tables: a filter on table names leaves them alone.
  EXPECT_EQ(kept.views.size(), 1u);
  std::vector<std::string> sequences;
  for (const auto& sequence : kept.sequences) sequences.push_back(sequence.name);
  EXPECT_THAT(sequences, ElementsAre("tmp_seq", "keep_id_seq"));
  EXPECT_THAT(Filter({}, {}).Apply(schema::Snapshot{}).tables, IsEmpty());
}

// MySQL triggers and partitioning (Snapshot::objects) go with their table;
// routines and events belong to no table and stay.
TEST(TableFilterTest, ApplyDropsTableBoundObjectsOfAFilteredTable) {
  schema::Snapshot snapshot{.dialect = "mysql"};
  for (const char* table : {"keep", "tmp_x"}) {
    snapshot.tables.push_back({.name = table});
    snapshot.objects.push_back(
        {.kind = "mysql trigger", .name = std::string(table) + "_tg", .parent = table});
    snapshot.objects.push_back({.kind = "mysql partitioning", .name = table, .parent = table});
  }
  snapshot.objects.push_back({.kind = "mysql procedure", .name = "tmp_proc"});
  snapshot.objects.push_back({.kind = "mysql event", .name = "tmp_event"});
  schema::Snapshot kept = Filter({}, {"tmp_*"}).Apply(snapshot);
  std::vector<std::string> names;
  for (const auto& o : kept.objects) names.push_back(o.kind + " " + o.name);
  EXPECT_THAT(names, ElementsAre("mysql trigger keep_tg", "mysql partitioning keep",
                                 "mysql procedure tmp_proc", "mysql event tmp_event"));
}

}  // namespace
}  // namespace retort::autogen
