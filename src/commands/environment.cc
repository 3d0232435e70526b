#include "commands/environment.h"

#include "retort/error.h"

namespace retort::commands {

script::ScriptDirectory LoadScripts(const Config& config) {
  return script::ScriptDirectory::Load(config);
}

runtime::RunOptions MakeRunOptions(const MigrateOptions& options, const Output& out) {
  runtime::RunOptions run;
  run.offline = options.sql;
  run.sql_out = options.sql_out;
  run.tag = options.tag;
  run.log = out.log;
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

std::vector<AppliedMigration> ToApplied(const std::vector<runtime::AppliedStep>& steps) {
  std::vector<AppliedMigration> applied;
  applied.reserve(steps.size());
  for (const runtime::AppliedStep& done : steps) {
    applied.push_back(AppliedMigration{
        .description = done.step.Describe(),
        .is_upgrade = done.step.is_upgrade,
        .is_stamp = done.step.kind == graph::Step::Kind::kStamp,
        .duration = done.duration,
    });
  }
  return applied;
}

}  // namespace retort::commands
