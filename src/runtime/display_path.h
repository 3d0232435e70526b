#ifndef RETORT_RUNTIME_DISPLAY_PATH_H_
#define RETORT_RUNTIME_DISPLAY_PATH_H_

#include <filesystem>
#include <string>

namespace retort::runtime {

// A path as messages show it: relative to the current directory when the
// file is under it, as a user typed it; otherwise absolute.
std::string DisplayPath(const std::filesystem::path& path);

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_DISPLAY_PATH_H_
