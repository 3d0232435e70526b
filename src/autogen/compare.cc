// Compare(): resolves renames, views `from` under the new names, then lets
// each object kind add its operations to the phase it belongs to
// (compare_internal.h); the phases concatenated are the result.
#include "autogen/compare.h"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen {
namespace internal {

std::string NewTableName(const Context& ctx, const std::string& old_table) {
  auto found = ctx.table_renames.find(old_table);
  return found == ctx.table_renames.end() ? old_table : found->second;
}

bool StableKey(const Context& ctx, const std::string& table,
               const std::vector<std::string>& columns) {
  for (const auto& a : ctx.renamed.primary_keys) {
    if (a.table != table || a.columns != columns) continue;
    for (const auto& b : ctx.to.primary_keys)
      if (a == b) return true;
  }
  for (const auto& a : ctx.renamed.unique_constraints) {
    if (a.table != table || a.columns != columns) continue;
    for (const auto& b : ctx.to.unique_constraints)
      if (a == b) return true;
  }
  return false;
}

namespace {

std::string ColumnKey(const std::string& table, const std::string& column) {
  return table + "." + column;
}

// Renames asked for by hints whose old object exists in `from` and whose
// new one is not there already; others are ignored (a stale hint after the
// rename was applied is normal).
void ResolveRenames(Context& ctx) {
  std::set<std::string> from_tables, to_tables;
  for (const auto& t : ctx.from.tables) from_tables.insert(t.name);
  for (const auto& t : ctx.to.tables) to_tables.insert(t.name);
  for (const auto& [new_name, old_name] : ctx.hints.tables) {
    if (to_tables.contains(new_name) && from_tables.contains(old_name) &&
        !from_tables.contains(new_name) && !to_tables.contains(old_name)) {
      ctx.table_renames[old_name] = new_name;
      ctx.Add(kRenames, RenameTable{old_name, new_name});
    }
  }
  std::set<std::string> from_columns, to_columns;
  for (const auto& c : ctx.from.columns)
    from_columns.insert(ColumnKey(NewTableName(ctx, c.table), c.name));
  for (const auto& c : ctx.to.columns) to_columns.insert(ColumnKey(c.table, c.name));
  for (const auto& [key, old_column] : ctx.hints.columns) {
    const auto& [table, new_column] = key;
    if (to_columns.contains(ColumnKey(table, new_column)) &&
        from_columns.contains(ColumnKey(table, old_column)) &&
        !from_columns.contains(ColumnKey(table, new_column)) &&
        !to_columns.contains(ColumnKey(table, old_column))) {
      ctx.column_renames[{table, old_column}] = new_column;
      ctx.Add(kRenames, RenameColumn{table, old_column, new_column});
    }
  }
}

// Column renames of one table, as an identifier map (old -> new).
std::map<std::string, std::string> ColumnMap(const Context& ctx, const std::string& table) {
  std::map<std::string, std::string> out;
  for (const auto& [key, new_column] : ctx.column_renames) {
    if (key.first == table) out[key.second] = new_column;
  }
  return out;
}

std::string NewColumn(const Context& ctx, const std::string& table, const std::string& column) {
  auto found = ctx.column_renames.find({table, column});
  return found == ctx.column_renames.end() ? column : found->second;
}

std::vector<std::string> NewColumns(const Context& ctx, const std::string& table,
                                    std::vector<std::string> columns) {
  for (std::string& column : columns) column = NewColumn(ctx, table, column);
  return columns;
}

// `from` as it reads once the renames ran.
void Translate(Context& ctx) {
  schema::Snapshot s = ctx.from;
  for (auto& t : s.tables) t.name = NewTableName(ctx, t.name);
  for (auto& c : s.columns) {
    c.table = NewTableName(ctx, c.table);
    c.name = NewColumn(ctx, c.table, c.name);
  }
  for (auto& k : s.primary_keys) {
    k.table = NewTableName(ctx, k.table);
    k.columns = NewColumns(ctx, k.table, k.columns);
  }
  for (auto& u : s.unique_constraints) {
    u.table = NewTableName(ctx, u.table);
    u.columns = NewColumns(ctx, u.table, u.columns);
  }
  for (auto& f : s.foreign_keys) {
    f.table = NewTableName(ctx, f.table);
    f.columns = NewColumns(ctx, f.table, f.columns);
    f.referenced_table = NewTableName(ctx, f.referenced_table);
    f.referenced_columns = NewColumns(ctx, f.referenced_table, f.referenced_columns);
  }
  for (auto& c : s.checks) {
    c.table = NewTableName(ctx, c.table);
    c.expression = RenameIdentifiers(c.expression, ColumnMap(ctx, c.table));
  }
  for (auto& i : s.indexes) {
    i.table = NewTableName(ctx, i.table);
    i.definition = RenameIdentifiers(i.definition, ColumnMap(ctx, i.table));
  }
  for (auto& t : s.triggers) {
    std::string old_table = t.table;
    t.table = NewTableName(ctx, t.table);
    if (old_table != t.table) {
      t.definition = RenameIdentifiers(t.definition, {{old_table, t.table}});
    }
  }
  for (auto& q : s.sequences) {
    if (q.owner.empty()) continue;
    size_t dot = q.owner.rfind('.');
    std::string table = NewTableName(ctx, q.owner.substr(0, dot));
    q.owner = ColumnKey(table, NewColumn(ctx, table, q.owner.substr(dot + 1)));
  }
  ctx.renamed = std::move(s);
}

void FindCreatedAndDropped(Context& ctx) {
  std::set<std::string> from_tables, to_tables;
  for (const auto& t : ctx.renamed.tables) from_tables.insert(t.name);
  for (const auto& t : ctx.to.tables) to_tables.insert(t.name);
  for (const auto& t : ctx.to.tables)
    if (!from_tables.contains(t.name)) ctx.created_tables.insert(t.name);
  for (const auto& t : ctx.renamed.tables)
    if (!to_tables.contains(t.name)) ctx.dropped_tables.insert(t.name);
  std::set<std::pair<std::string, std::string>> from_columns, to_columns;
  for (const auto& c : ctx.renamed.columns) from_columns.insert({c.table, c.name});
  for (const auto& c : ctx.to.columns) to_columns.insert({c.table, c.name});
  for (const auto& key : to_columns) {
    if (!from_columns.contains(key) && !ctx.created_tables.contains(key.first))
      ctx.added_columns.insert(key);
  }
  for (const auto& key : from_columns) {
    if (!to_columns.contains(key) && !ctx.dropped_tables.contains(key.first))
      ctx.dropped_columns.insert(key);
  }
}

// Functions are not rendered (Snapshot keeps them so that leftovers show):
// say so rather than stay silent.
void WarnAboutRoutines(Context& ctx) {
  std::map<std::string, std::string> from, to;
  for (const auto& r : ctx.from.routines) from[r.name] = r.definition;
  for (const auto& r : ctx.to.routines) to[r.name] = r.definition;
  for (const auto& [name, definition] : to) {
    auto found = from.find(name);
    if (found == from.end()) {
      ctx.warnings.push_back(fmt::format(
          "function {} is declared but not in the database: autogenerate does not render "
          "functions, add it to the revision by hand",
          name));
    } else if (found->second != definition) {
      ctx.warnings.push_back(fmt::format(
          "function {} differs from the database: autogenerate does not render functions, "
          "change it in the revision by hand",
          name));
    }
  }
  for (const auto& [name, definition] : from) {
    if (!to.contains(name)) {
      ctx.warnings.push_back(fmt::format(
          "function {} is in the database but not declared: autogenerate does not render "
          "functions, drop it in the revision by hand",
          name));
    }
  }
}

}  // namespace
}  // namespace internal

Comparison Compare(const schema::Snapshot& from, const schema::Snapshot& to,
                   const RenameHints& hints) {
  internal::Context ctx{.from = from, .to = to, .hints = hints};
  internal::ResolveRenames(ctx);
  internal::Translate(ctx);
  internal::FindCreatedAndDropped(ctx);
  // Sequence renames rewrite the defaults that name them, so types go first.
  internal::CompareTypes(ctx);
  internal::CompareTables(ctx);
  internal::CompareConstraints(ctx);
  internal::CompareViews(ctx);
  internal::WarnAboutRoutines(ctx);
  internal::CompareObjects(ctx);
  Comparison result;
  for (auto& phase : ctx.phases) {
    for (auto& op : phase) result.operations.push_back(std::move(op));
  }
  result.warnings = std::move(ctx.warnings);
  return result;
}

}  // namespace retort::autogen
