// Tables, columns and table comments.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen::internal {
namespace {

template <typename T>
std::vector<T> OnTable(const std::vector<T>& items, const std::string& table) {
  std::vector<T> out;
  for (const T& item : items) {
    if (item.table == table) out.push_back(item);
  }
  return out;
}

// Everything of `table` in `side`, foreign keys left to the caller.
TableDefinition Definition(const schema::Snapshot& side, const std::string& table) {
  TableDefinition d;
  for (const auto& t : side.tables) {
    if (t.name == table) d.table = t;
  }
  d.columns = OnTable(side.columns, table);
  std::stable_sort(d.columns.begin(), d.columns.end(),
                   [](const auto& a, const auto& b) { return a.position < b.position; });
  for (const auto& k : side.primary_keys) {
    if (k.table == table) d.primary_key = k;
  }
  d.unique_constraints = OnTable(side.unique_constraints, table);
  d.checks = OnTable(side.checks, table);
  d.indexes = OnTable(side.indexes, table);
  d.triggers = OnTable(side.triggers, table);
  return d;
}

// The order to create `tables` of `side` in, referenced tables first, and
// each one's foreign keys: inline in CREATE TABLE when what they reference
// exists by then (itself, a table created before it, or a surviving table
// whose key stays put), the rest returned as `deferred`.
struct CreationPlan {
  std::vector<TableDefinition> tables;
  std::vector<schema::ForeignKey> deferred;
};

CreationPlan PlanCreation(const Context& ctx, const schema::Snapshot& side,
                          const std::set<std::string>& tables) {
  CreationPlan plan;
  std::set<std::string> done;
  std::vector<std::string> remaining(tables.begin(), tables.end());
  auto pending_targets = [&](const std::string& table) {
    std::set<std::string> out;
    for (const auto& f : side.foreign_keys) {
      if (f.table == table && f.referenced_table != table && tables.contains(f.referenced_table) &&
          !done.contains(f.referenced_table)) {
        out.insert(f.referenced_table);
      }
    }
    return out;
  };
  while (!remaining.empty()) {
    auto ready = std::find_if(remaining.begin(), remaining.end(),
                              [&](const std::string& t) { return pending_targets(t).empty(); });
    // A cycle: break it at the first table, its foreign keys into the
    // cycle come later.
    if (ready == remaining.end()) ready = remaining.begin();
    std::string table = *ready;
    remaining.erase(ready);
    TableDefinition definition = Definition(side, table);
    for (const auto& f : side.foreign_keys) {
      if (f.table != table) continue;
      bool inline_ok = f.referenced_table == table || done.contains(f.referenced_table) ||
                       (!tables.contains(f.referenced_table) &&
                        StableKey(ctx, f.referenced_table, f.referenced_columns));
      if (inline_ok) {
        definition.foreign_keys.push_back(f);
      } else {
        plan.deferred.push_back(f);
      }
    }
    done.insert(table);
    plan.tables.push_back(std::move(definition));
  }
  return plan;
}

std::string Shape(const std::vector<schema::Column>& columns) {
  std::vector<std::string> parts;
  for (const auto& c : columns) parts.push_back(c.name + " " + c.type);
  std::sort(parts.begin(), parts.end());
  return fmt::format("{}", fmt::join(parts, ","));
}

void CreateAndDropTables(Context& ctx) {
  CreationPlan created = PlanCreation(ctx, ctx.to, ctx.created_tables);
  for (auto& d : created.tables) ctx.Add(kCreateTables, CreateTable{std::move(d)});
  for (auto& f : created.deferred) ctx.Add(kAddForeignKeys, AddForeignKey{std::move(f)});
  // Dropped in the reverse of the order the downgrade recreates them.
  CreationPlan dropped = PlanCreation(ctx, ctx.renamed, ctx.dropped_tables);
  for (auto& f : dropped.deferred) ctx.Add(kDropForeignKeys, DropForeignKey{std::move(f)});
  for (auto it = dropped.tables.rbegin(); it != dropped.tables.rend(); ++it) {
    ctx.Add(kDropTables, DropTable{std::move(*it)});
  }
  // Same columns under another name: maybe a rename nobody hinted.
  for (const auto& old_table : ctx.dropped_tables) {
    std::string old_shape = Shape(OnTable(ctx.renamed.columns, old_table));
    for (const auto& new_table : ctx.created_tables) {
      if (Shape(OnTable(ctx.to.columns, new_table)) == old_shape) {
        ctx.warnings.push_back(fmt::format(
            "table '{}' was removed and '{}' added with the same columns: if this is a rename, "
            "add '-- retort:renamed-from {}' to '{}'",
            old_table, new_table, old_table, new_table));
      }
    }
  }
}

bool IsGenerated(const std::optional<std::string>& default_value) {
  return default_value && default_value->rfind("GENERATED ALWAYS AS (", 0) == 0;
}

void CompareColumns(Context& ctx, const std::string& table) {
  std::vector<schema::Column> from = OnTable(ctx.renamed.columns, table);
  std::vector<schema::Column> to = OnTable(ctx.to.columns, table);
  std::map<std::string, const schema::Column*> old_by_name;
  for (const auto& c : from) old_by_name[c.name] = &c;
  std::set<std::string> new_names;
  // A replaced column is dropped before its new self is added.
  std::vector<Operation> replaced, adds, alters, drops;
  std::vector<const schema::Column*> added, dropped;
  for (const auto& c : to) {
    new_names.insert(c.name);
    auto found = old_by_name.find(c.name);
    if (found == old_by_name.end()) {
      adds.push_back(AddColumn{c});
      added.push_back(&c);
      continue;
    }
    const schema::Column& old = *found->second;
    if (old == c) continue;
    // A generated column's expression cannot be altered: replace it.
    if (old.default_value != c.default_value &&
        (IsGenerated(old.default_value) || IsGenerated(c.default_value))) {
      replaced.push_back(DropColumn{old});
      adds.push_back(AddColumn{c});
      ctx.reshaped_tables.insert(table);
      continue;
    }
    if (old.type != c.type) ctx.reshaped_tables.insert(table);
    alters.push_back(AlterColumn{old, c});
  }
  for (const auto& c : from) {
    if (!new_names.contains(c.name)) {
      drops.push_back(DropColumn{c});
      dropped.push_back(&c);
      ctx.reshaped_tables.insert(table);
    }
  }
  for (auto* ops : {&replaced, &adds, &alters, &drops}) {
    for (auto& op : *ops) ctx.Add(kColumns, std::move(op));
  }
  for (const auto* old : dropped) {
    for (const auto* now : added) {
      if (old->type == now->type && old->not_null == now->not_null) {
        ctx.warnings.push_back(fmt::format(
            "column '{}.{}' was removed and '{}.{}' added with the same type: if this is a "
            "rename, add '-- retort:renamed-from {}' to '{}'",
            table, old->name, table, now->name, old->name, now->name));
      }
    }
  }
}

}  // namespace

void CompareTables(Context& ctx) {
  CreateAndDropTables(ctx);
  std::map<std::string, const schema::Table*> from;
  for (const auto& t : ctx.renamed.tables) from[t.name] = &t;
  for (const auto& t : ctx.to.tables) {
    auto found = from.find(t.name);
    if (found == from.end()) continue;
    CompareColumns(ctx, t.name);
    if (found->second->comment != t.comment) {
      ctx.Add(kTableComments, SetTableComment{t.name, found->second->comment, t.comment});
    }
  }
}

}  // namespace retort::autogen::internal
