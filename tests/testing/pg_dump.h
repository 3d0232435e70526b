#ifndef RETORT_TESTING_PG_DUMP_H_
#define RETORT_TESTING_PG_DUMP_H_

#include <string>

namespace retort::test {

// The PostgreSQL server's program `program` (pg_dump, psql) of the newest
// version under /usr/lib/postgresql, as scripts/pg_test_server.sh finds it.
std::string PgBin(const std::string& program);

// Runs a shell command; its standard output.
std::string Capture(const std::string& command);

// The schema of the database at `url` as pg_dump --schema-only writes it
// (its own non-pretty deparse), without retort's tables, comments, blank
// lines and the per-run \restrict keys: two databases built differently
// compare equal exactly when their catalogs do.
std::string PgDumpCatalog(const std::string& url);

}  // namespace retort::test

#endif  // RETORT_TESTING_PG_DUMP_H_
