#include "retort/database_url.h"

#include <fmt/format.h>

#include "retort/error.h"
#include "util/ini.h"
#include "util/strings.h"

namespace retort {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 3986 percent-decoding; a '%' not followed by two hex digits is kept,
// as SQLAlchemy's unquote does.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Re-encodes what would break the URL's shape when printed back.
std::string PercentEncodeUser(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '@' || c == ':' || c == '/' || c == '%' || c == '?' || c == '#') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  for (const std::string& pair : util::Split(query, '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = PercentDecode(std::string_view(pair).substr(0, eq));
    std::string value = eq == std::string::npos ? "" : PercentDecode(pair.substr(eq + 1));
    params[key] = value;
  }
  return params;
}

// The URL as an error message may show it: no password, neither in the
// credentials (even mistyped) nor as a ?password= parameter.
std::string Shown(std::string_view text) { return util::MaskUrlPasswords(text); }

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// The MySQL URL parameters retort passes to libmariadb (docs/mysql.md):
// empty when `key=value` is fine, else why not.
std::string CheckMysqlParam(const std::string& key, const std::string& value) {
  // Compared with '_' and '-' alike: SQLAlchemy spells ssl_mode, the
  // client's option files ssl-mode.
  static constexpr std::string_view kKnown[] = {"charset",  "connect-timeout", "read-timeout",
                                                "ssl-ca",   "ssl-cert",        "ssl-key",
                                                "ssl-mode", "unix-socket",     "write-timeout"};
  std::string name = util::ToLower(key);
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  if (name == "ssl-mode") {
    static constexpr std::string_view kModes[] = {"disabled", "preferred", "required", "verify_ca",
                                                  "verify_identity"};
    std::string mode = util::ToLower(value);
    for (std::string_view known : kModes) {
      if (mode == known) return "";
    }
    return fmt::format(
        "ssl-mode '{}' is not one of DISABLED, PREFERRED, REQUIRED, VERIFY_CA, VERIFY_IDENTITY",
        value);
  }
  if (name.ends_with("timeout") && !IsDigits(value)) {
    return fmt::format("{} '{}' is not a whole number of seconds", key, value);
  }
  for (std::string_view known : kKnown) {
    if (name == known) return "";
  }
  return fmt::format(
      "unknown MySQL parameter '{}' (known: charset, connect_timeout, read_timeout, ssl-ca, "
      "ssl-cert, ssl-key, ssl-mode, unix_socket, write_timeout)",
      key);
}

}  // namespace

std::string_view DatabaseUrl::dialect_name() const {
  switch (backend_) {
    case Backend::kSqlite:
      return "sqlite";
    case Backend::kPostgresql:
      return "postgresql";
    case Backend::kMysql:
      return "mysql";
  }
  return "sqlite";
}

