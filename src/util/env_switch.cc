#include "util/env_switch.h"

#include <cstdlib>
#include <cstring>

namespace retort::util {

bool EnvSwitchOn(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::strcmp(value, "0") != 0;
}

}  // namespace retort::util
