// Compare() on hand-built snapshots: what is detected, in which order, with
// which warnings. Pure: no database (the PostgreSQL round-trip tests prove
// the lists execute).
#include "autogen/compare.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace retort::autogen {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

schema::Column Col(const std::string& table, const std::string& name,
                   const std::string& type = "integer", int position = 1) {
  return schema::Column{.table = table, .name = name, .type = type, .position = position};
}

// users(id PK, email) and posts(id PK, user_id -> users.id), an index, a view.
schema::Snapshot Base() {
  schema::Snapshot s{.dialect = "postgresql"};
  s.tables = {{.name = "posts"}, {.name = "users"}};
  s.columns = {Col("posts", "id", "integer", 1), Col("posts", "user_id", "integer", 2),
               Col("users", "id", "integer", 1), Col("users", "email", "text", 2)};
  s.columns[0].not_null = s.columns[2].not_null = true;
  s.primary_keys = {{.table = "posts", .name = "posts_pkey", .columns = {"id"}},
                    {.table = "users", .name = "users_pkey", .columns = {"id"}}};
  s.foreign_keys = {{.table = "posts",
                     .name = "posts_user_id_fkey",
                     .columns = {"user_id"},
                     .referenced_table = "users",
                     .referenced_columns = {"id"}}};
  s.indexes = {{.table = "users", .name = "ix_email", .definition = "USING btree (email)"}};
  s.views = {{.name = "emails", .definition = " SELECT users.email\n   FROM users;"}};
  return s;
}

std::vector<std::string> Described(const Comparison& c) {
  std::vector<std::string> out;
  for (const auto& op : c.operations) out.push_back(Describe(op));
  return out;
}

TEST(CompareTest, UnchangedSchemaGivesNothing) {
  schema::Snapshot a = Base(), b = Base();
  // Column order and CREATE text are not part of the schema.
  for (auto& c : b.columns) c.position += 10;
  b.indexes[0].sql = "create index ix_email on users (email)";
  Comparison c = Compare(a, b);
  EXPECT_THAT(c.operations, IsEmpty());
  EXPECT_THAT(c.warnings, IsEmpty());
}

struct Case {
  std::string name;
  std::function<void(schema::Snapshot&)> change;  // applied to B
  std::vector<std::string> detected;
};

TEST(CompareTest, EachKindOfChangeIsDetected) {
  std::vector<Case> cases = {
      {"added column",
       [](schema::Snapshot& s) { s.columns.push_back(Col("users", "name", "text", 3)); },
       {"added column 'users.name'"}},
      {"type, nullability, default and comment",
       [](schema::Snapshot& s) {
         s.columns[3].type = "character varying(10)";
         s.columns[3].not_null = true;
         s.columns[3].default_value = "'x'::text";
         s.columns[3].comment = "mail";
       },
       // The view over the retyped column cannot stay while it changes.
       {"removed view 'emails'",
        "type change from text to character varying(10) on 'users.email'; NOT NULL on column "
        "'users.email'; server default change from (none) to 'x'::text on 'users.email'; "
        "column comment on 'users.email'",
        "added view 'emails'"}},
      {"changed index is dropped and created",
       [](schema::Snapshot& s) { s.indexes[0].definition = "USING btree (lower(email))"; },
       {"removed index 'ix_email' on 'users'", "added index 'ix_email' on 'users'"}},
      {"changed view is dropped and created",
       [](schema::Snapshot& s) { s.views[0].definition = " SELECT users.id\n   FROM users;"; },
       {"removed view 'emails'", "added view 'emails'"}},
      {"a view's comment alone is set in place, the view stays",
       [](schema::Snapshot& s) { s.views[0].comment = "mail addresses"; },
       {"view comment on 'emails'"}},
      {"a view over a dropped column goes first and comes back after",
       [](schema::Snapshot& s) {
         s.columns.erase(s.columns.begin() + 1);  // posts.user_id
         s.foreign_keys.clear();
         s.views[0].definition = " SELECT posts.id\n   FROM posts;";
       },
       {"removed view 'emails'", "removed foreign key (user_id)(id) on table posts",
        "removed column 'posts.user_id'", "added view 'emails'"}},
      {"foreign key action",
       [](schema::Snapshot& s) { s.foreign_keys[0].on_delete = "CASCADE"; },
       {"removed foreign key (user_id)(id) on table posts",
        "added foreign key (user_id)(id) on table posts"}},
      {"a key renamed (PostgreSQL named it after a renamed table) is renamed",
       [](schema::Snapshot& s) { s.primary_keys[1].name = "users_pk"; },
       {"renamed constraint 'users_pkey' to 'users_pk' on 'users'"}},
      {"a dropped key takes the foreign keys leaning on it along",
       [](schema::Snapshot& s) {
         s.primary_keys.pop_back();
         s.unique_constraints = {{.table = "users", .name = "users_id_key", .columns = {"id"}}};
       },
       {"removed foreign key (user_id)(id) on table posts",
        "removed primary key 'users_pkey'(id) on 'users'",
        "added unique constraint 'users_id_key'(id) on 'users'",
        "added foreign key (user_id)(id) on table posts"}},
      {"dropped table: its foreign keys and views first",
       [](schema::Snapshot& s) {
         s.tables.erase(s.tables.begin());
         s.columns.erase(s.columns.begin(), s.columns.begin() + 2);
         s.primary_keys.erase(s.primary_keys.begin());
         s.foreign_keys.clear();
       },
       {"removed table 'posts'"}},
      {"enum values added, table comment",
       [](schema::Snapshot& s) {
         s.enums = {{.name = "mood", .values = {"sad", "ok", "happy"}}};
         s.tables[1].comment = "people";
       },
       {"added values 'happy' to enum type 'mood'", "table comment on 'users'"}},
      {"new tables referencing each other",
       [](schema::Snapshot& s) {
         s.tables.push_back({.name = "a"});
         s.tables.push_back({.name = "b"});
         s.columns.push_back(Col("a", "b_id"));
         s.columns.push_back(Col("b", "a_id"));
         s.unique_constraints = {{.table = "a", .name = "a_key", .columns = {"b_id"}},
                                 {.table = "b", .name = "b_key", .columns = {"a_id"}}};
         s.foreign_keys.push_back({.table = "a",
                                   .name = "a_fk",
                                   .columns = {"b_id"},
                                   .referenced_table = "b",
                                   .referenced_columns = {"a_id"}});
         s.foreign_keys.push_back({.table = "b",
                                   .name = "b_fk",
                                   .columns = {"a_id"},
                                   .referenced_table = "a",
                                   .referenced_columns = {"b_id"}});
       },
       // 'a' needs 'b' first, which needs 'a': the cycle is broken at 'b',
       // whose key to 'a' is added after both.
       {"added table 'b'", "added table 'a'", "added foreign key (a_id)(b_id) on table b"}},
  };
  for (const Case& c : cases) {
    schema::Snapshot a = Base(), b = Base();
    if (c.name.rfind("enum", 0) == 0) a.enums = {{.name = "mood", .values = {"sad", "ok"}}};
    c.change(b);
    EXPECT_EQ(Described(Compare(a, b)), c.detected) << c.name;
  }
}

