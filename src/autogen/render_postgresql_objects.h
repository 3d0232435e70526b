#ifndef RETORT_AUTOGEN_RENDER_POSTGRESQL_OBJECTS_H_
#define RETORT_AUTOGEN_RENDER_POSTGRESQL_OBJECTS_H_

// The PostgreSQL renderer's part for Snapshot::objects (extensions, domains,
// functions, partitions; compare_objects.cc has the order they come in).

#include <string>
#include <vector>

#include "autogen/operation.h"
#include "autogen/render.h"
#include "schema/snapshot.h"

namespace retort::autogen {

// The statements of one ObjectChange. A function or procedure is created or
// replaced between `SET check_function_bodies = off;` and `RESET
// check_function_bodies;`: it comes before the tables (defaults and checks
// may call it) while its LANGUAGE sql body may name them (pg_dump does the
// same). A kind retort cannot render gives one comment line saying so.
std::vector<std::string> ObjectChangeSql(const ObjectChange& change);

// `sql` (the statements of `op`) with the CREATE TABLE of a partitioned
// table ending in its PARTITION BY, as `to` has it.
void AddPartitionKey(const Operation& op, const schema::Snapshot& to,
                     std::vector<std::string>& sql);

// Drops a RESET check_function_bodies directly followed by SET
// check_function_bodies = off: consecutive functions share one.
void MergeFunctionBodySettings(std::vector<RenderedStatement>& statements);

}  // namespace retort::autogen

#endif  // RETORT_AUTOGEN_RENDER_POSTGRESQL_OBJECTS_H_
