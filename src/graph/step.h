#ifndef RETORT_GRAPH_STEP_H_
#define RETORT_GRAPH_STEP_H_

#include <string>
#include <vector>

#include "graph/revision.h"

namespace retort::graph {

// One step of a plan, as Alembic's RevisionStep / StampStep. A plan is a
// std::vector<Step> in execution order; the runtime executes each step's SQL
// (kMigration only) and hands the step to HeadMaintainer for the version rows.
struct Step {
  enum class Kind { kMigration, kStamp };

  Kind kind = Kind::kMigration;
  bool is_upgrade = true;
  // kMigration: the revision whose upgrade (or downgrade) section runs.
  // kStamp: the first of to_revisions (upgrade) or of from_revisions
  // (downgrade); null when that list is empty.
  const Revision* revision = nullptr;
  // Version ids this step moves from and to, as Alembic's
  // from_revisions / to_revisions (empty means base).
  std::vector<std::string> from_revisions;
  std::vector<std::string> to_revisions;
  // kStamp only: Alembic's branch_move (stamp moves an existing head).
  bool branch_move = false;

  // Alembic's log text without the "Running " prefix, e.g.
  // "upgrade a1 -> b2, add users" or "stamp_revision  -> b2".
  std::string Describe() const;
  // Alembic's short_log, the "-- Running ..." comment of --sql output:
  // Describe() without the message. Both name the real parents only
  // (from/to_revisions_no_deps), never the Depends On revisions.
  std::string ShortLog() const;
};

}  // namespace retort::graph

#endif  // RETORT_GRAPH_STEP_H_
