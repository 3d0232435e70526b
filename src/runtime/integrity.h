#ifndef RETORT_RUNTIME_INTEGRITY_H_
#define RETORT_RUNTIME_INTEGRITY_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "script/script.h"
#include "script/script_directory.h"

namespace retort::runtime {

// One row of the history table (dialect/history_table.h), as read.
struct HistoryRow {
  std::string revision;
  std::string checksum;
  std::string applied_at;
  std::string duration_ms;
  // The Revises: ids the revision had when it was applied, ", "-joined ("" for
  // a root); nullopt when not known (rows written before the column, or by a
  // --sql script).
  std::optional<std::string> revises;
};

// The Revises: ids as the history table keeps them: "a, b" ("" for none).
std::string JoinRevises(const std::vector<std::string>& ids);
std::vector<std::string> SplitRevises(const std::string& text);

// Something wrong between the database's record of applied revisions and
// the revision files (docs/integrity.md).
struct IntegrityProblem {
  enum class Kind {
    kChanged,            // the file's checksum differs from the recorded one
    kMalformedChecksum,  // the recorded checksum is not 64 hex digits
    kNoFile,             // a version row or history row names a revision no file has
    kRevisesChanged,     // the file's Revises: differs from the one it was applied with
  };
  Kind kind = Kind::kChanged;
  std::string revision;
  std::filesystem::path file;  // empty for kNoFile
  std::string recorded;        // the history table's checksum
  std::string current;         // the file's checksum (empty for kNoFile)
  bool has_history_row = false;
  bool is_version_row = false;  // kNoFile: the version table names it
  // kRevisesChanged: the parents it was applied on, the file's parents now,
  // and the new parents that have no history row (never ran here, as far
  // as the history table knows).
  std::vector<std::string> recorded_revises;
  std::vector<std::string> file_revises;
  std::vector<std::string> unrun_parents;

  // The one line a user sees, e.g. "Revision file migrations/versions/a.sql
  // (a1) changed after it was applied: recorded checksum 1f2e3d4c5b6a, file
  // 0a9b8c7d6e5f; review the change, then run `retort repair`".
  std::string Message() const;
};

// A revision's integrity checksum: util::SqlChecksum of its two sections
// (script.checksum when the revision cache already knows it).
std::string ChecksumOf(const script::Script& script);

// Compares the history rows with the files, for the revisions the version
// rows say are applied (the rows and their ancestors, dependencies
// included): checksums, and the Revises: each was applied with (when the
// row knows it). Revisions without a history row (stamped, or applied by
// Alembic) are adopted: no problem. Rows of revisions that are not applied
// (left by a stamp downwards or `stamp --purge`) are ignored, file or not;
// a row without a file counts as applied only when an applied revision's
// recorded Revises: names it (a file deleted from the middle of the chain).
// Pure: no I/O beyond the already-parsed scripts. In the order of
// `history_rows`, then version rows without a file.
std::vector<IntegrityProblem> FindIntegrityProblems(const script::ScriptDirectory& scripts,
                                                    const std::vector<std::string>& version_rows,
                                                    const std::vector<HistoryRow>& history_rows);

// The refusal of upgrade/downgrade: the first problem's line, with how many
// more there are.
std::string RefusalMessage(const std::vector<IntegrityProblem>& problems);

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_INTEGRITY_H_
