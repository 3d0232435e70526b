#ifndef RETORT_GRAPH_HEAD_MAINTAINER_H_
#define RETORT_GRAPH_HEAD_MAINTAINER_H_

#include <string>
#include <vector>

#include "graph/revision_map.h"
#include "graph/step.h"

namespace retort::graph {

// One change to the version table's rows.
struct VersionChange {
  enum class Kind { kInsert, kDelete, kUpdate };
  Kind kind;
  std::string from;  // kDelete, kUpdate
  std::string to;    // kInsert, kUpdate
};

// Alembic's HeadMaintainer: pure version-row arithmetic. Given the rows before
// a step, says which rows the step inserts, deletes or updates (branch
// create/delete, merge, unmerge), and tracks the rows after it.
class HeadMaintainer {
 public:
  HeadMaintainer(const RevisionMap& map, std::vector<std::string> heads);
  // The version-table changes for `step`, in the order Alembic issues them.
  std::vector<VersionChange> Apply(const Step& step);
  const std::vector<std::string>& heads() const { return heads_; }

 private:
  const RevisionMap& map_;
  std::vector<std::string> heads_;
};

}  // namespace retort::graph

#endif  // RETORT_GRAPH_HEAD_MAINTAINER_H_
