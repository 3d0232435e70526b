#ifndef RETORT_RESULTS_H_
#define RETORT_RESULTS_H_

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace retort {

// One revision as the operations report it (heads, history, current).
struct RevisionInfo {
  std::string id;
  // "Revises": the parent ids in written order; empty for a root.
  std::vector<std::string> parents;
  // "Depends On" as written (ids, prefixes or branch labels).
  std::vector<std::string> depends_on;
  // Branch labels declared here or inherited from ancestors.
  std::vector<std::string> branch_labels;
  // The message (first paragraph of the header comment).
  std::string message;
  // The file, as the CLI names it (embedded: "migrations/versions/x.sql").
  std::string path;
  // The `-- Step:` name; empty when the revision has no C++ step.
  std::string step;
  // The file's leading comment block without the "-- " markers (message
  // and header lines), as `retort show` prints it.
  std::string header;
  // The revisions whose "Revises" names this one, in file order.
  std::vector<std::string> children;
  bool is_head = false;            // nothing revises it (dependencies aside)
  bool is_effective_head = false;  // a head another revision depends on
  bool is_branch_point = false;    // two or more revisions build on it
  bool is_merge = false;           // two or more parents
  bool is_current = false;         // the database's version rows include it (when read)
};

// What a migration step did.
struct AppliedStep {
  enum class Direction { kUpgrade, kDowngrade, kStamp };
  // The revision whose SQL ran; for a stamp, the revision stamped to
  // (empty when a stamp goes to base).
  std::string revision;
  Direction direction = Direction::kUpgrade;
  // As in the progress line: "upgrade a1 -> b2, add users".
  std::string description;
  // Wall time of the step, SQL, C++ step and version rows included; zero
  // in offline (--sql) runs.
  std::chrono::microseconds duration{0};
};

// Something wrong between the database's record and the revision files
// (docs/integrity.md).
struct IntegrityIssue {
  enum class Kind { kChanged, kMalformedChecksum, kNoFile, kRevisesChanged };
  Kind kind = Kind::kChanged;
  std::string revision;
  std::string file;                              // empty for kNoFile
  std::optional<std::string> recorded_checksum;  // nullopt: no history row
  std::optional<std::string> file_checksum;      // nullopt: no file
  std::string message;                           // the one line `retort status` prints
  // kRevisesChanged: the Revises: it was applied with, and the file's now.
  std::vector<std::string> recorded_revises;
  std::vector<std::string> file_revises;
};

// A revision that `upgrade heads` would run next.
struct PendingStep {
  std::string revision;
  std::string description;  // "upgrade a1 -> b2, add users"
};

// `status`: the database at a glance. Problems are reported, not thrown.
struct StatusReport {
  std::string database;              // the URL, password redacted
  std::vector<std::string> current;  // version rows
  std::vector<std::string> heads;
  std::vector<PendingStep> pending;
  // Why `pending` could not be computed (a version row without a file);
  // empty when it was.
  std::string pending_error;
  bool history_table = false;
  std::vector<IntegrityIssue> problems;
  // nullopt: no declared `schema` configured; else the differences (empty:
  // the database matches it).
  std::optional<std::vector<std::string>> schema_differences;
  // MySQL: revisions an earlier run left half-applied (docs/mysql.md), one
  // line each ("Revision b2 (migrations/versions/b2.sql) is half-applied:
  // 2 of 5 statements of its upgrade ran; ..."). Empty elsewhere.
  std::vector<std::string> half_applied;

  bool up_to_date() const { return pending_error.empty() && pending.empty(); }
};

// `verify`: the checks that passed, one line each, as the CLI prints them.
// A failing check is thrown, not reported.
struct VerifyReport {
  std::vector<std::string> passed;
};

}  // namespace retort

#endif  // RETORT_RESULTS_H_
