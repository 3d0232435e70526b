// Building and validating the revision map: Alembic's
// RevisionMap._revision_map, _map_branch_labels, _add_depends_on,
// _normalize_depends_on, _detect_cycles and _add_branches, in map order.

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <memory>
#include <set>

#include "graph/errors.h"
#include "graph/revision_map_impl.h"

namespace retort::graph {

namespace {

bool Contains(const std::vector<int>& values, int value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

void AppendUnique(std::vector<int>& out, int value) {
  if (!Contains(out, value)) out.push_back(value);
}

// Revision.__init__: self-loops and characters the spec syntax reserves.
void CheckRevision(const Revision& revision) {
  if (revision.id.empty()) throw RevisionError("Revision has an empty identifier");
  for (const auto& down : revision.down_revisions) {
    if (down == revision.id) {
      throw CycleDetected(fmt::format("Self-loop is detected in revisions ({})", revision.id),
                          {revision.id});
    }
  }
  for (const auto& dep : revision.dependencies) {
    if (dep == revision.id) {
      throw DependencyCycleDetected(
          fmt::format("Dependency self-loop is detected in revisions ({})", revision.id),
          {revision.id});
    }
  }
  std::set<char> illegal;
  for (char c : revision.id) {
    if (c == '@' || c == '-' || c == '+') illegal.insert(c);
  }
  if (!illegal.empty()) {
    std::vector<std::string> chars;
    for (char c : illegal) chars.emplace_back(1, c);
    throw RevisionError(fmt::format("Character(s) '{}' not allowed in revision identifier '{}'",
                                    fmt::join(chars, ", "), revision.id),
                        revision.id);
  }
}

}  // namespace

RevisionMap::Impl::Impl(std::vector<Revision> revs) : revisions(std::move(revs)) {
  const int n = size();
  nodes.resize(n);
  size_t label_count = 0;
  for (const Revision& revision : revisions) label_count += revision.branch_labels.size();
  key_order.reserve(n + label_count);
  key_target.reserve(n + label_count);
  size_t slots = 8;
  while (slots < 2 * (n + label_count)) slots *= 2;
  key_slots.assign(slots, -1);

  for (int i = 0; i < n; ++i) {
    CheckRevision(revisions[i]);
    if (AddKey(Id(i), i) != kNoRev) {
      throw DuplicateRevision(fmt::format("Revision {} is present more than once", Id(i)), Id(i));
    }
  }
  // Labels share the key space with ids, as in Alembic's map.
  for (int i = 0; i < n; ++i) {
    for (const auto& label : revisions[i].branch_labels) {
      const int other = AddKey(label, i);
      if (other != kNoRev) {
        throw DuplicateBranchLabel(
            fmt::format("Branch name '{}' in revision {} already used by revision {}", label, Id(i),
                        Id(other)),
            Id(i), label, Id(other));
      }
      nodes[i].labels.push_back(label);
    }
  }

  for (int i = 0; i < n; ++i) {
    Node& node = nodes[i];
    node.has_dependencies = !revisions[i].dependencies.empty();
    for (const auto& dep : revisions[i].dependencies) {
      int target = Key(dep);
      if (target == kNoRev) {
        // Alembic only takes exact ids and labels here; a unique prefix is
        // accepted too since hand-written headers often abbreviate.
        try {
          target = RevisionForIdent(dep);
        } catch (const ResolutionError&) {
          throw UnknownDependency(
              fmt::format("Dependency {} referenced from {} is not present", dep, Id(i)), Id(i),
              dep);
        }
      }
      AppendUnique(node.Deps().resolved_deps, target);
    }
    for (const auto& down : revisions[i].down_revisions) {
      const int target = Key(down);
      if (target == kNoRev || Id(target) != down) {
        throw UnknownDownRevision(
            fmt::format("Revision {} referenced from {} is not present", down, Id(i)), Id(i), down);
      }
      AppendUnique(node.down, target);
    }
    if (ResolvedDeps(i).empty()) continue;
    DependencyEdges& edges = *node.deps;
    edges.all_down = node.down;
    for (int dep : edges.resolved_deps) {
      if (!Contains(node.down, dep)) {
        edges.all_down.push_back(dep);
        nodes[dep].has_dependents = true;
      }
    }
  }

  for (int i = 0; i < n; ++i) {
    const Node& node = nodes[i];
    for (int down : node.down) nodes[down].nextrev.push_back(i);
    for (int down : AllDown(i)) {
      if (nodes[down].has_dependents) nodes[down].Deps().all_nextrev.push_back(i);
    }
  }
  for (int i = 0; i < n; ++i) {
    if (nodes[i].nextrev.empty()) heads.push_back(i);
    if (AllNext(i).empty()) real_heads.push_back(i);
    if (nodes[i].down.empty()) bases.push_back(i);
    if (nodes[i].down.empty() && !nodes[i].has_dependencies) real_bases.push_back(i);
  }

  // A dependency already declared by an ancestor is not an immediate down
  // revision (_normalize_depends_on). Alembic walks every ancestor of each
  // revision with dependencies (quadratic on long graphs); here the
  // dependencies declared below each revision are gathered once, parents
  // first over versioned down revisions, as bit rows over the dependency
  // targets (shared down plain lines).
  std::vector<int> dep_bit(n, -1);
  int dep_targets = 0;
  for (int i = 0; i < n; ++i) {
    for (int dep : ResolvedDeps(i)) {
      if (dep_bit[dep] < 0) dep_bit[dep] = dep_targets++;
    }
  }
  const size_t dep_words = (static_cast<size_t>(dep_targets) + 63) / 64;
  // No dependencies at all (the usual project): nothing to normalize.
  using DepRow = std::shared_ptr<std::vector<uint64_t>>;
  // below[i]: dependencies of i's strict versioned ancestors.
  std::vector<DepRow> below(dep_targets > 0 ? n : 0);
  if (dep_targets > 0) {
    std::vector<int> pending(n);
    std::vector<int> ready;
    for (int i = 0; i < n; ++i) {
      pending[i] = static_cast<int>(nodes[i].down.size());
      if (pending[i] == 0) ready.push_back(i);
    }
    const DepRow none = std::make_shared<std::vector<uint64_t>>(dep_words, 0);
    while (!ready.empty()) {
      int rev = ready.back();
      ready.pop_back();
      const Node& node = nodes[rev];
      if (node.down.empty()) {
        below[rev] = none;
      } else if (node.down.size() == 1 && ResolvedDeps(node.down[0]).empty()) {
        below[rev] = below[node.down[0]];
      } else {
        auto row = std::make_shared<std::vector<uint64_t>>(dep_words, 0);
        for (int down : node.down) {
          const std::vector<uint64_t>& parent = *below[down];
          for (size_t w = 0; w < dep_words; ++w) (*row)[w] |= parent[w];
          for (int dep : ResolvedDeps(down)) {
            (*row)[dep_bit[dep] / 64] |= uint64_t{1} << (dep_bit[dep] % 64);
          }
        }
        below[rev] = std::move(row);
      }
      for (int child : node.nextrev) {
        if (--pending[child] == 0) ready.push_back(child);
      }
    }
  }
  for (int i = 0; i < n && dep_targets > 0; ++i) {
    Node& node = nodes[i];
    if (ResolvedDeps(i).empty()) continue;
    DependencyEdges& edges = *node.deps;
    if (below[i]) {
      const std::vector<uint64_t>& inherited = *below[i];
      for (int dep : edges.resolved_deps) {
        if (!((inherited[dep_bit[dep] / 64] >> (dep_bit[dep] % 64)) & 1)) {
          edges.normalized_deps.push_back(dep);
        }
      }
    } else {
      // On a cycle Alembic's _detect_cycles lets through: walk as it does.
      std::vector<char> inherited(n, 0);
      for (int rev : Ancestors({i}, false)) {
        if (rev == i) continue;
        for (int dep : ResolvedDeps(rev)) inherited[dep] = 1;
      }
      for (int dep : edges.resolved_deps) {
        if (!inherited[dep]) edges.normalized_deps.push_back(dep);
      }
    }
    if (edges.normalized_deps.empty()) continue;
    edges.normalized_down = node.down;
    for (int dep : edges.normalized_deps) AppendUnique(edges.normalized_down, dep);
  }

  // Generations, parents first (Kahn's order over normalized down
  // revisions; a revision's children through them are the ones of AllNext
  // that list it there, in the same ascending order).
  {
    std::vector<int> pending(n);
    std::vector<int> ready;
    for (int i = 0; i < n; ++i) {
      pending[i] = static_cast<int>(NormalizedDown(i).size());
      if (pending[i] == 0) ready.push_back(i);
    }
    parents_first.reserve(n);
    while (!ready.empty()) {
      int rev = ready.back();
      ready.pop_back();
      parents_first.push_back(rev);
      int generation = 0;
      for (int down : NormalizedDown(rev)) {
        generation = std::max(generation, nodes[down].generation);
      }
      nodes[rev].generation = generation + 1;
      for (int child : AllNext(rev)) {
        if (Contains(NormalizedDown(child), rev) && --pending[child] == 0) ready.push_back(child);
      }
    }
  }

  // _detect_cycles: every revision must lie between a head and a base.
  auto detect = [&](const std::vector<int>& tops, const std::vector<int>& bottoms, Edges down,
                    Edges up, bool dependency) {
    auto fail = [&](std::vector<std::string> ids) {
      std::string message =
          fmt::format("{} is detected in revisions ({})", dependency ? "Dependency cycle" : "Cycle",
                      fmt::join(ids, ", "));
      if (dependency) throw DependencyCycleDetected(message, std::move(ids));
      throw CycleDetected(message, std::move(ids));
    };
    if (n == 0) return;
    if (tops.empty() || bottoms.empty()) {
      std::vector<std::string> all;
      for (int i = 0; i < n; ++i) all.push_back(Id(i));
      fail(std::move(all));
    }
    std::vector<char> from_top = Mask(Related(down, tops));
    std::vector<char> from_bottom = Mask(Related(up, bottoms));
    std::vector<std::string> deleted;
    for (int i = 0; i < n; ++i) {
      if (!from_top[i] || !from_bottom[i]) deleted.push_back(Id(i));
    }
    std::sort(deleted.begin(), deleted.end());
    if (!deleted.empty()) fail(std::move(deleted));
  };
  // A graph with no cycle through normalized down revisions (every
  // revision in parents_first) has none through versioned or all down
  // revisions either (a dependency left out is reached through the
  // ancestor declaring it), so every revision lies between a head and a
  // base and both checks would pass: they run only when there is a cycle.
  if (parents_first.size() != static_cast<size_t>(n)) {
    detect(heads, bases, Edges::kVersionedDown, Edges::kNext, false);
    detect(real_heads, real_bases, Edges::kAllDown, Edges::kAllNext, true);
  }

  closure_words = (static_cast<size_t>(n) + 63) / 64;

  // _add_branches: labels flow to descendants, and (through Alembic's walk
  // down from the last descendant visited) to plain-line ancestors up to the
  // first branch point or merge point. Alembic applies this per labelled
  // revision (revisions x labels^2 here before); the result does not depend
  // on that order (the walks from a revision that u's walks reach stay
  // within u's), so it is computed in two linear passes:
  //  - `inherited`: own labels plus every versioned ancestor's, parents first
  //    (a node with one parent and no own label shares its parent's set);
  //  - the walk down from the last descendant of a labelled revision u goes
  //    below u only when every node from that last descendant down to u is
  //    neither a real branch point nor a merge point. Such a node v
  //    ("on_line") has a single line of descendants ending at last[v], and it
  //    carries exactly the labels of last[v]: those of v's ancestors plus
  //    those of the line above it.
  // A cycle that Alembic's _detect_cycles lets through (every revision of it
  // between a head and a base) leaves no parents-first order: there, walk
  // as Alembic does.
  const bool any_labels = std::any_of(revisions.begin(), revisions.end(),
                                      [](const Revision& r) { return !r.branch_labels.empty(); });
  if (any_labels && parents_first.size() == static_cast<size_t>(n)) {
    PropagateLabels();
  } else if (any_labels) {
    for (int i = 0; i < n; ++i) {
      if (revisions[i].branch_labels.empty()) continue;
      std::vector<std::string> labels = nodes[i].labels;
      auto add = [&](int rev) {
        for (const auto& label : labels) {
          auto& target = nodes[rev].labels;
          if (std::find(target.begin(), target.end(), label) == target.end()) {
            target.push_back(label);
          }
        }
      };
      int last = i;
      for (int rev : Descendants({i}, false)) {
        add(rev);
        last = rev;
      }
      int parent = last;
      while (AllNext(parent).size() <= 1 && nodes[parent].down.size() <= 1) {
        add(parent);
        if (nodes[parent].down.empty()) break;
        parent = nodes[parent].down[0];
      }
    }
    for (Node& node : nodes) std::sort(node.labels.begin(), node.labels.end());
  }
}

int RevisionMap::Impl::AddKey(std::string_view key, int rev) {
  const size_t mask = key_slots.size() - 1;
  for (size_t slot = std::hash<std::string_view>{}(key)&mask;; slot = (slot + 1) & mask) {
    const int k = key_slots[slot];
    if (k >= 0) {
      if (key_order[k] == key) return key_target[k];
      continue;
    }
    key_slots[slot] = static_cast<int>(key_order.size());
    key_order.push_back(key);
    key_target.push_back(rev);
    return kNoRev;
  }
}

RevisionInfo RevisionMap::Impl::InfoOf(int rev) const {
  const Node& node = nodes[rev];
  RevisionInfo info;
  info.next_revisions.reserve(node.nextrev.size());
  for (int next : node.nextrev) info.next_revisions.push_back(Id(next));
  info.all_branch_labels = node.labels;
  info.resolved_dependencies = Ids(ResolvedDeps(rev));
  info.is_head = node.nextrev.empty();
  info.is_real_head = AllNext(rev).empty();
  info.is_base = node.down.empty();
  info.is_branch_point = node.nextrev.size() > 1;
  info.is_merge_point = node.down.size() > 1;
  return info;
}

const std::vector<int>& RevisionMap::Impl::KeySorted() const {
  std::call_once(key_sorted_once, [this] {
    key_sorted.resize(key_order.size());
    for (size_t k = 0; k < key_order.size(); ++k) key_sorted[k] = static_cast<int>(k);
    std::sort(key_sorted.begin(), key_sorted.end(),
              [this](int a, int b) { return key_order[a] < key_order[b]; });
  });
  return key_sorted;
}

void RevisionMap::Impl::PropagateLabels() {
  const int n = size();
  // Label indexes in string order, so that sorted index sets give sorted
  // names.
  std::vector<std::string> names;
  for (const Revision& revision : revisions) {
    names.insert(names.end(), revision.branch_labels.begin(), revision.branch_labels.end());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  auto index_of = [&names](const std::string& label) {
    return static_cast<int>(std::lower_bound(names.begin(), names.end(), label) - names.begin());
  };

  using LabelSet = std::shared_ptr<const std::vector<int>>;
  const LabelSet empty = std::make_shared<const std::vector<int>>();
  std::vector<LabelSet> inherited(n);
  for (int rev : parents_first) {
    const Node& node = nodes[rev];
    std::vector<int> own;
    for (const auto& label : revisions[rev].branch_labels) own.push_back(index_of(label));
    std::sort(own.begin(), own.end());
    if (own.empty() && node.down.size() == 1) {
      inherited[rev] = inherited[node.down[0]];
      continue;
    }
    if (own.empty() && node.down.empty()) {
      inherited[rev] = empty;
      continue;
    }
    std::vector<int> merged = std::move(own);
    for (int down : node.down) {
      const std::vector<int>& parent = *inherited[down];
      std::vector<int> out;
      out.reserve(merged.size() + parent.size());
      std::set_union(merged.begin(), merged.end(), parent.begin(), parent.end(),
                     std::back_inserter(out));
      merged = std::move(out);
    }
    inherited[rev] = std::make_shared<const std::vector<int>>(std::move(merged));
  }

  // Children first: on_line[v] and last[v] (the last node of Alembic's
  // depth-first descendant walk from v, which from a node with one child is
  // the walk from that child).
  std::vector<char> on_line(n, 0);
  std::vector<int> last(n);
  for (auto it = parents_first.rbegin(); it != parents_first.rend(); ++it) {
    const int rev = *it;
    const Node& node = nodes[rev];
    const bool plain = AllNext(rev).size() <= 1 && node.down.size() <= 1;
    if (node.nextrev.empty()) {
      last[rev] = rev;
      on_line[rev] = plain;
    } else if (node.nextrev.size() == 1) {
      last[rev] = last[node.nextrev[0]];
      on_line[rev] = plain && on_line[node.nextrev[0]];
    } else {
      last[rev] = rev;  // a branch point: the walk stops above it
    }
  }

  for (int rev = 0; rev < n; ++rev) {
    const std::vector<int>& set = *inherited[on_line[rev] ? last[rev] : rev];
    std::vector<std::string>& labels = nodes[rev].labels;
    labels.clear();
    labels.reserve(set.size());
    for (int label : set) labels.push_back(names[label]);
  }
}

void RevisionMap::Impl::BuildClosure() const {
  closure.assign(closure_words * revisions.size(), 0);
  for (int rev : parents_first) {
    uint64_t* row = &closure[rev * closure_words];
    for (int down : NormalizedDown(rev)) {
      const uint64_t* parent = &closure[down * closure_words];
      for (size_t w = 0; w < closure_words; ++w) row[w] |= parent[w];
      row[down / 64] |= uint64_t{1} << (down % 64);
    }
  }
}

}  // namespace retort::graph
