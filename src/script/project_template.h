#ifndef RETORT_SCRIPT_PROJECT_TEMPLATE_H_
#define RETORT_SCRIPT_PROJECT_TEMPLATE_H_

// The `init` scaffolding (Alembic's command.init and its templates/), built
// into the binary: a template is a retort.ini body plus a script.sql.tmpl.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace retort::script {

struct ProjectTemplate {
  std::string name;
  std::string description;  // one line, for `list_templates`
};

// "generic" (SQLite) and "postgresql", in that order.
std::vector<ProjectTemplate> ListTemplates();

// The script.sql.tmpl text a template installs. Its "##" comment lines
// document the placeholder syntax (see RenderRevisionTemplate). Throws
// UsageError "No such template 'x'".
std::string RevisionTemplateText(std::string_view template_name);

// Creates `directory`, `directory`/versions, `directory`/script.sql.tmpl and
// the config file `config_path` whose script_location points at `directory`
// (relative to the config file's folder unless `directory` is absolute).
// Returns the paths it created, in creation order. Refuses, before creating
// anything, with retort::Error "Directory X already exists and is not empty"
// or "Config file 'X' already exists"; UsageError for an unknown template.
std::vector<std::filesystem::path> InitProject(const std::filesystem::path& directory,
                                               const std::filesystem::path& config_path,
                                               const std::string& template_name);

}  // namespace retort::script

#endif  // RETORT_SCRIPT_PROJECT_TEMPLATE_H_
