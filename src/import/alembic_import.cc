#include "import/alembic_import.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include "import/alembic_project.h"
#include "import/alembic_render.h"
#include "retort/database_url.h"
#include "retort/error.h"
#include "script/project_template.h"
#include "util/ini.h"
#include "util/strings.h"

namespace retort::import {
namespace {

namespace fs = std::filesystem;

// configparser reads '%' as interpolation: a literal one is written '%%'.
std::string IniEscape(std::string_view value) {
  std::string out;
  for (char c : value) out += c == '%' ? std::string("%%") : std::string(1, c);
  return out;
}

std::string Commented(std::string_view text, std::string_view prefix) {
  std::string out;
  for (const std::string& line : util::Split(util::TrimRight(text), '\n')) {
    out += fmt::format("{}{}\n", prefix, util::TrimRight(line));
  }
  return out;
}

// The message lines retort can keep: up to a line that retort would read as
// a header key or section marker (a docstring without the blank line after
// the message runs into "Revision ID: ..."; Alembic shows those lines too).
std::string MessageForHeader(const std::string& message) {
  static const std::regex kKey(
      R"(^\s*(revision[ _-]?id|revises|create[ _-]?date|branch[ _-]?labels|depends[ _-]?on|)"
      R"(transactional|step|needs[ _-]?rewrite)\s*:|^\s*migrate:)",
      std::regex::icase);
  std::string kept;
  for (const std::string& line : util::Split(message, '\n')) {
    if (std::regex_search(line, kKey)) break;
    kept += (kept.empty() ? "" : "\n") + line;
  }
  return std::string(util::TrimRight(kept));
}

// Alembic's offline output: each statement, then a blank line.
std::string Body(const std::string& sql) { return std::string(util::Trim(sql)); }

struct Written {
  std::string text;
  std::string needs_hand;  // the 'Needs Rewrite' reason, or empty
  std::vector<std::string> notes;
};

Written RevisionText(const AlembicRevisionFile& file, const RenderedRevision& rendered,
                     const std::string& source, const fs::path& shown_source) {
  Written out;
  const AlembicHeader& h = file.header;
  const RenderedBody& up = rendered.upgrade;
  const RenderedBody& down = rendered.downgrade;

  std::string up_problem, down_problem;
  if (!rendered.module_problem.empty()) {
    up_problem = down_problem = rendered.module_problem;
    out.needs_hand = rendered.module_problem;
  } else {
    if (!up.problem.empty()) up_problem = up.problem;
    if (up.missing) up_problem = "no upgrade() function";
    if (!down.problem.empty() && !down.irreversible) down_problem = down.problem;
    if (!up_problem.empty() && !down_problem.empty() && up_problem != down_problem) {
      out.needs_hand = fmt::format("upgrade {}; downgrade {}", up_problem, down_problem);
    } else if (!up_problem.empty()) {
      out.needs_hand = down_problem.empty() ? "upgrade " + up_problem : up_problem;
    } else if (!down_problem.empty()) {
      out.needs_hand = "downgrade " + down_problem;
    }
    if (down.irreversible || down.missing) {
      out.notes.push_back(fmt::format("irreversible: its downgrade() {}",
                                      down.missing ? "is missing" : down.problem));
    }
    if (up.autocommit || down.autocommit) {
      out.notes.push_back(
          "runs outside a transaction (it used autocommit_block()): 'Transactional: no'");
    }
  }
  const bool transactional = !(up.autocommit || down.autocommit);

  std::string& t = out.text;
  const std::string message = MessageForHeader(h.message);
  if (!message.empty()) t += Commented(message, "-- ") + "--\n";
  t += fmt::format("-- Revision ID: {}\n", h.revision);
  auto key = [&t](std::string_view name, const std::string& value) {
    t += value.empty() ? fmt::format("-- {}:\n", name) : fmt::format("-- {}: {}\n", name, value);
  };
  key("Revises", fmt::format("{}", fmt::join(h.down_revisions, ", ")));
  key("Create Date", h.create_date);
  key("Branch Labels", fmt::format("{}", fmt::join(h.branch_labels, ", ")));
  key("Depends On", fmt::format("{}", fmt::join(h.depends_on, ", ")));
  t += fmt::format("-- Transactional: {}\n", transactional ? "yes" : "no");
  if (!out.needs_hand.empty()) {
    t += fmt::format("-- Needs Rewrite: {}\n", util::Trim(out.needs_hand));
  }
  t += fmt::format("--\n-- Imported from Alembic's {} by retort import alembic.\n",
                   shown_source.string());

  auto python_reference = [&] {
    return "-- The original Alembic revision, for reference:\n--\n" + Commented(source, "-- | ");
  };
  auto unrendered = [&](const std::string& problem) {
    return fmt::format(
        "-- retort import could not render this with Alembic offline: {}\n"
        "-- Write its SQL here, then delete the 'Needs Rewrite' line above.\n",
        util::Trim(problem));
  };
  bool python_written = false;
  t += "\n-- migrate:upgrade\n";
  if (!up_problem.empty()) {
    t += unrendered(up_problem) + python_reference();
    python_written = true;
  } else {
    std::string body = Body(up.sql);
    if (!body.empty()) t += body + "\n";
  }
  t += "\n-- migrate:downgrade\n";
  if (!down_problem.empty()) {
    t += unrendered(down_problem);
    if (!python_written) t += python_reference();
  } else if (down.irreversible || down.missing) {
    t += fmt::format("-- Alembic's downgrade() {}: this revision is irreversible.\n",
                     down.missing ? "is missing" : util::Trim(down.problem));
  } else {
    std::string body = Body(down.sql);
    if (!body.empty()) t += body + "\n";
  }
  return out;
}

std::string ConfigText(const AlembicProject& project, const std::string& dialect,
                       const std::vector<std::string>& extra_locations,
                       std::vector<std::string>& notes) {
  const util::IniFile ini = util::IniFile::Load(project.ini_path);
  std::map<std::string, std::string> values =
      ini.Interpolated(project.section, {{"here", project.here.string()}});
  auto copied = [&](const std::string& key, const std::string& fallback) {
    auto it = values.find(key);
    return it == values.end() || util::Trim(it->second).empty() ? fallback
                                                                : IniEscape(util::Trim(it->second));
  };

  std::string url_line;
  std::string url(util::Trim(project.url));
  if (url.empty() || url.find("driver://") == 0) {
    url_line = fmt::format(
        "# url = {}  (or set $DATABASE_URL)\n",
        dialect == "sqlite" ? "sqlite:///app.db" : "postgresql://user@localhost:5432/app");
  } else {
    try {
      DatabaseUrl parsed = DatabaseUrl::Parse(url);
      if (!parsed.password().empty()) {
        notes.push_back(
            "alembic.ini's sqlalchemy.url holds a password, which retort does not copy: set "
            "$DATABASE_URL or --url");
        url_line = fmt::format("# url = {}  (password not copied: set $DATABASE_URL)\n",
                               IniEscape(parsed.Redacted()));
      } else {
        url_line = fmt::format("url = {}\n", IniEscape(url));
      }
    } catch (const Error&) {
      url_line =
          "# url =   (alembic.ini's sqlalchemy.url is not one retort reads: set "
          "$DATABASE_URL)\n";
    }
  }

  std::string text = fmt::format(
      "# retort configuration, imported from {} [{}] by `retort import alembic`.\n"
      "# Relative paths are resolved against this file's folder.\n\n"
      "[retort]\n"
      "script_location = {}\n",
      project.ini_path.filename().string(), project.section,
      IniEscape(project.output_script_location.generic_string()));
  if (!extra_locations.empty()) {
    text += fmt::format("version_locations = {}\n",
                        IniEscape(fmt::format("{}", fmt::join(extra_locations, " "))));
  }
  text += url_line;
  text += fmt::format(
      "\n# Alembic's version table, so a database Alembic manages is adopted as it is:\n"
      "# `retort current` shows what `alembic current` shows, and `upgrade head` runs\n"
      "# only what is new.\n"
      "version_table = {}\n"
      "version_table_schema ={}\n",
      project.version_table,
      project.version_table_schema.empty() ? "" : " " + project.version_table_schema);
  if (project.transaction_per_migration) text += "transaction_per_migration = true\n";
  text += fmt::format(
      "\n# New revisions, named as Alembic named them.\n"
      "file_template = {}\n"
      "truncate_slug_length = {}\n",
      copied("file_template", "%%(rev)s_%%(slug)s"), copied("truncate_slug_length", "40"));
  if (values.count("timezone")) text += fmt::format("timezone = {}\n", copied("timezone", ""));
  text +=
      "\n# The declared schema for autogenerate and check (docs/migrating.md tells how\n"
      "# to produce it from SQLAlchemy metadata).\n"
      "# schema = schema.sql\n";
  return text;
}

void WriteFile(const fs::path& path, std::string_view text) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(fmt::format("Cannot write '{}'", path.string()));
}

std::string ReadSource(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool IsNonEmptyFolderOrFile(const fs::path& path) {
  std::error_code error;
  if (!fs::exists(fs::symlink_status(path, error))) return false;
  if (!fs::is_directory(path, error)) return true;
  return !fs::is_empty(path, error);
}

// The new project is built here and renamed into place when complete.
class Staging {
 public:
  explicit Staging(const fs::path& target) {
    fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code error;
    if (!fs::is_directory(parent, error)) {
      throw UsageError(fmt::format("Folder '{}' (for --into) does not exist", parent.string()));
    }
    std::string pattern =
        (parent / fmt::format(".{}.retort-import-XXXXXX", target.filename().string())).string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw Error(
          fmt::format("Cannot create a folder in '{}': {}", parent.string(), std::strerror(errno)));
    }
    path_ = pattern;
  }
  ~Staging() {
    if (!committed_) {
      std::error_code ignored;
      fs::remove_all(path_, ignored);
    }
  }
  const fs::path& path() const { return path_; }
  void MoveTo(const fs::path& target) {
    std::error_code error;
    fs::permissions(path_,
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                        fs::perms::others_read | fs::perms::others_exec,
                    error);
    fs::rename(path_, target, error);
    if (error) {
      throw Error(fmt::format("Cannot move the new project into '{}': {}", target.string(),
                              error.message()));
    }
    committed_ = true;
  }

 private:
  fs::path path_;
  bool committed_ = false;
};

}  // namespace

