#include "autogen/operation.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "autogen/column_builder.h"

namespace retort::autogen {
namespace {

using test::Col;

TableDefinition Users() {
  return TableDefinition{
      .table = {.name = "users"},
      .columns = {Col("users", "id", "integer", true)},
      .primary_key = schema::PrimaryKey{.table = "users", .name = "users_pkey", .columns = {"id"}}};
}

// Every kind of operation, each with what Describe prints and whether it is
// destructive.
struct Case {
  Operation op;
  std::string description;
  bool destructive;
};

std::vector<Case> Cases() {
  schema::ForeignKey fk{.table = "posts",
                        .name = "posts_user_id_fkey",
                        .columns = {"user_id"},
                        .referenced_table = "users",
                        .referenced_columns = {"id"}};
  schema::EnumType mood{.name = "mood", .values = {"sad", "ok"}};
  schema::EnumType mood2{.name = "mood", .values = {"sad", "ok", "happy"}};
  return {
      {CreateTable{Users()}, "added table 'users'", false},
      {DropTable{Users()}, "removed table 'users'", true},
      {RenameTable{"people", "users"}, "renamed table 'people' to 'users'", false},
      {AddColumn{Col("users", "email", "text")}, "added column 'users.email'", false},
      {DropColumn{Col("users", "email", "text")}, "removed column 'users.email'", true},
      {RenameColumn{"users", "mail", "email"}, "renamed column 'users.mail' to 'users.email'",
       false},
      {AlterColumn{Col("users", "x", "text"), Col("users", "x", "text", true)},
       "NOT NULL on column 'users.x'", false},
      {AlterColumn{Col("users", "x", "text", true), Col("users", "x", "text")},
       "NULL on column 'users.x'", true},
      {AlterColumn{Col("users", "age", "integer"), Col("users", "age", "bigint")},
       "type change from integer to bigint on 'users.age'", false},
      {AlterColumn{Col("users", "age", "bigint"), Col("users", "age", "integer")},
       "type change from bigint to integer on 'users.age'", true},
      {AlterColumn{Col("users", "n", "character varying(5)"), Col("users", "n", "text")},
       "type change from character varying(5) to text on 'users.n'", false},
      {AlterColumn{Col("users", "n", "integer", false, "0"),
                   Col("users", "n", "integer", false, "1")},
       "server default change from 0 to 1 on 'users.n'", false},
      {AddPrimaryKey{schema::PrimaryKey{.table = "t", .name = "t_pkey", .columns = {"a", "b"}}},
       "added primary key 't_pkey'(a, b) on 't'", false},
      {DropPrimaryKey{schema::PrimaryKey{.table = "t", .name = "t_pkey", .columns = {"a"}}},
       "removed primary key 't_pkey'(a) on 't'", true},
      {AddUniqueConstraint{{.table = "t", .name = "uq", .columns = {"a"}}},
       "added unique constraint 'uq'(a) on 't'", false},
      {DropUniqueConstraint{{.table = "t", .name = "uq", .columns = {"a"}}},
       "removed unique constraint 'uq'(a) on 't'", true},
      {AddForeignKey{fk}, "added foreign key (user_id)(id) on table posts", false},
      {DropForeignKey{fk}, "removed foreign key (user_id)(id) on table posts", true},
      {AddCheckConstraint{{.table = "t", .name = "ck", .expression = "CHECK (a > 0)"}},
       "added check constraint 'ck' on 't'", false},
      {DropCheckConstraint{{.table = "t", .name = "ck", .expression = "CHECK (a > 0)"}},
       "removed check constraint 'ck' on 't'", true},
      {CreateIndex{{.table = "users", .name = "ix", .definition = "USING btree (a)"}},
       "added index 'ix' on 'users'", false},
      {DropIndex{{.table = "users", .name = "ix", .definition = "USING btree (a)"}},
       "removed index 'ix' on 'users'", false},
      {CreateView{{.name = "v", .definition = " SELECT 1;"}}, "added view 'v'", false},
      {DropView{{.name = "v", .materialized = true}}, "removed materialized view 'v'", false},
      {CreateTrigger{{.table = "t", .name = "tr"}}, "added trigger 'tr' on 't'", false},
      {DropTrigger{{.table = "t", .name = "tr"}}, "removed trigger 'tr' on 't'", false},
      {CreateSequence{{.name = "s"}}, "added sequence 's'", false},
      {DropSequence{{.name = "s"}}, "removed sequence 's'", true},
      {AlterSequence{{.name = "a"}, {.name = "b"}}, "renamed sequence 'a' to 'b'", false},
      {AlterSequence{{.name = "s"}, {.name = "s", .increment = 2}}, "changed sequence 's'", false},
      {CreateEnum{mood}, "added enum type 'mood'", false},
      {DropEnum{mood}, "removed enum type 'mood'", true},
      {AlterEnum{mood, mood2}, "added values 'happy' to enum type 'mood'", false},
      {AlterEnum{mood2, mood}, "removed values 'happy' from enum type 'mood'", true},
      {SetTableComment{"users", std::nullopt, "people"}, "table comment on 'users'", false},
      {SetTableComment{"users", "people", std::nullopt}, "removed table comment on 'users'", false},
      {SetViewComment{"v", false, std::nullopt, "open"}, "view comment on 'v'", false},
      {SetViewComment{"m", true, "totals", std::nullopt},
       "removed materialized view comment on 'm'", false},
      {RenameConstraint{"users", "people_pkey", "users_pkey"},
       "renamed constraint 'people_pkey' to 'users_pkey' on 'users'", false},
      {RenameIndex{"users", "ix_a", "ix_b"}, "renamed index 'ix_a' to 'ix_b' on 'users'", false},
  };
}

TEST(OperationTest, DescribeUsesAlembicWords) {
  for (const Case& c : Cases()) {
    EXPECT_EQ(Describe(c.op), c.description);
  }
}

TEST(OperationTest, DestructiveOperationsGiveAReason) {
  for (const Case& c : Cases()) {
    EXPECT_EQ(DestructiveReason(c.op).has_value(), c.destructive) << c.description;
  }
  EXPECT_EQ(*DestructiveReason(DropColumn{Col("users", "email", "text")}),
            "drops column users.email and its data");
  EXPECT_EQ(*DestructiveReason(
                AlterColumn{Col("users", "age", "bigint"), Col("users", "age", "integer")}),
            "changes the type of users.age from bigint to integer: values may fail to convert "
            "or be cut");
}

// SQLite keeps constraints without names: the words must not show a gap.
TEST(OperationTest, UnnamedSqliteConstraintsReadWithoutAGap) {
  schema::UniqueConstraint unique{.table = "users", .columns = {"email"}};
  EXPECT_EQ(Describe(AddUniqueConstraint{unique}), "added unique constraint (email) on 'users'");
  EXPECT_EQ(*DestructiveReason(DropUniqueConstraint{unique}),
            "drops unique constraint on users: values may repeat");
  schema::CheckConstraint check{.table = "users", .expression = "CHECK (age > 0)"};
  EXPECT_EQ(Describe(DropCheckConstraint{check}), "removed check constraint on 'users'");
  EXPECT_EQ(*DestructiveReason(DropCheckConstraint{check}), "drops check constraint on users");
}

TEST(OperationTest, ReverseTwiceIsIdentity) {
  for (const Case& c : Cases()) {
    EXPECT_EQ(Reverse(Reverse(c.op)), c.op) << c.description;
    EXPECT_NE(Reverse(c.op), c.op) << c.description;
  }
}

TEST(OperationTest, ReverseOfAListUndoesLastFirst) {
  std::vector<Operation> ops = {CreateTable{Users()}, AddColumn{Col("users", "email", "text")}};
  std::vector<Operation> reversed = Reverse(ops);
  ASSERT_EQ(reversed.size(), 2u);
  EXPECT_EQ(reversed[0], Operation(DropColumn{Col("users", "email", "text")}));
  EXPECT_EQ(reversed[1], Operation(DropTable{Users()}));
}

}  // namespace
}  // namespace retort::autogen
