#include "runtime/display_path.h"

namespace retort::runtime {

std::string DisplayPath(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error || path.is_relative()) return path.string();
  std::filesystem::path relative = path.lexically_proximate(cwd);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

}  // namespace retort::runtime
