#include "script/foreign_files.h"

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "retort/error.h"

namespace retort::script {
namespace {

namespace fs = std::filesystem;

bool HasRetortHeader(std::string_view content) {
  static const std::regex kRevisionId(R"(^\s*--\s*revision[ _-]?id\s*:)",
                                      std::regex::icase | std::regex::multiline);
  return std::regex_search(content.begin(), content.end(), kRevisionId);
}

}  // namespace

std::optional<std::string> ForeignToolOf(const fs::path& path, std::string_view content) {
  if (HasRetortHeader(content)) return std::nullopt;
  static const std::regex kDbmate(R"(^\s*--\s*migrate:(up|down)(\s|$))", std::regex::multiline);
  static const std::regex kGoose(R"(^\s*--\s*\+goose\s+(up|down)\b)",
                                 std::regex::icase | std::regex::multiline);
  static const std::regex kGolangMigrate(R"(^\d+_.*\.(up|down)\.sql$)");
  static const std::regex kFlyway(R"(^([VU]\d+([._]\d+)*|R)__.+\.sql$)");
  if (std::regex_search(content.begin(), content.end(), kDbmate)) return "dbmate";
  if (std::regex_search(content.begin(), content.end(), kGoose)) return "goose";
  std::string name = path.filename().string();
  if (std::regex_match(name, kGolangMigrate)) return "golang-migrate";
  if (std::regex_match(name, kFlyway)) return "flyway";
  return std::nullopt;
}

Script ParseRevisionFileNamingForeignTool(const std::string& path, FileStat* stat) {
  try {
    return ParseRevisionFile(path, stat);
  } catch (const Error&) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    std::optional<std::string> tool = ForeignToolOf(path, text.str());
    if (!tool) throw;
    fs::path folder = fs::path(path).parent_path();
    throw Error(fmt::format(
        "{}: a {} migration, not a retort revision; convert the folder with `retort import {} "
        "{}` (docs/migrating.md)",
        path, *tool, *tool, folder.empty() ? "." : folder.string()));
  }
}

}  // namespace retort::script
