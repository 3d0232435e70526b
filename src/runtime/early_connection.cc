#include "runtime/early_connection.h"

#include <exception>

#include "retort/database_url.h"

namespace retort::runtime {

EarlyConnection EarlyConnection::Start(const Config& config) {
  EarlyConnection early;
  try {
    DatabaseUrl url = config.Url();
    if (url.backend() == DatabaseUrl::Backend::kSqlite) return early;
    early.pending_ =
        std::async(std::launch::async, [url = std::move(url)] { return driver::Connect(url); });
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
