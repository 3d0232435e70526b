#ifndef RETORT_GRAPH_REVISION_MAP_IMPL_H_
#define RETORT_GRAPH_REVISION_MAP_IMPL_H_

// Internal to the graph layer: the index-based form of the revision map and
// the traversal primitives of Alembic's RevisionMap, transcribed closely so
// that every plan matches Alembic's. Revisions are ints (their position in
// map order); Python's None and the "base" string returned by _walk are the
// two negative sentinels below.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "graph/revision_map.h"

namespace retort::graph {

inline constexpr int kNoRev = -1;    // Python None
inline constexpr int kBaseRev = -2;  // the "base" string _walk returns

// Alembic's revision arguments are a string, a tuple of strings or None.
struct Ident {
  enum class Kind { kNone, kString, kTuple };
  Kind kind = Kind::kNone;
  std::string str;
  std::vector<std::string> tuple;

  static Ident None() { return {}; }
  static Ident Str(std::string s) { return {Kind::kString, std::move(s), {}}; }
  static Ident Tuple(std::vector<std::string> t) { return {Kind::kTuple, {}, std::move(t)}; }
  bool is_none() const { return kind == Kind::kNone; }
  bool is_string() const { return kind == Kind::kString; }
  // util.to_tuple(): a string becomes a 1-tuple, None an empty one.
  std::vector<std::string> ToTuple() const;
};

// The edges that exist only around dependencies, apart from the Node of a
// revision that has dependencies or dependents. A list that would equal
// down or nextrev (all_down, normalized_down, all_nextrev) stays empty:
// read them through Impl::ResolvedDeps, AllDown, NormalizedDown and AllNext.
struct DependencyEdges {
  std::vector<int> resolved_deps;    // _resolved_dependencies
  std::vector<int> normalized_deps;  // _normalized_resolved_dependencies
  std::vector<int> all_down;         // _all_down_revisions (when resolved_deps)
  std::vector<int> normalized_down;  // _normalized_down_revisions (when normalized_deps)
  std::vector<int> all_nextrev;      // children through down revisions or deps (when dependents)
};

struct Node {
  std::vector<int> down;                  // _versioned_down_revisions
  std::vector<int> nextrev;               // children through down revisions
  std::vector<std::string> labels;        // own + inherited, sorted, unique
  std::unique_ptr<DependencyEdges> deps;  // with dependencies or dependents only
  // 1 + the longest path down to a root through normalized down revisions:
  // an ancestor always has a smaller generation, which bounds searches.
  int generation = 0;
  bool has_dependencies = false;
  bool has_dependents = false;  // some revision depends on this one

  DependencyEdges& Deps() {
    if (!deps) deps = std::make_unique<DependencyEdges>();
    return *deps;
  }
};

// Which edges a traversal follows.
enum class Edges {
  kVersionedDown,   // _versioned_down_revisions
  kNormalizedDown,  // _normalized_down_revisions (ancestors incl. deps)
  kAllDown,         // _all_down_revisions
  kNext,            // nextrev
  kAllNext,         // _all_nextrev
};

struct RevisionMap::Impl {
  std::vector<Revision> revisions;
  std::vector<Node> nodes;
  RevisionInfo InfoOf(int rev) const;
  // Exact keys of Alembic's _revision_map, ids then branch labels, in
  // insertion order (views into `revisions`, which never changes after
  // construction), the revision each names, and an open-addressing table
  // of their positions (one int a slot instead of a heap node a key).
  std::vector<std::string_view> key_order;
  std::vector<int> key_target;
  std::vector<int> key_slots;  // -1: empty; size a power of two
  // Adds `key` naming `rev`; returns the revision it already named, or
  // kNoRev when it is new.
  int AddKey(std::string_view key, int rev);
  // Their positions (built on the first prefix lookup) sorted by key.
  mutable std::once_flag key_sorted_once;
  mutable std::vector<int> key_sorted;
  const std::vector<int>& KeySorted() const;
  std::vector<int> heads;          // versioned heads, map order
  std::vector<int> real_heads;     // no child through deps either
  std::vector<int> bases;          // no down revision
  std::vector<int> real_bases;     // no down revision and no dependencies
  std::vector<int> parents_first;  // every revision after its normalized down revisions

  // Transitive closure of normalized down revisions, one bit row per
  // revision, built on first use for graphs small enough (the head
  // maintainer asks ancestry once per step and per row).
  static constexpr int kClosureLimit = 16384;
  mutable std::once_flag closure_once;
  mutable std::vector<uint64_t> closure;
  size_t closure_words = 0;
  void BuildClosure() const;
  // _add_branches (revision_map_build.cc): fills every node's labels.
  void PropagateLabels();

  explicit Impl(std::vector<Revision> revs);

