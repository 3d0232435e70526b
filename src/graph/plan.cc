#include "graph/plan.h"

#include <algorithm>

#include "graph/error_context.h"
#include "graph/errors.h"
#include "graph/revision_map_impl.h"

namespace retort::graph {

namespace {

Step MigrationStep(const RevisionMap::Impl& impl, int rev, bool is_upgrade) {
  Step step;
  step.kind = Step::Kind::kMigration;
  step.is_upgrade = is_upgrade;
  step.revision = &impl.revisions[rev];
  // Alembic's from_revisions / to_revisions: the parents with the
  // dependencies no ancestor already declares.
  std::vector<std::string> down = impl.Ids(impl.NormalizedDown(rev));
  if (is_upgrade) {
    step.from_revisions = std::move(down);
    step.to_revisions = {impl.Id(rev)};
  } else {
    step.from_revisions = {impl.Id(rev)};
    step.to_revisions = std::move(down);
  }
  return step;
}

Step StampStep(const RevisionMap::Impl& impl, std::vector<std::string> from,
               std::vector<std::string> to, bool is_upgrade, bool branch_move) {
  Step step;
  step.kind = Step::Kind::kStamp;
  step.is_upgrade = is_upgrade;
  step.branch_move = branch_move;
  const auto& named = is_upgrade ? to : from;
  if (!named.empty()) step.revision = &impl.revisions.at(impl.Key(named.front()));
  step.from_revisions = std::move(from);
  step.to_revisions = std::move(to);
  return step;
}

}  // namespace

std::vector<Step> PlanUpgrade(const RevisionMap& map, std::string_view destination,
                              const std::vector<std::string>& current_heads) {
  const auto& impl = Planner::Of(map);
  ErrorContext context;
  context.revisions = &impl.revisions;
  context.ancestor = "Destination {end} is not a valid upgrade target from current head(s)";
  context.end = std::string(destination);
  context.command = "upgrade";
  return WithRevisionErrors(context, [&] {
    std::vector<int> revs = impl.IterateRevisions(
        Ident::Str(std::string(destination)), Ident::Tuple(current_heads),
        /*implicit_base=*/true, /*inclusive=*/false, /*assert_relative_length=*/true,
        /*select_for_downgrade=*/false);
    std::vector<Step> steps;
    for (auto it = revs.rbegin(); it != revs.rend(); ++it) {
      steps.push_back(MigrationStep(impl, *it, true));
    }
    return steps;
  });
}

std::vector<Step> PlanDowngrade(const RevisionMap& map, std::string_view destination,
                                const std::vector<std::string>& current_heads) {
  const auto& impl = Planner::Of(map);
  ErrorContext context;
  context.revisions = &impl.revisions;
  context.ancestor = "Destination {end} is not a valid downgrade target from current head(s)";
  context.end = std::string(destination);
  context.command = "downgrade";
  return WithRevisionErrors(context, [&] {
    std::vector<int> revs = impl.IterateRevisions(
        Ident::Tuple(current_heads), Ident::Str(std::string(destination)),
        /*implicit_base=*/false, /*inclusive=*/false, /*assert_relative_length=*/true,
        /*select_for_downgrade=*/true);
    std::vector<Step> steps;
    for (int rev : revs) steps.push_back(MigrationStep(impl, rev, false));
    return steps;
  });
}

std::vector<Step> PlanStamp(const RevisionMap& map, const std::vector<std::string>& destinations,
                            const std::vector<std::string>& current_heads, bool purge) {
  const auto& impl = Planner::Of(map);
  ErrorContext context;
  context.revisions = &impl.revisions;
  context.multiple_heads = "Multiple heads are present; please specify a single target revision";
  return WithRevisionErrors(context, [&] {
    // --purge: the caller empties the version table first, so plan from none.
    std::vector<std::string> heads = purge ? std::vector<std::string>{} : current_heads;
    std::vector<int> heads_revs = impl.GetRevisions(Ident::Tuple(heads));
    std::vector<std::string> revision = destinations;
    if (revision.empty()) revision = {"base"};

    std::vector<int> filtered_heads;
    for (const auto& rev : revision) {
      if (rev.empty()) continue;
      for (int head : impl.FilterForLineage(heads_revs, rev, /*include_deps=*/true)) {
        if (std::find(filtered_heads.begin(), filtered_heads.end(), head) == filtered_heads.end()) {
          filtered_heads.push_back(head);
        }
      }
    }
    std::vector<std::string> filtered_ids = impl.Ids(filtered_heads);

    std::vector<int> dests;
    for (int dest : impl.GetRevisions(Ident::Tuple(revision))) {
      if (dest >= 0) dests.push_back(dest);
    }
    if (dests.empty()) dests.push_back(kNoRev);

    std::vector<Step> steps;
    for (int dest : dests) {
      if (dest == kNoRev) {
        // To base: a "delete branch" for every head concerned.
        for (const auto& head : filtered_ids) {
          steps.push_back(StampStep(impl, {head}, {}, false, true));
        }
        continue;
      }
      if (std::find(filtered_heads.begin(), filtered_heads.end(), dest) != filtered_heads.end()) {
        continue;  // already in the version table
      }
      std::vector<char> descendants = impl.Mask(impl.Descendants({dest}, true));
      std::vector<char> ancestors = impl.Mask(impl.Ancestors({dest}, true));
      bool heads_above = false;
      bool heads_below = false;
      for (int head : filtered_heads) {
        heads_above = heads_above || descendants[head];
        heads_below = heads_below || ancestors[head];
      }
      if (heads_above) {
        // Heads are above the target: one downgrade step, a merge if several.
        steps.push_back(StampStep(impl, filtered_ids, {impl.Id(dest)}, false, false));
      } else if (heads_below) {
        steps.push_back(StampStep(impl, filtered_ids, {impl.Id(dest)}, true, false));
      } else {
        // A branch not in the version table: a new row.
        steps.push_back(StampStep(impl, {}, {impl.Id(dest)}, true, true));
      }
    }
    return steps;
  });
}

}  // namespace retort::graph
