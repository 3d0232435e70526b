#ifndef RETORT_UTIL_PERCENT_FORMAT_H_
#define RETORT_UTIL_PERCENT_FORMAT_H_

// Python's "%(name)s" % dict formatting, the subset file_template uses:
// "%(key)" + flags [-0 ] + width + optional ".precision" + conversion s, d
// or i; "%%" is '%'. "%(month).2d" is 2 digits zero-padded, as in Python.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <variant>

#include "retort/error.h"

namespace retort::util {

using PercentArg = std::variant<std::string, std::int64_t>;

// Throws UsageError "unknown token '%(x)s'" or "bad format '...'"; callers
// prefix the setting's name.
std::string PercentFormat(std::string_view format, const std::map<std::string, PercentArg>& args);

}  // namespace retort::util

#endif  // RETORT_UTIL_PERCENT_FORMAT_H_
