#include "util/checksum.h"

#include <gtest/gtest.h>

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
  };
  for (const Case& c : cases) {
    EXPECT_EQ(NormalizeSql(c.sql), c.normalized) << c.sql;
  }
}

TEST(Sha256HexTest, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
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

TEST(IsChecksumTest, OnlySixtyFourLowercaseHex) {
  EXPECT_TRUE(IsChecksum(std::string(64, 'a')));
  EXPECT_FALSE(IsChecksum(std::string(63, 'a')));
  EXPECT_FALSE(IsChecksum(std::string(64, 'A')));
  EXPECT_FALSE(IsChecksum(std::string(63, 'a') + "g"));
  EXPECT_FALSE(IsChecksum(""));
}

}  // namespace
}  // namespace retort::util
