// `retort adopt TOOL` (docs/migrating.md): a database that dbmate,
// golang-migrate, Flyway or goose manages, adopted by a project that
// `retort import TOOL` made (import/sql_tool_import.h).
#include <fmt/format.h>

#include "import/sql_tool_import.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

void Adopt(const Config& config, const std::string& tool,
           const std::optional<std::string>& tool_table, const Output& out) {
  std::optional<import::SqlTool> sql_tool = import::ParseSqlTool(tool);
  if (!sql_tool) {
    throw UsageError(fmt::format(
        "Unknown tool '{}' for adopt (expected dbmate, golang-migrate, flyway or goose; an "
        "Alembic database needs no adopting: its alembic_version table is read as it is)",
        tool));
  }
  import::AdoptionResult result =
      import::AdoptSqlToolDatabase(config, *sql_tool, tool_table, out.log);
  for (const std::string& line : import::AdoptionLines(*sql_tool, result)) out.print(line);
}

}  // namespace retort
