// `retort import TOOL ...` (docs/migrating.md): Alembic projects
// (import/alembic_import.h) and the SQL-file tools (import/sql_tool_import.h).
#include <fmt/format.h>

#include "import/alembic_import.h"
#include "import/sql_tool_import.h"
#include "retort/commands.h"
#include "retort/error.h"

namespace retort {

void Import(const ImportOptions& options, const Output& out) {
  if (options.tool == "alembic") {
    import::AlembicImportOptions request;
    request.ini = options.path.value_or("alembic.ini");
    request.section = options.section.value_or("alembic");
    request.dialect = options.dialect;
    request.into = options.into;
    import::AlembicImportReport report = import::ImportAlembic(request);
    for (const std::string& line : import::ReportLines(report)) out.print(line);
    if (!report.needs_hand.empty() && !options.allow_partial) {
      throw Error(fmt::format(
          "{} of {} revisions could not be rendered and refuse to run until written by hand "
          "(listed above; the project was written to {}); pass --allow-partial to accept this",
          report.needs_hand.size(), report.revisions, report.into.string()));
    }
    return;
  }
  std::optional<import::SqlTool> tool = import::ParseSqlTool(options.tool);
  if (!tool) {
    throw UsageError(fmt::format(
        "Unknown tool '{}' for import (expected alembic, dbmate, golang-migrate, flyway or goose)",
        options.tool));
  }
  if (!options.path) {
    throw UsageError(
        fmt::format("retort import {} needs the tool's migrations folder: retort "
                    "import {} DIR",
                    options.tool, options.tool));
  }
  import::SqlToolImportRequest request;
  request.tool = *tool;
  request.source = *options.path;
  if (options.into) request.into = *options.into;
  request.url = options.url;
  request.tool_table = options.tool_table;
  request.log = out.log;
  import::SqlToolImportReport report = import::ImportSqlTool(request);
  for (const std::string& line : import::ReportLines(*tool, report)) out.print(line);
}

}  // namespace retort
