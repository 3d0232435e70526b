#include "commands/environment.h"

#include <filesystem>

#include "retort/error.h"

namespace retort::commands {

script::ScriptDirectory LoadScripts(const Config& config) {
  return script::ScriptDirectory::Load(config);
}

script::ScriptDirectory LoadScriptHeaders(const Config& config) {
  return script::ScriptDirectory::Load(config, script::ScriptDirectory::Bodies::kHeaders);
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
  // One revision, as Alembic's get_revision(starting_rev): `heads:base`
  // with several heads is refused ("Multiple head revisions are present
  // for given argument 'heads'; ...") rather than scripted from all of them.
  if (const graph::Revision* revision = map.GetRevision(from)) heads.push_back(revision->id);
  return heads;
}

runtime::EarlyConnection StartConnecting(const Config& config, bool offline) {
  return offline ? runtime::EarlyConnection() : runtime::EarlyConnection::Start(config);
}

std::vector<std::string> ReadCurrentHeads(const Config& config,
                                          const script::ScriptDirectory& scripts,
                                          runtime::EarlyConnection* early) {
  const DatabaseUrl url = config.Url();
  if (url.backend() == DatabaseUrl::Backend::kSqlite && !url.in_memory() &&
      !std::filesystem::exists(url.path())) {
    return {};
  }
  runtime::RunOptions run;
  run.early = early;
  runtime::MigrationContext context(config, scripts, run);
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
      .path = script.path,
      .step = script.step,
      .header = script.header_text,
      .children = info.next_revisions,
      .is_head = info.is_head,
      .is_effective_head = info.is_head && !info.is_real_head,
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

std::vector<RevisionInfo> HeadsOf(const script::ScriptDirectory& scripts,
                                  bool resolve_dependencies) {
  const graph::RevisionMap& map = scripts.map();
  return DescribeAll(scripts, resolve_dependencies ? map.RealHeads() : map.Heads(), {});
}

std::vector<RevisionInfo> HistoryOf(const Config& config, const script::ScriptDirectory& scripts,
                                    const std::optional<std::string>& range, bool read_current) {
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
  if (read_current || lower == "current" || upper == "current") {
    rows = ReadCurrentHeads(config, scripts);
  }
  return DescribeAll(
      scripts,
      scripts.map().History(lower.empty() ? "base" : lower, upper.empty() ? "heads" : upper, rows),
      rows);
}

script::NewRevision ToRequest(const RevisionOptions& options) {
  script::NewRevision request;
  request.message = options.message;
  request.heads = {options.head};
  request.splice = options.splice;
  request.branch_labels = options.branch_labels;
  request.depends_on = options.depends_on;
  request.rev_id = options.rev_id;
  request.version_path = options.version_path;
  return request;
}

}  // namespace retort::commands
