#ifndef RETORT_UTIL_ENV_SWITCH_H_
#define RETORT_UTIL_ENV_SWITCH_H_

namespace retort::util {

// True when the environment variable `name` (a switch such as
// RETORT_NO_CACHE or RETORT_NO_HUGE_PAGES) is set to anything but "" or
// "0": `VAR=` and `VAR=0` leave the switch off, as an unset variable does.
bool EnvSwitchOn(const char* name);

}  // namespace retort::util

#endif  // RETORT_UTIL_ENV_SWITCH_H_
