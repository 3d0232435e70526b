#include "graph/head_maintainer.h"

#include <fmt/format.h>

#include <algorithm>

#include "graph/errors.h"
#include "graph/revision_map_impl.h"

namespace retort::graph {

namespace {

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// `values` minus those that are ancestors (dependencies included) of, or
// equal to, one of `of`. With `exclude_self`, a value is not compared with
// itself.
std::vector<std::string> WithoutAncestorsOf(const RevisionMap::Impl& impl,
                                            const std::vector<std::string>& values,
                                            const std::vector<std::string>& of, bool exclude_self) {
  auto index = [&](const std::string& id) { return impl.Key(id); };
  std::vector<std::string> out;
  for (const auto& value : values) {
    int rev = index(value);
    std::vector<int> from;
    for (const auto& id : of) {
      if (!exclude_self || id != value) from.push_back(index(id));
    }
    if (rev < 0 || !impl.IsAncestorOfAny(rev, from)) out.push_back(value);
  }
  return out;
}

class StepRules {
 public:
  StepRules(const RevisionMap::Impl& impl, const Step& step) : impl_(impl), step_(step) {}

  bool ShouldDeleteBranch(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) return !step_.is_upgrade && step_.branch_move;
    if (step_.is_upgrade || !Contains(heads, Id())) return false;
    return Down().empty() || UnmergeTo(heads).empty();
  }

  bool ShouldCreateBranch(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) {
      auto missing = [&](const std::vector<std::string>& values) {
        return std::any_of(values.begin(), values.end(),
                           [&](const std::string& v) { return !Contains(heads, v); });
      };
      return step_.is_upgrade && (step_.branch_move || missing(step_.from_revisions)) &&
             missing(step_.to_revisions);
    }
    if (!step_.is_upgrade) return false;
    return Down().empty() || Present(heads, Down()).empty();
  }

  bool ShouldMergeBranches(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) return step_.from_revisions.size() > 1;
    return step_.is_upgrade && Down().size() > 1 && Present(heads, Down()).size() > 1;
  }

  bool ShouldUnmergeBranches(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) return step_.to_revisions.size() > 1;
    return !step_.is_upgrade && Contains(heads, Id()) && Down().size() > 1;
  }

  // Rows to delete, then the row updated into the merge.
  std::vector<std::string> MergeFrom(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) return step_.from_revisions;
    std::vector<std::string> others;
    for (const auto& head : heads) {
      if (!Contains(step_.from_revisions, head)) others.push_back(head);
    }
    std::vector<std::string> from =
        others.empty() ? step_.from_revisions
                       : WithoutAncestorsOf(impl_, step_.from_revisions, others, false);
    // A parent that is also a dependency of another parent may already have
    // been merged into it (R <- X, D depends on X, M merges X and D): its
    // row is gone and D's row stands for it. Alembic tries to delete the
    // missing row and fails; merging only the rows present gives the same
    // result whenever Alembic succeeds.
    std::vector<std::string> present = Present(heads, from);
    return present.empty() ? from : present;
  }

  // Rows the unmerge leaves: all but the last are inserted, the last is the
  // update target.
  std::vector<std::string> UnmergeTo(const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) return step_.to_revisions;
    std::vector<std::string> others;
    for (const auto& head : heads) {
      if (head != Id()) others.push_back(head);
    }
    if (!others.empty()) return WithoutAncestorsOf(impl_, step_.to_revisions, others, false);
    // Alembic issue 1373: parents that are ancestors of other parents are
    // already implied and get no row of their own.
    return WithoutAncestorsOf(impl_, step_.to_revisions, step_.to_revisions, true);
  }

  std::pair<std::string, std::string> UpdateVersionNum(
      const std::vector<std::string>& heads) const {
    if (step_.kind == Step::Kind::kStamp) {
      if (step_.from_revisions.size() != 1 || step_.to_revisions.size() != 1) {
        throw RevisionError("Can't do an UPDATE because the stamp is ambiguous");
      }
      return {step_.from_revisions[0], step_.to_revisions[0]};
    }
    std::string down;
    if (Down().size() != 1) {
      std::vector<std::string> present = Present(heads, Down());
      if (present.size() != 1) {
        throw RevisionError(
            fmt::format("Can't do an UPDATE for revision {} because downrevision is ambiguous",
                        Id()),
            Id());
      }
      down = present[0];
    } else {
      down = Down()[0];
    }
    if (step_.is_upgrade) return {down, Id()};
    return {Id(), down};
  }

  std::string DeleteVersionNum() const {
    return step_.kind == Step::Kind::kStamp ? step_.from_revisions.at(0) : Id();
  }
  std::string InsertVersionNum() const {
    return step_.kind == Step::Kind::kStamp ? step_.to_revisions.at(0) : Id();
  }

 private:
  const std::string& Id() const { return step_.revision->id; }
  // _normalized_down_revisions.
  const std::vector<std::string>& Down() const {
    return step_.is_upgrade ? step_.from_revisions : step_.to_revisions;
  }
  static std::vector<std::string> Present(const std::vector<std::string>& heads,
                                          const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
      if (Contains(heads, v)) out.push_back(v);
    }
    return out;
  }

  const RevisionMap::Impl& impl_;
  const Step& step_;
};

}  // namespace

HeadMaintainer::HeadMaintainer(const RevisionMap& map, std::vector<std::string> heads)
    : map_(map), heads_(std::move(heads)) {}

std::vector<VersionChange> HeadMaintainer::Apply(const Step& step) {
  StepRules rules(Planner::Of(map_), step);
  std::vector<VersionChange> changes;
  auto insert = [&](const std::string& version) {
    if (Contains(heads_, version)) {
      throw RevisionError(fmt::format("Version {} is already present", version), version);
    }
    heads_.push_back(version);
    changes.push_back({VersionChange::Kind::kInsert, {}, version});
  };
  auto erase = [&](const std::string& version) {
    auto it = std::find(heads_.begin(), heads_.end(), version);
    if (it == heads_.end()) {
      throw RevisionError(fmt::format("Version {} is not present to delete", version), version);
    }
    heads_.erase(it);
    changes.push_back({VersionChange::Kind::kDelete, version, {}});
  };
  auto update = [&](const std::string& from, const std::string& to) {
    if (Contains(heads_, to)) {
      throw RevisionError(fmt::format("Version {} is already present", to), to);
    }
    auto it = std::find(heads_.begin(), heads_.end(), from);
    if (it == heads_.end()) {
      throw RevisionError(fmt::format("Version {} is not present to update to {}", from, to), from);
    }
    *it = to;
    changes.push_back({VersionChange::Kind::kUpdate, from, to});
  };

  if (rules.ShouldDeleteBranch(heads_)) {
    erase(rules.DeleteVersionNum());
  } else if (rules.ShouldCreateBranch(heads_)) {
    insert(rules.InsertVersionNum());
  } else if (rules.ShouldMergeBranches(heads_)) {
    std::vector<std::string> from = rules.MergeFrom(heads_);
    std::string to = step.to_revisions.at(0);
    for (size_t i = 0; i + 1 < from.size(); ++i) erase(from[i]);
    update(from.back(), to);
  } else if (rules.ShouldUnmergeBranches(heads_)) {
    std::vector<std::string> to = rules.UnmergeTo(heads_);
    std::string from = step.from_revisions.at(0);
    for (size_t i = 0; i + 1 < to.size(); ++i) insert(to[i]);
    update(from, to.back());
  } else {
    auto [from, to] = rules.UpdateVersionNum(heads_);
    update(from, to);
  }
  return changes;
}

}  // namespace retort::graph
