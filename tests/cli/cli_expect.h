#ifndef RETORT_TESTS_CLI_CLI_EXPECT_H_
#define RETORT_TESTS_CLI_CLI_EXPECT_H_

// Assertions on what a user of the retort binary sees.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "testing/cli_runner.h"
#include "testing/sqlite_inspect.h"

namespace retort::test {

// Progress lines ("Running upgrade a1 -> b2, ...") go to stderr too; these
// are the other lines of stderr, which for a failure should be exactly one.
inline std::vector<std::string> ProblemLines(const CliResult& result) {
  std::vector<std::string> lines;
  for (const std::string& line : result.ErrLines()) {
    if (line.rfind("Running ", 0) == 0 || line.empty()) continue;
    lines.push_back(line);
  }
  return lines;
}

// True when `text` contains one of the alternatives in `needle`, which are
// separated by "||" ("retort.ini:3||line 3").
inline bool ContainsAny(const std::string& text, const std::string& needle) {
  size_t start = 0;
  while (true) {
    size_t end = needle.find("||", start);
    std::string option = needle.substr(start, end == std::string::npos ? end : end - start);
    if (text.find(option) != std::string::npos) return true;
    if (end == std::string::npos) return false;
    start = end + 2;
  }
}

// The run failed with `exit_code`, printed exactly one problem line on
// stderr, and that line names every one of `needles`.
inline ::testing::AssertionResult IsOneLineError(const CliResult& result, int exit_code,
                                                 const std::vector<std::string>& needles) {
  if (result.timed_out) return ::testing::AssertionFailure() << "timed out\n" << result.Describe();
  if (result.exit_code != exit_code) {
    return ::testing::AssertionFailure()
           << "expected exit code " << exit_code << ", got " << result.Describe();
  }
  std::vector<std::string> lines = ProblemLines(result);
  if (lines.size() != 1) {
    return ::testing::AssertionFailure()
           << "expected exactly one error line on stderr, got " << lines.size() << "\n"
           << result.Describe();
  }
  for (const std::string& needle : needles) {
    if (!ContainsAny(lines[0], needle)) {
      return ::testing::AssertionFailure()
             << "error line does not name '" << needle << "': " << lines[0] << "\n"
             << result.Describe();
    }
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult Succeeded(const CliResult& result) {
  if (result.exit_code == 0 && !result.timed_out) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << result.Describe();
}

// Everything a SQLite file holds, to compare before/after a failed command.
struct DbState {
  bool exists = false;
  std::string dump;  // FullDump: schema and all rows, version table included
  bool operator==(const DbState&) const = default;
};

inline DbState Snapshot(const std::filesystem::path& db) {
  DbState state;
  state.exists = std::filesystem::exists(db);
  state.dump = FullDump(db);
  return state;
}

inline std::ostream& operator<<(std::ostream& os, const DbState& state) {
  return os << (state.exists ? "exists:\n" : "missing\n") << state.dump;
}

// The first token of `text` ending in ".sql" (the path `revision` prints).
inline std::string FindSqlPath(const std::string& text) {
  size_t end = text.find(".sql");
  if (end == std::string::npos) return "";
  size_t start = text.find_last_of(" \t\n'\"", end);
  start = start == std::string::npos ? 0 : start + 1;
  return text.substr(start, end + 4 - start);
}

}  // namespace retort::test

#endif  // RETORT_TESTS_CLI_CLI_EXPECT_H_
