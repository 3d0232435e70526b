#include "retort/config.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <set>
#include <utility>

#include "retort/error.h"
#include "util/ini.h"
#include "util/strings.h"

namespace retort {
namespace {

namespace fs = std::filesystem;

// The section used without -n: the only one $DATABASE_URL applies to.
constexpr const char* kDefaultSection = "retort";

std::optional<std::string> Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

fs::path Resolve(const fs::path& here, const std::string& value) {
  fs::path path(value);
  fs::path resolved = (path.is_absolute() ? path : here / path).lexically_normal();
  // "a/" and "a" are one folder: compare and print them alike.
  if (!resolved.has_filename() && resolved.has_relative_path()) resolved = resolved.parent_path();
  return resolved;
}

}  // namespace

Config Config::Load(const ConfigSource& source) {
  fs::path file;
  if (source.file) {
    file = *source.file;
  } else if (auto from_env = Env("RETORT_CONFIG")) {
    file = *from_env;
  } else {
    file = "retort.ini";
  }
  std::error_code error;
  if (!fs::exists(file, error)) {
    // An Alembic project beside it: say how to switch (docs/migrating.md).
    fs::path alembic_ini = file.parent_path() / "alembic.ini";
    if (fs::exists(alembic_ini, error)) {
      throw UsageError(fmt::format(
          "No config file '{}' found, but '{}' is here: convert the Alembic project with "
          "`retort import alembic {} --dialect sqlite|postgresql`",
          file.string(), alembic_ini.string(), alembic_ini.string()));
    }
    throw UsageError(fmt::format("No config file '{}' found", file.string()));
  }
  if (!fs::is_regular_file(file, error)) {
    throw UsageError(fmt::format("Config file '{}' is not a file", file.string()));
  }

  Config config;
  config.file_ = file;
  config.here_ = fs::absolute(file).lexically_normal().parent_path();
  config.section_ = source.section;
  config.url_override_ = source.url;
  config.x_args_ = source.x_args;
  config.connect_wait_ = source.connect_wait;

  util::IniFile ini = util::IniFile::Load(file);
  config.values_ = ini.Interpolated(source.section, {{"here", config.here_.string()}});
  for (const auto& [key, value] : config.values_)
    config.lines_[key] = ini.LineOf(source.section, key);

  auto location = config.values_.find("script_location");
  if (location == config.values_.end() || util::Trim(location->second).empty()) {
    throw UsageError(
        fmt::format("No 'script_location' setting in [{}] of {}", config.section_, file.string()));
  }
  // Relative paths in the file mean "next to the file", whatever the
  // current directory is (what %(here)s would say, without writing it).
  for (const char* key : {"script_location", "schema"}) {
    auto it = config.values_.find(key);
    if (it != config.values_.end() && !util::Trim(it->second).empty()) {
      it->second = Resolve(config.here_, std::string(util::Trim(it->second))).string();
    }
  }
  return config;
}

Config Config::FromSettings(DatabaseUrl url, const std::map<std::string, std::string>& settings,
                            std::chrono::milliseconds connect_wait) {
  Config config;
  config.file_ = "<settings>";
  config.here_ = fs::current_path();
  config.section_ = "retort";
  config.url_value_ = std::move(url);
  config.connect_wait_ = connect_wait;
  for (const auto& [key, value] : settings) config.values_[util::ToLower(key)] = value;
  // Embedded migrations have no folder; nothing reads one from this config.
  config.values_["script_location"] = "";
  return config;
}

std::optional<std::string> Config::Get(const std::string& key) const {
  auto it = values_.find(util::ToLower(key));
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

std::string Config::GetOr(const std::string& key, const std::string& fallback) const {
  return Get(key).value_or(fallback);
}

bool Config::GetBool(const std::string& key, bool fallback) const {
  std::optional<std::string> value = Get(key);
  if (!value || util::Trim(*value).empty()) return fallback;
  // configparser's BOOLEAN_STATES.
  std::string word = util::ToLower(util::Trim(*value));
  if (word == "true" || word == "yes" || word == "on" || word == "1") return true;
  if (word == "false" || word == "no" || word == "off" || word == "0") return false;
  auto line = lines_.find(util::ToLower(key));
  throw UsageError(fmt::format("{}:{}: setting '{}' must be true or false, not '{}'",
                               file_.string(), line == lines_.end() ? 0 : line->second, key,
                               util::Trim(*value)));
}

int Config::GetInt(const std::string& key, int fallback) const {
  std::optional<std::string> value = Get(key);
  if (!value || util::Trim(*value).empty()) return fallback;
  std::string_view text = util::Trim(*value);
  int result = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), result);
  if (error != std::errc() || end != text.data() + text.size()) {
    auto line = lines_.find(util::ToLower(key));
    throw UsageError(fmt::format("{}:{}: setting '{}' must be an integer, not '{}'", file_.string(),
                                 line == lines_.end() ? 0 : line->second, key, text));
  }
  return result;
}

Config Config::WithUrl(DatabaseUrl url) const {
  Config copy = *this;
  copy.url_value_ = std::move(url);
  return copy;
}

