#ifndef RETORT_DRIVER_POSTGRES_STATEMENTS_H_
#define RETORT_DRIVER_POSTGRES_STATEMENTS_H_

#include <cstddef>
#include <string_view>
#include <vector>

namespace retort::driver {

// One statement of a script: `offset` is its first character that is neither
// whitespace nor inside a comment, `length` runs up to (not including) the
// ';' that ends it, or to the end of the script.
struct StatementSpan {
  std::size_t offset = 0;
  std::size_t length = 0;

  friend bool operator==(const StatementSpan&, const StatementSpan&) = default;
};

// Splits a PostgreSQL script at the ';' that end statements, as psql does,
// so that each statement runs on its own and a failure can name where it
// starts. A ';' does not end a statement inside 'strings' (with '' escapes),
// E'strings' (with backslash escapes), "identifiers", $$dollar$$ or
// $tag$quoted$tag$ text, -- and nested /* */ comments, parentheses, or the
// BEGIN ... END body of CREATE [OR REPLACE] FUNCTION/PROCEDURE (BEGIN ATOMIC;
// psql's heuristic, CASE ... END counted inside it). Statements that are
// only whitespace and comments are dropped. Unterminated quotes or comments
// run to the end of the script, where the server reports them.
std::vector<StatementSpan> SplitPostgresStatements(std::string_view sql);

}  // namespace retort::driver

#endif  // RETORT_DRIVER_POSTGRES_STATEMENTS_H_
