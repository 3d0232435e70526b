#ifndef RETORT_IMPORT_ALEMBIC_PROJECT_H_
#define RETORT_IMPORT_ALEMBIC_PROJECT_H_

// An Alembic project as `retort import alembic` reads it: alembic.ini's
// section (script_location, version_locations, version_path_separator,
// sqlalchemy.url), the version-table settings env.py passes as literals, and
// every revision file's header (alembic_header.h), checked as a graph.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "import/alembic_header.h"

namespace retort::import {

struct AlembicRevisionFile {
  std::filesystem::path path;  // the .py file
  // Where its .sql goes, relative to the new project's root: the same
  // folder layout, the same file name with .sql.
  std::filesystem::path output;
  AlembicHeader header;
};

struct AlembicProject {
  std::filesystem::path ini_path;
  std::string section;
  std::filesystem::path here;             // the ini file's folder
  std::filesystem::path script_location;  // absolute
  // Alembic's version locations, in its order (script_location/versions
  // when version_locations is not set), absolute.
  std::vector<std::filesystem::path> version_locations;
  // The same, relative to the new project's root (parallel to the above),
  // and the script location's counterpart.
  std::vector<std::filesystem::path> output_locations;
  std::filesystem::path output_script_location;
  std::string url;  // sqlalchemy.url, as written (may be empty)
  // From env.py's context.configure(...) when given as literals.
  std::string version_table = "alembic_version";
  std::string version_table_schema;
  bool transaction_per_migration = false;
  // Every revision, location by location, each location's files in name
  // order.
  std::vector<AlembicRevisionFile> revisions;
};

// Reads the project named by `ini_path` and `section`. Relative paths in the
// ini are taken from the ini file's folder (Alembic takes them from the
// current directory, which is that folder when run as documented). Throws
// UsageError (exit 2) for a missing file, section or script_location, a
// package-style script_location, or a missing version folder; Error (exit 1)
// naming the file for an unreadable revision, a header retort cannot read,
// and for the graph (unknown parent, duplicate id, cycle).
AlembicProject LoadAlembicProject(const std::filesystem::path& ini_path,
                                  const std::string& section);

}  // namespace retort::import

#endif  // RETORT_IMPORT_ALEMBIC_PROJECT_H_
