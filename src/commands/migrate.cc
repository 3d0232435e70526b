// upgrade, downgrade, stamp and ensure_version: the commands that change the
// version table. Each plans under the runtime's lock (the Planner callback)
// so that concurrent runs see each other's work.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "commands/environment.h"
#include "graph/plan.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

namespace commands {

namespace {

// The start of an offline range. `current` (as in `current:head --sql`) is
// the database's current revision: read it (Alembic has no such start and
// fails with "Can't locate revision identified by 'current'").
std::vector<std::string> OfflineStart(const Config& config, const script::ScriptDirectory& scripts,
                                      const std::string& from) {
  if (from != "current") return ResolveStart(scripts.map(), from);
  try {
    return ReadCurrentHeads(config, scripts);
  } catch (const Error& e) {
    throw Error(fmt::format(
        "{} (a --sql range starting at 'current' reads the database's current revision; "
        "without the database, give the start revision, e.g. `upgrade <rev>:head --sql`)",
        e.what()));
  }
}

// The revisions whose SQL a plan runs (stamps run none).
std::vector<std::string> RevisionsRun(const std::vector<graph::Step>& plan) {
  std::vector<std::string> ids;
  for (const graph::Step& step : plan) {
    if (step.kind == graph::Step::Kind::kMigration && step.revision != nullptr) {
      ids.push_back(step.revision->id);
    }
  }
  return ids;
}

}  // namespace

std::vector<AppliedStep> RunUpgrade(const Config& config, script::ScriptDirectory& scripts,
                                    const std::string& revision, const MigrateOptions& options,
                                    const LogFn& log, const StepRegistry* steps,
                                    runtime::EarlyConnection* early) {
  auto [from, destination] = SplitRange(revision, options.sql);
  runtime::RunOptions run = MakeRunOptions(options, log, steps);
  run.early = early;
  if (options.sql) run.starting_heads = OfflineStart(config, scripts, from);
  run.check_integrity = !options.sql;
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  // Named, not captured: clang 14 cannot capture a structured binding.
  return ToApplied(context.Run([&, &to = destination](const std::vector<std::string>& heads) {
    std::vector<graph::Step> plan = graph::PlanUpgrade(map, to, heads);
    // Headers-only scripts (LoadScriptHeaders): read the SQL to run now.
    scripts.LoadBodies(RevisionsRun(plan));
    return plan;
  }));
}

std::vector<AppliedStep> RunDowngrade(const Config& config, script::ScriptDirectory& scripts,
                                      const std::string& revision, const MigrateOptions& options,
                                      const LogFn& log, const StepRegistry* steps,
                                      runtime::EarlyConnection* early) {
  auto [from, destination] = SplitRange(revision, options.sql);
  if (options.sql && revision.find(':') == std::string::npos) {
    throw UsageError("downgrade with --sql requires <fromrev>:<torev>");
  }
  runtime::RunOptions run = MakeRunOptions(options, log, steps);
  run.early = early;
  if (options.sql) run.starting_heads = OfflineStart(config, scripts, from);
  run.check_integrity = !options.sql;
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  // Named, not captured: clang 14 cannot capture a structured binding.
  return ToApplied(context.Run([&, &to = destination](const std::vector<std::string>& heads) {
    std::vector<graph::Step> plan = graph::PlanDowngrade(map, to, heads);
    // Headers-only scripts (LoadScriptHeaders): read the SQL to run now.
    scripts.LoadBodies(RevisionsRun(plan));
    return plan;
  }));
}

std::vector<AppliedStep> RunStamp(const Config& config, const script::ScriptDirectory& scripts,
                                  const std::vector<std::string>& revisions, bool purge,
                                  const MigrateOptions& options, const LogFn& log,
                                  runtime::EarlyConnection* early) {
  // Offline, each argument may carry the same "FROM:" start, as in Alembic.
  std::vector<std::string> destinations;
  std::optional<std::string> start;
  for (const std::string& argument : revisions) {
    auto [from, destination] = SplitRange(argument, options.sql);
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
  // A stamp runs no SQL and no step: no registry needed.
  runtime::RunOptions run = MakeRunOptions(options, log, nullptr);
  run.early = early;
  run.purge = purge;
  if (options.sql) run.starting_heads = ResolveStart(scripts.map(), start.value_or(""));
  runtime::MigrationContext context(config, scripts, run);
  const graph::RevisionMap& map = scripts.map();
  return ToApplied(context.Run([&](const std::vector<std::string>& heads) {
    return graph::PlanStamp(map, destinations, heads, purge);
  }));
}

}  // namespace commands

std::vector<AppliedStep> Upgrade(const Config& config, const std::string& revision,
                                 const MigrateOptions& options, const Output& out) {
  runtime::EarlyConnection early = commands::StartConnecting(config, options.sql);
  script::ScriptDirectory scripts = commands::LoadScriptHeaders(config);
  return commands::RunUpgrade(config, scripts, revision, options, out.log, nullptr, &early);
}

std::vector<AppliedStep> Downgrade(const Config& config, const std::string& revision,
                                   const MigrateOptions& options, const Output& out) {
  runtime::EarlyConnection early = commands::StartConnecting(config, options.sql);
  script::ScriptDirectory scripts = commands::LoadScriptHeaders(config);
  return commands::RunDowngrade(config, scripts, revision, options, out.log, nullptr, &early);
}

std::vector<AppliedStep> Stamp(const Config& config, const std::vector<std::string>& revisions,
                               bool purge, const MigrateOptions& options, const Output& out) {
  runtime::EarlyConnection early = commands::StartConnecting(config, options.sql);
  script::ScriptDirectory scripts = commands::LoadScriptHeaders(config);
  return commands::RunStamp(config, scripts, revisions, purge, options, out.log, &early);
}

void EnsureVersion(const Config& config, const MigrateOptions& options, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  runtime::MigrationContext context(config, scripts,
                                    commands::MakeRunOptions(options, out.log, nullptr));
  context.EnsureVersionTable();
}

}  // namespace retort
