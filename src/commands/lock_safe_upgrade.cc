#include "commands/lock_safe_upgrade.h"

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>

#include "autogen/autogenerate.h"
#include "lint/linter.h"

namespace retort::commands {
namespace {

using Statements = std::vector<autogen::RenderedStatement>;

// Every statement a CREATE [UNIQUE] INDEX or DROP INDEX, made CONCURRENTLY;
// nullopt when any statement is something else.
std::optional<Statements> Concurrently(const Statements& statements) {
  Statements out;
  for (const autogen::RenderedStatement& statement : statements) {
    bool found = false;
    for (std::string_view prefix : {"CREATE INDEX ", "CREATE UNIQUE INDEX ", "DROP INDEX "}) {
      if (statement.sql.starts_with(prefix) &&
          !statement.sql.starts_with(std::string(prefix) + "CONCURRENTLY")) {
        std::string sql = statement.sql;
        sql.insert(prefix.size(), "CONCURRENTLY ");
        out.push_back({std::move(sql), statement.comment});
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return out;
}

// Outside a transaction SET lasts for the session: the revision puts it back
// for the revisions that run after it.
Statements WithSessionTimeout(Statements statements) {
  statements.insert(statements.begin(),
                    {"SET lock_timeout = '5s';",
                     "Builds without blocking writes, outside a transaction: a failure can "
                     "leave an INVALID index to drop before running it again"});
  statements.push_back({"RESET lock_timeout;", ""});
  return statements;
}

}  // namespace

LockSafeRevision MakeLockSafe(const std::string& dialect, Statements upgrade,
                              Statements downgrade) {
  LockSafeRevision result{std::move(upgrade), std::move(downgrade), true};
  if (dialect != "postgresql" || result.upgrade.empty()) return result;

  lint::Linter linter(lint::Dialect::kPostgresql);
  std::vector<lint::Finding> findings = linter.LintSql(autogen::SectionText(result.upgrade));
  auto flagged = [&](std::string_view rule) {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const lint::Finding& f) { return f.rule == rule; });
  };

  // Nothing but index statements (so every index is on an existing table):
  // CONCURRENTLY, outside a transaction, both ways.
  if (flagged("create-index-not-concurrently")) {
    std::optional<Statements> up = Concurrently(result.upgrade);
    std::optional<Statements> down = Concurrently(result.downgrade);
    if (up && down) {
      return {WithSessionTimeout(std::move(*up)), WithSessionTimeout(std::move(*down)), false};
    }
  }
  if (flagged("missing-lock-timeout")) {
    result.upgrade.insert(
        result.upgrade.begin(),
        {"SET LOCAL lock_timeout = '5s';",
         "Fail fast rather than queue every query on a locked table behind this revision"});
  }
  return result;
}

}  // namespace retort::commands
