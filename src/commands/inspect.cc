// The read-only commands: current, history, heads, branches, show. They print
// what Alembic prints, line for line (see display.h).
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "commands/display.h"
#include "commands/environment.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

namespace {

void PrintAll(const Output& out, const std::vector<std::string>& lines) {
  for (const std::string& line : lines) out.print(line);
}

}  // namespace

void Current(const Config& config, bool verbose, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  std::vector<std::string> rows = commands::ReadCurrentHeads(config, scripts);
  if (verbose) out.print(fmt::format("Current revision(s) for {}:", config.Url().Redacted()));
  commands::RevisionFormatter formatter(scripts);
  for (const graph::Revision* revision : scripts.map().AllCurrent(rows)) {
    PrintAll(out, formatter.Format(*revision, verbose, commands::LineFormat{}));
  }
}

void History(const Config& config, const std::optional<std::string>& range, bool verbose,
             bool indicate_current, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
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
  if (indicate_current || lower == "current" || upper == "current") {
    rows = commands::ReadCurrentHeads(config, scripts);
  }
  commands::RevisionFormatter formatter(scripts);
  if (indicate_current) formatter.MarkCurrent(rows);
  commands::LineFormat format{
      .include_branches = true, .include_doc = true, .include_parents = true};
  for (const graph::Revision* revision : scripts.map().History(
           lower.empty() ? "base" : lower, upper.empty() ? "heads" : upper, rows)) {
    PrintAll(out, formatter.Format(*revision, verbose, format));
  }
}

void Heads(const Config& config, bool verbose, bool resolve_dependencies, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  std::vector<const graph::Revision*> heads;
  if (resolve_dependencies) {
    heads = map.RealHeads();
  } else {
    for (const graph::Revision& revision : map.revisions()) {
      if (map.Info(revision).is_head) heads.push_back(&revision);
    }
  }
  commands::RevisionFormatter formatter(scripts);
  commands::LineFormat format{.include_branches = true, .tree_indicators = false};
  for (const graph::Revision* revision : heads) {
    PrintAll(out, formatter.Format(*revision, verbose, format));
  }
}

void Branches(const Config& config, bool verbose, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  commands::RevisionFormatter formatter(scripts);
  for (const graph::Revision* revision : map.WalkRevisions()) {
    const graph::RevisionInfo& info = map.Info(*revision);
    if (!info.is_branch_point) continue;
    PrintAll(out, formatter.Format(*revision, verbose, {.include_branches = true}));
    std::string indent(revision->id.size(), ' ');
    for (const std::string& id : info.next_revisions) {
      out.print(fmt::format(
          "{} -> {}", indent,
          formatter.Line(*map.Find(id), {.include_branches = true, .include_doc = verbose})));
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
  commands::RevisionFormatter formatter(scripts);
  for (const graph::Revision* found : shown) {
    if (found != nullptr) PrintAll(out, formatter.Entry(*found));
  }
}

}  // namespace retort
