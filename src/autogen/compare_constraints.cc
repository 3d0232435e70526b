// Primary keys, unique and check constraints, indexes and foreign keys of
// the tables on both sides (a created or dropped table carries its own).
// A changed definition is a drop and a create: PostgreSQL alters none of
// them in place.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen::internal {
namespace {

std::string Joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += item + "\x1f";
  return out;
}

// Identity of each kind, as schema::Diff keys them (SQLite keeps no
// constraint names, so unnamed ones are known by their columns).
std::string KeyOf(const schema::PrimaryKey& k) { return k.table; }
std::string KeyOf(const schema::UniqueConstraint& u) {
  return u.table + "\x1e" + (u.name.empty() ? Joined(u.columns) : u.name);
}
std::string KeyOf(const schema::CheckConstraint& c) {
  return c.table + "\x1e" + (c.name.empty() ? c.expression : c.name);
}
std::string KeyOf(const schema::Index& i) { return i.table + "\x1e" + i.name; }
std::string KeyOf(const schema::ForeignKey& f) {
  return f.table + "\x1e" +
         (f.name.empty()
              ? Joined(f.columns) + f.referenced_table + "\x1e" + Joined(f.referenced_columns)
              : f.name);
}

template <typename T>
struct Changes {
  std::vector<T> dropped, added;
};

// Objects of tables present on both sides that differ: the old ones to drop
// and the new ones to add.
template <typename T>
Changes<T> Differences(const Context& ctx, const std::vector<T>& from, const std::vector<T>& to) {
  std::set<std::string> tables_to;
  for (const auto& t : ctx.to.tables) tables_to.insert(t.name);
  auto surviving = [&](const std::string& table) {
    return tables_to.contains(table) && !ctx.created_tables.contains(table) &&
           !ctx.dropped_tables.contains(table);
  };
  std::map<std::string, const T*> old_by_key, new_by_key;
  for (const T& item : from) {
    if (surviving(item.table)) old_by_key[KeyOf(item)] = &item;
  }
  for (const T& item : to) {
    if (surviving(item.table)) new_by_key[KeyOf(item)] = &item;
  }
  Changes<T> changes;
  for (const auto& [key, item] : old_by_key) {
    auto found = new_by_key.find(key);
    if (found == new_by_key.end() || !(*found->second == *item)) changes.dropped.push_back(*item);
  }
  for (const auto& [key, item] : new_by_key) {
    auto found = old_by_key.find(key);
    if (found == old_by_key.end() || !(*found->second == *item)) changes.added.push_back(*item);
  }
  return changes;
}

// Dropped and added objects of one table alike but for their name: a
// rename on PostgreSQL (ALTER ... RENAME keeps the foreign keys that lean
// on a key, where drop and add would have to move them too).
template <typename T>
std::vector<std::pair<T, T>> TakeRenames(const Context& ctx, Changes<T>& changes) {
  std::vector<std::pair<T, T>> renames;
  if (ctx.to.dialect != "postgresql") return renames;
  for (auto old = changes.dropped.begin(); old != changes.dropped.end();) {
    auto now = std::find_if(changes.added.begin(), changes.added.end(), [&](const T& added) {
      T renamed = *old;
      renamed.name = added.name;
      return !old->name.empty() && !added.name.empty() && renamed == added;
    });
    if (now == changes.added.end()) {
      ++old;
      continue;
    }
    renames.emplace_back(*old, *now);
    changes.added.erase(now);
    old = changes.dropped.erase(old);
  }
  return renames;
}

template <typename T>
void AddConstraintRenames(Context& ctx, Changes<T>& changes) {
  for (const auto& [old, now] : TakeRenames(ctx, changes)) {
    ctx.Add(kRenames, RenameConstraint{now.table, old.name, now.name});
  }
}

}  // namespace

void CompareConstraints(Context& ctx) {
  auto keys = Differences(ctx, ctx.renamed.primary_keys, ctx.to.primary_keys);
  auto uniques = Differences(ctx, ctx.renamed.unique_constraints, ctx.to.unique_constraints);
  auto checks = Differences(ctx, ctx.renamed.checks, ctx.to.checks);
  auto indexes = Differences(ctx, ctx.renamed.indexes, ctx.to.indexes);
  auto fks = Differences(ctx, ctx.renamed.foreign_keys, ctx.to.foreign_keys);
  AddConstraintRenames(ctx, keys);
  AddConstraintRenames(ctx, uniques);
  AddConstraintRenames(ctx, checks);
  AddConstraintRenames(ctx, fks);
  for (const auto& [old, now] : TakeRenames(ctx, indexes)) {
    ctx.Add(kRenames, RenameIndex{now.table, old.name, now.name});
  }

  // A foreign key leans on the key it references: when that key is
  // dropped (or recreated), the foreign key must go first and come back
  // after.
  std::set<std::string> moving_keys;  // table + columns
  for (const auto& k : keys.dropped) moving_keys.insert(k.table + "\x1e" + Joined(k.columns));
  for (const auto& u : uniques.dropped) moving_keys.insert(u.table + "\x1e" + Joined(u.columns));
  std::set<std::string> dropped_fks;
  for (const auto& f : fks.dropped) dropped_fks.insert(KeyOf(f));
  std::map<std::string, const schema::ForeignKey*> new_fks;
  for (const auto& f : ctx.to.foreign_keys) new_fks[KeyOf(f)] = &f;
  for (const auto& f : ctx.renamed.foreign_keys) {
    if (dropped_fks.contains(KeyOf(f)) || ctx.dropped_tables.contains(f.table)) continue;
    if (!moving_keys.contains(f.referenced_table + "\x1e" + Joined(f.referenced_columns))) continue;
    auto now = new_fks.find(KeyOf(f));
    if (now == new_fks.end() || ctx.created_tables.contains(f.table)) continue;
    fks.dropped.push_back(f);
    fks.added.push_back(*now->second);
  }

  for (const auto& f : fks.dropped) ctx.Add(kDropForeignKeys, DropForeignKey{f});
  for (const auto& i : indexes.dropped) ctx.Add(kDropConstraints, DropIndex{i});
  for (const auto& c : checks.dropped) ctx.Add(kDropConstraints, DropCheckConstraint{c});
  for (const auto& u : uniques.dropped) ctx.Add(kDropConstraints, DropUniqueConstraint{u});
  for (const auto& k : keys.dropped) ctx.Add(kDropConstraints, DropPrimaryKey{k});
  for (const auto& k : keys.added) ctx.Add(kAddConstraints, AddPrimaryKey{k});
  for (const auto& u : uniques.added) ctx.Add(kAddConstraints, AddUniqueConstraint{u});
  for (const auto& c : checks.added) ctx.Add(kAddConstraints, AddCheckConstraint{c});
  for (const auto& i : indexes.added) ctx.Add(kAddConstraints, CreateIndex{i});
  for (const auto& f : fks.added) ctx.Add(kAddForeignKeys, AddForeignKey{f});
}

}  // namespace retort::autogen::internal
