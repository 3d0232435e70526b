#ifndef RETORT_TESTING_SCOPED_ENV_H_
#define RETORT_TESTING_SCOPED_ENV_H_

// Scope guards for process-wide state: the current directory and
// environment variables. Header-only.

#include <unistd.h>

#include <filesystem>
#include <string>

namespace retort::test {

// Runs the scope in `dir` as the current directory, restoring the old one.
class ScopedCurrentPath {
 public:
  explicit ScopedCurrentPath(const std::filesystem::path& dir)
      : old_(std::filesystem::current_path()) {
    std::filesystem::current_path(dir);
  }
  ~ScopedCurrentPath() { std::filesystem::current_path(old_); }

 private:
  std::filesystem::path old_;
};

// Sets (or, with nullptr, unsets) an environment variable for the scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = ::getenv(name)) old_ = old, had_ = true;
    if (value == nullptr) {
      ::unsetenv(name);
    } else {
      ::setenv(name, value, 1);
    }
  }
  ~ScopedEnv() {
    if (had_) {
      ::setenv(name_.c_str(), old_.c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::string old_;
  bool had_ = false;
};

}  // namespace retort::test

#endif  // RETORT_TESTING_SCOPED_ENV_H_
