// The read-only commands: current, history, heads, branches, show. They print
// what Alembic prints, line for line (display.h), formatting the values the
// operations return (retort/operations.h).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "commands/display.h"
#include "commands/environment.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "retort/operations.h"

namespace retort {

namespace {

void PrintAll(const Output& out, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) out.print(line);
}

}  // namespace

void Current(const Config& config, bool verbose, const Output& out) {
  std::vector<RevisionInfo> current = Current(config);
  if (verbose) out.print(fmt::format("Current revision(s) for {}:", config.Url().Redacted()));
  for (const RevisionInfo& revision : current) {
    PrintAll(out, commands::FormatRevision(revision, verbose, commands::LineFormat{}));
  }
}

void History(const Config& config, const std::optional<std::string>& range, bool verbose,
             bool indicate_current, const Output& out) {
  commands::LineFormat format{.include_branches = true,
                              .include_doc = true,
                              .include_parents = true,
                              .mark_current = indicate_current};
  for (const RevisionInfo& revision :
       commands::HistoryOf(config, commands::LoadScriptHeaders(config), range, indicate_current)) {
    PrintAll(out, commands::FormatRevision(revision, verbose, format));
  }
}

void Heads(const Config& config, bool verbose, bool resolve_dependencies, const Output& out) {
  commands::LineFormat format{.include_branches = true, .tree_indicators = false};
  for (const RevisionInfo& revision :
       commands::HeadsOf(commands::LoadScriptHeaders(config), resolve_dependencies)) {
    PrintAll(out, commands::FormatRevision(revision, verbose, format));
  }
}

void Branches(const Config& config, bool verbose, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  for (const RevisionInfo& revision : commands::DescribeAll(scripts, map.WalkRevisions(), {})) {
    if (!revision.is_branch_point) continue;
    PrintAll(out, commands::FormatRevision(revision, verbose, {.include_branches = true}));
    std::string indent(revision.id.size(), ' ');
    for (const std::string& id : revision.children) {
      out.print(
          fmt::format("{} -> {}", indent,
                      commands::RevisionLine(commands::Describe(scripts, *map.Find(id), {}),
                                             {.include_branches = true, .include_doc = verbose})));
    }
    out.print("");
  }
}

void Show(const Config& config, const std::string& revision, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  std::vector<const graph::Revision*> shown;
  if (revision == "current") {
    for (const std::string& row : commands::ReadCurrentHeads(config, scripts)) {
      for (const graph::Revision* found : map.GetRevisions(row)) shown.push_back(found);
    }
  } else {
    shown = map.GetRevisions(revision);
  }
  for (const RevisionInfo& info : commands::DescribeAll(scripts, shown, {})) {
    PrintAll(out, commands::RevisionEntry(info, false));
  }
}

}  // namespace retort
