#ifndef RETORT_DIALECT_SQLITE_DIALECT_H_
#define RETORT_DIALECT_SQLITE_DIALECT_H_

#include "dialect/dialect.h"

namespace retort::dialect {

// SQLite. Alembic declares its DDL non-transactional (SQLAlchemy's pysqlite
// driver used to commit around DDL), but SQLite itself rolls DDL back, and
// retort relies on that: a failed run leaves the file as it was (SPEC §4).
class SqliteDialect final : public Dialect {
 public:
  std::string_view name() const override { return "sqlite"; }
  bool transactional_ddl() const override { return true; }
};

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_SQLITE_DIALECT_H_
