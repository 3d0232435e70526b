// `retort resolve`: settling a revision that a failure left half-applied on
// a database whose DDL commits as it goes (statement_progress.h).
#include <fmt/format.h>

#include <algorithm>

#include "dialect/history_table.h"
#include "graph/head_maintainer.h"
#include "graph/plan.h"
#include "retort/error.h"
#include "runtime/display_path.h"
#include "runtime/integrity.h"
#include "runtime/sql_sink.h"
#include "runtime/statement_progress.h"
#include "runtime/version_writes.h"

namespace retort::runtime {
namespace {

// The one step that completing `row` stands for, planned from the version
// rows as a run would plan it; a plan of anything else means the rows moved.
graph::Step StepOf(const script::ScriptDirectory& scripts, const ProgressRow& row,
                   const std::vector<std::string>& heads) {
  const graph::RevisionMap& map = scripts.map();
  const graph::Revision& revision = *map.Find(row.revision);
  std::vector<graph::Step> plan;
  if (row.direction == "upgrade") {
    plan = graph::PlanUpgrade(map, revision.id, heads);
  } else {
    if (revision.down_revisions.size() > 1) {
      throw Error(fmt::format(
          "Revision {} is a merge; settle its half-applied downgrade with `retort stamp` after "
          "undoing it by hand",
          revision.id));
    }
    plan = graph::PlanDowngrade(
        map, revision.down_revisions.empty() ? "base" : revision.down_revisions[0], heads);
  }
  if (plan.size() != 1 || plan[0].revision == nullptr || plan[0].revision->id != row.revision) {
    throw Error(fmt::format(
        "Can't resolve {} as applied: the version table ({}) no longer leads to its {} alone",
        row.revision,
        heads.empty() ? std::string("empty") : fmt::format("{}", fmt::join(heads, ", ")),
        row.direction));
  }
  return plan[0];
}

}  // namespace

std::string ResolveHalfApplied(driver::Connection& db, const dialect::Dialect& dialect,
                               const script::ScriptDirectory& scripts,
                               const dialect::VersionTable& version_table,
                               const std::string& revision, bool applied) {
  const dialect::VersionTable progress = ProgressTableOf(version_table);
  std::vector<ProgressRow> rows = ReadProgress(db, dialect, progress);
  auto row = std::find_if(rows.begin(), rows.end(), [&](const ProgressRow& r) {
    return !r.outcome && r.revision == revision;
  });
  if (row == rows.end()) {
    // A unique prefix works as everywhere else.
    std::vector<ProgressRow>::iterator match = rows.end();
    int matches = 0;
    for (auto it = rows.begin(); it != rows.end(); ++it) {
      if (!it->outcome && it->revision.starts_with(revision)) {
        match = it;
        ++matches;
      }
    }
    if (matches == 1) row = match;
  }
  if (row == rows.end()) {
    throw Error(fmt::format(
        "Revision {} is not half-applied; nothing to resolve (`retort status` lists half-applied "
        "revisions)",
        revision));
  }
  if (scripts.map().Find(row->revision) == nullptr) {
    throw Error(fmt::format("Can't resolve {}: no revision file has it; restore the file first",
                            row->revision));
  }
  const script::Script& script = scripts.Get(row->revision);
  const std::string where = fmt::format("{} ({})", row->revision, DisplayPath(script.path));
  const bool upgrade = row->direction == "upgrade";

  SqlSink sink = SqlSink::Online(db, dialect);
  SinkTransaction transaction(sink);
  std::string line;
  if (applied) {
    std::vector<std::string> heads;
    for (const driver::Row& version : db.Query(dialect.SelectVersions(version_table))) {
      if (!version.empty() && version[0]) heads.push_back(*version[0]);
    }
    const graph::Step step = StepOf(scripts, *row, heads);
    graph::HeadMaintainer maintainer(scripts.map(), heads);
    const dialect::VersionTable history = dialect::HistoryTableOf(version_table);
    PendingVersionWrites writes(dialect, version_table, history, heads, /*fold=*/false);
    writes.Add(maintainer.Apply(step),
               HistoryWrite{.revision = row->revision,
                            .applied = upgrade,
                            .checksum = upgrade ? ChecksumOf(script) : std::string(),
                            .duration_ms = 0,
                            .revises = std::nullopt});
    transaction.Ensure();
    writes.Flush(sink);
    line = fmt::format(
        "Resolved {}: its {} recorded as applied by hand; current: {}", where, row->direction,
        maintainer.heads().empty() ? std::string("base")
                                   : fmt::format("{}", fmt::join(maintainer.heads(), ", ")));
  } else {
    line = fmt::format(
        "Resolved {}: its {} recorded as rolled back by hand; the version table is unchanged",
        where, row->direction);
  }
  transaction.Ensure();
  sink.ExecuteCounted(SettleProgress(dialect, progress, row->revision,
                                     applied ? "applied by resolve" : "rolled back by resolve"));
  transaction.Commit();
  return line;
}

}  // namespace retort::runtime
