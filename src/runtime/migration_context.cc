#include "runtime/migration_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <thread>
#include <utility>

#include "dialect/dialect.h"
#include "driver/connection.h"
#include "graph/head_maintainer.h"
#include "retort/error.h"
#include "runtime/sql_sink.h"

namespace retort::runtime {
namespace {

using Clock = std::chrono::steady_clock;

// Paths in messages are relative to the current directory when the file is
// under it, as a user typed them; otherwise absolute.
std::string DisplayPath(const std::filesystem::path& path) {
  std::error_code error;
  std::filesystem::path cwd = std::filesystem::current_path(error);
  if (error || path.is_relative()) return path.string();
  std::filesystem::path relative = path.lexically_proximate(cwd);
  if (relative.empty() || *relative.begin() == "..") return path.string();
  return relative.string();
}

// Alembic's step.short_log: the "-- Running ..." comment of --sql output,
// which leaves out the message that the progress line carries.
std::string ShortLog(const graph::Step& step) {
  if (step.kind == graph::Step::Kind::kStamp) return step.Describe();
  return fmt::format("{} {} -> {}", step.is_upgrade ? "upgrade" : "downgrade",
                     fmt::join(step.from_revisions, ", "), fmt::join(step.to_revisions, ", "));
}

const script::SqlSection& SectionOf(const script::Script& script, const graph::Step& step) {
  return step.is_upgrade ? script.upgrade : script.downgrade;
}

// Refuses, before anything runs, a plan that would downgrade through a
// revision that cannot be undone.
void CheckReversible(const script::ScriptDirectory& scripts, const std::vector<graph::Step>& plan) {
  for (const graph::Step& step : plan) {
    if (step.kind != graph::Step::Kind::kMigration || step.is_upgrade) continue;
    const script::Script& script = scripts.Get(*step.revision);
    if (script.irreversible()) {
      throw Error(
          fmt::format("Revision {} ({}) is irreversible (its downgrade section is empty); "
                      "cannot downgrade through it",
                      script.revision.id, DisplayPath(script.path)));
    }
  }
}

// Runs one section, turning the driver's offset into the file's line.
void RunSection(SqlSink& sink, const script::Script& script, const script::SqlSection& section) {
  if (!section.has_statements) return;
  try {
    sink.Execute(section.sql);
  } catch (const driver::StatementError& e) {
    std::size_t offset = std::min(e.offset(), section.sql.size());
    auto newlines = std::count(section.sql.begin(), section.sql.begin() + offset, '\n');
    throw Error(fmt::format("Error in revision {} ({}:{}): {}", script.revision.id,
                            DisplayPath(script.path), section.first_line + newlines, e.what()));
  }
}

void ApplyVersionChanges(SqlSink& sink, const dialect::VersionTable& table,
                         const std::vector<graph::VersionChange>& changes) {
  const dialect::Dialect& dialect = sink.dialect();
  for (const graph::VersionChange& change : changes) {
    switch (change.kind) {
      case graph::VersionChange::Kind::kInsert:
        sink.ExecuteCounted(dialect.InsertVersion(table, change.to));
        break;
      case graph::VersionChange::Kind::kUpdate: {
        // Alembic checks the row count: another tool (or a hand edit) may
        // have moved the version table under us.
        auto changed = sink.ExecuteCounted(dialect.UpdateVersion(table, change.from, change.to));
        if (changed && *changed != 1) {
          throw Error(fmt::format(
              "Online migration expected to match one row when updating '{}' to '{}' in '{}'; "
              "{} found",
              change.from, change.to, table.name, *changed));
        }
        break;
      }
      case graph::VersionChange::Kind::kDelete: {
        auto changed = sink.ExecuteCounted(dialect.DeleteVersion(table, change.from));
        if (changed && *changed != 1) {
          throw Error(fmt::format(
              "Online migration expected to match one row when deleting '{}' in '{}'; {} found",
              change.from, table.name, *changed));
        }
        break;
      }
    }
  }
}

// "5" or "0.5", for messages about a number of seconds the user chose.
std::string Seconds(std::chrono::milliseconds duration) {
  return duration.count() % 1000 == 0
             ? fmt::format("{}", duration.count() / 1000)
             : fmt::format("{:g}", static_cast<double>(duration.count()) / 1000.0);
}

// The version table as the database names it (public.retort_version), so a
// message points at exactly one table.
std::string ShownTable(driver::Connection& db, const dialect::VersionTable& table) {
  std::string schema = table.schema.empty() ? db.CurrentSchema() : table.schema;
  return schema.empty() ? table.name : schema + "." + table.name;
}

// Creates the version table, naming it when the database refuses (no
// privilege on the schema, a schema that does not exist).
void CreateVersionTable(SqlSink& sink, driver::Connection* db, const dialect::VersionTable& table) {
  if (db == nullptr) {
    sink.Execute(sink.dialect().CreateVersionTable(table));
    return;
  }
  // Named before trying: after a failure PostgreSQL answers nothing more in
  // the aborted transaction.
  const std::string shown = ShownTable(*db, table);
  try {
    sink.Execute(sink.dialect().CreateVersionTable(table));
  } catch (const driver::StatementError& e) {
    throw Error(fmt::format("Can't create the version table {}: {}", shown, e.what()));
  }
}

}  // namespace

struct MigrationContext::Impl {
  const Config& config;
  const script::ScriptDirectory& scripts;
  RunOptions options;
  dialect::VersionTable table;
  std::unique_ptr<driver::Connection> connection;

