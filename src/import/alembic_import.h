#ifndef RETORT_IMPORT_ALEMBIC_IMPORT_H_
#define RETORT_IMPORT_ALEMBIC_IMPORT_H_

// `retort import alembic`: an Alembic project becomes a retort project with
// the same revision ids, graph, labels, dependencies, messages, create dates
// and file names (.py -> .sql), bodies rendered by Alembic offline, and a
// retort.ini that adopts the Alembic version table as it is.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace retort::import {

struct AlembicImportOptions {
  std::filesystem::path ini = "alembic.ini";
  std::string section = "alembic";
  std::string dialect;  // "sqlite" or "postgresql"
  // The new project's folder; default: "retort" beside alembic.ini.
  std::optional<std::filesystem::path> into;
};

struct AlembicImportReport {
  std::filesystem::path into;
  std::filesystem::path ini;
  std::string section;
  std::string dialect;
  std::string version_table;
  std::string version_table_schema;
  int revisions = 0;
  int rendered = 0;  // both directions rendered by Alembic
  struct Item {
    std::string revision;
    std::filesystem::path file;  // in the new project, relative to `into`
    std::string text;            // why it needs a hand, or the note
  };
  std::vector<Item> needs_hand;
  std::vector<Item> notes;  // irreversible, non-transactional, URL not copied
};

// Reads, renders and writes; the new project appears at its folder only
// when complete (written beside it, then renamed into place). Throws
// retort::Error with one line, writing nothing, for a bad project (see
// LoadAlembicProject), a syntax error, a missing Alembic, an unknown
// dialect, or an existing non-empty target folder. Revisions that cannot
// be rendered are written with a 'Needs Rewrite' header and reported, not
// thrown: the caller decides the exit status.
AlembicImportReport ImportAlembic(const AlembicImportOptions& options);

// The report as the command prints it.
std::vector<std::string> ReportLines(const AlembicImportReport& report);

}  // namespace retort::import

#endif  // RETORT_IMPORT_ALEMBIC_IMPORT_H_
