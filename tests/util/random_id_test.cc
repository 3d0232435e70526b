#include "util/random_id.h"

#include <gtest/gtest.h>

#include <set>

namespace retort::util {
namespace {

TEST(RandomRevisionIdTest, IsTwelveLowercaseHexAndVaries) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = RandomRevisionId();
    ASSERT_EQ(id.size(), 12u);
    for (char c : id) ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace retort::util
