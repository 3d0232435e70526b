#ifndef RETORT_RUNTIME_FAILURE_NOTES_H_
#define RETORT_RUNTIME_FAILURE_NOTES_H_

// What a failed run's error line adds after the database's words: the way
// out of a known mistake, and what the failure did to the run so far.

#include <string>
#include <string_view>
#include <vector>

#include "script/script.h"

namespace retort::runtime {

// A hint for a statement the database refused, or empty:
//  - "cannot run inside a transaction block" (PostgreSQL: CREATE INDEX
//    CONCURRENTLY, VACUUM, ...; SQLite: "cannot VACUUM from within a
//    transaction") in a transactional revision: add `Transactional: no` to
//    the header of its file;
//  - "already exists" on a database where no revision was recorded (no
//    version table, or no rows in it), during an upgrade: the schema was
//    made some other way; adopt it with `retort stamp <rev>`.
std::string StatementHint(const script::Script& script, std::string_view message,
                          bool nothing_recorded, bool is_upgrade, const std::string& version_table);

// The end of a failed run's error line once progress lines were printed for
// revisions the failure took back: "; rolled back a1 and b2 with it: the
// database is as it was before this run", or, when some were committed
// before (transaction_per_migration, `Transactional: no`), "; a1 stayed
// applied (committed), rolled back b2". Empty when nothing was rolled back
// and nothing stayed.
std::string RollbackNote(const std::vector<std::string>& committed,
                         const std::vector<std::string>& rolled_back);

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_FAILURE_NOTES_H_
