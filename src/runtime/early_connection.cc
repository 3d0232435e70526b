#include "runtime/early_connection.h"

#include <exception>
#include <filesystem>
#include <system_error>

#include "retort/database_url.h"

namespace retort::runtime {

EarlyConnection EarlyConnection::Start(const Config& config) {
  EarlyConnection early;
  try {
    DatabaseUrl url = config.Url();
    if (url.backend() == DatabaseUrl::Backend::kSqlite) {
      // Only a database file that exists: opening one creates it, and a
      // command that fails before it connects must leave nothing behind.
      std::error_code ignored;
      if (url.in_memory() || !std::filesystem::is_regular_file(url.path(), ignored)) return early;
    }
    early.pending_ = std::async(std::launch::async, [url = std::move(url)] {
      std::unique_ptr<driver::Connection> connection = driver::Connect(url);
      connection->Preload();
      return connection;
    });
  } catch (const std::exception&) {
    // A bad URL, or no thread to spare: the command connects as usual and
    // reports what is wrong in its usual place.
  }
  return early;
}

std::unique_ptr<driver::Connection> EarlyConnection::Take() {
  if (!pending_.valid()) return nullptr;
  return pending_.get();
}

}  // namespace retort::runtime
