// `retort import dbmate|golang-migrate|flyway|goose` and `retort adopt`:
// the folder read (sql_tool_files), the project written into a temporary
// folder through script/'s writer and moved into place only when complete,
// the database adopted (sql_tool_adopt).
#include "import/sql_tool_import.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <sstream>

#include "import/sql_tool_adopt.h"
#include "import/sql_tool_files.h"
#include "retort/error.h"
#include "script/project_template.h"
#include "script/revision_writer.h"
#include "script/script_directory.h"
#include "util/clock.h"
#include "util/strings.h"

namespace retort::import {
namespace {

namespace fs = std::filesystem;

// Removes the temporary folder unless the import completed.
class TempFolder {
 public:
  explicit TempFolder(fs::path path) : path_(std::move(path)) {}
  ~TempFolder() {
    std::error_code error;
    if (!path_.empty()) fs::remove_all(path_, error);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path MakeTempFolder(const fs::path& parent, const std::string& stem) {
  std::string pattern = (parent / (stem + ".retort-import-XXXXXX")).string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) {
    throw Error(
        fmt::format("Cannot create a folder in {}: {}", parent.string(), std::strerror(errno)));
  }
  return fs::path(buffer.data());
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw Error(fmt::format("Cannot write '{}'", path.string()));
}

// The init template's retort.ini, with where it came from on top and no
// database URL: --url may carry a password, and the tool's users already
// set $DATABASE_URL, which retort reads too.
std::string ImportedConfig(std::string text, SqlTool tool, const fs::path& source,
                           bool postgresql) {
  auto set_line = [&](std::string_view key, std::string_view value) {
    std::string needle = fmt::format("\n{} = ", key);
    size_t at = text.find(needle);
    if (at == std::string::npos) return;
    size_t end = std::min(text.find('\n', at + 1), text.size());
    text.replace(at + 1, end - at - 1,
                 fmt::format("{} ={}{}", key, value.empty() ? "" : " ", value));
  };
  // InitProject wrote the temporary folder's absolute path.
  set_line("script_location", "migrations");
  set_line("url", "");
  if (postgresql) set_line("dev_url", "");
  std::string header = fmt::format(
      "# Imported from {} migrations in {} by `retort import {}`.\n"
      "# Adopt another database {} manages with `retort adopt {}` (--url URL or $DATABASE_URL).\n",
      SqlToolName(tool), fs::absolute(source).lexically_normal().string(), SqlToolName(tool),
      SqlToolName(tool), SqlToolName(tool));
  return header + text;
}

std::vector<ChainEntry> ChainOf(const ToolFolder& folder) {
  std::vector<ChainEntry> chain;
  for (const ToolMigration& migration : folder.migrations) {
    chain.push_back(
        {migration.id, migration.repeatable ? "" : migration.version, migration.repeatable});
  }
  return chain;
}

// An imported project's chain, walked from its one base while each
// revision has one child and an id the import derives from `tool`'s
// versions (revisions added with retort afterwards end it).
std::vector<ChainEntry> ChainOf(SqlTool tool, const script::ScriptDirectory& scripts) {
  const graph::RevisionMap& map = scripts.map();
  std::vector<ChainEntry> chain;
  std::vector<const graph::Revision*> bases = map.Bases();
  if (bases.size() != 1) return chain;
  const graph::Revision* revision = bases.front();
  while (revision != nullptr) {
    const std::string& id = revision->id;
    ChainEntry entry{id, "", false};
    if (tool == SqlTool::kFlyway && id.rfind("R_", 0) == 0) {
      entry.repeatable = true;
    } else if (tool == SqlTool::kFlyway && id.size() > 1 && id[0] == 'V') {
      for (char c : id.substr(1)) entry.version += c == '_' ? '.' : c;
    } else if (tool != SqlTool::kFlyway && id.size() > 1 && id[0] == 'v' &&
               id.find_first_not_of("0123456789", 1) == std::string::npos) {
      entry.version = id.substr(1);
    } else {
      break;
    }
    if (!entry.repeatable && IdForVersion(tool, entry.version) != id) break;
    chain.push_back(entry);
    const std::vector<std::string>& next = map.Info(*revision).next_revisions;
    revision = next.size() == 1 ? map.Find(next.front()) : nullptr;
  }
  return chain;
}

Config LoadConfig(const fs::path& file, const std::optional<std::string>& url) {
  ConfigSource source;
  source.file = file;
  if (url) source.url = *url;
  return Config::Load(source);
}

}  // namespace

std::optional<SqlTool> ParseSqlTool(std::string_view name) {
  std::string n = util::ToLower(name);
  if (n == "dbmate") return SqlTool::kDbmate;
  if (n == "golang-migrate" || n == "golang_migrate" || n == "migrate") {
    return SqlTool::kGolangMigrate;
  }
  if (n == "flyway") return SqlTool::kFlyway;
  if (n == "goose") return SqlTool::kGoose;
  return std::nullopt;
}

std::string_view SqlToolName(SqlTool tool) {
  switch (tool) {
    case SqlTool::kDbmate:
      return "dbmate";
    case SqlTool::kGolangMigrate:
      return "golang-migrate";
    case SqlTool::kFlyway:
      return "flyway";
    case SqlTool::kGoose:
      return "goose";
  }
  return "";
}

std::string_view DefaultToolTable(SqlTool tool) {
  switch (tool) {
    case SqlTool::kFlyway:
      return "flyway_schema_history";
    case SqlTool::kGoose:
      return "goose_db_version";
    default:
      return "schema_migrations";
  }
}

SqlToolImportReport ImportSqlTool(const SqlToolImportRequest& request) {
  auto log = [&](const std::string& line) {
    if (request.log) request.log(line);
  };
  ToolFolder folder = ReadToolFolder(request.tool, request.source);

  // Where the project goes; refused before anything is written.
  fs::path into = request.into.empty() ? fs::path(".") : request.into;
  std::error_code error;
  bool into_exists = fs::exists(into, error);
  if (into_exists && !fs::is_directory(into, error)) {
    throw Error(fmt::format("{} exists and is not a folder", into.string()));
  }
  fs::path final_config = into / "retort.ini";
  fs::path final_migrations = into / "migrations";
  for (const fs::path& path : {final_config, final_migrations}) {
    if (fs::exists(path, error)) {
      throw Error(fmt::format("{} already exists: import into another folder with --into DIR",
                              path.string()));
    }
  }
  std::optional<DatabaseUrl> url;
  if (request.url) url = DatabaseUrl::Parse(*request.url);
  bool postgresql = url && url->dialect_name() == "postgresql";

  fs::path absolute_into = fs::absolute(into).lexically_normal();
  if (!absolute_into.has_filename()) absolute_into = absolute_into.parent_path();
  fs::path parent = into_exists ? absolute_into : absolute_into.parent_path();
  fs::create_directories(parent, error);
  TempFolder temp(
      MakeTempFolder(parent, into_exists ? std::string() : absolute_into.filename().string()));

  // The project, complete, in the temporary folder.
  fs::path temp_config = temp.path() / "retort.ini";
  fs::path temp_migrations = temp.path() / "migrations";
  script::InitProject(temp_migrations, temp_config, postgresql ? "postgresql" : "generic");
  WriteText(temp_config,
            ImportedConfig(ReadText(temp_config), request.tool, request.source, postgresql));
  fs::path template_path = temp_migrations / "script.sql.tmpl";
  std::string template_text = ReadText(template_path);
  std::string create_date = util::FormatCreateDate(util::Now("UTC"));
  SqlToolImportReport report;
  std::vector<std::string> irreversible;
  std::string parent_id;
  for (const ToolMigration& migration : folder.migrations) {
    script::GivenRevision revision;
    revision.id = migration.id;
    if (!parent_id.empty()) revision.down_revisions = {parent_id};
    revision.message = migration.message;
    revision.create_date = create_date;
    revision.transactional = migration.transactional;
    revision.upgrade_sql = migration.upgrade_sql;
    revision.downgrade_sql = migration.downgrade_sql;
    script::WriteGivenRevision(template_text, template_path.string(),
                               temp_migrations / "versions" / (migration.file_stem + ".sql"),
                               revision);
    parent_id = migration.id;
    report.revisions.push_back(migration.id);
    for (const std::string& note : migration.notes) report.notes.push_back(note);
    if (!migration.has_down && !migration.repeatable) irreversible.push_back(migration.id);
  }
  for (const std::string& note : folder.notes) report.notes.push_back(note);
  if (!irreversible.empty()) {
    report.notes.push_back(fmt::format(
        "{} revision(s) without a down migration are irreversible (a downgrade through them "
        "stops before running): {}",
        irreversible.size(), util::Join(irreversible, ", ")));
  }
  // Read back as every later command will.
  Config temp_project = LoadConfig(temp_config, request.url);
  script::ScriptDirectory scripts = script::ScriptDirectory::Load(temp_project);

  std::optional<std::string> target;
  if (url) {
    ToolState state = ReadToolState(temp_project, request.tool, request.tool_table);
    std::vector<ChainEntry> chain = ChainOf(folder);
    target = AdoptionTarget(request.tool, chain, state);
    report.adoption = AdoptionResult{DescribeState(request.tool, state, chain), target, false};
  }

  // Into place: the whole folder when it is new, else its two entries.
  if (!into_exists) {
    fs::rename(temp.path(), absolute_into, error);
    if (error) {
      throw Error(fmt::format("Cannot move the project to {}: {}", into.string(), error.message()));
    }
  } else {
    fs::rename(temp_migrations, final_migrations, error);
    if (!error) fs::rename(temp_config, final_config, error);
    if (error) {
      fs::remove_all(final_migrations, error);
      throw Error(
          fmt::format("Cannot move the project into {}: {}", into.string(), error.message()));
    }
  }
  report.config_file = final_config;
  report.versions = final_migrations / "versions";
  log(fmt::format("Imported {} {} migration(s) into {}", report.revisions.size(),
                  SqlToolName(request.tool), final_migrations.string()));

  if (target) {
    Config project = LoadConfig(final_config, request.url);
    script::ScriptDirectory final_scripts = script::ScriptDirectory::Load(project);
    try {
      report.adoption->already_recorded = RecordAdoption(project, final_scripts, *target, log);
    } catch (const Error& e) {
      throw Error(
          fmt::format("{} (the project is written in {}; adopt later with `retort adopt "
                      "{}`)",
                      e.what(), into.string(), SqlToolName(request.tool)));
    }
  }
  return report;
}

AdoptionResult AdoptSqlToolDatabase(const Config& config, SqlTool tool,
                                    const std::optional<std::string>& tool_table,
                                    const std::function<void(const std::string&)>& log) {
  script::ScriptDirectory scripts = script::ScriptDirectory::Load(config);
  std::vector<ChainEntry> chain = ChainOf(tool, scripts);
  if (chain.empty()) {
    throw Error(fmt::format(
        "{}: no revisions imported from {} (their ids are derived from its versions, e.g. {}); "
        "import the {} folder with `retort import {} DIR` first",
        config.file().string(), SqlToolName(tool), IdForVersion(tool, "1"), SqlToolName(tool),
        SqlToolName(tool)));
  }
  ToolState state = ReadToolState(config, tool, tool_table);
  AdoptionResult result;
  result.tool_state = DescribeState(tool, state, chain);
  result.revision = AdoptionTarget(tool, chain, state);
  if (result.revision) {
    result.already_recorded = RecordAdoption(config, scripts, *result.revision, log);
  }
  return result;
}

std::vector<std::string> ReportLines(SqlTool tool, const SqlToolImportReport& report) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("Imported {} {} migration(s): {} ... {}", report.revisions.size(),
                              SqlToolName(tool), report.revisions.front(),
                              report.revisions.back()));
  lines.push_back(fmt::format("  config: {}", report.config_file.string()));
  lines.push_back(fmt::format("  revisions: {}", report.versions.string()));
  for (const std::string& note : report.notes) lines.push_back("  note: " + note);
  if (report.adoption) {
    for (const std::string& line : AdoptionLines(tool, *report.adoption)) lines.push_back(line);
  } else {
    lines.push_back(fmt::format(
        "Next: `retort -c {} upgrade head` for a new database; for one {} manages, `retort -c {} "
        "adopt {} --url URL` records what it applied",
        report.config_file.string(), SqlToolName(tool), report.config_file.string(),
        SqlToolName(tool)));
  }
  return lines;
}

std::vector<std::string> AdoptionLines(SqlTool tool, const AdoptionResult& result) {
  std::vector<std::string> lines;
  if (!result.revision) {
    lines.push_back(
        fmt::format("Adopted: {} has {}; nothing to record (`upgrade head` runs every "
                    "revision)",
                    SqlToolName(tool), result.tool_state));
  } else if (result.already_recorded) {
    lines.push_back(fmt::format("Adopted already: {} is {}, retort's version table records {}",
                                SqlToolName(tool), result.tool_state, *result.revision));
  } else {
    lines.push_back(fmt::format(
        "Adopted: {} is {}; recorded {} in retort's version table (`upgrade head` runs only what "
        "comes after)",
        SqlToolName(tool), result.tool_state, *result.revision));
  }
  return lines;
}

}  // namespace retort::import
