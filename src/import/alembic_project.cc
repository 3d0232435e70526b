#include "import/alembic_project.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_map>

#include "graph/errors.h"
#include "graph/revision_map.h"
#include "retort/error.h"
#include "util/ini.h"
#include "util/strings.h"

namespace retort::import {
namespace {

namespace fs = std::filesystem;

fs::path Resolve(const fs::path& here, std::string_view value) {
  fs::path path{std::string(util::Trim(value))};
  return (path.is_absolute() ? path : here / path).lexically_normal();
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    std::error_code error;
    const bool exists = fs::exists(path, error);
    throw Error(fmt::format("Cannot read '{}': {}", path.string(),
                            exists ? "permission denied or not a regular file" : "no such file"));
  }
  return text.str();
}

// Alembic's version_path_separator (unset: split on spaces and commas).
std::vector<std::string> SplitLocations(const std::string& raw,
                                        const std::optional<std::string>& separator,
                                        const std::string& ini_name, int line) {
  std::string separators = " ,";
  if (separator && !util::Trim(*separator).empty()) {
    std::string name = util::ToLower(util::Trim(*separator));
    if (name == "space") {
      separators = " ";
    } else if (name == "os" || name == ":") {
      separators = ":";
    } else if (name == ";") {
      separators = ";";
    } else if (name == "newline") {
      separators = "\n";
    } else {
      throw UsageError(
          fmt::format("{}:{}: setting 'version_path_separator' must be space, os, newline, ':' or "
                      "';', not '{}'",
                      ini_name, line, util::Trim(*separator)));
    }
  }
  if (separators == " " || separators == " ,") separators += "\n";
  return util::SplitList(raw, separators);
}

// Where a folder of the Alembic project goes in the new one: the same path
// relative to alembic.ini's folder, or (for a folder outside it) its name.
fs::path OutputFolder(const fs::path& folder, const fs::path& here, const std::string& fallback,
                      std::set<fs::path>& taken) {
  fs::path relative = folder.lexically_relative(here);
  bool inside = !relative.empty() && *relative.begin() != "..";
  fs::path candidate = inside                      ? relative
                       : folder.filename().empty() ? fs::path(fallback)
                                                   : folder.filename();
  fs::path unique = candidate;
  for (int n = 2; taken.count(unique) != 0; ++n) {
    unique = fs::path(fmt::format("{}_{}", candidate.string(), n));
  }
  taken.insert(unique);
  return unique;
}

// The settings a typical env.py passes to context.configure() as literals.
void ReadEnvSettings(AlembicProject& project) {
  fs::path env = project.script_location / "env.py";
  std::error_code error;
  if (!fs::is_regular_file(env, error)) return;
  std::string text = ReadText(env);
  std::smatch match;
  static const std::regex kTable(R"(\bversion_table\s*=\s*(?:r|u)?["']([A-Za-z0-9_]+)["'])");
  static const std::regex kSchema(
      R"(\bversion_table_schema\s*=\s*(?:r|u)?["']([A-Za-z0-9_]+)["'])");
  static const std::regex kPerMigration(R"(\btransaction_per_migration\s*=\s*True\b)");
  if (std::regex_search(text, match, kTable)) project.version_table = match[1];
  if (std::regex_search(text, match, kSchema)) project.version_table_schema = match[1];
  project.transaction_per_migration = std::regex_search(text, kPerMigration);
}

// Alembic's _only_source_rev_file: *.py, not an editor lock file, not
// __init__*; read in name order.
std::vector<fs::path> ListRevisionFiles(const fs::path& folder) {
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw UsageError(fmt::format("Version location '{}' does not exist", folder.string()));
  }
  std::vector<std::string> names;
  fs::directory_iterator it(folder, error);
  if (error) {
    throw Error(
        fmt::format("Cannot read version location '{}': {}", folder.string(), error.message()));
  }
  for (; it != fs::directory_iterator(); it.increment(error)) {
    if (error) {
      throw Error(
          fmt::format("Cannot read version location '{}': {}", folder.string(), error.message()));
    }
    std::string name = it->path().filename().string();
    if (name.size() < 4 || name.compare(name.size() - 3, 3, ".py") != 0) continue;
    if (name.rfind(".#", 0) == 0 || name.rfind("__init__", 0) == 0) continue;
    std::error_code type_error;
    if (it->is_directory(type_error)) continue;
    names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  std::vector<fs::path> files;
  for (const std::string& name : names) files.push_back(folder / name);
  return files;
}

