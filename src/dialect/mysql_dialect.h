#ifndef RETORT_DIALECT_MYSQL_DIALECT_H_
#define RETORT_DIALECT_MYSQL_DIALECT_H_

#include "dialect/dialect.h"

namespace retort::dialect {

// MySQL and MariaDB: DDL commits on its own (no transactional DDL), so
// offline scripts carry no BEGIN/COMMIT around it, as Alembic's MySQL
// output; `backtick` quoting; the version table DDL in the shape both
// servers accept.
class MysqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "mysql"; }
  bool transactional_ddl() const override { return false; }

  // `name` with embedded backticks doubled (works without ANSI_QUOTES).
  std::string QuoteIdentifier(std::string_view identifier) const override;
  // 'text' with quotes doubled and backslashes doubled: MySQL reads '\' as
  // an escape unless NO_BACKSLASH_ESCAPES is set (retort's own literals are
  // revision ids, checksums and times, which hold neither).
  std::string QuoteLiteral(std::string_view value) const override;
  std::string BeginTransaction() const override { return "START TRANSACTION"; }

 protected:
  bool IsReservedWord(std::string_view lowercase_word) const override;
};

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_MYSQL_DIALECT_H_
