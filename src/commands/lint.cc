// `retort lint`: runs src/lint's rules over the revisions of a range and
// prints one line per finding (or a JSON array). Findings are an outcome,
// not an error, but a CI must fail on them: the command ends with an
// Error (exit 1) after printing them all.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "commands/environment.h"
#include "lint/linter.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "runtime/display_path.h"
#include "util/json_writer.h"

namespace retort {

namespace {

lint::Dialect ChooseDialect(const Config& config, const std::optional<std::string>& name) {
  if (name) {
    if (*name == "postgresql" || *name == "postgres") return lint::Dialect::kPostgresql;
    if (*name == "sqlite") return lint::Dialect::kSqlite;
    if (*name == "mysql" || *name == "mariadb") return lint::Dialect::kMysql;
    throw UsageError(fmt::format(
        "Unknown dialect '{}' for --dialect (expected sqlite, postgresql or mysql)", *name));
  }
  switch (config.Url().backend()) {
    case DatabaseUrl::Backend::kPostgresql:
      return lint::Dialect::kPostgresql;
    case DatabaseUrl::Backend::kMysql:
      return lint::Dialect::kMysql;
    default:
      return lint::Dialect::kSqlite;
  }
}

}  // namespace

void Lint(const Config& config, const LintOptions& options, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  const graph::RevisionMap& map = scripts.map();
  lint::Dialect dialect = ChooseDialect(config, options.dialect);

  // Which revisions to report: a range as `history -r` takes it, or one
  // revision. Only "current" needs the database.
  std::set<std::string> selected;
  if (!options.range || options.range->empty()) {
    for (const graph::Revision& revision : map.revisions()) selected.insert(revision.id);
  } else if (auto colon = options.range->find(':'); colon != std::string::npos) {
    std::string lower = options.range->substr(0, colon), upper = options.range->substr(colon + 1);
    std::vector<std::string> rows;
    if (lower == "current" || upper == "current")
      rows = commands::ReadCurrentHeads(config, scripts);
    for (const graph::Revision* revision :
         map.History(lower.empty() ? "base" : lower, upper.empty() ? "heads" : upper, rows)) {
      selected.insert(revision->id);
    }
  } else {
    for (const graph::Revision* revision : map.GetRevisions(*options.range)) {
      if (revision != nullptr) selected.insert(revision->id);
    }
  }

  // Oldest first over every revision, so column types declared before the
  // range still let the linter see a narrowing inside it.
  std::vector<const graph::Revision*> walk = map.WalkRevisions();
  std::reverse(walk.begin(), walk.end());
  lint::Linter linter(dialect);
  std::vector<lint::Finding> findings;
  std::set<std::string> flagged_revisions;
  for (const graph::Revision* revision : walk) {
    std::vector<lint::Finding> found = linter.Lint(scripts.Get(*revision));
    if (!selected.contains(revision->id)) continue;
    for (lint::Finding& finding : found) {
      flagged_revisions.insert(finding.revision);
      findings.push_back(std::move(finding));
    }
  }

  if (options.json) {
    out.print("[");
    for (size_t i = 0; i < findings.size(); ++i) {
      const lint::Finding& f = findings[i];
      out.print(fmt::format(
          "  {{\"revision\": {}, \"file\": {}, \"line\": {}, \"rule\": {}, \"message\": {}}}{}",
          util::JsonQuote(f.revision), util::JsonQuote(runtime::DisplayPath(f.file)), f.line,
          util::JsonQuote(f.rule), util::JsonQuote(f.message), i + 1 < findings.size() ? "," : ""));
    }
    out.print("]");
  } else {
    for (const lint::Finding& f : findings) {
      out.print(fmt::format("{}:{}: {}: {} (revision {})", runtime::DisplayPath(f.file), f.line,
                            f.rule, f.message, f.revision));
    }
  }
  if (!findings.empty()) {
    throw Error(
        fmt::format("lint: {} finding{} in {} revision{} (silence one with "
                    "'-- retort:allow RULE' on its line)",
                    findings.size(), findings.size() == 1 ? "" : "s", flagged_revisions.size(),
                    flagged_revisions.size() == 1 ? "" : "s"));
  }
  if (out.log) {
    out.log(fmt::format("lint: no findings in {} revision{}", selected.size(),
                        selected.size() == 1 ? "" : "s"));
  }
}

}  // namespace retort