void CheckGraph(const AlembicProject& project) {
  std::vector<graph::Revision> revisions;
  std::unordered_map<std::string, const AlembicRevisionFile*> by_id;
  for (const AlembicRevisionFile& file : project.revisions) {
    auto [it, inserted] = by_id.emplace(file.header.revision, &file);
    if (!inserted) {
      throw Error(fmt::format("{}: revision '{}' is present more than once (also in {})",
                              file.path.string(), file.header.revision, it->second->path.string()));
    }
    graph::Revision revision;
    revision.id = file.header.revision;
    revision.down_revisions = file.header.down_revisions;
    revision.dependencies = file.header.depends_on;
    revision.branch_labels = file.header.branch_labels;
    revision.doc = file.header.message;
    revisions.push_back(std::move(revision));
  }
  try {
    graph::RevisionMap map(std::move(revisions));
    (void)map.Heads();
  } catch (const graph::RevisionError& e) {
    auto at_fault = by_id.find(e.revision());
    if (at_fault == by_id.end()) throw;
    throw Error(fmt::format("{}: {}", at_fault->second->path.string(), e.what()));
  }
}

}  // namespace

AlembicProject LoadAlembicProject(const fs::path& ini_path, const std::string& section) {
  std::error_code error;
  if (!fs::exists(ini_path, error)) {
    throw UsageError(fmt::format("No config file '{}' found", ini_path.string()));
  }
  AlembicProject project;
  project.ini_path = ini_path;
  project.section = section;
  project.here = fs::absolute(ini_path).lexically_normal().parent_path();
  util::IniFile ini = util::IniFile::Load(ini_path);
  if (!ini.HasSection(section)) {
    throw UsageError(fmt::format("No section '{}' in {}", section, ini_path.string()));
  }
  std::map<std::string, std::string> values =
      ini.Interpolated(section, {{"here", project.here.string()}});
  auto get = [&](const std::string& key) -> std::optional<std::string> {
    auto it = values.find(key);
    if (it == values.end()) return std::nullopt;
    return it->second;
  };

  std::optional<std::string> location = get("script_location");
  if (!location || util::Trim(*location).empty()) {
    throw UsageError(
        fmt::format("No 'script_location' setting in [{}] of {}", section, ini_path.string()));
  }
  project.script_location = Resolve(project.here, *location);
  if (!fs::is_directory(project.script_location, error)) {
    std::string_view raw = util::Trim(*location);
    if (raw.find(':') != std::string_view::npos && !fs::path(std::string(raw)).is_absolute()) {
      throw UsageError(fmt::format(
          "{}:{}: script_location '{}' names a Python package; write the folder's path instead",
          ini_path.string(), ini.LineOf(section, "script_location"), raw));
    }
    throw UsageError(fmt::format("{}:{}: script_location '{}' does not exist", ini_path.string(),
                                 ini.LineOf(section, "script_location"),
                                 project.script_location.string()));
  }
  project.url = get("sqlalchemy.url").value_or("");

  std::string raw_locations = get("version_locations").value_or("");
  if (util::Trim(raw_locations).empty()) {
    project.version_locations.push_back(project.script_location / "versions");
  } else {
    for (const std::string& item :
         SplitLocations(raw_locations, get("version_path_separator"), ini_path.string(),
                        ini.LineOf(section, "version_path_separator"))) {
      fs::path path = Resolve(project.here, item);
      if (std::find(project.version_locations.begin(), project.version_locations.end(), path) ==
          project.version_locations.end()) {
        project.version_locations.push_back(path);
      }
    }
  }

  std::set<fs::path> taken;
  project.output_script_location =
      OutputFolder(project.script_location, project.here, "migrations", taken);
  const fs::path default_versions = project.script_location / "versions";
  for (const fs::path& folder : project.version_locations) {
    if (folder == default_versions) {
      project.output_locations.push_back(project.output_script_location / "versions");
      taken.insert(project.output_locations.back());
    } else {
      project.output_locations.push_back(OutputFolder(folder, project.here, "versions", taken));
    }
  }
  ReadEnvSettings(project);

  for (size_t i = 0; i < project.version_locations.size(); ++i) {
    for (const fs::path& file : ListRevisionFiles(project.version_locations[i])) {
      AlembicRevisionFile revision;
      revision.path = file;
      revision.output = project.output_locations[i] / file.filename().replace_extension(".sql");
      revision.header = ReadAlembicHeader(file, ReadText(file));
      project.revisions.push_back(std::move(revision));
    }
  }
  CheckGraph(project);
  return project;
}

}  // namespace retort::import
