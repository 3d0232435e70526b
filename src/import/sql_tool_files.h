#ifndef RETORT_IMPORT_SQL_TOOL_FILES_H_
#define RETORT_IMPORT_SQL_TOOL_FILES_H_

// Reading an SQL-file tool's migrations folder: each tool's file names,
// section markers and version ordering, as the tool itself reads them.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "import/sql_tool_import.h"

namespace retort::import {

// One migration of the tool, as one retort revision.
struct ToolMigration {
  // The version as the tool writes it in its table, normalised for
  // comparison (digits without leading zeros for golang-migrate and goose;
  // Flyway's parts without leading zeros or trailing ".0"; dbmate's string
  // as written). Empty for a Flyway repeatable.
  std::string version;
  // Flyway repeatables: the description; Flyway records them by script.
  bool repeatable = false;
  std::string script;     // the file name the tool records (Flyway)
  std::string id;         // the retort revision id
  std::string message;    // from the file name
  std::string file_stem;  // the retort file's name without ".sql"
  std::filesystem::path up_file;
  std::string upgrade_sql;
  std::string downgrade_sql;
  bool has_down = false;
  bool transactional = true;
  std::vector<std::string> notes;  // for the report, each naming the file
};

struct ToolFolder {
  std::vector<ToolMigration> migrations;  // in the order the tool applies them
  std::vector<std::string> notes;         // files the tool would ignore
};

// Reads `folder`. Throws UsageError when it is not a folder, retort::Error
// "FILE: what is wrong" for a malformed migration, two files with one
// version, a down/undo file without its up, and "FOLDER: no ... migrations"
// for a folder without any.
ToolFolder ReadToolFolder(SqlTool tool, const std::filesystem::path& folder);

// The retort id of a tool version as recorded in the tool's table (for
// adopting): the same derivation ReadToolFolder uses.
std::string IdForVersion(SqlTool tool, std::string_view recorded_version);
// Normalises a recorded version like ToolMigration::version.
std::string NormalizeVersion(SqlTool tool, std::string_view recorded_version);

}  // namespace retort::import

#endif  // RETORT_IMPORT_SQL_TOOL_FILES_H_
