#ifndef RETORT_TESTS_CLI_MYSQL_EXPECT_H_
#define RETORT_TESTS_CLI_MYSQL_EXPECT_H_

// Helpers for the CLI tests that run retort against the suite's real
// MariaDB server (see testing/mysql_server.h).

#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "testing/mysql_server.h"

namespace retort::test {

// The password of mysql://user:password@host:port/database.
inline std::string MysqlPassword(const std::string& url) {
  static const std::regex kForm(R"(^[a-z0-9+]+://[^:@/]*:([^@/]*)@.*$)");
  std::smatch m;
  if (!std::regex_match(url, m, kForm)) throw std::runtime_error("unexpected test URL form");
  return m[1];
}

// retort.ini text for a project on `url` with `extra` lines in [retort].
inline std::string MysqlConfig(const std::string& url, const std::string& extra = "") {
  std::string text = "[retort]\nscript_location = migrations\nurl = " + url + "\n" + extra;
  if (text.back() != '\n') text += '\n';
  return text;
}

// Single-column query result.
inline std::vector<std::string> MysqlColumn(const ScratchMysqlDatabase& db,
                                            const std::string& sql) {
  std::vector<std::string> values;
  for (const auto& row : db.Query(sql)) values.push_back(row.empty() ? "" : row[0]);
  return values;
}

// The database's base tables, sorted.
inline std::vector<std::string> MysqlTables(const ScratchMysqlDatabase& db) {
  return MysqlColumn(db,
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                     "DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1");
}

// The version table's rows (sorted), or {"<no version table>"}.
inline std::vector<std::string> MysqlVersionRows(const ScratchMysqlDatabase& db,
                                                 const std::string& table = "retort_version") {
  if (MysqlColumn(db,
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = "
                  "DATABASE() AND table_name = '" +
                      table + "'") != std::vector<std::string>{"1"}) {
    return {"<no version table>"};
  }
  return MysqlColumn(db, "SELECT version_num FROM " + table + " ORDER BY 1");
}

}  // namespace retort::test

#endif  // RETORT_TESTS_CLI_MYSQL_EXPECT_H_
