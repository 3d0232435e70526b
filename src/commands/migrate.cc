// upgrade, downgrade, stamp and ensure_version: the commands that change the
// version table. Each plans under the runtime's lock (the Planner callback)
// so that concurrent runs see each other's work.
#include <string>
#include <vector>

#include "commands/environment.h"
#include "graph/plan.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

using commands::LoadScripts;
using commands::MakeRunOptions;

std::vector<AppliedMigration> Upgrade(const Config& config, const std::string& revision,
                                      const MigrateOptions& options, const Output& out) {
  script::ScriptDirectory scripts = LoadScripts(config);
  auto [from, destination] = commands::SplitRange(revision, options.sql);
  runtime::RunOptions run = MakeRunOptions(options, out);
  if (options.sql) run.starting_heads = commands::ResolveStart(scripts.map(), from);
  run.check_integrity = !options.sql;
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  return commands::ToApplied(context.Run([&](const std::vector<std::string>& heads) {
    return graph::PlanUpgrade(map, destination, heads);
  }));
}

std::vector<AppliedMigration> Downgrade(const Config& config, const std::string& revision,
                                        const MigrateOptions& options, const Output& out) {
  script::ScriptDirectory scripts = LoadScripts(config);
  auto [from, destination] = commands::SplitRange(revision, options.sql);
  if (options.sql && revision.find(':') == std::string::npos) {
    throw UsageError("downgrade with --sql requires <fromrev>:<torev>");
  }
  runtime::RunOptions run = MakeRunOptions(options, out);
  if (options.sql) run.starting_heads = commands::ResolveStart(scripts.map(), from);
  run.check_integrity = !options.sql;
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  return commands::ToApplied(context.Run([&](const std::vector<std::string>& heads) {
    return graph::PlanDowngrade(map, destination, heads);
  }));
}

std::vector<AppliedMigration> Stamp(const Config& config, const std::vector<std::string>& revisions,
                                    bool purge, const MigrateOptions& options, const Output& out) {
  script::ScriptDirectory scripts = LoadScripts(config);
  // Offline, each argument may carry the same "FROM:" start, as in Alembic.
  std::vector<std::string> destinations;
  std::optional<std::string> start;
  for (const std::string& argument : revisions) {
    auto [from, destination] = commands::SplitRange(argument, options.sql);
    if (argument.find(':') != std::string::npos) {
      if (start && *start != from) {
        throw UsageError(
            "Stamp operation with --sql only supports a single starting revision at a time");
      }
      start = from;
    }
    destinations.push_back(destination);
  }
  if (purge && options.sql) throw UsageError("Can't use --purge with --sql mode");
  runtime::RunOptions run = MakeRunOptions(options, out);
  run.purge = purge;
  if (options.sql) run.starting_heads = commands::ResolveStart(scripts.map(), start.value_or(""));
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  return commands::ToApplied(context.Run([&](const std::vector<std::string>& heads) {
    return graph::PlanStamp(map, destinations, heads, purge);
  }));
}

void EnsureVersion(const Config& config, const MigrateOptions& options, const Output& out) {
  script::ScriptDirectory scripts = LoadScripts(config);
  runtime::MigrationContext context(config, scripts, MakeRunOptions(options, out));
  context.EnsureVersionTable();
}

}  // namespace retort