DatabaseUrl Config::Url() const {
  if (url_value_) return *url_value_;
  std::string text;
  std::string origin;
  // An empty --url or $DATABASE_URL is an error, not "unset": a deploy
  // script's unset variable would otherwise migrate the config's database.
  // $DATABASE_URL names the default section's database only: with several
  // databases in one config, `-n tools upgrade` must not migrate the
  // application's. A section opts in with `url_env = NAME` (any variable).
  std::string env_name;
  if (std::optional<std::string> named = Get("url_env"); named && !util::Trim(*named).empty()) {
    env_name = std::string(util::Trim(*named));
  } else if (section_ == kDefaultSection) {
    env_name = "DATABASE_URL";
  }
  const char* env_url = env_name.empty() ? nullptr : std::getenv(env_name.c_str());
  if (url_override_ && util::Trim(*url_override_).empty()) {
    throw UsageError(
        "--url is empty (an unset variable in the command line?); give a database URL or leave "
        "--url out");
  }
  if (!url_override_ && env_url != nullptr && util::Trim(env_url).empty()) {
    throw UsageError(
        fmt::format("${} is set but empty; give it a database URL or unset it to use the config's "
                    "url",
                    env_name));
  }
  if (url_override_) {
    text = *url_override_;
    origin = "from --url";
  } else if (env_url != nullptr && *env_url != '\0') {
    text = env_url;
    origin = "from $" + env_name;
  } else {
    // sqlalchemy.url lets an adopted alembic.ini section work unchanged.
    for (const char* key : {"url", "sqlalchemy.url"}) {
      std::optional<std::string> value = Get(key);
      if (value && !util::Trim(*value).empty()) {
        text = *value;
        origin = fmt::format("setting '{}' in {}:{}", key, file_.string(), lines_.at(key));
        break;
      }
    }
  }
  if (text.empty()) {
    throw UsageError(
        env_name.empty()
            ? fmt::format("No database URL: pass --url, or set 'url' (or 'url_env', a variable "
                          "holding it) in [{}] of {}",
                          section_, file_.string())
            : fmt::format("No database URL: pass --url, set ${}, or set 'url' in [{}] of {}",
                          env_name, section_, file_.string()));
  }
  try {
    return DatabaseUrl::Parse(text);
  } catch (const UsageError& e) {
    throw UsageError(fmt::format("{} ({})", e.what(), origin));
  }
}

std::filesystem::path Config::script_location() const {
  // Load() guarantees it is present and already resolved.
  return fs::path(values_.at("script_location"));
}

std::vector<std::filesystem::path> Config::version_locations() const {
  // As Alembic: when version_locations is set, exactly those folders in
  // that order (script_location/versions only if listed); else versions/.
  std::string raw = GetOr("version_locations", "");
  if (util::Trim(raw).empty()) return {(script_location() / "versions").lexically_normal()};
  std::vector<fs::path> out;

  // Alembic's version_path_separator; unset means any of them.
  std::string separators = " ,:\n";
  if (auto chosen = Get("version_path_separator"); chosen && !util::Trim(*chosen).empty()) {
    std::string name = util::ToLower(util::Trim(*chosen));
    if (name == "space") {
      separators = " ";
    } else if (name == "os" || name == ":") {
      separators = ":";
    } else if (name == ";") {
      separators = ";";
    } else if (name == "newline") {
      separators = "\n";
    } else {
      auto line = lines_.find("version_path_separator");
      throw UsageError(fmt::format(
          "{}:{}: setting 'version_path_separator' must be space, os, newline, ':' or ';', not "
          "'{}'",
          file_.string(), line == lines_.end() ? 0 : line->second, util::Trim(*chosen)));
    }
  }
  std::set<fs::path> seen;
  for (const std::string& item : util::SplitList(raw, separators)) {
    fs::path path = Resolve(here_, item);
    if (seen.insert(path).second) out.push_back(path);
  }
  // Only separators (a lone ","): no folder at all is not a project.
  if (out.empty()) return {(script_location() / "versions").lexically_normal()};
  return out;
}

std::string Config::file_template() const {
  std::string value = GetOr("file_template", "");
  return util::Trim(value).empty() ? "%(rev)s_%(slug)s" : value;
}

int Config::truncate_slug_length() const {
  int length = GetInt("truncate_slug_length", 40);
  // Alembic's `truncate_slug_length or 40`.
  return length <= 0 ? 40 : length;
}

std::string Config::version_table() const {
  std::string value(util::Trim(GetOr("version_table", "")));
  return value.empty() ? "retort_version" : value;
}

std::string Config::version_table_schema() const {
  return std::string(util::Trim(GetOr("version_table_schema", "")));
}

bool Config::transaction_per_migration() const {
  return GetBool("transaction_per_migration", false);
}

std::chrono::milliseconds Config::lock_timeout() const {
  std::string text(util::Trim(GetOr("lock_timeout", "")));
  if (text.empty()) return std::chrono::milliseconds(0);
  // strtod alone would take "inf", "nan" and hex; a plain decimal is asked.
  bool plain = text.find_first_not_of("0123456789.") == std::string::npos &&
               text.find_first_of("0123456789") != std::string::npos;
  char* end = nullptr;
  double seconds = plain ? std::strtod(text.c_str(), &end) : -1;
  if (!plain || end != text.c_str() + text.size() || !std::isfinite(seconds) || seconds < 0 ||
      seconds > 1e9) {
    auto line = lines_.find("lock_timeout");
    throw UsageError(fmt::format(
        "{}:{}: setting 'lock_timeout' must be a number of seconds (0 = wait forever), not '{}'",
        file_.string(), line == lines_.end() ? 0 : line->second, text));
  }
  return std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000)));
}

}  // namespace retort
