#include "util/clock.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "retort/error.h"

namespace retort::util {
namespace {

// 2025-10-24 17:40:12.345678 UTC
constexpr std::int64_t kInstant = 1761327612345678;

TEST(ClockTest, BreaksDownUtc) {
  for (const char* zone : {"UTC", "utc", "GMT", " Z "}) {
    Timestamp t = At(kInstant, zone);
    EXPECT_EQ(FormatCreateDate(t), "2025-10-24 17:40:12.345678") << zone;
    EXPECT_EQ(t.epoch, 1761327612);
    EXPECT_EQ(t.year, 2025);
    EXPECT_EQ(t.month, 10);
    EXPECT_EQ(t.day, 24);
    EXPECT_EQ(t.hour, 17);
    EXPECT_EQ(t.minute, 40);
    EXPECT_EQ(t.second, 12);
  }
}

TEST(ClockTest, LocalTimeFollowsTz) {
  const char* old = std::getenv("TZ");
  std::string saved = old ? old : "";
  ::setenv("TZ", "UTC-2", 1);  // POSIX: two hours east of UTC
  ::tzset();
  for (const char* zone : {"", "local", "LocalTime"}) {
    EXPECT_EQ(FormatCreateDate(At(kInstant, zone)), "2025-10-24 19:40:12.345678") << zone;
  }
  if (old) {
    ::setenv("TZ", saved.c_str(), 1);
  } else {
    ::unsetenv("TZ");
  }
  ::tzset();
}

TEST(ClockTest, OmitsZeroMicrosecondsLikePython) {
  EXPECT_EQ(FormatCreateDate(At(1761327612000000, "UTC")), "2025-10-24 17:40:12");
  EXPECT_EQ(FormatCreateDate(At(1000001, "UTC")), "1970-01-01 00:00:01.000001");
}

TEST(ClockTest, RejectsUnknownZones) {
  try {
    At(0, "Europe/Paris");
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "Can't locate timezone: Europe/Paris (supported: UTC, local)");
  }
  EXPECT_THROW(Now("Mars/Olympus"), UsageError);
}

TEST(ClockTest, NowIsNow) {
  std::int64_t before = static_cast<std::int64_t>(std::time(nullptr));
  Timestamp t = Now("UTC");
  EXPECT_GE(t.epoch, before);
  EXPECT_LE(t.epoch, before + 5);
}

}  // namespace
}  // namespace retort::util
