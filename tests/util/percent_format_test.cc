#include "util/percent_format.h"

#include <gtest/gtest.h>

namespace retort::util {
namespace {

const std::map<std::string, PercentArg> kArgs = {
    {"rev", std::string("ae1027a6acf")},
    {"slug", std::string("add_users")},
    {"year", std::int64_t{2025}},
    {"month", std::int64_t{3}},
    {"day", std::int64_t{7}},
    {"hour", std::int64_t{9}},
    {"minute", std::int64_t{5}},
    {"second", std::int64_t{0}},
    {"epoch", std::int64_t{1761327612}},
    {"neg", std::int64_t{-4}},
};

// Expected values are what Python's `template % args` gives.
TEST(PercentFormatTest, FormatsLikePython) {
  struct Case {
    const char* format;
    const char* want;
  };
  const Case cases[] = {
      {"%(rev)s_%(slug)s", "ae1027a6acf_add_users"},
      {"%(year)d%(month).2d%(day).2d_%(hour).2d%(minute).2d_%(rev)s_%(slug)s",
       "20250307_0905_ae1027a6acf_add_users"},
      {"%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d-%(rev)s_%(slug)s",
       "2025_03_07_0905-ae1027a6acf_add_users"},
      {"%(second).2d", "00"},
      {"%(epoch)s_%(rev)s", "1761327612_ae1027a6acf"},
      {"%(month)02d|%(month)3d|%(month)-3d|", "03|  3|3  |"},
      {"%(neg).3d|%(neg)04d", "-004|-004"},
      {"%(rev).4s", "ae10"},
      {"100%% %(slug)s", "100% add_users"},
      {"plain", "plain"},
  };
  for (const Case& c : cases) EXPECT_EQ(PercentFormat(c.format, kArgs), c.want) << c.format;
}

TEST(PercentFormatTest, ReportsBadFormats) {
  struct Case {
    const char* format;
    const char* want;
  };
  const Case cases[] = {
      {"%(nope)s", "unknown token '%(nope)s'"},
      {"%(slug)d", "token '%(slug)d' needs a number; use %(slug)s"},
      {"%(rev)x", "bad format '%(rev)x'"},
      {"%s", "bad format '%s'"},
      {"%(rev", "bad format '%('"},
      {"50%", "bad format '%'"},
  };
  for (const Case& c : cases) {
    try {
      PercentFormat(c.format, kArgs);
      ADD_FAILURE() << "no error for " << c.format;
    } catch (const UsageError& e) {
      EXPECT_STREQ(e.what(), c.want) << c.format;
    }
  }
}

}  // namespace
}  // namespace retort::util
