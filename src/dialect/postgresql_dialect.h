#ifndef RETORT_DIALECT_POSTGRESQL_DIALECT_H_
#define RETORT_DIALECT_POSTGRESQL_DIALECT_H_

#include "dialect/dialect.h"

namespace retort::dialect {

// PostgreSQL: transactional DDL; otherwise the base shapes. Present before the
// driver so that offline (`--sql`) scripts already render for it.
class PostgresqlDialect final : public Dialect {
 public:
  std::string_view name() const override { return "postgresql"; }
  bool transactional_ddl() const override { return true; }
};

}  // namespace retort::dialect

#endif  // RETORT_DIALECT_POSTGRESQL_DIALECT_H_
