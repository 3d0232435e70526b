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

}  // namespace

void LoadDeclaredSchema(const std::filesystem::path& schema, driver::Connection& connection) {
  for (const std::filesystem::path& file : SchemaFiles(schema)) {
    std::string sql = ReadFile(file);
    try {
      connection.ExecuteScript(sql);
    } catch (const driver::StatementError& e) {
      size_t offset = std::min(e.offset(), sql.size());
      long line = 1 + std::count(sql.begin(), sql.begin() + static_cast<long>(offset), '\n');
      throw Error(fmt::format("{}:{}: {}", file.string(), line, e.what()));
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
