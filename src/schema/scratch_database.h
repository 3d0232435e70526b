#ifndef RETORT_SCHEMA_SCRATCH_DATABASE_H_
#define RETORT_SCHEMA_SCRATCH_DATABASE_H_

#include <filesystem>
#include <memory>
#include <string>

#include "driver/connection.h"
#include "retort/config.h"
#include "retort/database_url.h"

namespace retort::schema {

// A throwaway database for the project of `config` (SPEC §5's `dev_url`),
// created on construction and always removed on destruction, also when the
// work on it threw.
//
// - SQLite (dev_url `sqlite://`, or no dev_url and an SQLite target): a
//   fresh file in a new folder under the system temp directory, removed with
//   the folder. Not `:memory:`, because the runtime and the inspector each
//   open their own connection from the URL, and an in-memory database lives
//   and dies with one connection. A dev_url naming an SQLite file is not
//   touched either: only its backend counts.
// - PostgreSQL: a database `retort_scratch_<random>` created on the server
//   of dev_url (connecting to dev_url's database), else of the target URL
//   (connecting to the target database; its role needs CREATEDB), dropped
//   WITH (FORCE) so lingering sessions do not keep it alive.
// - MySQL/MariaDB: the same on the server of dev_url, else of the target
//   URL (its user needs CREATE and DROP there), with the default character
//   set and collation of the database the URL names.
//
// Throws retort::Error when the database cannot be created, UsageError when
// neither dev_url nor a target URL is set.
class ScratchDatabase {
 public:
  explicit ScratchDatabase(const Config& config);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const DatabaseUrl& url() const { return url_; }
  // The project's configuration with the scratch database as its URL, for
  // running the runtime (upgrade, stamp, ...) against it.
  const Config& config() const { return config_; }
  // A new connection to the scratch database.
  std::unique_ptr<driver::Connection> Connect() const;
  // "retort_scratch_1a2b... on postgresql://u:***@host/db", for messages.
  std::string Describe() const;

 private:
  void Drop() noexcept;

  Config config_;
  DatabaseUrl url_;
  std::filesystem::path folder_;  // SQLite
  std::string name_;              // PostgreSQL
  std::unique_ptr<DatabaseUrl> server_url_;
  std::unique_ptr<driver::Connection> server_;  // PostgreSQL: where CREATE/DROP run
};

// The tables a schema comparison leaves out: the version table and its
// "<name>_history" table, and the "<name>_progress" table of MySQL runs
// (qualified by version_table_schema when set).
std::vector<std::string> BookkeepingTables(const Config& config);

}  // namespace retort::schema

#endif  // RETORT_SCHEMA_SCRATCH_DATABASE_H_