  driver::Connection& Connection() {
    if (connection != nullptr) return *connection;
    const DatabaseUrl url = config.Url();
    const std::chrono::milliseconds wait = config.connect_wait();
    const Clock::time_point deadline = Clock::now() + wait;
    // --wait: a database container may still be starting (refusing
    // connections, or "the database system is starting up"); keep trying
    // until it answers or the time is up, then report the last reason.
    while (true) {
      try {
        connection = driver::Connect(url);
        return *connection;
      } catch (const Error& e) {
        if (wait <= std::chrono::milliseconds::zero() || e.kind() == Error::Kind::kUsage) throw;
        Clock::time_point now = Clock::now();
        if (now >= deadline) {
          throw Error(fmt::format("{} (still failing after --wait {} s)", e.what(), Seconds(wait)));
        }
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(500), deadline - now));
      }
    }
  }

  const dialect::Dialect& OfflineDialect() const {
    return dialect::ForName(
        config.Url().backend() == DatabaseUrl::Backend::kPostgresql ? "postgresql" : "sqlite");
  }

  std::ostream& SqlOut() const { return options.sql_out ? *options.sql_out : std::cout; }

  std::vector<std::string> ReadVersionRows(driver::Connection& db,
                                           const dialect::Dialect& dialect) {
    if (!db.TableExists(table.schema, table.name)) return {};
    // A table of the same name that is not exactly a version table (another
    // tool's, an old layout, a hand-added column that retort's INSERTs would
    // not fill) must stop the run before anything is written.
    std::vector<std::string> columns = db.TableColumns(table.schema, table.name);
    if (columns != std::vector<std::string>{"version_num"}) {
      throw Error(fmt::format("Version table {} has unexpected columns ({}); expected version_num",
                              ShownTable(db, table), fmt::join(columns, ", ")));
    }
    std::vector<std::string> heads;
    for (const driver::Row& row : db.Query(dialect.SelectVersions(table))) {
      if (!row.empty() && row[0]) heads.push_back(*row[0]);
    }
    return heads;
  }

  std::vector<AppliedStep> RunOnline(const Planner& planner);
  std::vector<AppliedStep> RunOffline(const Planner& planner);
  std::vector<AppliedStep> Execute(SqlSink& sink, const std::vector<graph::Step>& plan,
                                   std::vector<std::string> heads, bool version_table_exists);
};

MigrationContext::MigrationContext(const Config& config, const script::ScriptDirectory& scripts,
                                   RunOptions options)
    : impl_(new Impl{config, scripts, std::move(options),
                     dialect::VersionTable{config.version_table_schema(), config.version_table()},
                     nullptr}) {}

MigrationContext::~MigrationContext() = default;

std::vector<std::string> MigrationContext::CurrentHeads() {
  driver::Connection& db = impl_->Connection();
  return impl_->ReadVersionRows(db, dialect::ForName(db.dialect()));
}

std::vector<AppliedStep> MigrationContext::Run(const Planner& planner) {
  return impl_->options.offline ? impl_->RunOffline(planner) : impl_->RunOnline(planner);
}

void MigrationContext::EnsureVersionTable() {
  if (impl_->options.offline) {
    SqlSink sink = SqlSink::Offline(impl_->SqlOut(), impl_->OfflineDialect());
    sink.Execute(sink.dialect().CreateVersionTable(impl_->table));
    return;
  }
  driver::Connection& db = impl_->Connection();
  db.AcquireMigrationLock(impl_->table.schema, impl_->table.name, impl_->config.lock_timeout());
  SqlSink sink = SqlSink::Online(db, dialect::ForName(db.dialect()));
  SinkTransaction transaction(sink);
  transaction.Ensure();
  if (!db.TableExists(impl_->table.schema, impl_->table.name)) {
    CreateVersionTable(sink, &db, impl_->table);
  }
  transaction.Commit();
  db.ReleaseMigrationLock();
}

