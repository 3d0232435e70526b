// The correctness property on SQLite over generated schema pairs
// (sqlite_schema_generator.h): 50 seeded pairs, each checked with
// CheckRoundTrip. A failure names its seed; GenerateSqlitePair(seed) gives
// the pair again.
#include <gtest/gtest.h>

#include <cstdlib>

#include "autogen/sqlite_schema_generator.h"
#include "testing/temp_dir.h"

namespace retort::autogen {
namespace {

TEST(SqliteGeneratedRoundTripTest, FiftySeededPairs) {
  test::TempDir dir;
  // RETORT_SQLITE_PAIRS=1000 explores further than CI needs to.
  const char* count = std::getenv("RETORT_SQLITE_PAIRS");
  unsigned last = count != nullptr ? static_cast<unsigned>(std::atoi(count)) : 50;
  for (unsigned seed = 1; seed <= last; ++seed) {
    testing::SchemaPair pair = testing::GenerateSqlitePair(seed);
    std::string failure = testing::CheckRoundTrip(pair, dir / "app.db");
    EXPECT_EQ(failure, "") << "seed " << seed << "\n--- a:\n" << pair.a << "--- b:\n" << pair.b;
  }
}

}  // namespace
}  // namespace retort::autogen
