#ifndef RETORT_CONFIG_H_
#define RETORT_CONFIG_H_

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "retort/database_url.h"

namespace retort {

// Where a Config comes from: the CLI's global options, or a program's choice.
struct ConfigSource {
  // -c FILE; else $RETORT_CONFIG; else ./retort.ini.
  std::optional<std::filesystem::path> file;
  // -n NAME: the INI section.
  std::string section = "retort";
  // --url; else $DATABASE_URL; else `url` in the section.
  std::optional<std::string> url;
  // -x KEY=VALUE, available to templates and future hooks.
  std::map<std::string, std::string> x_args;
  // --wait SECONDS: keep retrying the connection this long (a database
  // container still starting); zero = one attempt.
  std::chrono::milliseconds connect_wait{0};
};

// One section of a retort.ini, with %(here)s expanded (the config file's
// folder) and relative paths (script_location, schema, version_locations,
// version paths) resolved against that folder. Load() throws UsageError
// naming the file, section or setting at fault (missing file, malformed
// line, unknown section, missing script_location).
class Config {
 public:
  static Config Load(const ConfigSource& source);
  // A configuration without a file, for programs whose migrations are
  // embedded (retort/embedded.h): the database `url` and settings named as
  // in a retort.ini section (version_table, transaction_per_migration,
  // lock_timeout, ...). Nothing else (environment, --url) is consulted. A
  // malformed setting throws UsageError when an operation reads it, naming
  // "<settings>" as the file.
  static Config FromSettings(DatabaseUrl url, const std::map<std::string, std::string>& settings,
                             std::chrono::milliseconds connect_wait);

  const std::filesystem::path& file() const { return file_; }
  const std::filesystem::path& here() const { return here_; }
  const std::string& section() const { return section_; }

  // A raw setting of the section, after %(here)s and %%-unescaping.
  // script_location and schema come back resolved (absolute).
  std::optional<std::string> Get(const std::string& key) const;
  std::string GetOr(const std::string& key, const std::string& fallback) const;
  // Throws UsageError for a value that is not a boolean/integer.
  bool GetBool(const std::string& key, bool fallback) const;
  int GetInt(const std::string& key, int fallback) const;

  // The database URL by precedence (--url > $DATABASE_URL > url). Throws
  // UsageError when none is set or it does not parse.
  DatabaseUrl Url() const;
  // A copy of this configuration that connects to `url` instead, ahead of
  // every other source (scratch databases for verify and status).
  Config WithUrl(DatabaseUrl url) const;

  std::filesystem::path script_location() const;
  // The folders of revision files: exactly those listed in
  // version_locations, in that order (separated by spaces, commas or the
  // platform path separator; `version_path_separator` picks one), as in
  // Alembic; script_location/versions when it is unset.
  std::vector<std::filesystem::path> version_locations() const;
  // After %%-unescaping, ready for Python-style %-formatting.
  std::string file_template() const;         // default "%(rev)s_%(slug)s"
  int truncate_slug_length() const;          // default 40
  std::string version_table() const;         // default "retort_version"
  std::string version_table_schema() const;  // default "" (none)
  bool transaction_per_migration() const;    // default false
  // `lock_timeout` in seconds (fractions allowed): how long a run waits for
  // another run's migration lock before failing. Default 0 = wait as long
  // as the other run takes. Throws UsageError for a negative or non-number.
  std::chrono::milliseconds lock_timeout() const;
  // From ConfigSource::connect_wait (--wait); not an INI setting.
  std::chrono::milliseconds connect_wait() const { return connect_wait_; }
  const std::map<std::string, std::string>& x_args() const { return x_args_; }

 private:
  std::filesystem::path file_;
  std::filesystem::path here_;
  std::string section_;
  std::map<std::string, std::string> values_;
  std::map<std::string, int> lines_;  // where each key is set, for error messages
  std::optional<std::string> url_override_;
  std::optional<DatabaseUrl> url_value_;
  std::map<std::string, std::string> x_args_;
  std::chrono::milliseconds connect_wait_{0};
};

}  // namespace retort

#endif  // RETORT_CONFIG_H_
