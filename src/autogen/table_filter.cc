#include "autogen/table_filter.h"

#include <fnmatch.h>

#include <map>
#include <string>
#include <utility>

#include "util/strings.h"

namespace retort::autogen {
namespace {

// The names a table answers to: as the snapshot names it, and the other of
// unqualified / qualified.
std::vector<std::string> NamesOf(const std::string& table, const std::string& default_schema) {
  auto dot = table.rfind('.');
  if (dot != std::string::npos) return {table, table.substr(dot + 1)};
  if (default_schema.empty()) return {table};
  return {table, default_schema + "." + table};
}

// "public.retort_version" and "retort_version" name the same bookkeeping
// table (the same rule schema::TakeSnapshot applies).
bool SameTable(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto last = [](const std::string& name) {
    auto dot = name.rfind('.');
    return dot == std::string::npos ? name : name.substr(dot + 1);
  };
  bool a_qualified = a.find('.') != std::string::npos;
  bool b_qualified = b.find('.') != std::string::npos;
  return a_qualified != b_qualified && last(a) == last(b);
}

template <typename T>
void KeepIf(std::vector<T>& items, const TableFilter& filter) {
  std::erase_if(items, [&](const T& item) { return !filter.Keeps(item.table); });
}

}  // namespace

TableFilter::TableFilter(std::vector<std::string> include, std::vector<std::string> exclude,
                         std::vector<std::string> always_excluded, std::string default_schema)
    : include_(std::move(include)),
      exclude_(std::move(exclude)),
      always_excluded_(std::move(always_excluded)),
      default_schema_(std::move(default_schema)) {}

TableFilter TableFilter::FromConfig(const Config& config, const std::string& default_schema) {
  std::vector<std::string> always{config.version_table(), config.version_table() + "_history"};
  if (!config.version_table_schema().empty()) {
    for (std::string& name : always) name = config.version_table_schema() + "." + name;
  }
  return TableFilter(util::SplitList(config.GetOr("include_tables", ""), ", \t\n"),
                     util::SplitList(config.GetOr("exclude_tables", ""), ", \t\n"),
                     std::move(always), default_schema);
}

bool TableFilter::Matches(const std::vector<std::string>& patterns,
                          const std::string& table) const {
  for (const std::string& name : NamesOf(table, default_schema_)) {
    for (const std::string& pattern : patterns) {
      if (fnmatch(pattern.c_str(), name.c_str(), FNM_CASEFOLD) == 0) return true;
    }
  }
  return false;
}

bool TableFilter::Keeps(const std::string& table) const {
  for (const std::string& bookkeeping : always_excluded_) {
    if (SameTable(bookkeeping, table)) return false;
  }
  if (!include_.empty() && !Matches(include_, table)) return false;
  return !Matches(exclude_, table);
}

std::vector<std::string> TableFilter::ExcludedTables(const schema::Snapshot& snapshot) const {
  std::vector<std::string> excluded;
  for (const schema::Table& table : snapshot.tables) {
    if (!Keeps(table.name)) excluded.push_back(table.name);
  }
  return excluded;
}

schema::Snapshot TableFilter::Apply(const schema::Snapshot& snapshot) const {
  schema::Snapshot kept = snapshot;
  std::erase_if(kept.tables, [&](const schema::Table& table) { return !Keeps(table.name); });
  KeepIf(kept.columns, *this);
  KeepIf(kept.primary_keys, *this);
  KeepIf(kept.unique_constraints, *this);
  KeepIf(kept.indexes, *this);
  KeepIf(kept.foreign_keys, *this);
  KeepIf(kept.checks, *this);
  KeepIf(kept.triggers, *this);
  // A serial or identity column's sequence lives and dies with its table.
  std::erase_if(kept.sequences, [&](const schema::Sequence& sequence) {
    auto dot = sequence.owner.rfind('.');
    return dot != std::string::npos && !Keeps(sequence.owner.substr(0, dot));
  });
  // Partitions (sub-partitions too) and partition keys go with their
  // partitioned table, whatever their own names.
  std::map<std::string, std::string> parents;
  for (const auto& object : kept.objects) {
    if (object.kind == "partition") parents[object.name] = object.parent;
  }
  auto root = [&](std::string table) {
    for (int depth = 0; depth < 100 && parents.contains(table); ++depth) table = parents[table];
    return table;
  };
  std::erase_if(kept.objects, [&](const schema::SchemaObject& object) {
    // A schema is compared when the filter keeps all of it: "other.*" in
    // exclude_tables leaves schema other alone, as include_tables naming
    // other schemas' tables only does.
    if (object.kind == "schema") return !Keeps(object.name + ".*");
    // MySQL triggers and partitioning go with their table.
    if (object.kind == "mysql trigger" || object.kind == "mysql partitioning") {
      return !Keeps(object.parent);
    }
    if (object.kind != "partition" && object.kind != "partition key") return false;
    return !Keeps(root(object.name));
  });
  return kept;
}

}  // namespace retort::autogen
