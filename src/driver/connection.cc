#include "driver/connection.h"

#include <fmt/format.h>

#include "driver/mysql_connection.h"
#include "driver/postgres_connection.h"
#include "driver/sqlite_connection.h"

namespace retort::driver {
namespace {

using Factory = std::unique_ptr<Connection> (*)(const DatabaseUrl&);

struct Backend {
  DatabaseUrl::Backend backend;
  Factory open;
};

std::unique_ptr<Connection> OpenSqlite(const DatabaseUrl& url) {
  return SqliteConnection::Open(url);
}

std::unique_ptr<Connection> OpenPostgresql(const DatabaseUrl& url) {
  return PostgresConnection::Open(url);
}

std::unique_ptr<Connection> OpenMysql(const DatabaseUrl& url) { return MysqlConnection::Open(url); }

// One row per driver: adding PostgreSQL was adding its factory here.
constexpr Backend kBackends[] = {
    {DatabaseUrl::Backend::kSqlite, &OpenSqlite},
    {DatabaseUrl::Backend::kPostgresql, &OpenPostgresql},
    {DatabaseUrl::Backend::kMysql, &OpenMysql},
};

}  // namespace

std::unique_ptr<Connection> Connect(const DatabaseUrl& url) {
  for (const Backend& backend : kBackends) {
    if (backend.backend == url.backend()) return backend.open(url);
  }
  throw Error(fmt::format("Can't connect to {}: no driver for this database", url.Redacted()));
}

std::string LockTimeoutMessage(std::chrono::milliseconds timeout, const std::string& where) {
  // Whole seconds as the user wrote them ("5 s"); fractions when a test or
  // a user asks for less than a second ("0.3 s").
  std::string seconds = timeout.count() % 1000 == 0
                            ? fmt::format("{}", timeout.count() / 1000)
                            : fmt::format("{:g}", static_cast<double>(timeout.count()) / 1000.0);
  return fmt::format(
      "Timed out after {} s waiting for the migration lock on {} (another retort run holds it)",
      seconds, where);
}

}  // namespace retort::driver
