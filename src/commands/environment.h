#ifndef RETORT_COMMANDS_ENVIRONMENT_H_
#define RETORT_COMMANDS_ENVIRONMENT_H_

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "graph/revision_map.h"
#include "retort/commands.h"
#include "retort/config.h"
#include "retort/results.h"
#include "retort/step.h"
#include "runtime/migration_context.h"
#include "script/revision_writer.h"
#include "script/script_directory.h"

namespace retort::commands {

using LogFn = std::function<void(const std::string&)>;

// What every command but init needs: the config's script directory.
script::ScriptDirectory LoadScripts(const Config& config);
// The same without reading unchanged files' SQL (the revision cache,
// script/revision_cache.h): for commands that print the graph, and for
// upgrade/downgrade/stamp, whose planner loads what it runs.
script::ScriptDirectory LoadScriptHeaders(const Config& config);

// What `revision` asks the writer for, from its options (no SQL bodies);
// `revision --autogenerate` adds the generated ones.
script::NewRevision ToRequest(const RevisionOptions& options);

// The runtime's options for an online or offline (--sql) run. `steps`:
// the application's C++ steps (nullptr from the CLI).
runtime::RunOptions MakeRunOptions(const MigrateOptions& options, const LogFn& log,
                                   const StepRegistry* steps);

// Splits an offline "FROM:TO" argument. Without ':' FROM is empty (base).
// A range is refused online, as Alembic does ("Range revision not allowed").
std::pair<std::string, std::string> SplitRange(const std::string& argument, bool offline);

// The version row a FROM spec stands for ("base" or empty: none). It must
// name one revision, as in Alembic: several heads throw MultipleHeads.
std::vector<std::string> ResolveStart(const graph::RevisionMap& map, const std::string& from);

// For a command that reads the files and then connects: starts opening the
// database on another thread, to be called before LoadScripts so the two
// overlap (runtime/early_connection.h). Nothing for SQLite, or `offline`.
runtime::EarlyConnection StartConnecting(const Config& config, bool offline = false);

// The database's version rows, read without taking the migration lock. A
// SQLite file that does not exist yet has none, and reading them does not
// create it (`retort current` in the wrong folder must leave no app.db).
std::vector<std::string> ReadCurrentHeads(const Config& config,
                                          const script::ScriptDirectory& scripts,
                                          runtime::EarlyConnection* early = nullptr);

std::vector<AppliedStep> ToApplied(const std::vector<runtime::AppliedStep>& steps);

// A revision as the operations report it; `current`: the version rows.
RevisionInfo Describe(const script::ScriptDirectory& scripts, const graph::Revision& revision,
                      const std::set<std::string>& current);
// Describe() for each (null entries skipped).
std::vector<RevisionInfo> DescribeAll(const script::ScriptDirectory& scripts,
                                      const std::vector<const graph::Revision*>& revisions,
                                      const std::vector<std::string>& rows);
// `heads`: nothing revises them; with `resolve_dependencies`, nothing
// revises or depends on them either.
std::vector<RevisionInfo> HeadsOf(const script::ScriptDirectory& scripts,
                                  bool resolve_dependencies);
// `history -r RANGE` ("[start]:[end]", UsageError otherwise). The version
// rows are read (and is_current set) when `read_current` or the range names
// "current"; only then is `config`'s database opened.
std::vector<RevisionInfo> HistoryOf(const Config& config, const script::ScriptDirectory& scripts,
                                    const std::optional<std::string>& range, bool read_current);

// status's findings (printed by status.cc, returned by retort::Status).
StatusReport GatherStatus(const Config& config, const script::ScriptDirectory& scripts);

// upgrade / downgrade / stamp on loaded scripts: what the CLI commands and
// the library operations (retort/operations.h) share.
// `early`: the connection started while `scripts` loaded (StartConnecting),
// or nullptr.
// `scripts` may come from LoadScriptHeaders: the planner loads the SQL of
// the planned revisions (ScriptDirectory::LoadBodies) before they run.
std::vector<AppliedStep> RunUpgrade(const Config& config, script::ScriptDirectory& scripts,
                                    const std::string& revision, const MigrateOptions& options,
                                    const LogFn& log, const StepRegistry* steps,
                                    runtime::EarlyConnection* early = nullptr);
std::vector<AppliedStep> RunDowngrade(const Config& config, script::ScriptDirectory& scripts,
                                      const std::string& revision, const MigrateOptions& options,
                                      const LogFn& log, const StepRegistry* steps,
                                      runtime::EarlyConnection* early = nullptr);
std::vector<AppliedStep> RunStamp(const Config& config, const script::ScriptDirectory& scripts,
                                  const std::vector<std::string>& revisions, bool purge,
                                  const MigrateOptions& options, const LogFn& log,
                                  runtime::EarlyConnection* early = nullptr);

}  // namespace retort::commands

#endif  // RETORT_COMMANDS_ENVIRONMENT_H_
