#ifndef RETORT_UTIL_CLOCK_H_
#define RETORT_UTIL_CLOCK_H_

// Wall-clock time for "Create Date" headers and file_template tokens.
// Supported time zones (the `timezone` setting): empty, "local" or
// "localtime" = the system's local time (Alembic's default); "UTC", "utc",
// "GMT", "Z" = UTC. Anything else throws UsageError "Can't locate timezone:
// X" (Alembic's message), since named zones need a tz database that g++ 12's
// <chrono> lacks.

#include <cstdint>
#include <string>
#include <string_view>

namespace retort::util {

// A broken-down time in some zone, plus the instant as seconds since epoch.
struct Timestamp {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, microsecond = 0;
  std::int64_t epoch = 0;  // seconds since 1970-01-01 UTC (%%(epoch)s)
};

// The current time in `timezone`.
Timestamp Now(std::string_view timezone);
// The instant `epoch_micros` (microseconds since epoch) in `timezone`.
Timestamp At(std::int64_t epoch_micros, std::string_view timezone);

// "2025-10-24 17:40:12.345678" (Python's str(datetime): no fraction when the
// microseconds are 0).
std::string FormatCreateDate(const Timestamp& time);

}  // namespace retort::util

#endif  // RETORT_UTIL_CLOCK_H_
