#ifndef RETORT_COMMANDS_ENVIRONMENT_H_
#define RETORT_COMMANDS_ENVIRONMENT_H_

#include <string>
#include <utility>
#include <vector>

#include "graph/revision_map.h"
#include "retort/commands.h"
#include "retort/config.h"
#include "runtime/migration_context.h"
#include "script/script_directory.h"

namespace retort::commands {

// What every command but init needs: the config's script directory.
script::ScriptDirectory LoadScripts(const Config& config);

// The runtime's options for an online or offline (--sql) run.
runtime::RunOptions MakeRunOptions(const MigrateOptions& options, const Output& out);

// Splits an offline "FROM:TO" argument. Without ':' FROM is empty (base).
// A range is refused online, as Alembic does ("Range revision not allowed").
std::pair<std::string, std::string> SplitRange(const std::string& argument, bool offline);

// The version rows a FROM spec stands for ("base" or empty: none).
std::vector<std::string> ResolveStart(const graph::RevisionMap& map, const std::string& from);

// The database's version rows, read without taking the migration lock.
std::vector<std::string> ReadCurrentHeads(const Config& config,
                                          const script::ScriptDirectory& scripts);

std::vector<AppliedMigration> ToApplied(const std::vector<runtime::AppliedStep>& steps);

}  // namespace retort::commands

#endif  // RETORT_COMMANDS_ENVIRONMENT_H_
