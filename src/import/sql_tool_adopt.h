#ifndef RETORT_IMPORT_SQL_TOOL_ADOPT_H_
#define RETORT_IMPORT_SQL_TOOL_ADOPT_H_

// Adopting a database an SQL-file tool manages: its version table read as
// the tool reads it, mapped onto the imported chain.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "import/sql_tool_import.h"
#include "retort/config.h"
#include "script/script_directory.h"

namespace retort::import {

// One revision of the imported chain, in the order the tool applies them.
struct ChainEntry {
  std::string id;
  std::string version;  // normalised (NormalizeVersion); empty for repeatables
  bool repeatable = false;
};

// What the tool's table says is applied. Dirty or failed states are refused
// while reading, so a ToolState is always a clean one.
struct ToolState {
  std::string table;                     // as named in messages
  std::set<std::string> applied;         // normalised versions
  std::optional<std::string> up_to;      // golang-migrate: everything <= this
  std::optional<std::string> baseline;   // Flyway: everything <= this
  std::set<std::string> repeatable_ids;  // Flyway: repeatables applied (by id)
};

// Reads the tool's table on `config`'s database. Throws retort::Error for a
// missing table, a dirty (golang-migrate) or failed (Flyway) state, or rows
// the tool would not write.
ToolState ReadToolState(const Config& config, SqlTool tool,
                        const std::optional<std::string>& tool_table);

// The revision to record: the last of the longest applied prefix of
// `chain`; nullopt when nothing is applied. Throws retort::Error for an
// applied version no chain entry has, and for a versioned entry applied
// after one that is not (out of order or a gap).
std::optional<std::string> AdoptionTarget(SqlTool tool, const std::vector<ChainEntry>& chain,
                                          const ToolState& state);

// "version 3", "nothing applied", for the report.
std::string DescribeState(SqlTool tool, const ToolState& state,
                          const std::vector<ChainEntry>& chain);

// Records `target` in retort's version table through the stamp plan, under
// the migration lock. Refuses when the table already records another
// revision; returns true when it already recorded `target`.
bool RecordAdoption(const Config& config, const script::ScriptDirectory& scripts,
                    const std::string& target, const std::function<void(const std::string&)>& log);

}  // namespace retort::import

#endif  // RETORT_IMPORT_SQL_TOOL_ADOPT_H_
