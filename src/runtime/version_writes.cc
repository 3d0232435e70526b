#include "runtime/version_writes.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <utility>

#include "dialect/history_table.h"
#include "retort/error.h"

namespace retort::runtime {
namespace {

constexpr char kExpected[] = "Online migration expected to match";

bool Contains(const std::vector<std::string>& rows, const std::string& row) {
  return std::find(rows.begin(), rows.end(), row) != rows.end();
}

// The history statement of one step, as Alembic-style per-step runs write it.
std::string HistoryStatement(const dialect::Dialect& dialect, const dialect::VersionTable& history,
                             const HistoryWrite& write) {
  if (!write.applied) return dialect::DeleteHistory(dialect, history, write.revision);
  return dialect::RecordApplied(dialect, history, write.revision, write.checksum, write.duration_ms,
                                write.revises);
}

}  // namespace

std::vector<VersionWrite> VersionWrites(const dialect::Dialect& dialect,
                                        const dialect::VersionTable& table,
                                        const std::vector<graph::VersionChange>& changes) {
  std::vector<VersionWrite> writes;
  for (const graph::VersionChange& change : changes) {
    switch (change.kind) {
      case graph::VersionChange::Kind::kInsert:
        writes.push_back({dialect.InsertVersion(table, change.to), std::nullopt});
        break;
      case graph::VersionChange::Kind::kUpdate:
        writes.push_back({dialect.UpdateVersion(table, change.from, change.to),
                          fmt::format("{} one row when updating '{}' to '{}' in '{}'; ", kExpected,
                                      change.from, change.to, table.name)});
        break;
      case graph::VersionChange::Kind::kDelete:
        writes.push_back({dialect.DeleteVersion(table, change.from),
                          fmt::format("{} one row when deleting '{}' in '{}'; ", kExpected,
                                      change.from, table.name)});
        break;
    }
  }
  return writes;
}

PendingVersionWrites::PendingVersionWrites(const dialect::Dialect& dialect,
                                           dialect::VersionTable table,
                                           dialect::VersionTable history,
                                           std::vector<std::string> rows, bool fold)
    : dialect_(dialect),
      table_(std::move(table)),
      history_(std::move(history)),
      fold_(fold),
      flushed_rows_(rows),
      rows_(std::move(rows)) {}

void PendingVersionWrites::Add(const std::vector<graph::VersionChange>& changes,
                               std::optional<HistoryWrite> history) {
  if (!fold_) {
    for (VersionWrite& write : VersionWrites(dialect_, table_, changes)) {
      queued_.push_back(std::move(write));
    }
    if (history) queued_.push_back({HistoryStatement(dialect_, history_, *history), std::nullopt});
    return;
  }
  // The first step to move a row the database holds names it if the row
  // turns out to be gone.
  auto removing = [&](const std::string& row, std::string what) {
    if (Contains(flushed_rows_, row)) removed_by_.emplace(row, std::move(what));
    rows_.erase(std::remove(rows_.begin(), rows_.end(), row), rows_.end());
  };
  for (const graph::VersionChange& change : changes) {
    switch (change.kind) {
      case graph::VersionChange::Kind::kInsert:
        rows_.push_back(change.to);
        break;
      case graph::VersionChange::Kind::kUpdate:
        removing(change.from, fmt::format("updating '{}' to '{}'", change.from, change.to));
        rows_.push_back(change.to);
        break;
      case graph::VersionChange::Kind::kDelete:
        removing(change.from, fmt::format("deleting '{}'", change.from));
        break;
    }
  }
  if (history) history_writes_.push_back(std::move(*history));
}

std::vector<VersionWrite> PendingVersionWrites::Statements() const {
  return fold_ ? FoldedStatements() : queued_;
}

std::vector<VersionWrite> PendingVersionWrites::FoldedStatements() const {
  std::vector<VersionWrite> writes;
  std::vector<std::string> gone;
  for (const std::string& row : flushed_rows_) {
    if (!Contains(rows_, row)) gone.push_back(row);
  }
  std::vector<std::string> added;
  for (const std::string& row : rows_) {
    if (!Contains(flushed_rows_, row)) added.push_back(row);
  }
  if (gone.size() == 1 && added.size() == 1) {
    // One row replaced by another (a linear run, a revision on its own):
    // Alembic's UPDATE, counted.
    writes.push_back({dialect_.UpdateVersion(table_, gone.front(), added.front()),
                      fmt::format("{} one row when {} in '{}'; ", kExpected,
                                  removed_by_.at(gone.front()), table_.name)});
    gone.clear();
    added.clear();
  }
  // The rows no longer there: one DELETE, which must remove each of them.
  if (!gone.empty()) {
    std::vector<std::string> whats;
    for (const std::string& row : gone) whats.push_back(removed_by_.at(row));
    std::string count = gone.size() == 1 ? "one row" : fmt::format("{} rows", gone.size());
    writes.push_back({dialect_.DeleteVersions(table_, gone),
                      fmt::format("{} {} when {} in '{}'; ", kExpected, count,
                                  fmt::join(whats, ", "), table_.name),
                      static_cast<long long>(gone.size())});
  }
  // The new rows: one INSERT.
  if (!added.empty()) writes.push_back({dialect_.InsertVersions(table_, added), std::nullopt});
  // The history writes, in order: each run of upgrades one multi-row
  // INSERT, each run of downgrades one DELETE. (One command's steps all go
  // one way; a new statement starts where the direction changes, the
  // `revises` column comes or goes, or a revision comes again, so the
  // result is always that of the per-step statements.)
  std::size_t i = 0;
  while (i < history_writes_.size()) {
    const HistoryWrite& first = history_writes_[i];
    std::set<std::string> revisions;
    std::size_t j = i;
    while (j < history_writes_.size() && history_writes_[j].applied == first.applied &&
           history_writes_[j].revises.has_value() == first.revises.has_value() &&
           revisions.insert(history_writes_[j].revision).second) {
      ++j;
    }
    if (first.applied) {
      std::vector<dialect::AppliedRow> rows;
      for (std::size_t k = i; k < j; ++k) {
        const HistoryWrite& write = history_writes_[k];
        rows.push_back({write.revision, write.checksum, write.duration_ms, write.revises});
      }
      VersionWrite write{dialect::RecordAppliedRows(dialect_, history_, rows), std::nullopt};
      if (dialect_.name() == "sqlite" && rows.size() > 1) {
        write.batch_sql =
            dialect::RecordAppliedStatement(dialect_, history_, rows.front().revises.has_value());
        for (const dialect::AppliedRow& row : rows) {
          write.batch_rows.push_back(dialect::RecordAppliedParameters(row));
        }
      }
      writes.push_back(std::move(write));
    } else {
      std::vector<std::string> deleted;
      for (std::size_t k = i; k < j; ++k) deleted.push_back(history_writes_[k].revision);
      writes.push_back({dialect::DeleteHistoryRows(dialect_, history_, deleted), std::nullopt});
    }
    i = j;
  }
  return writes;
}

void PendingVersionWrites::Flush(SqlSink& sink) {
  // Per step (offline, one commit per revision) this runs once a step:
  // the queued statements are moved out, not copied.
  std::vector<VersionWrite> writes = fold_ ? FoldedStatements() : std::move(queued_);
  queued_.clear();
  flushed_rows_ = rows_;
  removed_by_.clear();
  history_writes_.clear();
  if (writes.empty()) return;
  auto check = [](const VersionWrite& write, const std::optional<long long>& changed) {
    if (write.expected && changed && *changed != write.rows) {
      throw Error(fmt::format("{}{} found", *write.expected, *changed));
    }
  };
  const bool batched =
      !sink.offline() && std::any_of(writes.begin(), writes.end(), [](const VersionWrite& write) {
        return !write.batch_sql.empty();
      });
  if (batched) {
    // SQLite: no round trips to save, one write at a time.
    for (const VersionWrite& write : writes) {
      if (write.batch_sql.empty()) {
        check(write, sink.ExecuteCountedEach({write.sql}).front());
      } else {
        sink.ExecuteBatch(write.batch_sql, write.batch_rows);
      }
    }
    return;
  }
  std::vector<std::string> statements;
  statements.reserve(writes.size());
  // Moved: only the row-count expectations are needed after this.
  for (VersionWrite& write : writes) statements.push_back(std::move(write.sql));
  std::vector<std::optional<long long>> changed = sink.ExecuteCountedEach(statements);
  for (std::size_t i = 0; i < writes.size(); ++i) check(writes[i], changed[i]);
}

}  // namespace retort::runtime
