#ifndef RETORT_STEP_H_
#define RETORT_STEP_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace retort {

// One result row: each column's text, nullopt for SQL NULL.
using Row = std::vector<std::optional<std::string>>;

// The open connection a C++ step receives: the one the migration runs on,
// inside the revision's transaction (unless the revision says
// `Transactional: no`). The step must not commit, roll back or close it.
// Valid only during the step's call.
class Connection {
 public:
  virtual ~Connection() = default;
  // Runs one or more statements. Throws retort::Error with the database's
  // message; the migration then rolls back the whole revision.
  virtual void Execute(const std::string& sql) = 0;
  // Runs one statement with `$1`, `$2`, ... bound to `params` as text (both
  // backends) and returns its rows. Throws retort::Error like Execute().
  virtual std::vector<Row> Query(const std::string& sql,
                                 const std::vector<std::string>& params = {}) = 0;
  // "sqlite" or "postgresql".
  virtual std::string dialect() const = 0;
};

// Opens a connection of its own to `url` (the forms DatabaseUrl accepts),
// in autocommit mode: for a program that wants to read what its migrations
// made (examples/service). Throws UsageError for a bad URL, Error when the
// database cannot be reached (the message names the URL, password redacted).
std::unique_ptr<Connection> Connect(const std::string& url);

// A data migration written in C++, named by a revision's `-- Step: NAME`
// header. `upgrade` runs after the revision's upgrade SQL; `downgrade`, when
// set, runs before its downgrade SQL. Either may throw (any exception): the
// revision's transaction rolls back, version row included, and the run
// throws retort::Error naming the revision, its file and the step.
using StepFunction = std::function<void(Connection&)>;

struct StepFunctions {
  StepFunction upgrade;
  StepFunction downgrade;  // empty: downgrading runs only the SQL
};

// The steps an application offers, by name. Passed to the migration
// operations (retort/operations.h); the retort CLI has none, so it refuses
// to run a revision that names a step.
class StepRegistry {
 public:
  // Registers `name` ([A-Za-z0-9_.-]+, as in the header). Throws
  // retort::UsageError for a bad or already registered name, or an empty
  // upgrade function.
  void Register(const std::string& name, StepFunction upgrade, StepFunction downgrade = nullptr);
  // The step called `name`, or nullptr.
  const StepFunctions* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

 private:
  std::map<std::string, StepFunctions, std::less<>> steps_;
};

}  // namespace retort

#endif  // RETORT_STEP_H_
