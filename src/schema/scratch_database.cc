#include "schema/scratch_database.h"

#include <fmt/format.h>

#include <random>
#include <string>
#include <system_error>

#include "retort/error.h"

namespace retort::schema {
namespace {

std::string RandomSuffix() {
  std::random_device device;
  std::mt19937_64 generator((static_cast<unsigned long long>(device()) << 32) ^ device());
  return fmt::format("{:016x}", generator());
}

// RFC 3986: everything but unreserved characters is percent-encoded, so a
// password with '@' or '/' survives the round trip through Parse().
std::string PercentEncode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The URL text of `database` on the server of `server`. Config::Load takes
// a URL as text, so the password has to be spelled out here; the text never
// leaves this object (messages use Redacted()).
std::string UrlOnServer(const DatabaseUrl& server, const std::string& database) {
  std::string text = "postgresql://";
  if (!server.user().empty() || !server.password().empty()) {
    text += PercentEncode(server.user());
    if (!server.password().empty()) text += ":" + PercentEncode(server.password());
    text += "@";
  }
  text += server.host();
  if (!server.port().empty()) text += ":" + server.port();
  text += "/" + PercentEncode(database);
  char separator = '?';
  for (const auto& [key, value] : server.params()) {
    text += fmt::format("{}{}={}", separator, PercentEncode(key), PercentEncode(value));
    separator = '&';
  }
  return text;
}

Config WithUrl(const Config& config, const std::string& url) {
  ConfigSource source;
  source.file = config.file();
  source.section = config.section();
  source.url = url;
  source.x_args = config.x_args();
  return Config::Load(source);
}

}  // namespace

ScratchDatabase::ScratchDatabase(const Config& config) {
  std::optional<std::string> dev_url = config.Get("dev_url");
  DatabaseUrl base = dev_url ? DatabaseUrl::Parse(*dev_url) : config.Url();
  if (base.backend() == DatabaseUrl::Backend::kSqlite) {
    folder_ = std::filesystem::temp_directory_path() / ("retort_scratch_" + RandomSuffix());
    std::error_code error;
    if (!std::filesystem::create_directory(folder_, error)) {
      throw Error(fmt::format("Can't create the scratch database folder {}: {}", folder_.string(),
                              error.message()));
    }
    try {
      // sqlite:////abs/path: four slashes for an absolute path.
      std::string text = "sqlite:///" + (folder_ / "scratch.db").string();
      url_ = DatabaseUrl::Parse(text);
      config_ = WithUrl(config, text);
    } catch (...) {
      Drop();
      throw;
    }
    return;
  }
  name_ = "retort_scratch_" + RandomSuffix();
  std::string text = UrlOnServer(base, name_);
  url_ = DatabaseUrl::Parse(text);
  config_ = WithUrl(config, text);
  server_url_ = std::make_unique<DatabaseUrl>(base);
  server_ = driver::Connect(base);
  try {
    server_->ExecuteScript(fmt::format("CREATE DATABASE \"{}\"", name_));
  } catch (const Error& e) {
    throw Error(fmt::format("Can't create the scratch database {} on {}: {}", name_,
                            base.Redacted(), e.what()));
  }
}

ScratchDatabase::~ScratchDatabase() { Drop(); }

void ScratchDatabase::Drop() noexcept {
  if (!folder_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(folder_, ignored);
    return;
  }
  if (!server_) return;
  const std::string drop = fmt::format("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", name_);
  try {
    server_->ExecuteScript(drop);
  } catch (...) {
    // The server connection may have died while we worked: one fresh try.
    try {
      driver::Connect(*server_url_)->ExecuteScript(drop);
    } catch (...) {
      // A destructor cannot report; the name makes a leftover recognisable.
    }
  }
}

std::unique_ptr<driver::Connection> ScratchDatabase::Connect() const {
  return driver::Connect(url_);
}

std::string ScratchDatabase::Describe() const {
  if (!folder_.empty()) return url_.Redacted();
  return fmt::format("{} on {}", name_, server_url_->Redacted());
}

std::vector<std::string> BookkeepingTables(const Config& config) {
  std::string prefix =
      config.version_table_schema().empty() ? "" : config.version_table_schema() + ".";
  return {prefix + config.version_table(), prefix + config.version_table() + "_history"};
}

}  // namespace retort::schema
