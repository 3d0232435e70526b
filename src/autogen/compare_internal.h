#ifndef RETORT_AUTOGEN_COMPARE_INTERNAL_H_
#define RETORT_AUTOGEN_COMPARE_INTERNAL_H_

// Shared state of one Compare() run, split over compare_*.cc by object kind.

#include <array>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "autogen/compare.h"
#include "autogen/operation.h"
#include "autogen/sql_text.h"
#include "schema/snapshot.h"

namespace retort::autogen::internal {

// Where an operation goes in the result. The order makes the list
// executable, and its reverse too: renames come early (everything after
// uses the new names); what depends on an object is dropped before it and
// created after it.
enum Phase {
  // Before the renames: a view goes as it was written (its text names the
  // old names), and in the downgrade it comes back after the renames back.
  kDropViews,
  kRenames,
  kDropTriggers,
  kDropLateRoutines,  // functions whose SQL-standard body names tables
  kDropForeignKeys,
  kDropConstraints,  // indexes, checks, uniques, primary keys
  kDropPartitions,
  kDropTables,
  kCreateSchemas,  // CREATE SCHEMA, COMMENT ON SCHEMA
  kCreateExtensions,
  kCreateTypes,  // enums, sequences, their changes
  kCreateDomains,
  kCreateRoutines,  // functions and procedures (check_function_bodies off)
  kCreateTables,
  kCreatePartitions,
  kColumns,
  kTableComments,
  kCreateLateRoutines,
  kAddConstraints,
  kAddForeignKeys,
  kCreateTriggers,
  kCreateViews,
  kUnrendered,  // object kinds retort cannot render: comments
  kDropRoutines,
  kDropDomains,
  kDropTypes,
  kDropExtensions,
  kDropSchemas,  // once everything in them is gone
  kPhaseCount
};

struct Context {
  const schema::Snapshot& from;
  const schema::Snapshot& to;
  const RenameHints& hints;

  // `from` with renamed tables, columns and sequences under their new
  // names: what the database looks like after the renames.
  schema::Snapshot renamed{};
  std::map<std::string, std::string> table_renames{};  // old -> new
  // (new table, old column) -> new column
  std::map<std::pair<std::string, std::string>, std::string> column_renames{};

  std::set<std::string> created_tables{}, dropped_tables{};  // dropped: old names
  std::set<std::pair<std::string, std::string>> added_columns{}, dropped_columns{};  // new names
  // Tables whose columns change in a way views cannot survive (drop, type).
  std::set<std::string> reshaped_tables{};

  std::array<std::vector<Operation>, kPhaseCount> phases{};
  std::vector<std::string> warnings{};

  void Add(Phase phase, Operation op) { phases[phase].push_back(std::move(op)); }
};

// compare.cc
std::string NewTableName(const Context& ctx, const std::string& old_table);
// A key/unique index exists identically on both sides: a foreign key may
// rely on it at any point of the list.
bool StableKey(const Context& ctx, const std::string& table,
               const std::vector<std::string>& columns);

// compare_tables.cc: tables, columns, table comments.
void CompareTables(Context& ctx);
// compare_constraints.cc: keys, uniques, checks, indexes, foreign keys of
// tables on both sides.
void CompareConstraints(Context& ctx);
// compare_types.cc: enums, sequences.
void CompareTypes(Context& ctx);
// compare_views.cc: views and triggers.
void CompareViews(Context& ctx);
// compare_objects.cc: extensions, domains, functions, partitions and the
// kinds retort cannot render (Snapshot::objects).
void CompareObjects(Context& ctx);

}  // namespace retort::autogen::internal

#endif  // RETORT_AUTOGEN_COMPARE_INTERNAL_H_
