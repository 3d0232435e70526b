// The operations programs call (retort/operations.h): the same code paths as
// the CLI's commands, returning values instead of printing them.
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands/environment.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "retort/operations.h"

namespace retort {
namespace {

// What an operation works on: the configuration (file, or settings for
// embedded migrations) and the parsed revisions.
struct Environment {
  Config config;
  script::ScriptDirectory scripts;
};

Environment FromConfig(const Config& config) { return {config, commands::LoadScripts(config)}; }

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
          ScriptsOf(migrations)};
}

RevisionInfo Describe(const script::ScriptDirectory& scripts, const graph::Revision& revision,
                      const std::set<std::string>& current) {
  const graph::RevisionInfo& info = scripts.map().Info(revision);
  const script::Script& script = scripts.Get(revision);
  return RevisionInfo{
      .id = revision.id,
      .parents = revision.down_revisions,
      .depends_on = revision.dependencies,
      .branch_labels = info.all_branch_labels,
      .message = revision.doc,
      .path = script.path.string(),
      .step = script.step,
      .is_head = info.is_head,
      .is_branch_point = info.is_branch_point,
      .is_merge = info.is_merge_point,
      .is_current = current.contains(revision.id),
  };
}

std::vector<RevisionInfo> DescribeAll(const script::ScriptDirectory& scripts,
                                      const std::vector<const graph::Revision*>& revisions,
                                      const std::vector<std::string>& rows) {
  std::set<std::string> current(rows.begin(), rows.end());
  std::vector<RevisionInfo> infos;
  infos.reserve(revisions.size());
  for (const graph::Revision* revision : revisions) {
    if (revision != nullptr) infos.push_back(Describe(scripts, *revision, current));
  }
  return infos;
}

std::vector<RevisionInfo> CurrentOf(const Environment& env) {
  std::vector<std::string> rows = commands::ReadCurrentHeads(env.config, env.scripts);
  return DescribeAll(env.scripts, env.scripts.map().AllCurrent(rows), rows);
}

std::vector<RevisionInfo> HeadsOf(const script::ScriptDirectory& scripts) {
  std::vector<const graph::Revision*> heads;
  for (const graph::Revision& revision : scripts.map().revisions()) {
    if (scripts.map().Info(revision).is_head) heads.push_back(&revision);
  }
  return DescribeAll(scripts, heads, {});
}

// `config` is read only when the range names "current".
std::vector<RevisionInfo> HistoryOf(const Config& config, const script::ScriptDirectory& scripts,
                                    const std::optional<std::string>& range) {
  std::string lower, upper;
  if (range) {
    auto colon = range->find(':');
    if (colon == std::string::npos) {
      throw UsageError("History range requires [start]:[end], [start]:, or :[end]");
    }
    lower = range->substr(0, colon);
    upper = range->substr(colon + 1);
  }
  std::vector<std::string> rows;
  if (lower == "current" || upper == "current") {
    rows = commands::ReadCurrentHeads(config, scripts);
  }
  return DescribeAll(
      scripts,
      scripts.map().History(lower.empty() ? "base" : lower, upper.empty() ? "heads" : upper, rows),
      rows);
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
  return commands::RunUpgrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options));
}

std::vector<AppliedStep> Upgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                 const std::string& target, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunUpgrade(env.config, env.scripts, target, {}, options.log, &StepsOf(options));
}

std::vector<AppliedStep> Downgrade(const Config& config, const std::string& target,
                                   const Options& options) {
  Environment env = FromConfig(config);
  return commands::RunDowngrade(env.config, env.scripts, target, {}, options.log,
                                &StepsOf(options));
}

std::vector<AppliedStep> Downgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                   const std::string& target, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunDowngrade(env.config, env.scripts, target, {}, options.log,
                                &StepsOf(options));
}

std::vector<AppliedStep> Stamp(const Config& config, const std::vector<std::string>& revisions,
                               const Options& options) {
  Environment env = FromConfig(config);
  return commands::RunStamp(env.config, env.scripts, revisions, false, {}, options.log);
}

std::vector<AppliedStep> Stamp(const std::string& url, const EmbeddedMigrations& migrations,
                               const std::vector<std::string>& revisions, const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::RunStamp(env.config, env.scripts, revisions, false, {}, options.log);
}

std::vector<RevisionInfo> Current(const Config& config, const Options&) {
  return CurrentOf(FromConfig(config));
}

std::vector<RevisionInfo> Current(const std::string& url, const EmbeddedMigrations& migrations,
                                  const Options& options) {
  return CurrentOf(FromEmbedded(url, migrations, options));
}

std::vector<RevisionInfo> Heads(const Config& config) {
  return HeadsOf(commands::LoadScripts(config));
}

std::vector<RevisionInfo> Heads(const EmbeddedMigrations& migrations) {
  return HeadsOf(ScriptsOf(migrations));
}

std::vector<RevisionInfo> History(const Config& config, const std::optional<std::string>& range) {
  return HistoryOf(config, commands::LoadScripts(config), range);
}

std::vector<RevisionInfo> History(const std::string& url, const EmbeddedMigrations& migrations,
                                  const std::optional<std::string>& range) {
  Environment env = FromEmbedded(url, migrations, Options{});
  return HistoryOf(env.config, env.scripts, range);
}

StatusReport Status(const Config& config) {
  Environment env = FromConfig(config);
  return commands::GatherStatus(env.config, env.scripts);
}

StatusReport Status(const std::string& url, const EmbeddedMigrations& migrations,
                    const Options& options) {
  Environment env = FromEmbedded(url, migrations, options);
  return commands::GatherStatus(env.config, env.scripts);
}

}  // namespace retort
