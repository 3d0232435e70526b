#ifndef RETORT_TESTING_TEMP_PROJECT_H_
#define RETORT_TESTING_TEMP_PROJECT_H_

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace retort::test {

// A compact description of one revision file (SPEC §2).
struct RevisionSpec {
  std::string id = "";
  std::vector<std::string> revises = {};  // "Revises", written comma-separated
  std::string upgrade = "";               // SQL of the upgrade section
  // SQL of the downgrade section; std::nullopt writes no downgrade section
  // at all (an irreversible revision).
  std::optional<std::string> downgrade = "";
  std::string message = "";  // first header line; defaults to "revision <id>"
  std::vector<std::string> labels = {};
  std::vector<std::string> depends_on = {};
  bool transactional = true;
  // File name under migrations/versions/; defaults to "<id>_<slug>.sql".
  std::string file_name = "";
};

// A revision that creates `table` (one INTEGER column) and drops it on the
// way down, with the message "create <table>".
RevisionSpec TableRevision(const std::string& id, const std::vector<std::string>& revises,
                           const std::string& table);

// The text of a revision file for `spec`, exactly as retort reads it.
std::string RenderRevision(const RevisionSpec& spec);

// A temporary retort project:
//   <root>/retort.ini               [retort] script_location = migrations,
//                                   url = sqlite:///app.db (relative to the
//                                   run's cwd, which is <root>)
//   <root>/migrations/versions/     one file per RevisionSpec
// Removed when destroyed.
class TempProject {
 public:
  explicit TempProject(const std::vector<RevisionSpec>& revisions = {},
                       const std::string& extra_config = "");

  const std::filesystem::path& root() const { return dir_.path(); }
  std::filesystem::path config_path() const { return root() / "retort.ini"; }
  std::filesystem::path versions_dir() const { return root() / "migrations" / "versions"; }
  // The SQLite file the default url names.
  std::filesystem::path db() const { return root() / "app.db"; }

  // Writes one revision file and returns its path.
  std::filesystem::path AddRevision(const RevisionSpec& spec);
  // Writes any file (relative to root()) and returns its path.
  std::filesystem::path Write(const std::filesystem::path& relative, const std::string& content);
  // Replaces retort.ini.
  void WriteConfig(const std::string& content);

  // The retort.ini this project starts with, plus `extra` lines in the
  // [retort] section.
  static std::string DefaultConfig(const std::string& extra = "");

 private:
  TempDir dir_;
};

// Rewrites the upgrade and downgrade sections of an existing revision file
// (as a user editing a file made by `retort revision` does), keeping the
// header. Throws std::runtime_error if the file has no "-- migrate:upgrade".
void FillSections(const std::filesystem::path& file, const std::string& upgrade,
                  const std::string& downgrade);

}  // namespace retort::test

#endif  // RETORT_TESTING_TEMP_PROJECT_H_
