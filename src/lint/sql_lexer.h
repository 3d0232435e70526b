#ifndef RETORT_LINT_SQL_LEXER_H_
#define RETORT_LINT_SQL_LEXER_H_

#include <string>
#include <string_view>
#include <vector>

namespace retort::lint {

// One token of SQL text. Quoted text never yields keywords, so a ';' or a
// "DROP TABLE" inside 'strings', "identifiers", $$dollar$$ quotes or
// comments is not mistaken for a statement.
struct Token {
  enum class Kind { kWord, kQuotedIdentifier, kString, kNumber, kSymbol };
  Kind kind = Kind::kSymbol;
  std::string text;  // words upper-cased; identifiers without their quotes
  std::string raw;   // as written (words keep their case)
  int line = 0;      // 1-based line in the file
};

// A -- or /* */ comment: its text without the markers and the lines it spans.
struct Comment {
  std::string text;
  int first_line = 0;
  int last_line = 0;
};

// A statement: its tokens up to (not including) the ';' that ends it.
struct Statement {
  std::vector<Token> tokens;
  int line() const { return tokens.empty() ? 0 : tokens.front().line; }
};

struct LexedSql {
  std::vector<Statement> statements;  // empty statements dropped
  std::vector<Comment> comments;
};

// Tokenizes `sql`, whose first character is on line `first_line`. Handles
// 'strings' ('' escapes), E'strings' (backslash escapes), "identifiers", `identifiers`,
// $tag$dollar quotes$tag$, -- comments and nested /* */ comments. An
// unterminated quote or comment runs to the end (the database reports it).
LexedSql Lex(std::string_view sql, int first_line);

}  // namespace retort::lint

#endif  // RETORT_LINT_SQL_LEXER_H_
