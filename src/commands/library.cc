// The operations programs call (retort/operations.h): the same code paths as
// the CLI's commands, returning values instead of printing them.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "commands/environment.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "retort/operations.h"

namespace retort {
namespace {

// What an operation works on: the configuration (file, or settings for
// embedded migrations), from files the connection opened while they load
// (braced initialisation runs left to right: it starts first), and the
// parsed revisions.
struct Environment {
  Config config;
  runtime::EarlyConnection early;
  script::ScriptDirectory scripts;
};

Environment FromConfig(const Config& config) {
  return {config, commands::StartConnecting(config), commands::LoadScriptHeaders(config)};
}

script::ScriptDirectory ScriptsOf(const EmbeddedMigrations& migrations) {
  std::vector<script::ScriptDirectory::Source> sources;
  sources.reserve(migrations.files.size());
  for (const EmbeddedMigrations::File& file : migrations.files) {
    sources.push_back({std::filesystem::path(file.path), std::string(file.content)});
  }
  return script::ScriptDirectory::FromSources(sources);
}

Environment FromEmbedded(const std::string& url, const EmbeddedMigrations& migrations,
                         const Options& options) {
  return {Config::FromSettings(DatabaseUrl::Parse(url), options.settings, options.connect_wait),
          runtime::EarlyConnection(), ScriptsOf(migrations)};
}

std::vector<RevisionInfo> CurrentOf(Environment& env) {
  std::vector<std::string> rows = commands::ReadCurrentHeads(env.config, env.scripts, &env.early);
  return commands::DescribeAll(env.scripts, env.scripts.map().AllCurrent(rows), rows);
}

const StepRegistry& StepsOf(const Options& options) {
  // No registry is an empty one: a step revision is refused as unregistered.
  static const StepRegistry kNone;
  return options.steps != nullptr ? *options.steps : kNone;
}

}  // namespace

void LogToStderr(const std::string& line) { std::cerr << line << '\n'; }

std::vector<AppliedStep> Upgrade(const Config& config, const std::string& target,
                                 const Options& options) {
  Environment env = FromConfig(config);
  return commands::RunUpgrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options),
                              &env.early);
}

std::vector<AppliedStep> Upgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                 const std::string& target, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunUpgrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options),
                              &env.early);
}

std::vector<AppliedStep> Downgrade(const Config& config, const std::string& target,
                                   const Options& options) {
  Environment env = FromConfig(config);
  return commands::RunDowngrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options),
                                &env.early);
}

std::vector<AppliedStep> Downgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                   const std::string& target, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunDowngrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options),
                                &env.early);
}

std::vector<AppliedStep> Stamp(const Config& config, const std::vector<std::string>& revisions,
                               const Options& options) {
  Environment env = FromConfig(config);
  return commands::RunStamp(env.config, env.scripts, revisions, false, {}, options.log, &env.early);
}

std::vector<AppliedStep> Stamp(const std::string& url, const EmbeddedMigrations& migrations,
                               const std::vector<std::string>& revisions, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunStamp(env.config, env.scripts, revisions, false, {}, options.log, &env.early);
}

std::vector<RevisionInfo> Current(const Config& config, const Options&) {
  Environment env = FromConfig(config);
  return CurrentOf(env);
}

std::vector<RevisionInfo> Current(const std::string& url, const EmbeddedMigrations& migrations,
                                  const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return CurrentOf(env);
}

std::vector<RevisionInfo> Heads(const Config& config) {
  return commands::HeadsOf(commands::LoadScriptHeaders(config), false);
}

std::vector<RevisionInfo> Heads(const EmbeddedMigrations& migrations) {
  return commands::HeadsOf(ScriptsOf(migrations), false);
}

std::vector<RevisionInfo> History(const Config& config, const std::optional<std::string>& range) {
  return commands::HistoryOf(config, commands::LoadScriptHeaders(config), range, false);
}

std::vector<RevisionInfo> History(const std::string& url, const EmbeddedMigrations& migrations,
                                  const std::optional<std::string>& range) {
  Environment env = FromEmbedded(url, migrations, Options{});
  return commands::HistoryOf(env.config, env.scripts, range, false);
}

StatusReport Status(const Config& config) {
  return commands::GatherStatus(config, commands::LoadScripts(config));
}

StatusReport Status(const std::string& url, const EmbeddedMigrations& migrations,
                    const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::GatherStatus(env.config, env.scripts);
}

}  // namespace retort
