#include "autogen/rename_hints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>

#include "retort/error.h"
#include "testing/temp_dir.h"

namespace retort::autogen {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Columns = std::map<std::pair<std::string, std::string>, std::string>;
using Tables = std::map<std::string, std::string>;

RenameHints Read(const std::string& sql) {
  test::TempDir dir;
  return ReadRenameHints(dir.Write("schema.sql", sql));
}

std::string ErrorOf(const std::string& sql) {
  test::TempDir dir;
  try {
    ReadRenameHints(dir.Write("schema.sql", sql));
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(RenameHintsTest, NoHintsGiveNothing) {
  RenameHints hints = Read("CREATE TABLE t (a int, b text); -- a comment\n");
  EXPECT_THAT(hints.tables, IsEmpty());
  EXPECT_THAT(hints.columns, IsEmpty());
}

TEST(RenameHintsTest, TableHintOnTheLineBefore) {
  RenameHints hints = Read(
      "-- retort:renamed-from people\n"
      "CREATE TABLE persons (id int);\n");
  EXPECT_EQ(hints.tables, (Tables{{"persons", "people"}}));
  EXPECT_THAT(hints.columns, IsEmpty());
}

TEST(RenameHintsTest, TableHintOnTheCreateLine) {
  RenameHints hints = Read(
      "CREATE TABLE IF NOT EXISTS persons (  -- retort:renamed-from people\n"
      "  id int\n);\n");
  EXPECT_EQ(hints.tables, (Tables{{"persons", "people"}}));
  EXPECT_THAT(hints.columns, IsEmpty());
}

TEST(RenameHintsTest, ColumnHintTrailingItsDefinition) {
  RenameHints hints = Read(
      "CREATE TABLE users (\n"
      "  id int PRIMARY KEY,\n"
      "  email text NOT NULL, -- retort:renamed-from mail\n"
      "  name text -- retort:renamed-from full_name\n"
      ");\n");
  EXPECT_EQ(hints.columns,
            (Columns{{{"users", "email"}, "mail"}, {{"users", "name"}, "full_name"}}));
  EXPECT_THAT(hints.tables, IsEmpty());
}

TEST(RenameHintsTest, ColumnHintOnTheLineBefore) {
  RenameHints hints = Read(
      "CREATE TABLE users (\n"
      "  id int PRIMARY KEY,\n"
      "  -- retort:renamed-from mail\n"
      "  \"Email\" varchar(100) CHECK (length(\"Email\") > 3),\n"
      "  CONSTRAINT u UNIQUE (\"Email\")\n"
      ");\n");
  EXPECT_EQ(hints.columns, (Columns{{{"users", "Email"}, "mail"}}));
}

TEST(RenameHintsTest, TableAndColumnTogetherAcrossStatements) {
  RenameHints hints = Read(
      "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; -- retort:renamed-from x $$ "
      "LANGUAGE sql;\n"
      "-- retort:renamed-from people\n"
      "CREATE TABLE public.persons (\n"
      "  id int,\n"
      "  given text -- retort:renamed-from \"first\"\n"
      ");\n"
      "CREATE INDEX ix ON persons (given);\n");
  EXPECT_EQ(hints.tables, (Tables{{"public.persons", "people"}}));
  EXPECT_EQ(hints.columns, (Columns{{{"public.persons", "given"}, "first"}}));
}

TEST(RenameHintsTest, FolderReadsEveryFile) {
  test::TempDir dir;
  dir.Write("schema/01_a.sql", "-- retort:renamed-from old_a\nCREATE TABLE a (x int);\n");
  dir.Write("schema/02_b.sql", "CREATE TABLE b (y int -- retort:renamed-from old_y\n);\n");
  RenameHints hints = ReadRenameHints(dir / "schema");
  EXPECT_EQ(hints.tables, (Tables{{"a", "old_a"}}));
  EXPECT_EQ(hints.columns, (Columns{{{"b", "y"}, "old_y"}}));
}

TEST(RenameHintsTest, HintWithoutANameIsAnErrorNamingFileAndLine) {
  std::string message = ErrorOf("CREATE TABLE t (\n  a int -- retort:renamed-from\n);\n");
  EXPECT_THAT(message, HasSubstr("schema.sql:2: "));
  EXPECT_THAT(message, HasSubstr("names no old name"));
}

TEST(RenameHintsTest, HintAttachedToNothingIsAnErrorNamingFileAndLine) {
  EXPECT_THAT(
      ErrorOf("CREATE TABLE t (a int);\n\n-- retort:renamed-from x\nCREATE INDEX i ON t (a);\n"),
      HasSubstr("schema.sql:3: '-- retort:renamed-from x' is attached to nothing"));
  EXPECT_THAT(
      ErrorOf("CREATE TABLE t (\n  a int,\n  -- retort:renamed-from k\n  PRIMARY KEY (a)\n);\n"),
      HasSubstr("schema.sql:3: "));
  EXPECT_THAT(ErrorOf("CREATE TABLE t (a int);\n-- retort:renamed-from x\n"),
              HasSubstr("schema.sql:2: "));
}

TEST(RenameHintsTest, HintTextInsideStringsIsNotAHint) {
  RenameHints hints = Read(
      "CREATE TABLE t (a text DEFAULT '-- retort:renamed-from b');\n"
      "COMMENT ON TABLE t IS '-- retort:renamed-from q';\n");
  EXPECT_THAT(hints.tables, IsEmpty());
  EXPECT_THAT(hints.columns, IsEmpty());
}

// SQLite schemas quote names with brackets and backticks as often as with
// double quotes: a hint works whatever the quoting (it was ignored, and the
// table rebuilt with a DROP and an ADD that lost the column's data).
TEST(RenameHintsTest, BracketBacktickAndDoubleQuotedNames) {
  RenameHints hints = Read(
      "-- retort:renamed-from [Old Orders]\n"
      "CREATE TABLE [Order Details] (\n"
      "  [OrderID] INTEGER NOT NULL,\n"
      "  [Unit Price] NUMERIC, -- retort:renamed-from [Price]\n"
      "  `qty` INT -- retort:renamed-from `quantity`\n"
      ");\n"
      "CREATE TABLE `line items` (\n"
      "  \"note\" TEXT -- retort:renamed-from \"remark\"\n"
      ");\n"
      "CREATE TABLE t (a integer[], b integer[3], -- retort:renamed-from c\n"
      "  d text);\n");
  EXPECT_EQ(hints.tables, (Tables{{"Order Details", "Old Orders"}}));
  EXPECT_EQ(hints.columns, (Columns{{{"Order Details", "Unit Price"}, "Price"},
                                    {{"Order Details", "qty"}, "quantity"},
                                    {{"line items", "note"}, "remark"},
                                    {{"t", "b"}, "c"}}));
}

}  // namespace
}  // namespace retort::autogen
