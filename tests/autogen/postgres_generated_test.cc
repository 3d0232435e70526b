// The correctness property on generated pairs: a seeded random schema A and
// a mutation B of it (postgres_schema_generator.h). A failure names its
// seed; rerun one with RETORT_AUTOGEN_SEED=<seed>
// (and RETORT_SHOW_SQL=1 to see the SQL of every case).
#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

#include "autogen/postgres_schema_generator.h"
#include "autogen/postgres_test_support.h"

namespace retort::autogen {
namespace {

using testing::CheckRoundTrip;
using testing::RoundTripCase;
using testing::SchemaGenerator;

constexpr unsigned kSeeds = 30;

TEST(PostgresGeneratedTest, GeneratedPairsUpgradeAndDowngradeExactly) {
  RETORT_POSTGRES_URL_OR_SKIP(url);
  testing::PostgresDatabase database(url);
  unsigned first = 1, last = kSeeds;
  if (const char* seed = std::getenv("RETORT_AUTOGEN_SEED")) first = last = std::stoul(seed);
  // More seeds than CI runs, for hunting: RETORT_AUTOGEN_SEEDS=1000.
  if (const char* count = std::getenv("RETORT_AUTOGEN_SEEDS")) last = std::stoul(count);
  for (unsigned seed = first; seed <= last; ++seed) {
    SchemaGenerator generator(seed);
    testing::GenSchema a = generator.Generate();
    RenameHints hints;
    testing::GenSchema b = generator.Mutate(a, hints);
    std::set<std::string> keeps;
    for (const auto& t : b.tables) keeps.insert(t.name);
    for (const auto& [new_name, old_name] : hints.tables) {
      if (keeps.contains(new_name)) keeps.insert(old_name);
    }
    RoundTripCase c{.name = "generated",
                    .a = SchemaGenerator::Sql(a),
                    .rows = SchemaGenerator::Rows(a, keeps),
                    .b = SchemaGenerator::Sql(b),
                    .hints = hints};
    CheckRoundTrip(&database, c, "seed " + std::to_string(seed));
  }
}

}  // namespace
}  // namespace retort::autogen
