#ifndef RETORT_GRAPH_REVISION_MAP_H_
#define RETORT_GRAPH_REVISION_MAP_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "graph/revision.h"

namespace retort::graph {

// Computed facts about one revision (RevisionMap::Info).
struct RevisionInfo {
  std::vector<std::string> next_revisions;         // children via down_revisions, in map order
  std::vector<std::string> all_branch_labels;      // own + inherited, sorted
  std::vector<std::string> resolved_dependencies;  // Depends On, resolved to full ids
  bool is_head = false;                            // nothing revises it (dependencies do not count)
  bool is_real_head = false;                       // nothing revises or depends on it ("(head)" in
                                                   // listings; is_head && !is_real_head is an
                                                   // "(effective head)")
  bool is_base = false;                            // no down_revisions
  bool is_branch_point = false;                    // more than one next revision
  bool is_merge_point = false;                     // more than one down revision
};

// The revision DAG (Alembic's RevisionMap). Pure: no I/O. Revisions keep the
// order they were given in (the script layer gives file-name order), which
// fixes every ordering Alembic leaves to hash order.
//
// Construction validates the graph and throws the graph errors of
// graph/errors.h (duplicate id, unknown down revision or dependency, cycle,
// duplicate branch label), each naming the revision at fault.
class RevisionMap {
 public:
  explicit RevisionMap(std::vector<Revision> revisions);
  ~RevisionMap();
  RevisionMap(RevisionMap&&) noexcept;
  RevisionMap& operator=(RevisionMap&&) noexcept;

  // All revisions in the order given.
  const std::vector<Revision>& revisions() const;
  // Exact id lookup; nullptr when absent.
  const Revision* Find(std::string_view id) const;
  // Computed on each call, from the map's edges: `heads` describes only
  // the heads, and a map of 10,000 revisions would otherwise build 10,000.
  RevisionInfo Info(const Revision& revision) const;

  // Heads and bases in map order (Alembic 1.13 semantics).
  std::vector<const Revision*> Heads() const;
  std::vector<const Revision*> Bases() const;
  // Heads counting dependencies as down revisions (`heads
  // --resolve-dependencies`, and what the spec "heads" resolves to).
  std::vector<const Revision*> RealHeads() const;

  // Alembic's get_revisions(): resolves "head", "heads", "base", a full id, a
  // unique id prefix, a branch label, "label@head", "label@base",
  // "label@<id>"; "-N" / "label@-N" walk down from every (labelled) head,
  // as Alembic does; other relative forms are for the plans below. Throws
  // ResolutionError / MultipleHeads / AmbiguousPrefix with the text `alembic`
  // prints ("Can't locate revision identified by 'x'", ...).
  std::vector<const Revision*> GetRevisions(std::string_view spec) const;
  // Alembic's get_revision(): exactly one (nullptr for "base"/empty); throws
  // MultipleHeads when spec names several.
  const Revision* GetRevision(std::string_view spec) const;

  // `history -r lower:upper` (Alembic's walk_revisions): newest first.
  // Either end may be any spec Alembic takes there: empty (base / heads),
  // "current" (the rows `current_heads`; no rows means base / heads, as in
  // Alembic), "-N" (down from the heads), "+N" and "rev+N" (up from the
  // lower end). Throws RangeNotAncestorError ("Requested range a:b does not
  // refer to ancestor/descendant revisions along the same branch") and the
  // resolution errors.
  std::vector<const Revision*> History(std::string_view lower, std::string_view upper,
                                       const std::vector<std::string>& current_heads) const;

  // Every revision newest first, as `history` and `branches` list them
  // (History("base", "heads", {})).
  std::vector<const Revision*> WalkRevisions() const;

  // What `current` lists for the version table's rows (Alembic's
  // get_all_current): the rows and their ancestors (dependencies included),
  // reduced to those with no descendant among them, in map order.
  std::vector<const Revision*> AllCurrent(const std::vector<std::string>& current_heads) const;

  // True when `ancestor` is `descendant` or is reached from it through down
  // revisions and dependencies. Both are exact ids; false when either is
  // unknown.
  bool IsAncestor(std::string_view ancestor, std::string_view descendant) const;
  // Every revision x with IsAncestor(x, id) for some of `ids` (exact ids;
  // unknown ones are skipped), found in one walk; in no particular order.
  std::vector<const Revision*> AncestorsOf(const std::vector<std::string>& ids) const;

  struct Impl;  // graph-internal (revision_map_impl.h)

 private:
  std::unique_ptr<Impl> impl_;
  friend struct Planner;
};

}  // namespace retort::graph

#endif  // RETORT_GRAPH_REVISION_MAP_H_
