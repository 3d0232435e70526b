#include "testing/temp_project.h"

#include <cctype>
#include <stdexcept>

#include "fmt/format.h"
#include "testing/cli_runner.h"

namespace retort::test {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  return out;
}

std::string Slug(const std::string& message) {
  std::string slug;
  for (char c : message) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '_') {
      slug += '_';
    }
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug;
}

std::string EndWithNewline(std::string text) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  return text;
}

}  // namespace

RevisionSpec TableRevision(const std::string& id, const std::vector<std::string>& revises,
                           const std::string& table) {
  return {.id = id,
          .revises = revises,
          .upgrade = "CREATE TABLE " + table + " (id INTEGER);",
          .downgrade = "DROP TABLE " + table + ";",
          .message = "create " + table};
}

std::string RenderRevision(const RevisionSpec& spec) {
  std::string message = spec.message.empty() ? "revision " + spec.id : spec.message;
  std::string text = fmt::format(
      "-- {}\n"
      "--\n"
      "-- Revision ID: {}\n"
      "-- Revises: {}\n"
      "-- Create Date: 2025-10-24 17:40:12.345678\n",
      message, spec.id, Join(spec.revises));
  if (!spec.labels.empty()) text += fmt::format("-- Branch Labels: {}\n", Join(spec.labels));
  if (!spec.depends_on.empty()) text += fmt::format("-- Depends On: {}\n", Join(spec.depends_on));
  text += fmt::format("-- Transactional: {}\n", spec.transactional ? "yes" : "no");
  text += "\n-- migrate:upgrade\n" + EndWithNewline(spec.upgrade);
  if (spec.downgrade.has_value()) {
    text += "\n-- migrate:downgrade\n" + EndWithNewline(*spec.downgrade);
  }
  return text;
}

TempProject::TempProject(const std::vector<RevisionSpec>& revisions,
                         const std::string& extra_config) {
  WriteConfig(DefaultConfig(extra_config));
  std::filesystem::create_directories(versions_dir());
  for (const RevisionSpec& spec : revisions) AddRevision(spec);
}

std::string TempProject::DefaultConfig(const std::string& extra) {
  return "[retort]\n"
         "script_location = migrations\n"
         "url = sqlite:///app.db\n" +
         EndWithNewline(extra);
}

std::filesystem::path TempProject::AddRevision(const RevisionSpec& spec) {
  std::string name = spec.file_name;
  if (name.empty()) {
    std::string slug = Slug(spec.message.empty() ? "revision" : spec.message);
    name = spec.id + "_" + slug + ".sql";
  }
  std::filesystem::path path = versions_dir() / name;
  WriteFile(path, RenderRevision(spec));
  return path;
}

std::filesystem::path TempProject::Write(const std::filesystem::path& relative,
                                         const std::string& content) {
  std::filesystem::path path = root() / relative;
  WriteFile(path, content);
  return path;
}

void TempProject::WriteConfig(const std::string& content) { WriteFile(config_path(), content); }

void FillSections(const std::filesystem::path& file, const std::string& upgrade,
                  const std::string& downgrade) {
  std::string text = ReadFile(file);
  const std::string marker = "-- migrate:upgrade";
  size_t at = text.find(marker);
  if (at == std::string::npos) {
    throw std::runtime_error("no '-- migrate:upgrade' in " + file.string());
  }
  std::string header = text.substr(0, at);
  WriteFile(file, header + marker + "\n" + EndWithNewline(upgrade) + "\n-- migrate:downgrade\n" +
                      EndWithNewline(downgrade));
}

}  // namespace retort::test
