// dump: the live database's schema as a declared schema (docs/autogenerate.md,
// "Adopting a database made by hand"). What autogenerate would write as the
// first revision of an empty project whose declared schema is the database:
// the comparison of an empty snapshot with the database's, rendered.
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "autogen/autogenerate.h"
#include "autogen/compare.h"
#include "autogen/render.h"
#include "autogen/table_filter.h"
#include "driver/connection.h"
#include "retort/autogenerate.h"
#include "retort/error.h"
#include "schema/scratch_database.h"
#include "schema/snapshot.h"

namespace retort {

SchemaDump DumpSchema(const Config& config) {
  std::unique_ptr<driver::Connection> target = driver::Connect(config.Url());
  autogen::TableFilter filter = autogen::TableFilter::FromConfig(config, target->CurrentSchema());
  schema::Snapshot live =
      filter.Apply(schema::TakeSnapshot(*target, schema::BookkeepingTables(config)));
  schema::Snapshot empty{.dialect = live.dialect};
  autogen::Comparison comparison = autogen::Compare(empty, live);
  SchemaDump dump;
  std::string dialect(target->dialect());
  // No URL in the file: it is committed, and hosts are nobody's business.
  dump.sql = "-- Declared schema written by `retort dump`: review it, then commit it.\n";
  // Functions first (triggers and defaults name them), as the server
  // deparses them; their bodies are checked when they run, not when they
  // load, as pg_dump has it, so one may name a table created below.
  std::string functions;
  for (const schema::Routine& routine : live.routines) {
    if (routine.definition == "aggregate") {
      dump.warnings.push_back(
          fmt::format("aggregate {} is not dumped: add its CREATE AGGREGATE to the schema by hand",
                      routine.name));
      continue;
    }
    std::string definition = routine.definition;
    while (!definition.empty() && (definition.back() == '\n' || definition.back() == ' ')) {
      definition.pop_back();
    }
    functions += "\n" + definition + ";\n";
  }
  if (!functions.empty()) dump.sql += "\nSET check_function_bodies = false;\n" + functions;
  std::string body =
      autogen::SectionText(autogen::Render(dialect, comparison.operations, empty, live));
  if (!body.empty()) dump.sql += "\n" + body + "\n";
  // The comparison's own notes on functions ("not rendered") are answered
  // above.
  for (const std::string& warning : comparison.warnings) {
    if (warning.rfind("function ", 0) != 0) dump.warnings.push_back(warning);
  }
  return dump;
}

void Dump(const Config& config, const std::optional<std::filesystem::path>& output,
          const Output& out) {
  SchemaDump dump = DumpSchema(config);
  for (const std::string& warning : dump.warnings) {
    if (out.log) out.log("Warning: " + warning);
  }
  if (!output) {
    std::string sql = dump.sql;
    if (!sql.empty() && sql.back() == '\n') sql.pop_back();
    out.print(sql);
    return;
  }
  std::filesystem::path temporary = *output;
  temporary += ".retort-tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << dump.sql;
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw Error(fmt::format("Can't write {}", output->string()));
    }
  }
  std::error_code error;
  std::filesystem::rename(temporary, *output, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    throw Error(fmt::format("Can't write {}", output->string()));
  }
  out.print("Wrote " + output->string());
}

}  // namespace retort
