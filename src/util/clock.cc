#include "util/clock.h"

#include <fmt/format.h>

#include <chrono>
#include <ctime>

#include "retort/error.h"
#include "util/strings.h"

namespace retort::util {
namespace {

bool IsUtc(std::string_view timezone) {
  std::string tz = ToLower(Trim(timezone));
  return tz == "utc" || tz == "gmt" || tz == "z" || tz == "etc/utc";
}

bool IsLocal(std::string_view timezone) {
  std::string tz = ToLower(Trim(timezone));
  return tz.empty() || tz == "local" || tz == "localtime";
}

}  // namespace

Timestamp At(std::int64_t epoch_micros, std::string_view timezone) {
  bool utc = IsUtc(timezone);
  if (!utc && !IsLocal(timezone)) {
    throw UsageError(
        fmt::format("Can't locate timezone: {} (supported: UTC, local)", Trim(timezone)));
  }
  std::int64_t seconds = epoch_micros / 1000000;
  std::int64_t micros = epoch_micros % 1000000;
  if (micros < 0) {
    micros += 1000000;
    --seconds;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm parts{};
  if (utc) {
    gmtime_r(&t, &parts);
  } else {
    localtime_r(&t, &parts);
  }
  Timestamp out;
  out.year = parts.tm_year + 1900;
  out.month = parts.tm_mon + 1;
  out.day = parts.tm_mday;
  out.hour = parts.tm_hour;
  out.minute = parts.tm_min;
  out.second = parts.tm_sec;
  out.microsecond = static_cast<int>(micros);
  out.epoch = seconds;
  return out;
}

Timestamp Now(std::string_view timezone) {
  auto now = std::chrono::system_clock::now();
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  return At(micros, timezone);
}

std::string FormatCreateDate(const Timestamp& time) {
  std::string out = fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", time.year, time.month,
                                time.day, time.hour, time.minute, time.second);
  if (time.microsecond != 0) out += fmt::format(".{:06d}", time.microsecond);
  return out;
}

}  // namespace retort::util
