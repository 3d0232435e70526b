#include "runtime/version_writes.h"

#include <fmt/format.h>

#include <utility>

#include "retort/error.h"

namespace retort::runtime {

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
        writes.push_back(
            {dialect.UpdateVersion(table, change.from, change.to),
             fmt::format("Online migration expected to match one row when updating '{}' to '{}' "
                         "in '{}'; ",
                         change.from, change.to, table.name)});
        break;
      case graph::VersionChange::Kind::kDelete:
        writes.push_back(
            {dialect.DeleteVersion(table, change.from),
             fmt::format("Online migration expected to match one row when deleting '{}' in '{}'; ",
                         change.from, table.name)});
        break;
    }
  }
  return writes;
}

void PendingVersionWrites::Add(std::vector<VersionWrite> writes,
                               std::optional<std::string> history) {
  for (VersionWrite& write : writes) queued_.push_back(std::move(write));
  if (history) queued_.push_back({std::move(*history), std::nullopt});
}

void PendingVersionWrites::Flush(SqlSink& sink) {
  if (queued_.empty()) return;
  std::vector<VersionWrite> writes = std::move(queued_);
  queued_.clear();
  std::vector<std::string> statements;
  statements.reserve(writes.size());
  for (const VersionWrite& write : writes) statements.push_back(write.sql);
  std::vector<std::optional<long long>> changed = sink.ExecuteCountedEach(statements);
  for (std::size_t i = 0; i < writes.size(); ++i) {
    if (writes[i].expected && changed[i] && *changed[i] != 1) {
      throw Error(fmt::format("{}{} found", *writes[i].expected, *changed[i]));
    }
  }
}

}  // namespace retort::runtime
