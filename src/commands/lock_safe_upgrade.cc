#include "commands/lock_safe_upgrade.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <utility>

#include "autogen/autogenerate.h"
#include "lint/linter.h"
#include "lint/sql_lexer.h"
#include "util/strings.h"

namespace retort::commands {
namespace {

using Statements = std::vector<autogen::RenderedStatement>;

// The statement made CONCURRENTLY when it is a CREATE [UNIQUE] INDEX or a
// DROP INDEX; nullopt otherwise.
std::optional<autogen::RenderedStatement> Concurrent(const autogen::RenderedStatement& statement) {
  for (std::string_view prefix : {"CREATE INDEX ", "CREATE UNIQUE INDEX ", "DROP INDEX "}) {
    if (statement.sql.starts_with(prefix) &&
        !statement.sql.starts_with(std::string(prefix) + "CONCURRENTLY")) {
      std::string sql = statement.sql;
      sql.insert(prefix.size(), "CONCURRENTLY ");
      return autogen::RenderedStatement{std::move(sql), statement.comment};
    }
  }
  return std::nullopt;
}

// Every statement made CONCURRENTLY; nullopt when one is not an index
// statement.
std::optional<Statements> AllConcurrent(const Statements& statements) {
  Statements out;
  for (const autogen::RenderedStatement& statement : statements) {
    std::optional<autogen::RenderedStatement> concurrent = Concurrent(statement);
    if (!concurrent) return std::nullopt;
    out.push_back(std::move(*concurrent));
  }
  return out;
}

// Outside a transaction SET lasts for the session: the revision puts it back
// for the revisions that run after it.
Statements WithSessionTimeout(Statements statements) {
  statements.insert(statements.begin(),
                    {"SET lock_timeout = '5s';",
                     "Outside a transaction, a statement at a time: CONCURRENTLY builds and "
                     "VALIDATE CONSTRAINT block no writes; a failed build leaves an INVALID "
                     "index to drop before running this again"});
  statements.push_back({"RESET lock_timeout;", ""});
  return statements;
}

LockSafeRevision ConcurrentRevision(Statements upgrade, Statements downgrade) {
  if (downgrade.empty()) {
    // Only validations: nothing to undo, but an empty downgrade section
    // would make the revision irreversible.
    downgrade.push_back({"SELECT 1;",
                         "Nothing to undo: the constraints validated here go with the "
                         "downgrade of the revision before"});
  } else {
    downgrade = WithSessionTimeout(std::move(downgrade));
  }
  return {WithSessionTimeout(std::move(upgrade)), std::move(downgrade), false};
}

// The statements of `statements` (by position) whose SQL starts on a line a
// finding of `rule` names, as SectionText lays them out from line 1.
std::set<size_t> Flagged(const Statements& statements, const std::vector<lint::Finding>& findings,
                         std::string_view rule) {
  std::set<int> lines;
  for (const lint::Finding& finding : findings) {
    if (finding.rule == rule) lines.insert(finding.line);
  }
  std::set<size_t> flagged;
  int line = 1;
  for (size_t i = 0; i < statements.size(); ++i) {
    if (!statements[i].comment.empty()) {
      line += static_cast<int>(util::Split(statements[i].comment, '\n').size());
    }
    if (lines.contains(line)) flagged.insert(i);
    line +=
        static_cast<int>(std::count(statements[i].sql.begin(), statements[i].sql.end(), '\n')) + 1;
  }
  return flagged;
}

// The statement's tokens (lint's lexer, so quoted names and strings are
// read as SQL reads them).
std::vector<lint::Token> Tokens(const std::string& sql) {
  lint::LexedSql lexed = lint::Lex(sql, 1);
  return lexed.statements.size() == 1 ? lexed.statements.front().tokens
                                      : std::vector<lint::Token>{};
}

bool IsWord(const std::vector<lint::Token>& t, size_t i, std::string_view word) {
  return i < t.size() && t[i].kind == lint::Token::Kind::kWord && t[i].text == word;
}

// A [schema.]name at t[i], as written (quotes kept), and the index after it.
struct Name {
  std::string text, last;  // "billing.invoice", "invoice"
  size_t next = 0;
};
Name ReadName(const std::vector<lint::Token>& t, size_t i) {
  Name name{"", "", i};
  while (i < t.size() && (t[i].kind == lint::Token::Kind::kWord ||
                          t[i].kind == lint::Token::Kind::kQuotedIdentifier)) {
    name.text += t[i].raw;
    name.last = t[i].raw;
    name.next = ++i;
    if (i >= t.size() || t[i].text != ".") break;
    name.text += ".";
    ++i;
  }
  return name;
}

// "CREATE [UNIQUE] INDEX name ON [ONLY] table ..." -> its name and table;
// empty names when the statement is something else.
struct IndexOn {
  std::string name, table;
  bool unique = false;
};
IndexOn ReadIndex(const std::string& sql) {
  std::vector<lint::Token> t = Tokens(sql);
  IndexOn index;
  index.unique = IsWord(t, 1, "UNIQUE");
  size_t i = index.unique ? 2 : 1;
  if (!IsWord(t, 0, "CREATE") || !IsWord(t, i, "INDEX")) return {};
  Name name = ReadName(t, i + 1);
  if (!IsWord(t, name.next, "ON")) return {};
  size_t table = IsWord(t, name.next + 1, "ONLY") ? name.next + 2 : name.next + 1;
  index.name = name.text;
  index.table = ReadName(t, table).text;
  return index;
}

// "ALTER TABLE t ADD CONSTRAINT name FOREIGN KEY/CHECK ...;" (without NOT
// VALID) -> {"t", "name"}, as written (quoted where needed).
struct Constraint {
  std::string table, name;
};
std::optional<Constraint> ReadAddConstraint(const std::string& sql) {
  std::vector<lint::Token> t = Tokens(sql);
  if (!IsWord(t, 0, "ALTER") || !IsWord(t, 1, "TABLE")) return std::nullopt;
  Name table = ReadName(t, 2);
  if (!IsWord(t, table.next, "ADD") || !IsWord(t, table.next + 1, "CONSTRAINT")) {
    return std::nullopt;
  }
  Name name = ReadName(t, table.next + 2);
  if (!IsWord(t, name.next, "FOREIGN") && !IsWord(t, name.next, "CHECK")) return std::nullopt;
  for (size_t i = name.next; i + 1 < t.size(); ++i) {
    if (IsWord(t, i, "NOT") && IsWord(t, i + 1, "VALID")) return std::nullopt;
  }
  return Constraint{table.text, name.text};
}

// A foreign key of the section may need a UNIQUE index of `table`: one
// written in the same revision must stay there, before it.
bool Referenced(const Statements& statements, const std::string& table) {
  return std::any_of(statements.begin(), statements.end(), [&](const auto& statement) {
    std::vector<lint::Token> t = Tokens(statement.sql);
    for (size_t i = 0; i < t.size(); ++i) {
      if (IsWord(t, i, "REFERENCES") && ReadName(t, i + 1).text == table) return true;
    }
    return false;
  });
}

// The downgrade's "DROP INDEX [schema.]name;" of the index `name` (which
// CREATE INDEX writes unqualified).
bool DropsIndex(const autogen::RenderedStatement& statement, const std::string& name) {
  std::vector<lint::Token> t = Tokens(statement.sql);
  if (name.empty() || !IsWord(t, 0, "DROP") || !IsWord(t, 1, "INDEX")) return false;
  Name dropped = ReadName(t, 2);
  return dropped.next == t.size() && dropped.last == name;
}

}  // namespace

std::vector<LockSafeRevision> MakeLockSafe(const std::string& dialect, Statements upgrade,
                                           Statements downgrade, bool split) {
  LockSafeRevision main{std::move(upgrade), std::move(downgrade), true};
  if (dialect != "postgresql" || main.upgrade.empty()) return {std::move(main)};

  std::vector<lint::Finding> findings =
      lint::Linter(lint::Dialect::kPostgresql).LintSql(autogen::SectionText(main.upgrade));
  std::set<size_t> slow_indexes = Flagged(main.upgrade, findings, "create-index-not-concurrently");
  std::set<size_t> validating;
  if (split) {
    validating = Flagged(main.upgrade, findings, "add-foreign-key-without-not-valid");
    validating.merge(Flagged(main.upgrade, findings, "add-check-without-not-valid"));
  }

  if (!slow_indexes.empty() && validating.empty()) {
    std::optional<Statements> up = AllConcurrent(main.upgrade);
    std::optional<Statements> down = AllConcurrent(main.downgrade);
    if (up && down) return {ConcurrentRevision(std::move(*up), std::move(*down))};
  }

  // What moves to the follow-up revision: the indexes whose DROP the
  // downgrade holds, built CONCURRENTLY, and the validation of constraints
  // added NOT VALID here (VALIDATE CONSTRAINT blocks no writes).
  Statements kept, moved_up, moved_down;
  std::set<size_t> moved_drops;
  for (size_t i = 0; i < main.upgrade.size(); ++i) {
    const autogen::RenderedStatement& statement = main.upgrade[i];
    if (validating.contains(i)) {
      if (std::optional<Constraint> added = ReadAddConstraint(statement.sql)) {
        kept.push_back(
            {statement.sql.substr(0, statement.sql.size() - 1) + " NOT VALID;", statement.comment});
        moved_up.push_back(
            {"ALTER TABLE " + added->table + " VALIDATE CONSTRAINT " + added->name + ";", ""});
        continue;
      }
    }
    IndexOn index = split && slow_indexes.contains(i) ? ReadIndex(statement.sql) : IndexOn{};
    if (index.unique && Referenced(main.upgrade, index.table)) index = {};
    const std::string& name = index.name;
    auto drop = std::find_if(main.downgrade.begin(), main.downgrade.end(),
                             [&](const auto& s) { return DropsIndex(s, name); });
    if (name.empty() || drop == main.downgrade.end()) {
      kept.push_back(statement);
      continue;
    }
    moved_up.push_back(*Concurrent(statement));
    // Dropped in the reverse order of creation.
    moved_down.insert(moved_down.begin(), *Concurrent(*drop));
    moved_drops.insert(static_cast<size_t>(drop - main.downgrade.begin()));
  }
  std::vector<LockSafeRevision> revisions;
  if (!moved_up.empty()) {
    Statements kept_down;
    for (size_t i = 0; i < main.downgrade.size(); ++i) {
      if (!moved_drops.contains(i)) kept_down.push_back(main.downgrade[i]);
    }
    main.upgrade = std::move(kept);
    main.downgrade = std::move(kept_down);
    findings = lint::Linter(lint::Dialect::kPostgresql).LintSql(autogen::SectionText(main.upgrade));
    revisions.push_back(ConcurrentRevision(std::move(moved_up), std::move(moved_down)));
  }
  if (std::any_of(findings.begin(), findings.end(),
                  [](const lint::Finding& f) { return f.rule == "missing-lock-timeout"; })) {
    main.upgrade.insert(
        main.upgrade.begin(),
        {"SET LOCAL lock_timeout = '5s';",
         "Fail fast rather than queue every query on a locked table behind this revision"});
  }
  revisions.insert(revisions.begin(), std::move(main));
  return revisions;
}

}  // namespace retort::commands
