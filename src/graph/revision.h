#ifndef RETORT_GRAPH_REVISION_H_
#define RETORT_GRAPH_REVISION_H_

#include <string>
#include <vector>

namespace retort::graph {

// One node of the revision graph, as declared by its file's header. The graph
// layer knows nothing of files or SQL: the script layer fills these fields and
// keeps the rest (path, SQL sections) beside it, keyed by `id`.
struct Revision {
  std::string id;
  // "Revises", in written order. Empty: a root. Several: a merge point.
  std::vector<std::string> down_revisions;
  // "Depends On", in written order: revision ids, unique prefixes or branch labels.
  std::vector<std::string> dependencies;
  // "Branch Labels" declared on this revision (descendants inherit them).
  std::vector<std::string> branch_labels;
  // The message ("doc"), first line of the file's comment header.
  std::string doc;
};

}  // namespace retort::graph

#endif  // RETORT_GRAPH_REVISION_H_
