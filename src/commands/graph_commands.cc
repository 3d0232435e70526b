// The graph pictures and guards: `history --graph`, `history --dot`,
// `heads --check`.
#include <fmt/format.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "commands/display.h"
#include "commands/environment.h"
#include "commands/graph_layout.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

void HistoryGraph(const Config& config, const std::optional<std::string>& range,
                  bool indicate_current, bool dot, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  std::string lower = "base", upper = "heads";
  if (range) {
    auto colon = range->find(':');
    if (colon == std::string::npos) {
      throw UsageError("History range requires [start]:[end], [start]:, or :[end]");
    }
    if (colon > 0) lower = range->substr(0, colon);
    if (colon + 1 < range->size()) upper = range->substr(colon + 1);
  }
  std::vector<std::string> rows;
  if (indicate_current || lower == "current" || upper == "current") {
    rows = commands::ReadCurrentHeads(config, scripts);
  }
  std::vector<const graph::Revision*> revisions = map.History(lower, upper, rows);
  std::vector<std::string> lines;
  if (dot) {
    std::set<std::string> current;
    if (indicate_current) {
      for (const graph::Revision* revision : map.AllCurrent(rows)) current.insert(revision->id);
    }
    lines = commands::DotGraph(map, revisions, current);
  } else {
    const std::set<std::string> current(rows.begin(), rows.end());
    commands::LineFormat format{.include_branches = true,
                                .include_doc = true,
                                .tree_indicators = false,
                                .mark_current = indicate_current};
    lines = commands::DrawGraph(map, revisions, [&](const graph::Revision& revision) {
      return commands::RevisionLine(commands::Describe(scripts, revision, current), format);
    });
  }
  for (const std::string& line : lines) out.print(line);
}

void CheckHeads(const Config& config, bool verbose, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  std::vector<const graph::Revision*> heads = map.Heads();
  for (const graph::Revision* head : heads) {
    for (const std::string& line : commands::FormatRevision(
             commands::Describe(scripts, *head, {}), verbose,
             {.include_branches = true, .include_doc = true, .tree_indicators = false})) {
      out.print(line);
    }
  }
  if (heads.size() > 1) {
    throw Error(fmt::format(
        "Multiple head revisions are present ({}); merge them: retort merge heads -m \"merge "
        "heads\"",
        heads.size()));
  }
}

}  // namespace retort
