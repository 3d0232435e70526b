#ifndef RETORT_DIALECT_HISTORY_TABLE_H_
#define RETORT_DIALECT_HISTORY_TABLE_H_

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
const std::vector<std::string>& HistoryColumns();

// CREATE TABLE t_history (revision VARCHAR(255) NOT NULL, checksum ..., ...)
std::string CreateHistoryTable(const Dialect& dialect, const VersionTable& history);
std::string DropHistoryTable(const Dialect& dialect, const VersionTable& history);
// SELECT revision, checksum, applied_at, duration_ms FROM t_history
std::string SelectHistory(const Dialect& dialect, const VersionTable& history);
// Inserts the row of an applied revision, replacing a stale one left by a
// stamp (INSERT ... ON CONFLICT, which SQLite >= 3.24 and PostgreSQL share;
// ON DUPLICATE KEY UPDATE on MySQL).
// applied_at is the database's clock in UTC.
std::string RecordApplied(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision, std::string_view checksum,
                          long long duration_ms);
// DELETE FROM t_history WHERE revision = 'x' (downgrade; repair of a row
// whose revision has no file).
std::string DeleteHistory(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision);
// UPDATE t_history SET checksum = 'c' WHERE revision = 'x' (repair)
std::string UpdateChecksum(const Dialect& dialect, const VersionTable& history,
                           std::string_view revision, std::string_view checksum);

// The width of version_num in tables retort creates: room for any
// `--rev-id` a user picks (Alembic's VARCHAR(32) cuts long ids off).
inline constexpr int kVersionNumWidth = 255;
// ALTER TABLE t ALTER COLUMN version_num TYPE VARCHAR(255) (PostgreSQL:
// adopting an Alembic table before writing an id longer than its column).
std::string WidenVersionColumn(const Dialect& dialect, const VersionTable& version_table);

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_HISTORY_TABLE_H_
