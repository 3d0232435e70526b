// retort::OneLine: what every error message passes through before a user
// sees it (retort/error.h).

#include <gtest/gtest.h>

#include <string>

#include "retort/error.h"

namespace retort {
namespace {

TEST(OneLineTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(OneLine("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(OneLine("red \x1b[31m bell \x07 del \x7f"), "red \\x1b[31m bell \\x07 del \\x7f");
  EXPECT_EQ(OneLine(std::string("cut\0here", 8)), "cut\\x00here");
}

TEST(OneLineTest, Utf8PassesInvalidBytesAndC1ControlsDoNot) {
  EXPECT_EQ(OneLine("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82"),
            "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82");
  EXPECT_EQ(OneLine("csi \x9b" "2J"), "csi \\x9b2J");         // 8-bit CSI, not UTF-8
  EXPECT_EQ(OneLine("c1 \xc2\x9b" "2J"), "c1 \\xc2\\x9b2J");  // U+009B encoded
  EXPECT_EQ(OneLine("overlong \xc0\xaf"), "overlong \\xc0\\xaf");
  EXPECT_EQ(OneLine("short \xe2\x82"), "short \\xe2\\x82");
}

TEST(OneLineTest, IdempotentSoWrappedMessagesAreNotEscapedTwice) {
  std::string once = OneLine("x\ny\x1b");
  EXPECT_EQ(OneLine(once), once);
  EXPECT_EQ(OneLine("C:\\path\\n"), "C:\\path\\n");
}

TEST(OneLineTest, LongMessagesKeepTheirStartAndEnd) {
  std::string message = "Can't locate revision identified by '" + std::string(30000, 'a') +
                        "' (see retort history)";
  std::string line = OneLine(message);
  EXPECT_LT(line.size(), 4000u + 60u);
  EXPECT_EQ(line.rfind("Can't locate revision identified by 'aaa", 0), 0u);
  EXPECT_TRUE(line.ends_with("aaa' (see retort history)")) << line.substr(line.size() - 80);
  EXPECT_NE(line.find(" ... [26159 characters left out] ... "), std::string::npos)
      << line.substr(2990, 80);
}

TEST(OneLineTest, EveryErrorIsOneLine) {
  EXPECT_STREQ(Error(std::string("bad\nid\0x", 8)).what(), "bad\\nid\\x00x");
  EXPECT_STREQ(UsageError("two\nlines").what(), "two\\nlines");
}

}  // namespace
}  // namespace retort
