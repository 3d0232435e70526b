#ifndef RETORT_RUNTIME_STATEMENT_PROGRESS_H_
#define RETORT_RUNTIME_STATEMENT_PROGRESS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dialect/dialect.h"
#include "driver/connection.h"
#include "graph/step.h"
#include "script/script.h"
#include "script/script_directory.h"

namespace retort::runtime {

// Per-statement progress of revisions on databases whose DDL commits as it
// goes (MySQL, MariaDB: Dialect::transactional_ddl() is false), where a
// revision that fails halfway cannot be rolled back (docs/mysql.md).
//
// While a revision runs, its row in the progress table (<version_table>_progress,
// beside the history table) says how many of its statements have run, with
// the checksum of the file they came from and of the statements' own text.
// The version table is only written once every statement has run, in one
// transaction with the deletion of that row, so it never claims an
// unfinished revision. After a failure the row stays: `upgrade` continues
// from the first statement that did not run (refusing when the statements
// that ran were edited since), `status` shows it, and `retort resolve`
// settles it by hand, which is recorded in the row's outcome.

// One row of the progress table.
struct ProgressRow {
  std::string revision;
  std::string direction;  // "upgrade" or "downgrade"
  long long done = 0;     // statements that ran (and committed)
  long long total = 0;
  std::string checksum;      // the revision's checksum (integrity.h) when it ran
  std::string ran_checksum;  // of the normalised text of the statements that ran
  std::string updated_at;
  std::optional<std::string> outcome;  // nullopt: unfinished; else how resolve settled it
  std::optional<std::string> message;  // the failure's one line
};

// The progress table's location: the version table's, with "_progress".
dialect::VersionTable ProgressTableOf(const dialect::VersionTable& version_table);

// The progress table's rows (empty when it does not exist).
std::vector<ProgressRow> ReadProgress(driver::Connection& db, const dialect::Dialect& dialect,
                                      const dialect::VersionTable& progress);

// The checksum of the first `count` statements of `section` (MySQL
// splitting, comments and whitespace ignored as in revision checksums).
std::string RanChecksum(const script::SqlSection& section, long long count);

// Where each half-applied revision of the plan resumes: revision id -> the
// index of its first statement still to run. Throws, before anything runs,
// when an unfinished row is not continued by the plan (run `upgrade` to a
// target that includes it, or `resolve` it), when its revision has no file,
// or when statements that already ran were edited since.
std::map<std::string, long long> PlanResumption(const script::ScriptDirectory& scripts,
                                                const std::vector<graph::Step>& plan,
                                                const std::vector<ProgressRow>& rows);

// "Revision X (file) is half-applied: 3 of 5 statements of its upgrade ran"
std::string HalfAppliedText(const script::ScriptDirectory& scripts, const ProgressRow& row);

// Runs one section of a revision statement by statement from `start`,
// recording progress after each; consecutive DML statements run in one
// transaction (rolled back together on failure), every statement MySQL
// commits implicitly on its own. On failure throws Error with one line:
// the revision, file, line, the server's message and what ran ("3 of 5
// statements of revision X ran; fix the file and run upgrade again to
// continue from statement 4, or `retort resolve X --rolled-back|--applied`").
// A failure before any statement committed leaves no row (nothing is
// half-applied) and the message of any failed revision. Returns whether a
// progress row was written (false for a section without statements), to be
// ended by FinishProgress.
bool RunSectionWithProgress(driver::Connection& db, const dialect::Dialect& dialect,
                            const dialect::VersionTable& progress, const script::Script& script,
                            bool is_upgrade, long long start);

// The statement that ends a revision's progress (run in the transaction
// that writes its version row).
std::string FinishProgress(const dialect::Dialect& dialect, const dialect::VersionTable& progress,
                           const std::string& revision);

// `retort resolve`: marks the unfinished row of `revision` settled with
// `outcome` ("applied by resolve" or "rolled back by resolve").
std::string SettleProgress(const dialect::Dialect& dialect, const dialect::VersionTable& progress,
                           const std::string& revision, const std::string& outcome);

// `retort resolve REV --applied|--rolled-back`, under the caller's
// migration lock: settles the half-applied `revision` after a person
// finished (`applied`) or undid it by hand. --applied writes what a
// completed run would have (the version rows, the history row) in one
// transaction with the progress row's outcome; --rolled-back records only
// the outcome (the version table never claimed the revision). Returns the
// line to print. Throws Error, changing nothing, when the revision is not
// half-applied, or (--applied) when the version rows no longer allow its
// step (another run moved them).
std::string ResolveHalfApplied(driver::Connection& db, const dialect::Dialect& dialect,
                               const script::ScriptDirectory& scripts,
                               const dialect::VersionTable& version_table,
                               const std::string& revision, bool applied);

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_STATEMENT_PROGRESS_H_
