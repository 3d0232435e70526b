#ifndef RETORT_IMPORT_SQL_TOOL_IMPORT_H_
#define RETORT_IMPORT_SQL_TOOL_IMPORT_H_

// `retort import dbmate|golang-migrate|flyway|goose DIR`: another SQL-file
// tool's migrations folder turned into a retort project (a linear chain,
// one revision per migration, ids derived from the tool's versions), and
// adopting a database that tool manages (its version table read, the
// matching revision stamped into retort's). docs/migrating.md describes the
// rules for each tool.

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retort/config.h"

namespace retort::import {

enum class SqlTool { kDbmate, kGolangMigrate, kFlyway, kGoose };

// "dbmate", "golang-migrate", "flyway", "goose" (also "migrate" and
// "golang_migrate"); nullopt for anything else.
std::optional<SqlTool> ParseSqlTool(std::string_view name);
std::string_view SqlToolName(SqlTool tool);
// The tool's default version table: schema_migrations, flyway_schema_history,
// goose_db_version.
std::string_view DefaultToolTable(SqlTool tool);

struct SqlToolImportRequest {
  SqlTool tool = SqlTool::kDbmate;
  // The tool's migrations folder (Flyway: searched recursively, as Flyway
  // scans a location).
  std::filesystem::path source;
  // Where retort.ini and migrations/ go. Created when missing; when it
  // exists, neither retort.ini nor migrations/ may be in it.
  std::filesystem::path into = ".";
  // Adopt this database in the same run (see AdoptSqlToolDatabase). Never
  // written into retort.ini: it may carry a password.
  std::optional<std::string> url;
  // The tool's version table when not the default ("schema.table" allowed).
  std::optional<std::string> tool_table;
  // Progress lines; may be empty.
  std::function<void(const std::string&)> log;
};

// What adopting found and did.
struct AdoptionResult {
  // The tool's state in words: "version 20240102030405", "nothing applied".
  std::string tool_state;
  // The revision recorded in retort's version table; nullopt when the tool
  // had applied nothing (nothing to record).
  std::optional<std::string> revision;
  // True when retort's version table already recorded `revision`.
  bool already_recorded = false;
};

struct SqlToolImportReport {
  std::filesystem::path config_file;   // the written retort.ini
  std::filesystem::path versions;      // the written versions/ folder
  std::vector<std::string> revisions;  // ids, oldest first
  // One line per file that needs a reader's attention: irreversible (no
  // down), runs outside a transaction, a Flyway repeatable made one-time,
  // a file the tool would ignore.
  std::vector<std::string> notes;
  std::optional<AdoptionResult> adoption;  // with `url`
};

// Reads every migration of `request.source`, writes the project into a
// temporary folder beside `request.into`, adopts `request.url` when given
// (reading the tool's table before anything is moved into place), then
// moves the project into place and stamps. Throws retort::Error with one
// line naming the file or database state at fault (UsageError for a
// missing source folder); on any failure before the move nothing is left
// behind.
SqlToolImportReport ImportSqlTool(const SqlToolImportRequest& request);

// `retort adopt TOOL`: for a project made by ImportSqlTool (and possibly
// grown since), reads `tool`'s version table (`tool_table`, else the
// default) on `config`'s database and records the matching revision in
// retort's version table through the stamp machinery (under the migration
// lock). Refuses with retort::Error, changing nothing, when the tool left
// the database dirty or failed (golang-migrate dirty = true, Flyway
// success = false), when applied versions have gaps or name no revision,
// when the tool's table is missing, or when retort's version table already
// records another revision.
AdoptionResult AdoptSqlToolDatabase(const Config& config, SqlTool tool,
                                    const std::optional<std::string>& tool_table,
                                    const std::function<void(const std::string&)>& log);

// The report the CLI prints (stdout lines): what was imported, the notes,
// the adoption or the next step.
std::vector<std::string> ReportLines(SqlTool tool, const SqlToolImportReport& report);
std::vector<std::string> AdoptionLines(SqlTool tool, const AdoptionResult& result);

}  // namespace retort::import

#endif  // RETORT_IMPORT_SQL_TOOL_IMPORT_H_
