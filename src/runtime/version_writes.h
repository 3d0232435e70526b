#ifndef RETORT_RUNTIME_VERSION_WRITES_H_
#define RETORT_RUNTIME_VERSION_WRITES_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dialect/dialect.h"
#include "graph/head_maintainer.h"
#include "runtime/sql_sink.h"

namespace retort::runtime {

// A version-table statement and the row count Alembic checks it against
// (another tool, or a hand edit, may have moved the version table under us).
struct VersionWrite {
  std::string sql;
  // When set, exactly `rows` rows must change; the message up to the count.
  std::optional<std::string> expected;
  long long rows = 1;
  // Online on SQLite, a multi-row history INSERT runs as this one-row
  // statement bound once per row instead (the same rows, quicker than
  // parsing a long VALUES list; dialect::RecordAppliedStatement). Empty:
  // `sql` runs.
  std::string batch_sql{};
  std::vector<std::vector<std::string>> batch_rows{};
};

// The version-table statements of one step's changes, in Alembic's words.
std::vector<VersionWrite> VersionWrites(const dialect::Dialect& dialect,
                                        const dialect::VersionTable& table,
                                        const std::vector<graph::VersionChange>& changes);

// What a migration step does to the history table: an upgrade records the
// revision's row, a downgrade deletes it.
struct HistoryWrite {
  std::string revision;
  bool applied = true;  // false: the row is deleted
  std::string checksum;
  long long duration_ms = 0;
  std::optional<std::string> revises;  // dialect::RecordApplied's
};

// The version- and history-table writes of the steps run so far, sent to
// the database when Flush() is called.
//
// Per step (`fold` false: --sql, transaction_per_migration, MySQL's
// per-statement progress, resolve), each step's writes are Alembic's:
// an INSERT, UPDATE or DELETE of the version table per head change, then
// the step's history statement.
//
// Folded (`fold` true: the online one-transaction run), the steps between
// two flushes are written as their net result: one DELETE of the version
// rows that are no longer there (`... IN (...)` for several), one
// multi-row INSERT of the new ones (one row replacing one: a single
// UPDATE, counted as the DELETE), and one multi-row history INSERT (or
// one DELETE ... IN for a downgrade's rows). Inside one transaction nobody
// else can see the rows before the commit, so the database ends exactly as
// with the per-step statements, in one round trip on PostgreSQL and a
// handful of statements instead of two or three per revision
// (docs/running-migrations.md). Alembic's check survives: the DELETE must
// remove every row it names, else the run fails with the message of the
// step that first moved that row ("expected to match one row when updating
// 'a1' to 'b2' in ...; 0 found") and the caller's transaction rolls back.
class PendingVersionWrites {
 public:
  // `rows`: the version rows the database holds now.
  PendingVersionWrites(const dialect::Dialect& dialect, dialect::VersionTable table,
                       dialect::VersionTable history, std::vector<std::string> rows, bool fold);

  // Queues a step's version changes and then its history write, if any.
  void Add(const std::vector<graph::VersionChange>& changes, std::optional<HistoryWrite> history);
  // Sends what is queued (one round trip on PostgreSQL) and checks the
  // counts; nothing queued sends nothing.
  void Flush(SqlSink& sink);

  // The statements Flush() would send now, in order.
  std::vector<VersionWrite> Statements() const;

 private:
  std::vector<VersionWrite> FoldedStatements() const;

  const dialect::Dialect& dialect_;
  dialect::VersionTable table_;
  dialect::VersionTable history_;
  bool fold_;
  // Per step: the statements, in order.
  std::vector<VersionWrite> queued_;
  // Folded: the rows as of the last flush, the rows now, what first removed
  // each flushed row ("updating 'a1' to 'b2'"), and the history writes.
  std::vector<std::string> flushed_rows_;
  std::vector<std::string> rows_;
  std::map<std::string, std::string> removed_by_;
  std::vector<HistoryWrite> history_writes_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_VERSION_WRITES_H_
