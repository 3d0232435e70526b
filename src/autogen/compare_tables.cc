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

// The definitions of `tables` in `side` (foreign keys left to the
// caller), built in one pass over the snapshot.
std::map<std::string, TableDefinition> Definitions(const schema::Snapshot& side,
                                                   const std::set<std::string>& tables) {
  std::map<std::string, TableDefinition> out;
  for (const auto& t : side.tables) {
    if (tables.contains(t.name)) out[t.name].table = t;
  }
  auto of = [&](const std::string& table) {
    auto found = out.find(table);
    return found == out.end() ? nullptr : &found->second;
  };
  for (const auto& c : side.columns)
    if (auto* d = of(c.table)) d->columns.push_back(c);
  for (const auto& k : side.primary_keys)
    if (auto* d = of(k.table)) d->primary_key = k;
  for (const auto& u : side.unique_constraints)
    if (auto* d = of(u.table)) d->unique_constraints.push_back(u);
  for (const auto& c : side.checks)
    if (auto* d = of(c.table)) d->checks.push_back(c);
  for (const auto& i : side.indexes)
    if (auto* d = of(i.table)) d->indexes.push_back(i);
  for (const auto& t : side.triggers)
    if (auto* d = of(t.table)) d->triggers.push_back(t);
  for (auto& [name, d] : out) {
    std::stable_sort(d.columns.begin(), d.columns.end(),
                     [](const auto& a, const auto& b) { return a.position < b.position; });
  }
  return out;
}

// The order to create `tables` of `side` in, referenced tables first, and
// each one's foreign keys: inline in CREATE TABLE when what they reference
// exists by then (itself, a table created before it, or a surviving table
// whose key stays put), the rest returned as `deferred`.
struct CreationPlan {
  std::vector<TableDefinition> tables;
  std::vector<schema::ForeignKey> deferred;
};

class CreationPlanner {
 public:
  CreationPlanner(const Context& ctx, const schema::Snapshot& side,
                  const std::set<std::string>& tables)
      : ctx_(ctx), tables_(tables), definitions_(Definitions(side, tables)) {
    for (const auto& f : side.foreign_keys) {
      if (tables.contains(f.table)) foreign_keys_[f.table].push_back(&f);
    }
  }

  CreationPlan Plan() {
    for (const auto& table : tables_) Visit(table);
    return std::move(plan_);
  }

 private:
  enum State { kNew, kVisiting, kDone };

  // Depth first: what a table references is created before it; a table
  // met again while being visited closes a cycle, whose key is deferred.
  void Visit(const std::string& table) {
    if (state_[table] != kNew) return;
    state_[table] = kVisiting;
    for (const auto* f : foreign_keys_[table]) {
      if (f->referenced_table != table && tables_.contains(f->referenced_table))
        Visit(f->referenced_table);
    }
    TableDefinition definition = std::move(definitions_[table]);
    for (const auto* f : foreign_keys_[table]) {
      const std::string& target = f->referenced_table;
      // NOT VALID exists only in ALTER TABLE ... ADD CONSTRAINT.
      bool inline_ok =
          f->valid &&
          (target == table || (tables_.contains(target) && state_[target] == kDone) ||
           (!tables_.contains(target) && StableKey(ctx_, target, f->referenced_columns)));
      if (inline_ok) {
        definition.foreign_keys.push_back(*f);
      } else {
        plan_.deferred.push_back(*f);
      }
    }
    state_[table] = kDone;
    plan_.tables.push_back(std::move(definition));
  }

  const Context& ctx_;
  const std::set<std::string>& tables_;
  std::map<std::string, TableDefinition> definitions_;
  std::map<std::string, std::vector<const schema::ForeignKey*>> foreign_keys_;
  std::map<std::string, State> state_;
  CreationPlan plan_;
};

CreationPlan PlanCreation(const Context& ctx, const schema::Snapshot& side,
                          const std::set<std::string>& tables) {
  return CreationPlanner(ctx, side, tables).Plan();
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
  if (ctx.dropped_tables.empty() || ctx.created_tables.empty()) return;
  std::map<std::string, std::vector<schema::Column>> old_columns, new_columns;
  for (const auto& c : ctx.renamed.columns)
    if (ctx.dropped_tables.contains(c.table)) old_columns[c.table].push_back(c);
  for (const auto& c : ctx.to.columns)
    if (ctx.created_tables.contains(c.table)) new_columns[c.table].push_back(c);
  std::map<std::string, std::string> new_shapes;
  for (const auto& table : ctx.created_tables) new_shapes[table] = Shape(new_columns[table]);
  for (const auto& old_table : ctx.dropped_tables) {
    std::string old_shape = Shape(old_columns[old_table]);
    for (const auto& [new_table, new_shape] : new_shapes) {
      if (new_shape == old_shape) {
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

void CompareColumns(Context& ctx, const std::string& table, const std::vector<schema::Column>& from,
                    const std::vector<schema::Column>& to) {
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
  std::map<std::string, std::vector<schema::Column>> old_columns, new_columns;
  for (const auto& c : ctx.renamed.columns) old_columns[c.table].push_back(c);
  for (const auto& c : ctx.to.columns) new_columns[c.table].push_back(c);
  for (const auto& t : ctx.to.tables) {
    auto found = from.find(t.name);
    if (found == from.end()) continue;
    CompareColumns(ctx, t.name, old_columns[t.name], new_columns[t.name]);
    if (found->second->comment != t.comment) {
      ctx.Add(kTableComments, SetTableComment{t.name, found->second->comment, t.comment});
    }
    if (found->second->unlogged != t.unlogged ||
        !schema::SameStorageOptions(found->second->options, t.options)) {
      ctx.Add(kTableComments, AlterTableOptions{*found->second, t});
    }
  }
}

}  // namespace retort::autogen::internal