DatabaseUrl DatabaseUrl::Parse(std::string_view text) {
  std::string shown = Shown(util::Trim(text));
  auto bad = [&](std::string_view why) {
    return UsageError(fmt::format("Bad URL '{}': {}", shown, why));
  };
  text = util::Trim(text);
  if (text.empty()) throw UsageError("Bad URL '': empty");
  size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) {
    throw bad(
        "expected scheme://..., e.g. sqlite:///app.db, postgresql://user@host/db or "
        "mysql://user@host/db");
  }
  DatabaseUrl url;
  url.scheme_ = std::string(text.substr(0, scheme_end));
  // SQLAlchemy names a driver after '+' ("postgresql+psycopg2",
  // "mysql+pymysql"); libpq, libmariadb and sqlite3 are the only drivers
  // here, so it is ignored.
  std::string dialect = util::ToLower(url.scheme_.substr(0, url.scheme_.find('+')));
  std::string_view rest = text.substr(scheme_end + 3);

  // The query starts at the first '?' after the credentials: SQLAlchemy
  // takes a raw '?' (or '@') in a password as part of it, and splitting
  // there instead would show the rest of the password as a host or port.
  // The credentials end at the last '@' before the path (a '?' does not
  // stop the search: "u:p@ss?w@host/db" has the password "p@ss?w").
  size_t credentials_end = 0;
  if (size_t first_at = rest.find('@'); first_at != std::string_view::npos) {
    size_t stop = rest.find_first_of("/#", first_at);
    credentials_end = rest.rfind('@', stop == std::string_view::npos ? stop : stop - 1) + 1;
  }
  std::string_view query;
  if (size_t q = rest.find('?', credentials_end); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  url.params_ = ParseQuery(query);

  if (dialect == "sqlite") {
    url.backend_ = Backend::kSqlite;
    if (rest.empty()) return url;  // sqlite:// is in memory
    if (rest[0] != '/') {
      throw bad("an SQLite URL has no host; use sqlite:///relative.db or sqlite:////absolute.db");
    }
    std::string path = PercentDecode(rest.substr(1));
    if (path != ":memory:") url.path_ = std::move(path);
    return url;
  }
  if (dialect == "postgresql" || dialect == "postgres") {
    url.backend_ = Backend::kPostgresql;
  } else if (dialect == "mysql" || dialect == "mariadb") {
    url.backend_ = Backend::kMysql;
    // Checked here rather than by the client library, which ignores what it
    // does not know: a misspelt ?ssl-mode must not silently connect in clear.
    for (const auto& [key, value] : url.params_) {
      if (std::string why = CheckMysqlParam(key, value); !why.empty()) throw bad(why);
    }
  } else {
    throw bad(
        fmt::format("unsupported database '{}' (expected sqlite, postgresql or mysql)", dialect));
  }

  // The last '@' ends the credentials: an unencoded '@' in a password is a
  // common mistake that SQLAlchemy also tolerates.
  std::string_view host_part = rest;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    host_part = rest.substr(at + 1);
    size_t colon = userinfo.find(':');
    url.user_ = PercentDecode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) url.password_ = PercentDecode(userinfo.substr(colon + 1));
  }
  std::string_view authority = host_part;
  if (size_t slash = host_part.find('/'); slash != std::string_view::npos) {
    authority = host_part.substr(0, slash);
    url.database_ = PercentDecode(host_part.substr(slash + 1));
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) throw bad("unterminated IPv6 address '['");
    url.host_ = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') throw bad("expected ':port' after the IPv6 address");
      port = after.substr(1);
    }
  } else if (size_t colon = authority.find(':'); colon != std::string_view::npos) {
    url.host_ = std::string(authority.substr(0, colon));
    port = authority.substr(colon + 1);
  } else {
    url.host_ = std::string(authority);
  }
  if (!port.empty()) {
    if (!IsDigits(port) || port.size() > 5 || std::stoi(std::string(port)) > 65535) {
      throw bad(fmt::format("port '{}' is not a number from 0 to 65535", port));
    }
    url.port_ = std::string(port);
  }
  return url;
}

std::string DatabaseUrl::Redacted() const {
  std::string scheme = scheme_.empty() ? std::string(dialect_name()) : scheme_;
  std::string out = scheme + "://";
  if (backend_ == Backend::kSqlite) {
    if (!path_.empty()) out += "/" + path_;
  } else {
    if (!user_.empty() || !password_.empty()) {
      out += PercentEncodeUser(user_);
      if (!password_.empty()) out += ":***";
      out += "@";
    }
    out += host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
    if (!port_.empty()) out += ":" + port_;
    if (!database_.empty()) out += "/" + database_;
  }
  if (!params_.empty()) {
    char separator = '?';
    for (const auto& [key, value] : params_) {
      // A password passed as a query parameter is still a password.
      bool secret = util::EqualsIgnoreCase(key, "password");
      out += separator + key + "=" + (secret ? "***" : value);
      separator = '&';
    }
  }
  return out;
}

DatabaseUrl DatabaseUrl::WithDatabase(const std::string& database) const {
  DatabaseUrl copy = *this;
  if (backend_ == Backend::kSqlite) {
    copy.path_ = database;
  } else {
    copy.database_ = database;
  }
  return copy;
}

}  // namespace retort
