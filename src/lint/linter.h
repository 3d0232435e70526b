#ifndef RETORT_LINT_LINTER_H_
#define RETORT_LINT_LINTER_H_

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "script/script.h"

namespace retort::lint {

enum class Dialect { kSqlite, kPostgresql, kMysql };

// One problem in a revision's upgrade section.
struct Finding {
  std::string revision;        // revision id (empty for LintSql)
  std::filesystem::path file;  // the revision file (empty for LintSql)
  int line = 0;                // 1-based line in the file
  std::string rule;            // e.g. "drop-column"
  std::string message;         // one line, names the table / column

  friend bool operator==(const Finding&, const Finding&) = default;
};

// What each rule checks, for docs and `--help`.
struct RuleInfo {
  std::string_view name;
  bool postgresql_only;
  std::string_view summary;
  bool mysql_only = false;
};
const std::vector<RuleInfo>& Rules();

// Flags destructive and (on PostgreSQL and MySQL) lock-heavy statements. A finding is
// silenced by a comment `-- retort:allow RULE [RULE...]` (or `/* ... */`)
// on the flagged line, on any earlier line of the same statement, or on the
// line just before the statement; `retort:allow all` silences every rule.
//
// Stateful on purpose: the column types declared by earlier revisions are
// remembered, so a later ALTER COLUMN ... TYPE can be recognised as
// narrowing. Feed revisions in upgrade order (oldest first).
class Linter {
 public:
  explicit Linter(Dialect dialect) : dialect_(dialect) {}

  // Lints a revision's upgrade section; findings in line order.
  // transaction-control applies to transactional revisions only.
  std::vector<Finding> Lint(const script::Script& script);
  // Lints SQL text whose first line is `first_line` (revision/file empty),
  // as a transactional revision's.
  std::vector<Finding> LintSql(std::string_view sql, int first_line = 1);

 private:
  Dialect dialect_;
  // "table.column" (lower-case, unqualified) -> declared type ("varchar(255)").
  std::map<std::string, std::string> column_types_;
};

}  // namespace retort::lint

#endif  // RETORT_LINT_LINTER_H_
