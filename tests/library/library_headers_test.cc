// The public API's promises that need no database: headers include only the
// standard library and each other; hand-built EmbeddedMigrations are parsed
// like files, with the same one-line errors naming the file and line.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "retort/retort.h"

namespace retort::test {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PublicHeadersTest, IncludeOnlyTheStandardLibraryAndEachOther) {
  const std::filesystem::path folder = std::filesystem::path(RETORT_SOURCE_DIR) / "include/retort";
  const std::regex include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  std::vector<std::string> offending;
  int headers = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    ++headers;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      std::smatch match;
      if (!std::regex_search(line, match, include)) continue;
      const std::string name = match[2];
      const bool ours = match[1] == "\"" && name.starts_with("retort/");
      // Standard headers have no extension (<string>, <optional>, ...).
      const bool standard = match[1] == "<" && name.find('.') == std::string::npos;
      if (!ours && !standard) offending.push_back(entry.path().filename().string() + ": " + line);
    }
  }
  EXPECT_GE(headers, 8);
  EXPECT_THAT(offending, IsEmpty());
}

std::string Revision(const std::string& id, const std::string& revises,
                     const std::string& extra_header = "") {
  return "-- revision " + id + "\n--\n-- Revision ID: " + id + "\n-- Revises: " + revises + "\n" +
         extra_header + "\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n";
}

std::string ErrorOf(const EmbeddedMigrations& migrations) {
  try {
    Heads(migrations);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(HandBuiltMigrationsTest, ParseLikeFiles) {
  const std::string a = Revision("a1", ""), b = Revision("b1", "a1", "-- Step: fill.b-1\n");
  EmbeddedMigrations migrations{{{"m/versions/a.sql", a}, {"m/versions/b.sql", b}}};
  std::vector<RevisionInfo> heads = Heads(migrations);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].id, "b1");
  EXPECT_EQ(heads[0].step, "fill.b-1");
  EXPECT_EQ(heads[0].path, "m/versions/b.sql");
  EXPECT_THAT(heads[0].parents, ElementsAre("a1"));
}

TEST(HandBuiltMigrationsTest, ErrorsNameTheFileAndLine) {
  const std::string bad_step = Revision("a1", "", "-- Step: two words\n");
  EXPECT_EQ(ErrorOf({{{"m/versions/a.sql", bad_step}}}),
            "m/versions/a.sql:5: bad 'Step' name 'two words' (names are [A-Za-z0-9_.-]+)");
  const std::string empty_step = Revision("a1", "", "-- Step:\n");
  EXPECT_EQ(ErrorOf({{{"m/versions/a.sql", empty_step}}}), "m/versions/a.sql:5: empty 'Step' name");
  const std::string twice = Revision("a1", "", "-- Step: x\n-- Step: y\n");
  EXPECT_EQ(ErrorOf({{{"m/versions/a.sql", twice}}}),
            "m/versions/a.sql:6: second 'Step' header (first at line 5)");
  const std::string a = Revision("a1", "");
  EXPECT_EQ(ErrorOf({{{"m/versions/a.sql", a}, {"m/versions/copy.sql", a}}}),
            "m/versions/copy.sql: revision 'a1' is present more than once (also in "
            "m/versions/a.sql)");
  const std::string orphan = Revision("b1", "zz");
  EXPECT_THAT(ErrorOf({{{"m/versions/b.sql", orphan}}}),
              ::testing::StartsWith("m/versions/b.sql: "));
}

}  // namespace
}  // namespace retort::test