TEST(CompareTest, EnumsAndSequencesComeBeforeTablesAndGoAfter) {
  schema::Snapshot a = Base(), b = Base();
  b.enums = {{.name = "mood", .values = {"ok"}}};
  b.sequences = {{.name = "counter", .type = "bigint"}};
  b.tables.push_back({.name = "feelings"});
  b.columns.push_back(Col("feelings", "m", "mood"));
  EXPECT_THAT(
      Described(Compare(a, b)),
      ElementsAre("added enum type 'mood'", "added sequence 'counter'", "added table 'feelings'"));
  EXPECT_THAT(Described(Compare(b, a)),
              ElementsAre("removed table 'feelings'", "removed enum type 'mood'",
                          "removed sequence 'counter'"));
}

TEST(CompareTest, RenameHintsGiveRenamesNotDropAndAdd) {
  schema::Snapshot a = Base(), b = Base();
  for (auto& t : b.tables)
    if (t.name == "users") t.name = "people";
  for (auto& c : b.columns) {
    if (c.table == "users") c.table = "people";
    if (c.name == "email") c.name = "mail";
  }
  b.primary_keys[1].table = "people";
  b.foreign_keys[0].referenced_table = "people";
  b.indexes[0] = {.table = "people", .name = "ix_email", .definition = "USING btree (mail)"};
  b.views.clear();
  RenameHints hints{.tables = {{"people", "users"}}, .columns = {{{"people", "mail"}, "email"}}};
  Comparison c = Compare(a, b, hints);
  // The view goes first, as written with the old names.
  EXPECT_THAT(Described(c),
              ElementsAre("removed view 'emails'", "renamed table 'users' to 'people'",
                          "renamed column 'people.email' to 'people.mail'"));
  EXPECT_THAT(c.warnings, IsEmpty());
  // Undone in reverse.
  std::vector<std::string> back;
  for (const auto& op : Reverse(c.operations)) back.push_back(Describe(op));
  EXPECT_THAT(back, ElementsAre("renamed column 'people.mail' to 'people.email'",
                                "renamed table 'people' to 'users'", "added view 'emails'"));
}

TEST(CompareTest, UnhintedRenameIsDropAndAddWithAWarning) {
  schema::Snapshot a = Base(), b = Base();
  b.columns[3].name = "mail";  // users.email
  b.indexes.clear();
  b.views.clear();
  Comparison c = Compare(a, b);
  EXPECT_THAT(Described(c),
              ElementsAre("removed view 'emails'", "removed index 'ix_email' on 'users'",
                          "added column 'users.mail'", "removed column 'users.email'"));
  EXPECT_THAT(c.warnings,
              ElementsAre("column 'users.email' was removed and 'users.mail' added with the same "
                          "type: if this is a rename, add '-- retort:renamed-from email' to "
                          "'mail'"));

  schema::Snapshot renamed_table = Base();
  renamed_table.tables[0].name = "articles";
  for (auto& col : renamed_table.columns)
    if (col.table == "posts") col.table = "articles";
  renamed_table.primary_keys[0].table = "articles";
  renamed_table.foreign_keys[0].table = "articles";
  EXPECT_THAT(Compare(a, renamed_table).warnings,
              ElementsAre("table 'posts' was removed and 'articles' added with the same columns: "
                          "if this is a rename, add '-- retort:renamed-from posts' to 'articles'"));
}

TEST(CompareTest, StaleHintIsIgnored) {
  // The rename already happened: the hint names nothing in the database.
  RenameHints hints{.tables = {{"users", "people"}}, .columns = {}};
  EXPECT_THAT(Compare(Base(), Base(), hints).operations, IsEmpty());
}

TEST(CompareTest, FunctionsAreNotRenderedButWarnedAbout) {
  schema::Snapshot a = Base(), b = Base();
  b.routines = {{.name = "touch()", .definition = "CREATE FUNCTION touch() ..."}};
  Comparison c = Compare(a, b);
  EXPECT_THAT(c.operations, IsEmpty());
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_THAT(c.warnings[0], HasSubstr("function touch() is declared but not in the database"));
}

}  // namespace
}  // namespace retort::autogen
