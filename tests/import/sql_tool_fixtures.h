#ifndef RETORT_TESTS_IMPORT_SQL_TOOL_FIXTURES_H_
#define RETORT_TESTS_IMPORT_SQL_TOOL_FIXTURES_H_

// Migrations folders laid out as dbmate, golang-migrate, Flyway and goose
// write them, from one list of changes, so each tool's import can be checked
// against the same SQL run directly.

#include <filesystem>
#include <string>
#include <vector>

#include "import/sql_tool_import.h"
#include "retort/commands.h"
#include "retort/config.h"
#include "testing/temp_dir.h"

namespace retort::test {

struct Change {
  std::string name;
  std::string up;
  std::string down;
  bool no_transaction = false;
};

// users table, a column, a trigger (a statement with ';' inside), an index
// that the tools mark as run outside a transaction.
inline std::vector<Change> Changes() {
  return {
      {"create_users", "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL);",
       "DROP TABLE users;"},
      {"add_name", "ALTER TABLE users ADD COLUMN name TEXT;",
       "ALTER TABLE users DROP COLUMN name;"},
      {"touch_trigger",
       "CREATE TRIGGER users_touch AFTER INSERT ON users BEGIN\n"
       "  UPDATE users SET name = 'new; user' WHERE id = NEW.id;\n"
       "END;",
       "DROP TRIGGER users_touch;"},
      {"email_index", "CREATE INDEX users_email ON users (email);", "DROP INDEX users_email;",
       true},
  };
}

// Versions chosen so that file-name order and the tool's order differ where
// the tool orders numerically (golang-migrate, goose: 10 after 3; Flyway:
// 1.1 after 1, 10 after 2).
inline std::vector<std::string> Versions(import::SqlTool tool) {
  switch (tool) {
    case import::SqlTool::kDbmate:
      return {"20240101000000", "20240102000000", "20240103000000", "20240104000000"};
    case import::SqlTool::kFlyway:
      return {"1", "1.1", "2", "10"};
    default:
      return {"1", "2", "3", "10"};
  }
}

// The retort ids the import gives them.
inline std::vector<std::string> ExpectedIds(import::SqlTool tool) {
  switch (tool) {
    case import::SqlTool::kDbmate:
      return {"v20240101000000", "v20240102000000", "v20240103000000", "v20240104000000"};
    case import::SqlTool::kFlyway:
      return {"V1", "V1_1", "V2", "V10"};
    default:
      return {"v1", "v2", "v3", "v10"};
  }
}

// Writes the first `count` changes into `folder` as `tool` lays them out.
inline void WriteToolFolder(import::SqlTool tool, const std::filesystem::path& folder,
                            size_t count = 4) {
  std::vector<Change> changes = Changes();
  std::vector<std::string> versions = Versions(tool);
  std::filesystem::create_directories(folder);
  for (size_t i = 0; i < count && i < changes.size(); ++i) {
    const Change& c = changes[i];
    const std::string& v = versions[i];
    switch (tool) {
      case import::SqlTool::kDbmate: {
        std::string option = c.no_transaction ? " transaction:false" : "";
        WriteFile(folder / (v + "_" + c.name + ".sql"), "-- migrate:up" + option + "\n" + c.up +
                                                            "\n\n-- migrate:down" + option + "\n" +
                                                            c.down + "\n");
        break;
      }
      case import::SqlTool::kGolangMigrate: {
        std::string up = c.no_transaction ? "BEGIN;\n" + c.up + "\nCOMMIT;\n" : c.up + "\n";
        WriteFile(folder / (v + "_" + c.name + ".up.sql"), up);
        WriteFile(folder / (v + "_" + c.name + ".down.sql"), c.down + "\n");
        break;
      }
      case import::SqlTool::kGoose: {
        std::string text = c.no_transaction ? "-- +goose NO TRANSACTION\n" : "";
        bool block = c.up.find("BEGIN") != std::string::npos;
        text += "-- +goose Up\n";
        text += block ? "-- +goose StatementBegin\n" + c.up + "\n-- +goose StatementEnd\n"
                      : c.up + "\n";
        text += "\n-- +goose Down\n" + c.down + "\n";
        WriteFile(folder / (v + "_" + c.name + ".sql"), text);
        break;
      }
      case import::SqlTool::kFlyway: {
        std::string stem = "V" + v + "__" + c.name;
        WriteFile(folder / (stem + ".sql"), c.up + "\n");
        WriteFile(folder / ("U" + v + "__" + c.name + ".sql"), c.down + "\n");
        if (c.no_transaction) {
          WriteFile(folder / (stem + ".sql.conf"), "executeInTransaction=false\n");
        }
        break;
      }
    }
  }
}

inline Config LoadProject(const std::filesystem::path& config_file, const std::string& url) {
  ConfigSource source;
  source.file = config_file;
  source.url = url;
  return Config::Load(source);
}

inline Output Quiet() {
  return Output{[](const std::string&) {}, [](const std::string&) {}};
}

inline std::vector<import::SqlTool> AllTools() {
  return {import::SqlTool::kDbmate, import::SqlTool::kGolangMigrate, import::SqlTool::kFlyway,
          import::SqlTool::kGoose};
}

}  // namespace retort::test

#endif  // RETORT_TESTS_IMPORT_SQL_TOOL_FIXTURES_H_
