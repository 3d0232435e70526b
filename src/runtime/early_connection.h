#ifndef RETORT_RUNTIME_EARLY_CONNECTION_H_
#define RETORT_RUNTIME_EARLY_CONNECTION_H_

#include <future>
#include <memory>

#include "driver/connection.h"
#include "retort/config.h"

namespace retort::runtime {

// A PostgreSQL or MySQL connection opened on another thread while the
// command reads its revision files. Opening one costs loading the client
// library (libpq, libmariadb), a TCP handshake, the server starting a
// backend or thread, and authentication: about as long as reading a
// thousand revision files, so doing both at once takes the no-op
// `upgrade head` from their sum to the longer of the two
// (docs/performance.md). An existing SQLite file is opened early too, and
// its schema parsed there (Connection::Preload): at 10,000 tables that is
// ~30 ms the first statement no longer spends. The connection is only handed over by Take() and
// then used by the taking thread alone (both client libraries allow a connection to move between
// threads when it is never used by two at once; libmariadb 3 needs no per-thread initialisation).
// Errors keep their usual order, since a failure is rethrown only in Take(), after the files have
// loaded. Destroying an untaken one waits for its thread and closes it.
class EarlyConnection {
 public:
  // Nothing started: Take() returns nullptr.
  EarlyConnection() = default;
  // Starts connecting when `config` names a PostgreSQL or MySQL database,
  // or a SQLite database file that exists. A URL that does not parse starts
  // nothing: the command reports it where it connects.
  static EarlyConnection Start(const Config& config);

  // The opened connection, or its failure rethrown (retort::Error, as
  // driver::Connect throws it); nullptr when nothing was started or it was
  // taken already.
  std::unique_ptr<driver::Connection> Take();

 private:
  std::future<std::unique_ptr<driver::Connection>> pending_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_EARLY_CONNECTION_H_
