#ifndef RETORT_DATABASE_URL_H_
#define RETORT_DATABASE_URL_H_

#include <map>
#include <string>
#include <string_view>

namespace retort {

// A parsed database URL. It never becomes a string except through
// Redacted(), so a password cannot leak into logs, errors or --sql output.
//
// Accepted forms: sqlite:///relative.db, sqlite:////absolute.db, sqlite://
// (in memory), postgresql://user:pass@host:port/db?key=value (also
// postgres:// and postgresql+driver://, the driver part ignored),
// mysql://user:pass@host:port/db?key=value (also mariadb:// and
// mysql+driver://, e.g. mysql+pymysql://).
class DatabaseUrl {
 public:
  enum class Backend { kSqlite, kPostgresql, kMysql };

  // Throws UsageError naming the (redacted) URL and what is wrong with it.
  static DatabaseUrl Parse(std::string_view text);

  Backend backend() const { return backend_; }
  // The backend's dialect name, as driver::Connection::dialect() and
  // dialect::ForName() spell it: "sqlite", "postgresql" or "mysql" (for
  // mariadb:// too). The one place a backend becomes a name.
  std::string_view dialect_name() const;
  // The URL with any password replaced by "***".
  std::string Redacted() const;
  // The same server, credentials and parameters with another database
  // (PostgreSQL) or file path (SQLite): scratch databases use it, so no code
  // ever has to spell a password into URL text.
  DatabaseUrl WithDatabase(const std::string& database) const;

  // SQLite: the file path as written (relative to the current directory
  // unless absolute); empty when in memory.
  const std::string& path() const { return path_; }
  bool in_memory() const { return backend_ == Backend::kSqlite && path_.empty(); }

  // Server parts (PostgreSQL, MySQL; empty when absent). password() is for
  // the driver only.
  const std::string& user() const { return user_; }
  const std::string& password() const { return password_; }
  const std::string& host() const { return host_; }
  const std::string& port() const { return port_; }
  const std::string& database() const { return database_; }
  // Query parameters (sslmode=..., connect_timeout=...), passed to libpq;
  // for MySQL the ones docs/mysql.md lists (unix_socket, ssl-mode, charset).
  const std::map<std::string, std::string>& params() const { return params_; }

 private:
  Backend backend_ = Backend::kSqlite;
  std::string scheme_;  // as written ("postgresql+psycopg2"), for Redacted()
  std::string path_;
  std::string user_, password_, host_, port_, database_;
  std::map<std::string, std::string> params_;
};

}  // namespace retort

#endif  // RETORT_DATABASE_URL_H_