std::vector<AppliedStep> MigrationContext::Impl::RunOnline(const Planner& planner) {
  driver::Connection& db = Connection();
  // The lock is held for the whole run, across the commits of
  // transaction_per_migration and `Transactional: no` revisions, and taken
  // before the version rows are read: a concurrent run waits, then reads
  // what this one wrote and plans nothing left to do. Planning once under a
  // run-long lock (rather than re-reading the rows under a fresh lock per
  // revision) keeps one code path for every transaction mode and for
  // PostgreSQL's session advisory lock, and keeps non-transactional
  // revisions from running twice.
  db.AcquireMigrationLock(table.schema, table.name, config.lock_timeout());
  struct LockGuard {
    driver::Connection& db;
    ~LockGuard() {
      try {
        db.ReleaseMigrationLock();
      } catch (...) {
        // Closing the connection releases it anyway.
      }
    }
  } lock_guard{db};

  const dialect::Dialect& dialect = dialect::ForName(db.dialect());
  const bool exists = db.TableExists(table.schema, table.name);
  std::vector<std::string> heads =
      exists ? ReadVersionRows(db, dialect) : std::vector<std::string>{};
  if (options.purge) heads.clear();
  std::vector<graph::Step> plan = planner(heads);
  CheckReversible(scripts, plan);
  SqlSink sink = SqlSink::Online(db, dialect);
  return Execute(sink, plan, std::move(heads), exists);
}

std::vector<AppliedStep> MigrationContext::Impl::RunOffline(const Planner& planner) {
  std::vector<std::string> heads = options.starting_heads;
  std::vector<graph::Step> plan = planner(heads);
  CheckReversible(scripts, plan);
  SqlSink sink = SqlSink::Offline(SqlOut(), OfflineDialect());
  return Execute(sink, plan, std::move(heads), false);
}

// The run itself, identical online and offline (only the sink differs), in
// the order Alembic's MigrationContext.run_migrations issues things.
std::vector<AppliedStep> MigrationContext::Impl::Execute(SqlSink& sink,
                                                         const std::vector<graph::Step>& plan,
                                                         std::vector<std::string> heads,
                                                         bool version_table_exists) {
  const bool per_migration = config.transaction_per_migration();
  const dialect::Dialect& dialect = sink.dialect();
  SinkTransaction transaction(sink);
  if (!per_migration) transaction.Ensure();

  if (!sink.offline()) {
    // Alembic creates the table whenever there are no rows; in the run's
    // transaction, so a failed first upgrade leaves no table behind.
    if (!version_table_exists) {
      transaction.Ensure();
      CreateVersionTable(sink, connection.get(), table);
      if (per_migration) transaction.Commit();
    }
    if (options.purge) {
      transaction.Ensure();
      sink.ExecuteCounted(dialect.DeleteAllVersions(table));
      if (per_migration) transaction.Commit();
    }
  }

  graph::HeadMaintainer maintainer(scripts.map(), std::move(heads));
  std::vector<AppliedStep> applied;
  applied.reserve(plan.size());
  for (const graph::Step& step : plan) {
    const script::Script* script =
        step.kind == graph::Step::Kind::kMigration ? &scripts.Get(*step.revision) : nullptr;
    const bool transactional = script == nullptr || script->transactional;
    Clock::time_point start = Clock::now();

    transaction.Ensure();
    // Offline scripts start from a given revision, not a database: create
    // the table whenever the script is at base, as Alembic does.
    if (sink.offline() && maintainer.heads().empty()) {
      sink.Execute(dialect.CreateVersionTable(table));
    }
    sink.Comment("Running " + ShortLog(step));
    if (script != nullptr) {
      if (!transactional) {
        // `Transactional: no` (VACUUM, CREATE INDEX CONCURRENTLY): commit
        // what came before and run outside any transaction.
        transaction.Commit();
      }
      RunSection(sink, *script, SectionOf(*script, step));
    }
    transaction.Ensure();
    ApplyVersionChanges(sink, table, maintainer.Apply(step));
    // After a non-transactional revision its version row is committed at
    // once: its SQL cannot be undone, so a later failure must not roll the
    // row back and make the database claim the revision never ran.
    if (per_migration || !transactional) transaction.Commit();

    AppliedStep done{step,
                     std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start)};
    if (sink.offline()) done.duration = std::chrono::microseconds(0);
    if (options.log) {
      std::string line = "Running " + step.Describe();
      if (!sink.offline()) {
        line += fmt::format(" ({} ms)", done.duration.count() / 1000);
      }
      options.log(line);
    }
    applied.push_back(std::move(done));
  }

  if (sink.offline() && maintainer.heads().empty()) {
    // Alembic ends a script that leaves nothing applied by dropping the
    // table, inside the run's transaction or (per migration) outside any.
    sink.Execute(dialect.DropVersionTable(table));
  }
  transaction.Commit();
  return applied;
}

}  // namespace retort::runtime
