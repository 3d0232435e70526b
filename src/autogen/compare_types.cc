// Enum types and sequences (PostgreSQL).
#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autogen/compare_internal.h"

namespace retort::autogen::internal {
namespace {

// Columns by "table.column", to find a sequence's owner.
using ColumnIndex = std::map<std::string, const schema::Column*>;

ColumnIndex IndexColumns(const schema::Snapshot& s) {
  ColumnIndex index;
  for (const auto& c : s.columns) index.emplace(c.table + "." + c.name, &c);
  return index;
}

const schema::Column* FindColumn(const ColumnIndex& index, const std::string& key) {
  auto found = index.find(key);
  return found == index.end() ? nullptr : found->second;
}

bool IsIdentity(const schema::Column* column) {
  return column && column->default_value &&
         column->default_value->find("AS IDENTITY") != std::string::npos;
}

// A sequence that lives and dies with a column: created and dropped by the
// CREATE TABLE / ADD COLUMN / identity that owns it, never on its own.
bool GoesWithItsColumn(const Context& ctx, const ColumnIndex& side,
                       const schema::Sequence& sequence) {
  if (sequence.owner.empty()) return false;
  size_t dot = sequence.owner.rfind('.');
  std::string table = sequence.owner.substr(0, dot);
  std::string column = sequence.owner.substr(dot + 1);
  if (ctx.created_tables.contains(table) || ctx.dropped_tables.contains(table)) return true;
  if (ctx.added_columns.contains({table, column}) || ctx.dropped_columns.contains({table, column}))
    return true;
  return IsIdentity(FindColumn(side, sequence.owner));
}

void CompareSequences(Context& ctx) {
  if (ctx.renamed.sequences.empty() && ctx.to.sequences.empty()) return;
  ColumnIndex old_columns = IndexColumns(ctx.renamed), new_columns = IndexColumns(ctx.to);
  std::map<std::string, const schema::Sequence*> from, to;
  for (const auto& s : ctx.renamed.sequences) from[s.name] = &s;
  for (const auto& s : ctx.to.sequences) to[s.name] = &s;
  // A sequence owned by the same column under another name: the table or
  // column was renamed (PostgreSQL keeps the old sequence name). Rename it
  // so that the database matches what a fresh build would name it.
  std::map<std::string, std::string> renames;
  for (const auto& [name, seq] : to) {
    if (seq->owner.empty() || from.contains(name)) continue;
    for (const auto& [old_name, old] : from) {
      if (old->owner == seq->owner && !to.contains(old_name) && !renames.contains(old_name)) {
        renames[old_name] = name;
        ctx.Add(kCreateTypes, AlterSequence{*old, *seq});
        break;
      }
    }
  }
  for (const auto& [old_name, new_name] : renames) {
    // Defaults name the sequence: nextval('old'::regclass).
    std::string before = "'" + old_name + "'::regclass";
    std::string after = "'" + new_name + "'::regclass";
    for (auto& c : ctx.renamed.columns) {
      if (!c.default_value) continue;
      size_t at = c.default_value->find(before);
      if (at != std::string::npos) c.default_value->replace(at, before.size(), after);
    }
  }
  for (const auto& [name, seq] : to) {
    if (renames.count(name)) continue;
    bool renamed_to = std::any_of(renames.begin(), renames.end(),
                                  [&name = name](const auto& r) { return r.second == name; });
    if (renamed_to) continue;
    auto found = from.find(name);
    if (found == from.end()) {
      if (!GoesWithItsColumn(ctx, new_columns, *seq)) ctx.Add(kCreateTypes, CreateSequence{*seq});
    } else if (!(*found->second == *seq)) {
      if (!GoesWithItsColumn(ctx, new_columns, *seq) &&
          !GoesWithItsColumn(ctx, old_columns, *found->second)) {
        ctx.Add(kCreateTypes, AlterSequence{*found->second, *seq});
      }
    }
  }
  for (const auto& [name, seq] : from) {
    if (to.contains(name) || renames.contains(name)) continue;
    if (!GoesWithItsColumn(ctx, old_columns, *seq)) ctx.Add(kDropTypes, DropSequence{*seq});
  }
}

// True when `to` keeps every value of `from` in the same order: PostgreSQL
// can add the new ones in place.
bool OnlyAdds(const std::vector<std::string>& from, const std::vector<std::string>& to) {
  size_t i = 0;
  for (const std::string& value : to) {
    if (i < from.size() && from[i] == value) ++i;
  }
  return i == from.size();
}

// `from` with the values only `to` has, each placed after the value `to`
// puts before it (or first): the type both sides' rows fit.
schema::EnumType WithAddedValues(const schema::EnumType& from, const schema::EnumType& to) {
  schema::EnumType widened = from;
  auto& values = widened.values;
  std::string previous;  // the last value of `to` seen, "" at the start
  for (const std::string& value : to.values) {
    if (std::find(values.begin(), values.end(), value) == values.end()) {
      auto at =
          previous.empty() ? values.begin() : std::find(values.begin(), values.end(), previous) + 1;
      values.insert(at, value);
    }
    previous = value;
  }
  return widened;
}

void CompareEnums(Context& ctx) {
  std::map<std::string, const schema::EnumType*> from, to;
  for (const auto& e : ctx.renamed.enums) from[e.name] = &e;
  for (const auto& e : ctx.to.enums) to[e.name] = &e;
  for (const auto& [name, type] : to) {
    auto found = from.find(name);
    if (found == from.end()) {
      ctx.Add(kCreateTypes, CreateEnum{*type});
    } else if (!(*found->second == *type)) {
      // Added values come before the columns that may use them; a type
      // that loses values is rebuilt after the columns changed, so that
      // dropped columns no longer hold them. A type that does both is two
      // steps: the additions first, the removals late (a new default may
      // name an added value while a column still holds a removed one).
      const schema::EnumType& old_type = *found->second;
      if (OnlyAdds(old_type.values, type->values)) {
        ctx.Add(kCreateTypes, AlterEnum{old_type, *type});
      } else {
        schema::EnumType widened = WithAddedValues(old_type, *type);
        if (!(widened == old_type)) ctx.Add(kCreateTypes, AlterEnum{old_type, widened});
        ctx.Add(kDropTypes, AlterEnum{widened, *type});
      }
      // Views over its columns are not recreated here: adding values
      // needs nothing, and the rebuild that removes values (one of the
      // two directions) drops and recreates the views reading the type
      // itself, when it runs (render_postgresql.cc).
    }
  }
  for (const auto& [name, type] : from) {
    if (!to.contains(name)) ctx.Add(kDropTypes, DropEnum{*type});
  }
}

}  // namespace

void CompareTypes(Context& ctx) {
  CompareEnums(ctx);
  CompareSequences(ctx);
}

}  // namespace retort::autogen::internal
