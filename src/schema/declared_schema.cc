#include "schema/declared_schema.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "retort/error.h"
#include "schema/scratch_database.h"
#include "schema/snapshot.h"

namespace retort::schema {
namespace {

std::vector<std::filesystem::path> SchemaFiles(const std::filesystem::path& schema) {
  std::error_code error;
  if (std::filesystem::is_directory(schema, error)) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(schema, error)) {
      if (entry.is_regular_file() && entry.path().extension() == ".sql") {
        files.push_back(entry.path());
      }
    }
    if (error) {
      throw Error(
          fmt::format("Can't read the schema folder {}: {}", schema.string(), error.message()));
    }
    std::sort(files.begin(), files.end());
    return files;
  }
  if (!std::filesystem::exists(schema, error)) {
    throw Error(fmt::format("Schema file {} does not exist (setting 'schema')", schema.string()));
  }
  return {schema};
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(fmt::format("Can't read the schema file {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// psql meta-commands a plain pg_dump file holds: `\restrict KEY` and
// `\unrestrict KEY` (PostgreSQL 13.22, 14.19, 15.14, 16.10, 17.6 and later)
// only guard psql's own session, so they are blanked (the line kept, so
// that errors still name the right line). Any other meta-command is not SQL
// and stops the load with a line naming it.
std::string WithoutPsqlMetaCommands(const std::filesystem::path& file, std::string sql) {
  size_t line_start = 0;
  long line = 1;
  while (line_start < sql.size()) {
    size_t line_end = sql.find('\n', line_start);
    if (line_end == std::string::npos) line_end = sql.size();
    if (sql[line_start] == '\\') {
      std::string_view text(sql.data() + line_start, line_end - line_start);
      if (text.rfind("\\restrict", 0) == 0 || text.rfind("\\unrestrict", 0) == 0) {
        std::fill(sql.begin() + static_cast<long>(line_start),
                  sql.begin() + static_cast<long>(line_end), ' ');
      } else {
        std::string_view command = text.substr(0, text.find_first_of(" \t\r"));
        throw Error(fmt::format(
            "{}:{}: psql meta-command '{}' is not SQL: the declared schema runs on the server, "
            "not in psql",
            file.string(), line, command));
      }
    }
    line_start = line_end + 1;
    ++line;
  }
  return sql;
}

}  // namespace

void LoadDeclaredSchema(const std::filesystem::path& schema, driver::Connection& connection) {
  bool postgres = connection.dialect() == "postgresql";
  // A plain pg_dump file empties the session's search_path
  // (`SELECT pg_catalog.set_config('search_path', '', false)`) so that it
  // loads whatever the server's default is. Left so, current_schema() is
  // NULL while the scratch database is inspected and every table would be
  // named "public.t" there but "t" in the target: all dropped and created
  // again. The path is put back after each file.
  std::string search_path;
  if (postgres) {
    std::vector<driver::Row> rows = connection.Query("SELECT current_setting('search_path')");
    if (!rows.empty() && !rows[0].empty() && rows[0][0]) search_path = *rows[0][0];
  }
  for (const std::filesystem::path& file : SchemaFiles(schema)) {
    std::string sql = ReadFile(file);
    if (postgres) sql = WithoutPsqlMetaCommands(file, std::move(sql));
    try {
      connection.ExecuteScript(sql);
    } catch (const driver::StatementError& e) {
      size_t offset = std::min(e.offset(), sql.size());
      long line = 1 + std::count(sql.begin(), sql.begin() + static_cast<long>(offset), '\n');
      throw Error(fmt::format("{}:{}: {}", file.string(), line, e.what()));
    }
    if (postgres) {
      connection.Query("SELECT pg_catalog.set_config('search_path', $1, false)", {search_path});
    }
  }
}

std::optional<std::vector<std::string>> DiffAgainstDeclaredSchema(const Config& config,
                                                                  driver::Connection& target) {
  std::optional<std::string> schema = config.Get("schema");
  if (!schema) return std::nullopt;
  std::vector<std::string> exclude = BookkeepingTables(config);
  ScratchDatabase scratch(config);
  std::unique_ptr<driver::Connection> declared = scratch.Connect();
  LoadDeclaredSchema(*schema, *declared);
  Snapshot expected = TakeSnapshot(*declared, exclude);
  declared.reset();
  return Diff(expected, TakeSnapshot(target, exclude));
}

}  // namespace retort::schema
