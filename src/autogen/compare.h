#ifndef RETORT_AUTOGEN_COMPARE_H_
#define RETORT_AUTOGEN_COMPARE_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "autogen/operation.h"
#include "schema/snapshot.h"

namespace retort::autogen {

// Renames the declared schema asks for with `-- retort:renamed-from OLD`
// comments (see rename_hints.h). Keys are the new names.
struct RenameHints {
  std::map<std::string, std::string> tables;  // new table -> old table
  // (table as declared, new column) -> old column
  std::map<std::pair<std::string, std::string>, std::string> columns;
};

struct Comparison {
  // In an order that can be executed as written: types and sequences before
  // the tables that use them; constraints, indexes, views and triggers
  // dropped before what they depend on and created after it. Reverse() of
  // the list is then executable too.
  std::vector<Operation> operations;
  // Advice for the reviewer that is not an operation, e.g. "table 'people'
  // was removed and 'persons' added with the same columns: if this is a
  // rename, add '-- retort:renamed-from people' to 'persons'".
  std::vector<std::string> warnings;
};

// What turns a database shaped like `from` into one shaped like `to` (both
// of the same dialect, already filtered by include/exclude_tables). An
// unchanged object yields nothing: types, defaults and definitions compare
// as the database normalised them. Pure: no I/O.
Comparison Compare(const schema::Snapshot& from, const schema::Snapshot& to,
                   const RenameHints& hints = {});

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_COMPARE_H_
