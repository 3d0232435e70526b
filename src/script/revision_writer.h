#ifndef RETORT_SCRIPT_REVISION_WRITER_H_
#define RETORT_SCRIPT_REVISION_WRITER_H_

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retort/config.h"
#include "script/script_directory.h"

namespace retort::script {

// What `revision` and `merge` ask for (Alembic's generate_revision).
struct NewRevision {
  std::string message;
  // --head (default "head"); for merge, the revisions being merged.
  std::vector<std::string> heads = {"head"};
  bool splice = false;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::optional<std::string> rev_id;                  // else 12 random hex chars
  std::optional<std::filesystem::path> version_path;  // else the right version location
  // Bodies to write instead of the template's (autogenerate later).
  std::optional<std::string> upgrade_sql;
  std::optional<std::string> downgrade_sql;
  // false writes 'Transactional: no' (autogenerate's CREATE INDEX
  // CONCURRENTLY revisions).
  bool transactional = true;
};

// Writes the file from script_location/script.sql.tmpl, named by
// file_template, and returns its path. Applies Alembic's checks with its
// messages: "Multiple heads are present; please specify the head revision on
// which the new revision should be based, or perform a merge.", "Revision X
// is not a head revision; please specify --splice to create a new branch from
// this revision", duplicate --rev-id, unknown --head, bad label, etc.
std::filesystem::path WriteRevision(const Config& config, const ScriptDirectory& scripts,
                                    const NewRevision& request);

// A revision whose every header is given, for imports from other tools
// (src/import/): the caller builds a whole graph and loads it afterwards,
// so no graph checks happen here.
struct GivenRevision {
  std::string id;
  std::vector<std::string> down_revisions;
  std::string message;
  std::string create_date;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  bool transactional = true;
  std::string upgrade_sql;
  std::string downgrade_sql;
};

// Renders `template_text` (a script.sql.tmpl; `template_name` names it in
// errors) with `revision`'s values, as WriteRevision does, turns its
// "Transactional: yes" header into "no" when asked, writes `path` (refusing
// an existing file: "File X already exists") and reads it back, removing it
// and throwing retort::Error when the result does not carry the given id,
// parents, labels, dependencies or transactional flag.
void WriteGivenRevision(std::string_view template_text, const std::string& template_name,
                        const std::filesystem::path& path, const GivenRevision& revision);

}  // namespace retort::script

#endif  // RETORT_SCRIPT_REVISION_WRITER_H_