  int size() const { return static_cast<int>(revisions.size()); }
  const std::vector<int>& ResolvedDeps(int rev) const {
    static const std::vector<int> none;
    return nodes[rev].deps ? nodes[rev].deps->resolved_deps : none;
  }
  const std::vector<int>& AllDown(int rev) const {
    const Node& node = nodes[rev];
    return node.deps && !node.deps->resolved_deps.empty() ? node.deps->all_down : node.down;
  }
  const std::vector<int>& NormalizedDown(int rev) const {
    const Node& node = nodes[rev];
    return node.deps && !node.deps->normalized_deps.empty() ? node.deps->normalized_down
                                                            : node.down;
  }
  const std::vector<int>& AllNext(int rev) const {
    const Node& node = nodes[rev];
    return node.has_dependents ? node.deps->all_nextrev : node.nextrev;
  }
  // The revision an exact key (id or branch label) names, or kNoRev.
  int Key(std::string_view key) const {
    if (key_slots.empty()) return kNoRev;
    const size_t mask = key_slots.size() - 1;
    for (size_t slot = std::hash<std::string_view>{}(key)&mask;; slot = (slot + 1) & mask) {
      const int k = key_slots[slot];
      if (k < 0) return kNoRev;
      if (key_order[k] == key) return key_target[k];
    }
  }
  const std::string& Id(int rev) const { return revisions[rev].id; }
  std::vector<std::string> Ids(const std::vector<int>& revs) const;
  bool HasLabel(int rev, std::string_view label) const;

  // _iterate_related_revisions: Alembic's stack-order walk, `check` raising
  // the "overlaps" error. Returns revisions in visit order.
  std::vector<int> Related(Edges edges, const std::vector<int>& targets, bool check = false) const;
  std::vector<int> Ancestors(const std::vector<int>& targets, bool include_deps = true,
                             bool check = false) const;
  std::vector<int> Descendants(const std::vector<int>& targets, bool include_deps = true,
                               bool check = false) const;
  std::vector<char> Mask(const std::vector<int>& revs) const;
  // Whether `ancestor` is one of `from` or an ancestor (dependencies
  // included) of one of them; searches only above `ancestor`'s generation.
  bool IsAncestorOfAny(int ancestor, const std::vector<int>& from) const;

  // Spec resolution (revision_map.cc).
  std::pair<std::vector<std::string>, std::optional<std::string>> ResolveRevisionNumber(
      const std::optional<std::string>& id) const;
  std::vector<int> GetRevisions(const Ident& id) const;
  std::vector<int> GetRevisions(const std::vector<int>& revs) const { return revs; }
  int GetRevision(const std::optional<std::string>& id) const;
  int RevisionForIdent(const std::optional<std::string>& resolved_id,
                       const std::optional<std::string>& check_branch = std::nullopt) const;
  int ResolveBranch(const std::string& label) const;
  // The revisions filter_for_lineage tests against for `check_against`.
  std::vector<int> FilterForLineageTargets(const std::optional<std::string>& check_against) const;
  std::vector<int> FilterForLineage(const std::vector<int>& targets,
                                    const std::optional<std::string>& check_against,
                                    bool include_deps = false) const;
  bool SharesLineage(int target, const std::vector<int>& against, bool include_deps) const;
  int GetCurrentHead(const std::optional<std::string>& branch_label) const;
  std::vector<int> FilterIntoBranchHeads(const std::vector<int>& targets) const;
  std::vector<int> GetAllCurrent(const std::vector<std::string>& ids) const;

  // Traversal (traversal.cc).
  int Walk(int start, int steps, const std::optional<std::string>& branch_label,
           bool no_overwalk) const;
  std::pair<std::optional<std::string>, int> ParseDowngradeTarget(
      const Ident& current, const Ident& target, bool assert_relative_length) const;
  std::vector<int> ParseUpgradeTarget(const Ident& current, const Ident& target,
                                      bool assert_relative_length) const;
  std::pair<std::vector<int>, std::vector<int>> CollectDowngrade(const Ident& upper,
                                                                 const Ident& target,
                                                                 bool inclusive, bool implicit_base,
                                                                 bool assert_relative_length) const;
  std::pair<std::vector<int>, std::vector<int>> CollectUpgrade(const Ident& upper,
                                                               const Ident& lower, bool inclusive,
                                                               bool implicit_base,
                                                               bool assert_relative_length) const;
  std::vector<int> TopologicalSort(const std::vector<int>& revisions,
                                   const std::vector<int>& heads) const;
  std::vector<int> IterateRevisions(const Ident& upper, const Ident& lower, bool implicit_base,
                                    bool inclusive, bool assert_relative_length,
                                    bool select_for_downgrade) const;
};

// Access to the map's internals for the rest of the graph layer.
struct Planner {
  static const RevisionMap::Impl& Of(const RevisionMap& map) { return *map.impl_; }
};

// Alembic's _relative_destination regex, matched at the start of `spec`:
// (?:(.+?)@)?(\w+)?((?:\+|-)\d+)
struct RelativeSpec {
  std::optional<std::string> branch_label;
  std::optional<std::string> symbol;
  std::string relative;  // with its sign, as written
  int value = 0;
};
std::optional<RelativeSpec> MatchRelative(std::string_view spec);

// "Relative revision -5 didn't produce 5 migrations", then `why` (where the
// walk started and where it ran out) when given: Alembic's words first, so
// the line still matches what users search for.
[[noreturn]] void ThrowRelativeTooFar(std::string_view relative, int value,
                                      std::string_view why = {});

}  // namespace retort::graph

#endif  // RETORT_GRAPH_REVISION_MAP_IMPL_H_
