#include "dialect/history_table.h"

#include <fmt/format.h>

namespace retort::dialect {
namespace {

// The database's clock as UTC ISO-8601 text: the same shape on every
// dialect, online and in --sql scripts (run later, when it matters).
std::string UtcNow(const Dialect& dialect) {
  if (dialect.name() == "postgresql") {
    return "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
  }
  if (dialect.name() == "mysql") return "DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%sZ')";
  return "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
}

}  // namespace

VersionTable HistoryTableOf(const VersionTable& version_table) {
  return VersionTable{version_table.schema, version_table.name + "_history"};
}

const std::vector<std::string>& HistoryColumns() {
  static const std::vector<std::string> kColumns = {"revision", "checksum", "applied_at",
                                                    "duration_ms", "revises"};
  return kColumns;
}

const std::vector<std::string>& LegacyHistoryColumns() {
  static const std::vector<std::string> kColumns = {"revision", "checksum", "applied_at",
                                                    "duration_ms"};
  return kColumns;
}

std::string AddRevisesColumn(const Dialect& dialect, const VersionTable& history) {
  return "ALTER TABLE " + dialect.QualifiedName(history) + " ADD COLUMN revises TEXT";
}

std::string CreateHistoryTable(const Dialect& dialect, const VersionTable& history) {
  return fmt::format(
      "CREATE TABLE {} (\n    revision VARCHAR({}) NOT NULL, \n    checksum VARCHAR(64) NOT NULL, "
      "\n    applied_at VARCHAR(32) NOT NULL, \n    duration_ms BIGINT NOT NULL, \n    revises "
      "TEXT, "
      "\n    CONSTRAINT "
      "{} PRIMARY KEY (revision)\n)",
      dialect.QualifiedName(history), kVersionNumWidth,
      dialect.FormatIdentifier(history.name + "_pkc"));
}

std::string DropHistoryTable(const Dialect& dialect, const VersionTable& history) {
  return "DROP TABLE " + dialect.QualifiedName(history);
}

std::string SelectHistory(const Dialect& dialect, const VersionTable& history, bool with_revises) {
  return std::string("SELECT revision, checksum, applied_at, duration_ms") +
         (with_revises ? ", revises" : "") + " FROM " + dialect.QualifiedName(history);
}

std::string RecordApplied(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision, std::string_view checksum,
                          long long duration_ms, const std::optional<std::string>& revises) {
  return RecordAppliedRows(
      dialect, history,
      {AppliedRow{std::string(revision), std::string(checksum), duration_ms, revises}});
}

namespace {

// The history INSERT (an upsert) of `values`: "(...), (...)" or one row of
// placeholders.
std::string InsertApplied(const Dialect& dialect, const VersionTable& history, bool with_revises,
                          const std::string& values) {
  const std::string column = with_revises ? ", revises" : "";
  if (dialect.name() == "mysql") {
    // MySQL has no ON CONFLICT; VALUES() is understood by MySQL 8 (with a
    // deprecation note) and MariaDB alike.
    return fmt::format(
        "INSERT INTO {} (revision, checksum, applied_at, duration_ms{}) VALUES {} ON DUPLICATE "
        "KEY UPDATE checksum = VALUES(checksum), applied_at = VALUES(applied_at), duration_ms = "
        "VALUES(duration_ms){}",
        dialect.QualifiedName(history), column, values,
        with_revises ? ", revises = VALUES(revises)" : "");
  }
  return fmt::format(
      "INSERT INTO {} (revision, checksum, applied_at, duration_ms{}) VALUES {} "
      "ON CONFLICT (revision) DO UPDATE SET checksum = excluded.checksum, applied_at = "
      "excluded.applied_at, duration_ms = excluded.duration_ms{}",
      dialect.QualifiedName(history), column, values,
      with_revises ? ", revises = excluded.revises" : "");
}

}  // namespace

std::string RecordAppliedRows(const Dialect& dialect, const VersionTable& history,
                              const std::vector<AppliedRow>& rows) {
  const bool with_revises = !rows.empty() && rows.front().revises.has_value();
  const std::string now = UtcNow(dialect);
  std::string values;
  for (const AppliedRow& row : rows) {
    if (!values.empty()) values += ", ";
    values += fmt::format("({}, {}, {}, {}{})", dialect.QuoteLiteral(row.revision),
                          dialect.QuoteLiteral(row.checksum), now, row.duration_ms,
                          row.revises ? ", " + dialect.QuoteLiteral(*row.revises) : "");
  }
  return InsertApplied(dialect, history, with_revises, values);
}

std::string RecordAppliedStatement(const Dialect& dialect, const VersionTable& history,
                                   bool with_revises) {
  return InsertApplied(dialect, history, with_revises,
                       fmt::format("(?, ?, {}, ?{})", UtcNow(dialect), with_revises ? ", ?" : ""));
}

std::vector<std::string> RecordAppliedParameters(const AppliedRow& row) {
  std::vector<std::string> parameters{row.revision, row.checksum, std::to_string(row.duration_ms)};
  if (row.revises) parameters.push_back(*row.revises);
  return parameters;
}

std::string DeleteHistory(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision) {
  return DeleteHistoryRows(dialect, history, {std::string(revision)});
}

std::string DeleteHistoryRows(const Dialect& dialect, const VersionTable& history,
                              const std::vector<std::string>& revisions) {
  if (revisions.size() == 1) {
    return fmt::format("DELETE FROM {} WHERE revision = {}", dialect.QualifiedName(history),
                       dialect.QuoteLiteral(revisions.front()));
  }
  std::string list;
  for (const std::string& revision : revisions) {
    if (!list.empty()) list += ", ";
    list += dialect.QuoteLiteral(revision);
  }
  return fmt::format("DELETE FROM {} WHERE revision IN ({})", dialect.QualifiedName(history), list);
}

std::string UpdateChecksum(const Dialect& dialect, const VersionTable& history,
                           std::string_view revision, std::string_view checksum) {
  return fmt::format("UPDATE {} SET checksum = {} WHERE revision = {}",
                     dialect.QualifiedName(history), dialect.QuoteLiteral(checksum),
                     dialect.QuoteLiteral(revision));
}

std::string UpdateRevises(const Dialect& dialect, const VersionTable& history,
                          std::string_view revision, std::string_view revises) {
  return fmt::format("UPDATE {} SET revises = {} WHERE revision = {}",
                     dialect.QualifiedName(history), dialect.QuoteLiteral(revises),
                     dialect.QuoteLiteral(revision));
}

std::string WidenVersionColumn(const Dialect& dialect, const VersionTable& version_table) {
  if (dialect.name() == "mysql") {
    return fmt::format("ALTER TABLE {} MODIFY version_num VARCHAR({}) NOT NULL",
                       dialect.QualifiedName(version_table), kVersionNumWidth);
  }
  return fmt::format("ALTER TABLE {} ALTER COLUMN version_num TYPE VARCHAR({})",
                     dialect.QualifiedName(version_table), kVersionNumWidth);
}

}  // namespace retort::dialect
