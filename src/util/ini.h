#ifndef RETORT_UTIL_INI_H_
#define RETORT_UTIL_INI_H_

// An INI reader with the rules of Python's configparser as Alembic uses it
// (so an alembic.ini reads the same):
//   - "[section]" headers; "key = value" or "key: value" (first delimiter);
//     keys are case-insensitive (stored lowercased), values trimmed.
//   - Lines starting (after indentation) with '#' or ';' are comments. There
//     are no inline comments: "a = b # c" has the value "b # c".
//   - An indented line after a key continues its value ("\n"-joined); blank
//     lines between continuation lines are kept.
//   - A [DEFAULT] section supplies keys to every section.
//   - Interpolation when a value is read: "%(name)s" is the value of `name`
//     in the same section (or DEFAULT, or the caller's defaults such as
//     "here"), recursively; "%%" is a literal '%'.
// Every error is an IniError "FILE:LINE: what is wrong". The file text is
// never quoted in full, and URL passwords in quoted fragments are masked.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "retort/error.h"

namespace retort::util {

// A malformed or unreadable INI file, or a bad interpolation (exit 2).
class IniError : public UsageError {
 public:
  using UsageError::UsageError;
};

class IniFile {
 public:
  struct Entry {
    std::string raw;  // before interpolation
    int line = 0;     // 1-based line of the key
  };
  using Section = std::map<std::string, Entry>;

  // `filename` names the source in error messages.
  static IniFile Parse(std::string_view text, const std::string& filename);
  // Reads and parses `path`; errors name it as written.
  static IniFile Load(const std::filesystem::path& path);

  const std::string& filename() const { return filename_; }
  // Section names in file order, without DEFAULT.
  const std::vector<std::string>& sections() const { return order_; }
  bool HasSection(std::string_view name) const;

  // The 1-based line where `key` is set in `section` (or DEFAULT); 0 if nowhere.
  int LineOf(const std::string& section, const std::string& key) const;

  // Every key of `section` (its own, DEFAULT's and `defaults`), interpolated.
  // Throws IniError for an unknown section or a bad reference.
  std::map<std::string, std::string> Interpolated(
      const std::string& section, const std::map<std::string, std::string>& defaults) const;

 private:
  std::string filename_;
  std::vector<std::string> order_;
  std::map<std::string, Section> sections_;  // includes "DEFAULT" when present
};

// Replaces every URL-looking password in `text` by "***", so a quoted
// config line, URL or error message can be shown safely: the password of
// "scheme://user:password@host" (also with a raw '@', '?', quote or space
// in the password), of database-scheme typos ("postgresql:/u:pw@h",
// "postgresql//u:pw@h"), of a scheme-less "user:pw@host" token, and the
// value of a "?password=", "&password=" or libpq "password=" parameter.
std::string MaskUrlPasswords(std::string_view text);

}  // namespace retort::util

#endif  // RETORT_UTIL_INI_H_
