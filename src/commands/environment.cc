#include "commands/environment.h"

#include "retort/error.h"

namespace retort::commands {

script::ScriptDirectory LoadScripts(const Config& config) {
  return script::ScriptDirectory::Load(config);
}

runtime::RunOptions MakeRunOptions(const MigrateOptions& options, const LogFn& log,
                                   const StepRegistry* steps) {
  runtime::RunOptions run;
  run.offline = options.sql;
  run.sql_out = options.sql_out;
  run.tag = options.tag;
  run.log = log;
  run.steps = steps;
  return run;
}

std::pair<std::string, std::string> SplitRange(const std::string& argument, bool offline) {
  auto colon = argument.find(':');
  if (colon == std::string::npos) return {"", argument};
  if (!offline) throw Error("Range revision not allowed");
  return {argument.substr(0, colon), argument.substr(colon + 1)};
}

std::vector<std::string> ResolveStart(const graph::RevisionMap& map, const std::string& from) {
  std::vector<std::string> heads;
  if (from.empty() || from == "base") return heads;
  for (const graph::Revision* revision : map.GetRevisions(from)) {
    if (revision != nullptr) heads.push_back(revision->id);
  }
  return heads;
}

std::vector<std::string> ReadCurrentHeads(const Config& config,
                                          const script::ScriptDirectory& scripts) {
  runtime::MigrationContext context(config, scripts, runtime::RunOptions{});
  return context.CurrentHeads();
}

std::vector<AppliedStep> ToApplied(const std::vector<runtime::AppliedStep>& steps) {
  std::vector<AppliedStep> applied;
  applied.reserve(steps.size());
  for (const runtime::AppliedStep& done : steps) {
    const bool stamp = done.step.kind == graph::Step::Kind::kStamp;
    std::string revision;
    if (!stamp && done.step.revision != nullptr) {
      revision = done.step.revision->id;
    } else if (stamp && !done.step.to_revisions.empty()) {
      revision = done.step.to_revisions.front();
    }
    applied.push_back(AppliedStep{
        .revision = std::move(revision),
        .direction = stamp                  ? AppliedStep::Direction::kStamp
                     : done.step.is_upgrade ? AppliedStep::Direction::kUpgrade
                                            : AppliedStep::Direction::kDowngrade,
        .description = done.step.Describe(),
        .duration = done.duration,
    });
  }
  return applied;
}

}  // namespace retort::commands
