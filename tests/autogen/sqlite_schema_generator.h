#ifndef RETORT_TESTS_AUTOGEN_SQLITE_SCHEMA_GENERATOR_H_
#define RETORT_TESTS_AUTOGEN_SQLITE_SCHEMA_GENERATOR_H_

// Seeded random SQLite schema pairs for the correctness property: a schema a
// (tables with keys, uniques, foreign keys, checks, defaults; indexes of
// every kind; views; triggers) with rows that satisfy a and every b the
// mutator can make, and b, a with one to four random changes of every kind
// SQLite has, renames with their hints included. Implemented in
// sqlite_generator_test.cc.

#include "autogen/sqlite_test_support.h"

namespace retort::autogen::testing {

// The same seed gives the same pair.
SchemaPair GenerateSqlitePair(unsigned seed);

}  // namespace retort::autogen::testing

#endif  // RETORT_TESTS_AUTOGEN_SQLITE_SCHEMA_GENERATOR_H_
