#include "util/checksum.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace retort::util {
namespace {

TEST(NormalizeSqlTest, DropsCommentsAndCollapsesWhitespaceOutsideQuotes) {
  struct Case {
    const char* sql;
    const char* normalized;
  };
  const Case cases[] = {
      {"", ""},
      {"  \n\t ", ""},
      {"SELECT 1;", "SELECT 1;"},
      {"  SELECT\n\n   1 ;  ", "SELECT 1 ;"},
      {"SELECT 1; -- trailing note\nSELECT 2;", "SELECT 1; SELECT 2;"},
      {"-- only a comment", ""},
      {"SELECT /* inline */ 1;", "SELECT 1;"},
      {"SELECT 1/*x*/+2;", "SELECT 1 +2;"},
      {"/* unterminated", ""},
      // Inside quotes everything is data.
      {"SELECT '--  not a comment';", "SELECT '--  not a comment';"},
      {"SELECT 'a  /* b */  c';", "SELECT 'a  /* b */  c';"},
      {"SELECT 'it''s   here';", "SELECT 'it''s   here';"},
      {"SELECT E'\\'  x';", "SELECT E'\\'  x';"},
      {"CREATE TABLE \"a  b\" (x INT);", "CREATE TABLE \"a  b\" (x INT);"},
      {"SELECT \"a\"\"  b\";", "SELECT \"a\"\"  b\";"},
      {"SELECT `a  b`;", "SELECT `a  b`;"},
      {"DO $$ BEGIN  -- keep\n  NULL; END $$;", "DO $$ BEGIN  -- keep\n  NULL; END $$;"},
      {"CREATE FUNCTION f() RETURNS int AS $fn$ SELECT  1 $fn$ LANGUAGE sql;",
       "CREATE FUNCTION f() RETURNS int AS $fn$ SELECT  1 $fn$ LANGUAGE sql;"},
      // $1 is a parameter, not a dollar quote.
      {"SELECT  $1,   $2;", "SELECT $1, $2;"},
      {"SELECT 'unterminated   ", "SELECT 'unterminated   "},
      // SQLite's [bracket] identifiers are data too (issue 16).
      {"CREATE TABLE [a  b] ([c\td] INT);", "CREATE TABLE [a  b] ([c\td] INT);"},
      {"SELECT  [x]  ,\n [y];", "SELECT [x] , [y];"},
      {"SELECT [a -- b] FROM t;", "SELECT [a -- b] FROM t;"},
      {"SELECT [unterminated  ", "SELECT [unterminated  "},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormalizeSql(c.sql), c.normalized) << c.sql;
  }
}

TEST(Sha256HexTest, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// The padding's edges: a message that leaves no room for the length in its
// last block, one that fills it exactly, and multi-block messages.
TEST(Sha256HexTest, PaddingBoundaries) {
  const std::vector<std::pair<std::size_t, std::string>> cases = {
      {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
      {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
      {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
      {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
      {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
      {119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c"},
      {120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98"},
  };
  for (const auto& [length, digest] : cases) {
    EXPECT_EQ(Sha256Hex(std::string(length, 'x')), digest) << length << " bytes";
  }
}

TEST(SqlChecksumTest, CommentAndWhitespaceEditsDoNotCount) {
  const std::string base = SqlChecksum("CREATE TABLE t (id INT);", "DROP TABLE t;");
  EXPECT_TRUE(IsChecksum(base));
  struct Case {
    const char* upgrade;
    const char* downgrade;
    bool same;
  };
  const Case cases[] = {
      {"CREATE TABLE t (id INT);", "DROP TABLE t;", true},
      {"-- reviewed\nCREATE TABLE t (id INT);\n\n", "  DROP TABLE t;  -- bye", true},
      {"CREATE   TABLE t\n(id INT); /* note */", "DROP TABLE t;", true},
      {"CREATE TABLE t (id BIGINT);", "DROP TABLE t;", false},
      {"CREATE TABLE t (id INT);", "DROP TABLE IF EXISTS t;", false},
      {"CREATE TABLE t (id INT); DROP TABLE t;", "", false},
      {"CREATE TABLE \"t \" (id INT);", "DROP TABLE t;", false},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(SqlChecksum(c.upgrade, c.downgrade) == base, c.same)
        << c.upgrade << " / " << c.downgrade;
  }
}

TEST(SqlChecksumTest, WhitespaceInsideBracketIdentifiersCounts) {
  // [a b] and [a  b] are two different SQLite columns.
  EXPECT_NE(SqlChecksum("ALTER TABLE t ADD [a b] INT;", ""),
            SqlChecksum("ALTER TABLE t ADD [a  b] INT;", ""));
  EXPECT_NE(SqlChecksum("CREATE TABLE [x y] (id INT);", ""),
            SqlChecksum("CREATE TABLE [x\ty] (id INT);", ""));
  // Outside the brackets whitespace still does not count.
  EXPECT_EQ(SqlChecksum("CREATE TABLE [x y]  (id INT);", ""),
            SqlChecksum("CREATE TABLE [x y]\n(id INT);", ""));
}

TEST(SqlChecksumTest, ChecksumsOfExistingFilesAreUnchanged) {
  // Recorded by retort before brackets were kept as written: a database
  // holding it must still match the unedited file.
  const char* upgrade =
      "CREATE TABLE [my table] ([id] INTEGER, \"x  y\" TEXT, v INT[]); -- note\n"
      "SELECT ARRAY[1, 2];\n\n";
  const char* downgrade = "DROP TABLE [my table];\n";
  const std::string recorded = "c9a6f15fbabd906856e235921ae6eecb41811dad1021fdcdaa1a7419b3d16f2c";
  EXPECT_EQ(SqlChecksum(upgrade, downgrade), recorded);
  EXPECT_EQ(LegacySqlChecksum(upgrade, downgrade), recorded);
  // Only whitespace other than single spaces inside [...] tells them apart.
  const char* multi_line = "SELECT ARRAY[1,\n  2];";
  EXPECT_NE(SqlChecksum(multi_line, ""), LegacySqlChecksum(multi_line, ""));
  EXPECT_EQ(LegacySqlChecksum(multi_line, ""), LegacySqlChecksum("SELECT ARRAY[1, 2];", ""));
}

TEST(IsChecksumTest, OnlySixtyFourLowercaseHex) {
  EXPECT_TRUE(IsChecksum(std::string(64, 'a')));
  EXPECT_FALSE(IsChecksum(std::string(63, 'a')));
  EXPECT_FALSE(IsChecksum(std::string(64, 'A')));
  EXPECT_FALSE(IsChecksum(std::string(63, 'a') + "g"));
  EXPECT_FALSE(IsChecksum(""));
}

}  // namespace
}  // namespace retort::util
