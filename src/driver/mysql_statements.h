#ifndef RETORT_DRIVER_MYSQL_STATEMENTS_H_
#define RETORT_DRIVER_MYSQL_STATEMENTS_H_

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/postgres_statements.h"  // StatementSpan

namespace retort::driver {

// Splits a MySQL/MariaDB script into statements as the `mysql` client does,
// so each runs on its own (the runtime records progress between them) and a
// failure names where it starts. A delimiter does not end a statement inside
// 'strings' or "strings" (backslash and doubled-quote escapes), `identifiers`,
// -- comments (a "--" followed by a space or the end of the line, as MySQL
// requires), # comments or /* */ comments (/*! ... */ included). A line
// `DELIMITER xx` changes the delimiter from ';' (for CREATE PROCEDURE /
// TRIGGER bodies) and is itself not a statement. Statements that are only
// whitespace and comments are dropped. Unterminated quotes or comments run to
// the end of the script, where the server reports them.
std::vector<StatementSpan> SplitMysqlStatements(std::string_view sql);

// Whether MySQL commits the open transaction before running `statement` and
// commits the statement itself (DDL and other "implicit commit" statements:
// CREATE, ALTER, DROP, RENAME, TRUNCATE, GRANT, LOCK TABLES, ...). Anything
// not known to be transactional DML (INSERT, UPDATE, DELETE, REPLACE,
// SELECT, WITH, VALUES, DO, SET) counts as committing, the safe side for
// recording progress.
bool CommitsImplicitly(std::string_view statement);

// `sql` with each `$1`, `$2`, ... outside quotes and comments replaced by
// quote(params[n - 1]) (MySQL's text protocol has no $N; the caller escapes
// with the connection's character set). Throws retort::Error for a $N with
// no parameter.
std::string BindMysqlParameters(std::string_view sql, const std::vector<std::string>& params,
                                const std::function<std::string(const std::string&)>& quote);

}  // namespace retort::driver

#endif  // RETORT_DRIVER_MYSQL_STATEMENTS_H_
