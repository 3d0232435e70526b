#ifndef RETORT_TESTING_SQLITE_INSPECT_H_
#define RETORT_TESTING_SQLITE_INSPECT_H_

#include <filesystem>
#include <string>
#include <vector>

namespace retort::test {

// Read-only views of a SQLite file, through the C API (never the binary
// under test). Each opens the file read-only, so a missing file stays
// missing; a missing file reads as an empty database.

// User tables (not sqlite_*), sorted.
std::vector<std::string> TableNames(const std::filesystem::path& db);

// `version_num` of every row of `table`, sorted; empty when the table does
// not exist.
std::vector<std::string> VersionRows(const std::filesystem::path& db,
                                     const std::string& table = "retort_version");

// Every sqlite_master row ("type|name|tbl_name|sql"), sorted by type and
// name: two equal dumps mean the same schema.
std::string SchemaDump(const std::filesystem::path& db);

// SchemaDump plus every row of every user table (values as text, rows
// sorted): "exactly as before" means equal dumps.
std::string FullDump(const std::filesystem::path& db);

// Runs one query and returns its first column as text, row by row. Throws
// std::runtime_error with SQLite's message on failure.
std::vector<std::string> QueryColumn(const std::filesystem::path& db, const std::string& sql);

// Runs SQL on the file (creating it if needed), as a user poking the
// database by hand would. Throws std::runtime_error on failure.
void ExecSql(const std::filesystem::path& db, const std::string& sql);

}  // namespace retort::test

#endif  // RETORT_TESTING_SQLITE_INSPECT_H_
