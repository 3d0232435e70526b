#ifndef RETORT_GRAPH_PLAN_H_
#define RETORT_GRAPH_PLAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "graph/revision_map.h"
#include "graph/step.h"

namespace retort::graph {

// Plans, exactly as Alembic's ScriptDirectory._upgrade_revs /
// _downgrade_revs / _stamp_revs. `current_heads` are the version table's rows
// (empty: base). Destinations accept every spec Alembic accepts: ids,
// prefixes, head(s), base, labels, label@head, +N, -N, rev+N, label@+N,
// current. Throw the graph errors (MultipleHeads, ResolutionError,
// RangeNotAncestorError, ...) with Alembic's messages.
std::vector<Step> PlanUpgrade(const RevisionMap& map, std::string_view destination,
                              const std::vector<std::string>& current_heads);
std::vector<Step> PlanDowngrade(const RevisionMap& map, std::string_view destination,
                                const std::vector<std::string>& current_heads);
//
// PlanStamp with `purge` plans from an empty table: the caller deletes every
// row first (Alembic's --purge) and starts its HeadMaintainer with no rows.
// The upgrade/downgrade error texts are Alembic's command-line ones:
// "Destination X is not a valid upgrade target from current head(s)",
// "Relative revision -5 didn't produce 5 migrations", the multiple-heads
// message naming the destination, and for stamp "Multiple heads are present;
// please specify a single target revision".
std::vector<Step> PlanStamp(const RevisionMap& map, const std::vector<std::string>& destinations,
                            const std::vector<std::string>& current_heads, bool purge);

}  // namespace retort::graph

#endif  // RETORT_GRAPH_PLAN_H_
