#include "driver/connection.h"

#include <fmt/format.h>

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

// Until libpq is wired in, a PostgreSQL URL fails at connect time with a
// clear reason rather than at parse time: the URL is valid.
std::unique_ptr<Connection> OpenPostgresql(const DatabaseUrl& url) {
  throw Error(
      fmt::format("Can't connect to {}: PostgreSQL support is not built yet", url.Redacted()));
}

// One row per driver: adding PostgreSQL is adding its factory here.
constexpr Backend kBackends[] = {
    {DatabaseUrl::Backend::kSqlite, &OpenSqlite},
    {DatabaseUrl::Backend::kPostgresql, &OpenPostgresql},
};

}  // namespace

std::unique_ptr<Connection> Connect(const DatabaseUrl& url) {
  for (const Backend& backend : kBackends) {
    if (backend.backend == url.backend()) return backend.open(url);
  }
  throw Error(fmt::format("Can't connect to {}: no driver for this database", url.Redacted()));
}

}  // namespace retort::driver
