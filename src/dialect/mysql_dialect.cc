#include "dialect/mysql_dialect.h"

#include <algorithm>
#include <array>

namespace retort::dialect {
namespace {

// Words MySQL 8 and MariaDB reserve beyond SQLAlchemy's common list, which
// a version or history table name could plausibly be (SQLAlchemy's MySQL
// identifier preparer quotes them too).
constexpr std::array<std::string_view, 16> kMysqlReserved = {
    "change", "database", "databases", "delayed", "index",  "key",    "keys",  "lock",
    "match",  "rank",     "range",     "read",    "schema", "status", "write", "groups"};

}  // namespace

std::string MysqlDialect::QuoteIdentifier(std::string_view identifier) const {
  std::string quoted = "`";
  for (char c : identifier) {
    quoted += c;
    if (c == '`') quoted += '`';
  }
  return quoted + "`";
}

std::string MysqlDialect::QuoteLiteral(std::string_view value) const {
  std::string quoted = "'";
  for (char c : value) {
    quoted += c;
    if (c == '\'' || c == '\\') quoted += c;
  }
  return quoted + "'";
}

bool MysqlDialect::IsReservedWord(std::string_view lowercase_word) const {
  return Dialect::IsReservedWord(lowercase_word) ||
         std::find(kMysqlReserved.begin(), kMysqlReserved.end(), lowercase_word) !=
             kMysqlReserved.end();
}

}  // namespace retort::dialect
