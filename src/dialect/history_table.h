#ifndef RETORT_DIALECT_HISTORY_TABLE_H_
#define RETORT_DIALECT_HISTORY_TABLE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialect/dialect.h"

namespace retort::dialect {

// The history table beside the version table (docs/integrity.md): one row
// per applied revision with the checksum of its SQL, when it ran (UTC text,
// "2025-10-24T17:40:12Z") and how long it took. Named
// <version_table>_history, in the version table's schema. Statements come
// without the terminating ';', like Dialect's.

// The history table's location: the version table's, with "_history".
VersionTable HistoryTableOf(const VersionTable& version_table);

// The history table's columns, in order; anything else is a tampered table.
// `revises` (the revision's Revises: ids when it was applied, ", "-joined;
// NULL: not known) came last: LegacyHistoryColumns() is the layout before
// it, still read, and given the column by the next run that applies a
// revision (AddRevisesColumn).
const std::vector<std::string>& HistoryColumns();
const std::vector<std::string>& LegacyHistoryColumns();
// ALTER TABLE t_history ADD COLUMN revises TEXT
std::string AddRevisesColumn(const Dialect& dialect, const VersionTable& history);

// CREATE TABLE t_history (revision VARCHAR(255) NOT NULL, checksum ..., ...)
std::string CreateHistoryTable(const Dialect& dialect, const VersionTable& history);
std::string DropHistoryTable(const Dialect& dialect, const VersionTable& history);
// SELECT revision, checksum, applied_at, duration_ms[, revises] FROM t_history
std::string SelectHistory(const Dialect& dialect, const VersionTable& history,
                          bool with_revises = true);
// Inserts the row of an applied revision, replacing a stale one left by a
// stamp (INSERT ... ON CONFLICT, which SQLite >= 3.24 and PostgreSQL share;
// ON DUPLICATE KEY UPDATE on MySQL).
// applied_at is the database's clock in UTC. `revises` (the Revises: ids,
// ", "-joined) is written when given; without it (--sql scripts, which may
// run on either layout) the column is left out.
std::string RecordApplied(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision, std::string_view checksum,
                          long long duration_ms,
                          const std::optional<std::string>& revises = std::nullopt);
// The history row of one applied revision, for RecordAppliedRows.
struct AppliedRow {
  std::string revision;
  std::string checksum;
  long long duration_ms = 0;
  std::optional<std::string> revises;  // as RecordApplied's
};
// RecordApplied of several revisions as one multi-row INSERT (one row:
// exactly RecordApplied's statement). The rows must name distinct
// revisions (an upsert may not touch a row twice) and agree on whether
// `revises` is given; `rows` must not be empty.
std::string RecordAppliedRows(const Dialect& dialect, const VersionTable& history,
                              const std::vector<AppliedRow>& rows);
// RecordAppliedRows as one prepared statement run once per row (SQLite,
// where binding 1,000 rows is quicker than parsing one 1,000-row VALUES
// list): the one-row statement with '?' for the revision, checksum,
// duration and (`with_revises`) Revises:, and a row's values in that order.
std::string RecordAppliedStatement(const Dialect& dialect, const VersionTable& history,
                                   bool with_revises);
std::vector<std::string> RecordAppliedParameters(const AppliedRow& row);
// DELETE FROM t_history WHERE revision = 'x' (downgrade; repair of a row
// whose revision has no file).
std::string DeleteHistory(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision);
// DeleteHistory of several revisions: DELETE ... WHERE revision IN ('x', 'y')
// (one revision: exactly DeleteHistory's statement); not empty.
std::string DeleteHistoryRows(const Dialect& dialect, const VersionTable& history,
                              const std::vector<std::string>& revisions);
// UPDATE t_history SET checksum = 'c' WHERE revision = 'x' (repair)
std::string UpdateChecksum(const Dialect& dialect, const VersionTable& history,
                           std::string_view revision, std::string_view checksum);
// UPDATE t_history SET revises = 'a, b' WHERE revision = 'x' (repair)
std::string UpdateRevises(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision, std::string_view revises);

// The width of version_num in tables retort creates: room for any
// `--rev-id` a user picks (Alembic's VARCHAR(32) cuts long ids off).
inline constexpr int kVersionNumWidth = 255;
// ALTER TABLE t ALTER COLUMN version_num TYPE VARCHAR(255) (PostgreSQL:
// adopting an Alembic table before writing an id longer than its column).
std::string WidenVersionColumn(const Dialect& dialect, const VersionTable& version_table);

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_HISTORY_TABLE_H_
