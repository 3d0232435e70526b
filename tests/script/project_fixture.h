#ifndef RETORT_TESTS_SCRIPT_PROJECT_FIXTURE_H_
#define RETORT_TESTS_SCRIPT_PROJECT_FIXTURE_H_

// A throwaway project for script-layer tests: retort.ini + migrations/ +
// migrations/versions/, and a one-call way to write revision files.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "retort/config.h"
#include "testing/scoped_env.h"
#include "testing/temp_dir.h"

namespace retort::script {

class ProjectTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteConfig(""); }

  // retort.ini with script_location = migrations plus `extra` lines.
  void WriteConfig(const std::string& extra) {
    dir_.Write("retort.ini", "[retort]\nscript_location = migrations\nurl = sqlite://\n" + extra);
    std::filesystem::create_directories(dir_.path() / "migrations" / "versions");
  }

  Config LoadConfig() const {
    ConfigSource source;
    source.file = dir_.path() / "retort.ini";
    return Config::Load(source);
  }

  // Writes a minimal revision file; `folder` is relative to the temp dir.
  std::filesystem::path Revision(const std::string& file, const std::string& id,
                                 const std::string& revises = "",
                                 const std::string& extra_headers = "",
                                 const std::string& folder = "migrations/versions") const {
    return dir_.Write(std::filesystem::path(folder) / file,
                      "-- msg " + id + "\n--\n-- Revision ID: " + id + "\n-- Revises: " + revises +
                          "\n" + extra_headers + "\n-- migrate:upgrade\nSELECT 1;\n");
  }

  test::TempDir dir_;
  test::ScopedEnv no_url_{"DATABASE_URL", nullptr};
};

}  // namespace retort::script

#endif  // RETORT_TESTS_SCRIPT_PROJECT_FIXTURE_H_
