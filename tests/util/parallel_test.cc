#include "util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace retort::util {
namespace {

TEST(ParallelForTest, CallsEveryIndexExactlyOnce) {
  for (std::size_t count : {0u, 1u, 7u, 5000u}) {
    std::vector<std::atomic<int>> calls(count);
    ParallelFor(count, 100, [&](std::size_t i) { calls[i]++; });
    for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(calls[i].load(), 1) << i << " of " << count;
  }
}

TEST(ParallelForTest, RethrowsTheErrorOfTheSmallestIndexAfterFinishingTheRest) {
  const std::size_t count = 5000;
  std::vector<std::atomic<int>> calls(count);
  try {
    ParallelFor(count, 100, [&](std::size_t i) {
      calls[i]++;
      if (i == 4321 || i == 1234) throw std::runtime_error("bad " + std::to_string(i));
    });
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "bad 1234");
  }
  for (std::size_t i = 0; i < count; ++i) ASSERT_EQ(calls[i].load(), 1) << i;
}

TEST(ParallelForTest, BelowTheThresholdRunsInOrderOnThisThread) {
  std::vector<std::size_t> order;
  ParallelFor(50, 100, [&](std::size_t i) { order.push_back(i); });
  ASSERT_EQ(order.size(), 50u);
  for (std::size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
}

}  // namespace
}  // namespace retort::util
