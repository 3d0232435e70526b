// SQLite's table rebuild (https://www.sqlite.org/lang_altertable.html,
// section 7, "Making Other Kinds Of Table Schema Changes") for one table:
//
//   DROP TRIGGER / DROP VIEW       what refers to the table from elsewhere
//   CREATE TABLE _retort_new_t     the new shape, as the declared schema wrote it
//   INSERT INTO _retort_new_t (...) SELECT ... FROM t   every row, renamed columns mapped
//   DROP TABLE t                   its indexes and triggers go with it
//   ALTER TABLE _retort_new_t RENAME TO t
//   CREATE INDEX / CREATE TRIGGER  the table's own, in their new shape
//   CREATE VIEW / CREATE TRIGGER   what was dropped in the first step
//
// The new table is created under a temporary name and renamed, never the old
// one renamed away: with legacy_alter_table off (SQLite's default, and
// retort's), renaming the old table would rewrite the foreign keys of other
// tables to point at the renamed copy. Renaming the new table touches nothing
// else, but SQLite checks every view and trigger of the schema during a
// rename and refuses if one names a missing table; hence the views and
// triggers that refer to the table are dropped before the old table goes and
// created again at the end.
//
// Foreign keys: see render_sqlite.cc, which precedes the first rebuild of a
// referenced table with a guard that PRAGMA foreign_keys is off.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <string>
#include <vector>

#include "autogen/sqlite_rebuild.h"

namespace retort::autogen::sqlite {

std::string TemporaryName(const std::string& table) { return "_retort_new_" + table; }

std::vector<RenderedStatement> RenderRebuild(const Rebuild& rebuild) {
  std::vector<RenderedStatement> out;
  auto add = [&](std::string sql) { out.push_back({Terminated(std::move(sql)), ""}); };

  for (const auto& [name, sql] : rebuild.dependent_triggers) add("DROP TRIGGER " + QuoteName(name));
  for (const auto& [name, sql] : rebuild.dependent_views) add("DROP VIEW " + QuoteName(name));

  const std::string temporary = TemporaryName(rebuild.table);
  if (!rebuild.target_sql.empty()) {
    add(WithCreatedName(rebuild.target_sql, temporary));
  } else {
    TableDefinition renamed = rebuild.target;
    renamed.table.name = temporary;
    add(CreateTableSql(renamed));
  }
  if (!rebuild.copied_columns.empty()) {
    std::vector<std::string> to, from;
    for (const auto& [new_column, old_column] : rebuild.copied_columns) {
      to.push_back(QuoteName(new_column));
      from.push_back(QuoteName(old_column));
    }
    add(fmt::format("INSERT INTO {} ({}) SELECT {} FROM {}", QuoteName(temporary),
                    fmt::join(to, ", "), fmt::join(from, ", "), QuoteName(rebuild.table)));
  }
  add("DROP TABLE " + QuoteName(rebuild.table));
  add(fmt::format("ALTER TABLE {} RENAME TO {}", QuoteName(temporary), QuoteName(rebuild.table)));
  for (const schema::Index& index : rebuild.target.indexes) add(CreateIndexSql(index));
  for (const schema::Trigger& trigger : rebuild.target.triggers) add(CreateTriggerSql(trigger));
  for (const auto& [name, sql] : rebuild.dependent_views) add(sql);
  for (const auto& [name, sql] : rebuild.dependent_triggers) add(sql);

  if (!rebuild.destructive_reasons.empty() && !out.empty()) {
    out.front().comment =
        fmt::format("DESTRUCTIVE: {}", fmt::join(rebuild.destructive_reasons, "; "));
  }
  return out;
}

}  // namespace retort::autogen::sqlite
