#ifndef RETORT_TESTING_TEMP_DIR_H_
#define RETORT_TESTING_TEMP_DIR_H_

#include <filesystem>
#include <string>
#include <string_view>

namespace retort::test {

// A fresh, uniquely named folder under the system temp directory, removed
// (with everything in it) when the object is destroyed. Set
// RETORT_KEEP_TEMP=1 to keep it for a post-mortem.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // path() / relative.
  std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }
  // Writes `text` to path()/relative (creating folders); returns its path.
  std::filesystem::path Write(const std::filesystem::path& relative, std::string_view text) const;

 private:
  std::filesystem::path path_;
};

// Writes `content` to `path`, creating parent folders. Throws
// std::runtime_error on failure.
void WriteFile(const std::filesystem::path& path, const std::string& content);
// The whole file; throws std::runtime_error when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace retort::test

#endif  // RETORT_TESTING_TEMP_DIR_H_
