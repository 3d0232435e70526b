#ifndef RETORT_TESTS_CLI_POSTGRES_EXPECT_H_
#define RETORT_TESTS_CLI_POSTGRES_EXPECT_H_

// Helpers for the CLI tests that run retort against the suite's real
// PostgreSQL server (see testing/postgres_server.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "cli/cli_expect.h"
#include "testing/cli_runner.h"
#include "testing/postgres_server.h"

namespace retort::test {

// The parts of postgresql://user:password@host:port/database[?query].
struct PgUrl {
  std::string user;
  std::string password;
  std::string host;
  std::string port;
  std::string database;
  std::string query;  // without '?'

  static PgUrl Parse(const std::string& url) {
    static const std::regex kForm(
        R"(^[a-z0-9+]+://([^:@/]*):([^@/]*)@([^:/]+):(\d+)/([^?]*)\??(.*)$)");
    std::smatch m;
    if (!std::regex_match(url, m, kForm)) throw std::runtime_error("unexpected test URL form");
    return {m[1], m[2], m[3], m[4], m[5], m[6]};
  }

  std::string Format(const std::string& scheme = "postgresql") const {
    std::string url =
        scheme + "://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    if (!query.empty()) url += "?" + query;
    return url;
  }
};

// retort.ini text for a project on `url` with `extra` lines in [retort].
inline std::string PgConfig(const std::string& url, const std::string& extra = "") {
  std::string text = "[retort]\nscript_location = migrations\nurl = " + url + "\n" + extra;
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

// Single-column query result.
inline std::vector<std::string> Column(const ScratchPostgresDatabase& db, const std::string& sql) {
  std::vector<std::string> values;
  for (const auto& row : db.Query(sql)) values.push_back(row.empty() ? "" : row[0]);
  return values;
}

// Tables (schema.name) outside the system schemas, sorted.
inline std::vector<std::string> PgTables(const ScratchPostgresDatabase& db) {
  return Column(db,
                "SELECT table_schema || '.' || table_name FROM information_schema.tables "
                "WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1");
}

// The version table's rows (sorted), or {"<no version table>"}.
inline std::vector<std::string> PgVersionRows(const ScratchPostgresDatabase& db,
                                              const std::string& table = "retort_version") {
  if (Column(db, "SELECT to_regclass('" + table + "') IS NOT NULL") !=
      std::vector<std::string>{"t"}) {
    return {"<no version table>"};
  }
  return Column(db, "SELECT version_num FROM " + table + " ORDER BY 1");
}

// Everything a test database holds outside the system schemas: tables,
// columns (type, nullability, default), indexes, constraints and every
// row. Equal snapshots mean nothing was changed.
inline std::string PgSnapshot(const ScratchPostgresDatabase& db) {
  std::string dump;
  auto add = [&](const std::string& sql) {
    for (const auto& row : db.Query(sql)) {
      for (const std::string& value : row) dump += value + " | ";
      dump += "\n";
    }
  };
  const std::string user_schemas = "NOT IN ('pg_catalog', 'information_schema', 'pg_toast')";
  add("SELECT nspname FROM pg_namespace WHERE nspname " + user_schemas + " ORDER BY 1");
  add("SELECT table_schema, table_name, column_name, data_type, is_nullable, "
      "coalesce(column_default, '') FROM information_schema.columns WHERE table_schema " +
      user_schemas + " ORDER BY 1, 2, ordinal_position");
  add("SELECT schemaname, indexname, indexdef FROM pg_indexes WHERE schemaname " + user_schemas +
      " ORDER BY 1, 2");
  add("SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
      "WHERE connamespace::regnamespace::text " +
      user_schemas + " ORDER BY 1, 2");
  for (const std::string& table : PgTables(db)) {
    dump += "rows of " + table + ":\n";
    add("SELECT t::text FROM " + table + " t ORDER BY 1");
  }
  return dump;
}

// Neither stdout nor stderr contains `password`.
inline ::testing::AssertionResult NeverPrints(const CliResult& result,
                                              const std::string& password) {
  if (password.empty() || (result.out.find(password) == std::string::npos &&
                           result.err.find(password) == std::string::npos)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << "the password was printed\n" << result.Describe();
}

// Each needle occurs in `text`, in this order; a needle may list
// alternatives separated by "||".
inline ::testing::AssertionResult PrintsInOrder(const std::string& text,
                                                const std::vector<std::string>& needles) {
  size_t at = 0;
  for (const std::string& needle : needles) {
    size_t best = std::string::npos;
    size_t best_size = 0;
    size_t start = 0;
    while (true) {
      size_t end = needle.find("||", start);
      std::string option = needle.substr(start, end == std::string::npos ? end : end - start);
      size_t found = text.find(option, at);
      if (found < best) {
        best = found;
        best_size = option.size();
      }
      if (end == std::string::npos) break;
      start = end + 2;
    }
    if (best == std::string::npos) {
      return ::testing::AssertionFailure() << "'" << needle << "' not found (in order) in:\n"
                                           << text;
    }
    at = best + best_size;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace retort::test

#endif  // RETORT_TESTS_CLI_POSTGRES_EXPECT_H_