AlembicImportReport ImportAlembic(const AlembicImportOptions& options) {
  if (options.dialect != "sqlite" && options.dialect != "postgresql") {
    throw UsageError(options.dialect.empty()
                         ? "retort import alembic needs --dialect sqlite or --dialect postgresql "
                           "(the SQL Alembic renders the revisions in)"
                         : fmt::format("Unknown --dialect '{}' (expected sqlite or postgresql)",
                                       options.dialect));
  }
  AlembicProject project = LoadAlembicProject(options.ini, options.section);
  const fs::path into = options.into ? *options.into : project.here / "retort";
  if (IsNonEmptyFolderOrFile(into)) {
    throw Error(fmt::format(
        "'{}' already exists; retort import writes a new project (choose another --into)",
        into.string()));
  }

  std::vector<fs::path> files;
  for (const AlembicRevisionFile& file : project.revisions) files.push_back(file.path);
  std::vector<RenderedRevision> rendered = RenderAlembicRevisions(files, options.dialect);

  AlembicImportReport report;
  report.into = into;
  report.ini = options.ini;
  report.section = options.section;
  report.dialect = options.dialect;
  report.version_table = project.version_table;
  report.version_table_schema = project.version_table_schema;
  report.revisions = static_cast<int>(project.revisions.size());

  Staging staging(into);
  for (size_t i = 0; i < project.revisions.size(); ++i) {
    const AlembicRevisionFile& file = project.revisions[i];
    fs::path shown = file.path.lexically_relative(project.here);
    if (shown.empty() || *shown.begin() == "..") shown = file.path;
    Written written = RevisionText(file, rendered[i], ReadSource(file.path), shown);
    WriteFile(staging.path() / file.output, written.text);
    if (written.needs_hand.empty()) {
      ++report.rendered;
    } else {
      report.needs_hand.push_back({file.header.revision, file.output, written.needs_hand});
    }
    for (std::string& note : written.notes) {
      report.notes.push_back({file.header.revision, file.output, std::move(note)});
    }
  }

  // As in Alembic, version_locations (when set) lists exactly the folders
  // read, in order; script_location/versions is created either way.
  std::vector<std::string> extra_locations;
  const fs::path default_versions = project.output_script_location / "versions";
  std::error_code error;
  fs::create_directories(staging.path() / default_versions, error);
  for (const fs::path& location : project.output_locations) {
    fs::create_directories(staging.path() / location, error);
    extra_locations.push_back(location.generic_string());
  }
  if (project.output_locations.size() == 1 && project.output_locations[0] == default_versions) {
    extra_locations.clear();
  }
  std::vector<std::string> config_notes;
  WriteFile(staging.path() / "retort.ini",
            ConfigText(project, options.dialect, extra_locations, config_notes));
  for (std::string& note : config_notes) report.notes.push_back({"", "retort.ini", note});
  WriteFile(
      staging.path() / project.output_script_location / "script.sql.tmpl",
      script::RevisionTemplateText(options.dialect == "postgresql" ? "postgresql" : "generic"));
  if (IsNonEmptyFolderOrFile(into)) {
    throw Error(fmt::format("'{}' appeared while importing; nothing written", into.string()));
  }
  if (fs::is_directory(into, error)) fs::remove(into, error);  // empty: replaced
  staging.MoveTo(into);
  return report;
}

