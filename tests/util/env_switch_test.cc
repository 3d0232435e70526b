#include "util/env_switch.h"

#include <gtest/gtest.h>

#include "testing/scoped_env.h"

namespace retort::util {
namespace {

constexpr const char* kName = "RETORT_TEST_ENV_SWITCH";

TEST(EnvSwitchTest, UnsetEmptyAndZeroAreOff) {
  {
    test::ScopedEnv unset(kName, nullptr);
    EXPECT_FALSE(EnvSwitchOn(kName));
  }
  {
    test::ScopedEnv empty(kName, "");
    EXPECT_FALSE(EnvSwitchOn(kName));
  }
  {
    test::ScopedEnv zero(kName, "0");
    EXPECT_FALSE(EnvSwitchOn(kName));
  }
}

TEST(EnvSwitchTest, AnyOtherValueIsOn) {
  for (const char* value : {"1", "yes", "00", "true", " "}) {
    test::ScopedEnv set(kName, value);
    EXPECT_TRUE(EnvSwitchOn(kName)) << "'" << value << "'";
  }
}

}  // namespace
}  // namespace retort::util
