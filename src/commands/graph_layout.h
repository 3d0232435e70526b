#ifndef RETORT_COMMANDS_GRAPH_LAYOUT_H_
#define RETORT_COMMANDS_GRAPH_LAYOUT_H_

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "graph/revision_map.h"

namespace retort::commands {

// `history --graph`: the revisions drawn like `git log --graph`, one line
// per revision ("* " in its column, then label(revision)) plus connector
// lines ("|/", "|\", " /", "|_|/"). `newest_first` must list children
// before their parents (RevisionMap::WalkRevisions / History order); edges
// to revisions not in it are left out. Pure: no I/O.
std::vector<std::string> DrawGraph(const graph::RevisionMap& map,
                                   const std::vector<const graph::Revision*>& newest_first,
                                   const std::function<std::string(const graph::Revision&)>& label);

// `history --dot`: a Graphviz digraph of the same revisions: nodes labelled
// "id\nmessage", edges parent -> child, dashed edges dependency ->
// dependent, heads bold, revisions in `current` filled.
std::vector<std::string> DotGraph(const graph::RevisionMap& map,
                                  const std::vector<const graph::Revision*>& newest_first,
                                  const std::set<std::string>& current);

}  // namespace retort::commands

#endif  // RETORT_COMMANDS_GRAPH_LAYOUT_H_
