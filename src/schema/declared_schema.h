#ifndef RETORT_SCHEMA_DECLARED_SCHEMA_H_
#define RETORT_SCHEMA_DECLARED_SCHEMA_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "driver/connection.h"
#include "retort/config.h"

namespace retort::schema {

// Runs the declared schema (`schema`: one .sql file, or a folder whose .sql
// files run in name order) on `connection`. Throws retort::Error
// "schema.sql:12: <database message>" for a statement the database refuses,
// and names the path when it is missing or unreadable.
void LoadDeclaredSchema(const std::filesystem::path& schema, driver::Connection& connection);

// Whether the database behind `target` matches the declared schema:
// nullopt when `schema` is not configured; otherwise the declared schema is
// loaded into a scratch database (see ScratchDatabase, always removed), both
// are inspected (the version and history tables left out) and the result is
// Diff(declared, target): empty when they match, else one line per
// difference ("missing in database: column users.email text"). Throws
// retort::Error when the schema cannot be loaded or inspected.
std::optional<std::vector<std::string>> DiffAgainstDeclaredSchema(const Config& config,
                                                                  driver::Connection& target);

}  // namespace retort::schema

#endif  // RETORT_SCHEMA_DECLARED_SCHEMA_H_
