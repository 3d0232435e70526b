#ifndef RETORT_AUTOGEN_RENDER_H_
#define RETORT_AUTOGEN_RENDER_H_

#include <string>
#include <vector>

#include "autogen/operation.h"
#include "schema/snapshot.h"

namespace retort::autogen {

// One rendered SQL statement (with its terminating ';') and, when the
// statement comes from a destructive operation, the reason to print above it
// as a comment.
struct RenderedStatement {
  std::string sql;
  std::string comment;  // e.g. "DESTRUCTIVE: drops column users.email and its data"
  bool operator==(const RenderedStatement&) const = default;
};

// SQL that applies `operations` to a database shaped like `from`, leaving it
// shaped like `to` (the snapshots let a renderer recreate what an operation
// does not carry, e.g. SQLite's rebuild needs the whole new table and the
// indexes, views and triggers to restore). Upgrade: Render(ops, target,
// declared); downgrade: Render(Reverse(ops), declared, target).
//
// PostgreSQL: ALTER TABLE and friends, one statement per change.
std::vector<RenderedStatement> RenderPostgresql(const std::vector<Operation>& operations,
                                                const schema::Snapshot& from,
                                                const schema::Snapshot& to);
// SQLite: ADD/DROP/RENAME COLUMN, CREATE/DROP for tables, indexes, views and
// triggers; every other change to a table (type, nullability, default,
// constraints, foreign keys) becomes its documented table rebuild (create the
// new table, copy the rows, drop the old one, rename, recreate its indexes,
// triggers and the views that depend on it), one rebuild per table however
// many changes it has.
std::vector<RenderedStatement> RenderSqlite(const std::vector<Operation>& operations,
                                            const schema::Snapshot& from,
                                            const schema::Snapshot& to);

// MySQL/MariaDB: ALTER TABLE per change, MODIFY COLUMN with the whole new
// column definition; indexes inline in CREATE TABLE (render_mysql.cc).
std::vector<RenderedStatement> RenderMysql(const std::vector<Operation>& operations,
                                           const schema::Snapshot& from,
                                           const schema::Snapshot& to);

// Dispatches on `dialect` ("sqlite", "postgresql" or "mysql").
std::vector<RenderedStatement> Render(const std::string& dialect,
                                      const std::vector<Operation>& operations,
                                      const schema::Snapshot& from, const schema::Snapshot& to);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_RENDER_H_