std::vector<std::string> ReportLines(const AlembicImportReport& report) {
  std::vector<std::string> lines;
  lines.push_back(fmt::format("Imported {} revision{} from {} [{}] into {} ({})", report.revisions,
                              report.revisions == 1 ? "" : "s", report.ini.string(), report.section,
                              report.into.string(), report.dialect));
  lines.push_back(fmt::format("  rendered by Alembic offline: {}", report.rendered));
  lines.push_back(fmt::format("  need a hand: {}", report.needs_hand.size()));
  for (const auto& item : report.needs_hand) {
    lines.push_back(
        fmt::format("    {} ({}): {}", item.file.generic_string(), item.revision, item.text));
  }
  if (!report.notes.empty()) {
    lines.push_back("  notes:");
    for (const auto& item : report.notes) {
      lines.push_back(item.revision.empty()
                          ? fmt::format("    {}: {}", item.file.generic_string(), item.text)
                          : fmt::format("    {} ({}): {}", item.file.generic_string(),
                                        item.revision, item.text));
    }
  }
  lines.push_back(fmt::format(
      "  version table: {}{} (a database Alembic manages is adopted as it is, no stamp)",
      report.version_table_schema.empty() ? "" : report.version_table_schema + ".",
      report.version_table));
  lines.push_back("Next:");
  lines.push_back(fmt::format("  cd {}", report.into.string()));
  if (!report.needs_hand.empty()) {
    lines.push_back(
        "  write the SQL of each revision listed above and delete its 'Needs Rewrite' line "
        "(retort lint lists them)");
  }
  lines.push_back("  retort history             # lists what alembic history lists");
  lines.push_back("  retort current             # on the database: what alembic current shows");
  lines.push_back("  retort upgrade head --sql  # review what is new, then retort upgrade head");
  return lines;
}

}  // namespace retort::import
