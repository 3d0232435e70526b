#ifndef RETORT_LINT_TRANSACTION_CONTROL_H_
#define RETORT_LINT_TRANSACTION_CONTROL_H_

#include <string>
#include <string_view>
#include <vector>

#include "lint/sql_lexer.h"

namespace retort::lint {

// A statement that begins or ends a transaction: BEGIN, COMMIT, END,
// ROLLBACK (not ROLLBACK TO a savepoint), ABORT, START TRANSACTION,
// PREPARE TRANSACTION. In a transactional revision it would commit (or
// discard) everything the run did so far, behind retort's back: a later
// failure could no longer roll the run back, and the version table would
// disagree with the schema. SAVEPOINT, RELEASE and ROLLBACK TO nest inside
// the run's transaction and are not listed.
//
// Quoted text, comments and dollar-quoted bodies are never statements (a
// plpgsql BEGIN ... END is fine), and the BEGIN ... END of a SQLite
// CREATE TRIGGER or a PostgreSQL BEGIN ATOMIC body is part of its CREATE.
struct TransactionControl {
  int line = 0;           // 1-based line in the file
  std::string statement;  // its leading words as written upper-case: "COMMIT", "START TRANSACTION"
};

std::vector<TransactionControl> FindTransactionControl(const std::vector<Statement>& statements);
// The same for SQL text whose first line is `first_line`.
std::vector<TransactionControl> FindTransactionControl(std::string_view sql, int first_line);

}  // namespace retort::lint

#endif  // RETORT_LINT_TRANSACTION_CONTROL_H_
