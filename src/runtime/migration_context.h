#ifndef RETORT_RUNTIME_MIGRATION_CONTEXT_H_
#define RETORT_RUNTIME_MIGRATION_CONTEXT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "graph/step.h"
#include "retort/config.h"
#include "retort/step.h"
#include "runtime/early_connection.h"
#include "runtime/integrity.h"
#include "runtime/statement_progress.h"
#include "script/script_directory.h"

namespace retort::runtime {

// Receives one progress line (no trailing newline).
using LogFn = std::function<void(const std::string&)>;

struct RunOptions {
  // --sql: print the script to `sql_out` instead of connecting.
  bool offline = false;
  std::ostream* sql_out = nullptr;
  // Offline: the version rows to start from (a FROM: start); empty = base.
  std::vector<std::string> starting_heads;
  // stamp --purge: delete every version row before planning (online only).
  bool purge = false;
  // upgrade / downgrade: refuse to run when an applied revision's file no
  // longer matches its recorded checksum (docs/integrity.md). Online only.
  bool check_integrity = false;
  // --tag, passed through for future hooks.
  std::string tag;
  // Progress lines ("Running upgrade a1 -> b2, add users (3 ms)"); may be null.
  LogFn log;
  // The application's C++ steps (`-- Step: name` revisions). nullptr: the
  // CLI, which has none and refuses such revisions before anything runs.
  const StepRegistry* steps = nullptr;
  // A connection the command started opening while it read the files
  // (early_connection.h); nullptr: connect when needed. Online only.
  EarlyConnection* early = nullptr;
};

// A step that ran, with how long it took (offline: zero).
struct AppliedStep {
  graph::Step step;
  std::chrono::microseconds duration{0};
};

// What the database records about applied revisions.
struct DatabaseRecord {
  std::vector<std::string> version_rows;
  // nullopt when the history table is missing (adopted database).
  std::optional<std::vector<HistoryRow>> history;
  // MySQL: the per-statement progress rows (statement_progress.h), settled
  // ones included; empty on databases with transactional DDL.
  std::vector<ProgressRow> progress;
};

// Computes the plan from the version rows read under the lock.
using Planner = std::function<std::vector<graph::Step>(const std::vector<std::string>& heads)>;

// Runs plans against one database (Alembic's MigrationContext plus
// env.py's run_migrations_online/offline). Online: connects, takes the
// migration lock, reads the version rows, plans, and executes every step's
// SQL and version-row changes through the one SQL sink, in one transaction
// (or one per revision with transaction_per_migration; `Transactional: no`
// revisions outside any). Any failure rolls back what the current
// transaction did and throws retort::Error naming the revision, file, line
// and the database's message. Offline: prints the same SQL, never connects.
class MigrationContext {
 public:
  MigrationContext(const Config& config, const script::ScriptDirectory& scripts,
                   RunOptions options);
  ~MigrationContext();

  // The version rows (empty when the table is missing). Online only.
  std::vector<std::string> CurrentHeads();
  // Plans under the lock and runs the plan; returns what ran.
  std::vector<AppliedStep> Run(const Planner& planner);
  // Creates the version and history tables if missing (ensure_version).
  void EnsureVersionTable();
  // The version and history rows, read without the lock (status). Throws
  // for a tampered version or history table. Online only.
  DatabaseRecord ReadRecord();
  // `repair`: under the lock, records the file's checksum for every applied
  // revision whose recorded one differs or is malformed, and deletes
  // history rows of revisions no file has; one line per change (empty:
  // nothing to do). Throws, changing nothing, when a version row names a
  // revision without a file (only restoring the file can fix that).
  std::vector<std::string> Repair();
  // `resolve`: under the lock, settles a revision left half-applied on MySQL
  // (statement_progress.h ResolveHalfApplied); returns the line to print.
  std::string Resolve(const std::string& revision, bool applied);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace retort::runtime

#endif  // RETORT_RUNTIME_MIGRATION_CONTEXT_H_
