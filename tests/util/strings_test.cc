#include "util/strings.h"

#include <gtest/gtest.h>

namespace retort::util {
namespace {

TEST(TrimTest, StripsAsciiWhitespaceOnBothEnds) {
  EXPECT_EQ(Trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim(" \t "), "");
  EXPECT_EQ(TrimLeft("  a "), "a ");
  EXPECT_EQ(TrimRight("  a "), "  a");
}

TEST(CaseTest, LowersAsciiOnly) {
  EXPECT_EQ(ToLower("Revision ID"), "revision id");
  EXPECT_EQ(ToLower("\xc3\x89t\xc3\xa9"), "\xc3\x89t\xc3\xa9");
  EXPECT_TRUE(EqualsIgnoreCase("Depends On", "depends on"));
  EXPECT_FALSE(EqualsIgnoreCase("Depends On", "depends"));
}

TEST(SplitTest, KeepsEveryPiece) {
  EXPECT_EQ(Split("a,b,,c", ','), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
}

TEST(SplitListTest, TrimsAndDropsEmptyItems) {
  struct Case {
    const char* text;
    const char* separators;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"a, b,,c", ",", {"a", "b", "c"}},        {"", ",", {}},         {" , ", ",", {}},
      {"x y,z:w", ", :", {"x", "y", "z", "w"}}, {"one", ",", {"one"}},
  };
  for (const Case& c : cases) EXPECT_EQ(SplitList(c.text, c.separators), c.want) << c.text;
}

TEST(JoinTest, JoinsWithSeparator) {
  EXPECT_EQ(Join({"a", "b", "c"}, ", "), "a, b, c");
  EXPECT_EQ(Join({}, ", "), "");
}

// Expected values computed with Alembic's own rule:
//   slug = "_".join(re.findall(r"\w+", msg)).lower()
//   if len(slug) > n: slug = slug[:n].rsplit("_", 1)[0] + "_"
TEST(SlugifyTest, MatchesAlembic) {
  struct Case {
    const char* message;
    int length;
    const char* want;
  };
  const Case cases[] = {
      {"Add users table", 40, "add_users_table"},
      {"add_users table!!", 40, "add_users_table"},
      {"  --Hello,  World--  ", 40, "hello_world"},
      {"", 40, ""},
      {"!!!", 40, ""},
      {"create account table with many many columns for everything", 40,
       "create_account_table_with_many_many_"},
      {"abcdefghij", 5, "abcde_"},
      {"abc def", 4, "abc_"},
      {"abc def", 7, "abc_def"},
      {"Caf\xc3\xa9 menu", 40, "caf\xc3\xa9_menu"},
      {"abc def", 0, "abc_def"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Slugify(c.message, c.length), c.want) << c.message << " / " << c.length;
  }
}

TEST(IsWordStringTest, AcceptsOnlyWordCharacters) {
  EXPECT_TRUE(IsWordString("ae1027a6acf_X"));
  EXPECT_FALSE(IsWordString(""));
  EXPECT_FALSE(IsWordString("a-b"));
  EXPECT_FALSE(IsWordString("a@b"));
  EXPECT_FALSE(IsWordString("a b"));
}

}  // namespace
}  // namespace retort::util
