#include "runtime/migration_context.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <thread>
#include <utility>

#include "dialect/dialect.h"
#include "dialect/history_table.h"
#include "driver/connection.h"
#include "graph/head_maintainer.h"
#include "lint/transaction_control.h"
#include "retort/error.h"
#include "runtime/display_path.h"
#include "runtime/failure_notes.h"
#include "runtime/integrity.h"
#include "runtime/sql_sink.h"
#include "runtime/statement_progress.h"
#include "runtime/step_connection.h"
#include "runtime/version_writes.h"

namespace retort::runtime {
namespace {

using Clock = std::chrono::steady_clock;

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

// Refuses, before anything runs, a plan with a revision whose C++ step
// cannot run here: offline (a step is not SQL), from the CLI (no
// registry), or not registered by the application.
void CheckSteps(const script::ScriptDirectory& scripts, const std::vector<graph::Step>& plan,
                const StepRegistry* steps, bool offline) {
  for (const graph::Step& step : plan) {
    if (step.kind != graph::Step::Kind::kMigration) continue;
    const script::Script& script = scripts.Get(*step.revision);
    if (script.step.empty()) continue;
    const std::string where =
        fmt::format("Revision {} ({}) runs the C++ step '{}'", script.revision.id,
                    DisplayPath(script.path), script.step);
    if (offline) {
      throw Error(where + ", which cannot be rendered as SQL; run it from the application");
    }
    if (steps == nullptr) {
      throw Error(where +
                  ", which only the application that registers it can run (see docs/library.md)");
    }
    if (steps->Find(script.step) == nullptr) {
      std::vector<std::string> names = steps->Names();
      throw Error(fmt::format(
          "{}, which is not registered (registered: {})", where,
          names.empty() ? std::string("none") : fmt::format("{}", fmt::join(names, ", "))));
    }
  }
}

// Refuses, before anything runs, a plan through a revision `retort import`
// could not render: running it as an empty revision would silently skip
// what its Alembic original did.
void CheckNeedsRewrite(const script::ScriptDirectory& scripts,
                       const std::vector<graph::Step>& plan) {
  for (const graph::Step& step : plan) {
    if (step.kind != graph::Step::Kind::kMigration) continue;
    const script::Script& script = scripts.Get(*step.revision);
    if (script.needs_rewrite.empty()) continue;
    throw Error(fmt::format(
        "Revision {} ({}) needs its SQL written by hand: {}; write it, then delete the file's "
        "'Needs Rewrite' line (see docs/migrating.md)",
        script.revision.id, DisplayPath(script.path), script.needs_rewrite));
  }
}

// Runs a revision's C++ step; any exception becomes one line naming the
// revision, file and step (the caller's transaction then rolls back).
void RunStep(driver::Connection& db, const script::Script& script, const StepFunction& function) {
  if (!function) return;
  StepConnection handle(db);  // the run's own connection, in its transaction
  const std::string where = fmt::format("Step '{}' of revision {} ({}) failed", script.step,
                                        script.revision.id, DisplayPath(script.path));
  try {
    function(handle);
  } catch (const std::exception& e) {
    throw Error(fmt::format("{}: {}", where, e.what()));
  } catch (...) {
    throw Error(where + ": unknown exception");
  }
}

// Runs one section, turning the driver's offset into the file's line.
void RunSection(SqlSink& sink, const script::Script& script, const script::SqlSection& section) {
  if (!section.has_statements) return;
  if (!script.bodies_loaded) {
    // ScriptDirectory::LoadBodies was not called for this plan: a bug,
    // caught here rather than running an empty section.
    throw Error(fmt::format("Internal error: the SQL of revision {} ({}) was not loaded",
                            script.revision.id, DisplayPath(script.path)));
  }
  try {
    sink.Execute(section.sql);
  } catch (const driver::StatementError& e) {
    std::size_t offset = std::min(e.offset(), section.sql.size());
    auto newlines = std::count(section.sql.begin(), section.sql.begin() + offset, '\n');
    throw Error(fmt::format("Error in revision {} ({}:{}): {}", script.revision.id,
                            DisplayPath(script.path), section.first_line + newlines, e.what()));
  }
}

// A transactional revision that begins or ends a transaction itself (a
// psql habit: BEGIN; ... COMMIT;) would commit the run so far behind
// retort's back, so a later failure could not roll it back. Refused for
// every revision of the plan before anything runs (on databases whose DDL
// is transactional: MySQL commits at each DDL statement anyway).
void RefuseTransactionControl(const script::ScriptDirectory& scripts,
                              const std::vector<graph::Step>& plan) {
  for (const graph::Step& step : plan) {
    if (step.kind != graph::Step::Kind::kMigration) continue;
    const script::Script& script = scripts.Get(*step.revision);
    if (!script.transactional) continue;
    const script::SqlSection& section = SectionOf(script, step);
    std::vector<lint::TransactionControl> found =
        lint::FindTransactionControl(section.sql, section.first_line);
    if (found.empty()) continue;
    throw Error(fmt::format(
        "{}:{}: {} in transactional revision {} would commit or discard the run so far; remove "
        "it (retort runs each revision in a transaction), or mark the revision "
        "'Transactional: no' to run it outside one",
        DisplayPath(script.path), found.front().line, found.front().statement, script.revision.id));
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

// Creates the version table (or, with `history`, the history table beside
// it), naming it when the database refuses (no privilege on the schema, a
// schema that does not exist).
void CreateVersionTable(SqlSink& sink, driver::Connection* db, const dialect::VersionTable& table,
                        bool history = false) {
  const dialect::Dialect& dialect = sink.dialect();
  const std::string sql =
      history ? dialect::CreateHistoryTable(dialect, table) : dialect.CreateVersionTable(table);
  if (db == nullptr) {
    sink.Execute(sql);
    return;
  }
  // Named before trying: after a failure PostgreSQL answers nothing more in
  // the aborted transaction.
  const std::string shown = ShownTable(*db, table);
  try {
    sink.Execute(sql);
  } catch (const driver::StatementError& e) {
    throw Error(fmt::format("Can't create the {} table {}: {}", history ? "history" : "version",
                            shown, e.what()));
  }
}

// The history row of a migration step: an upgrade records the revision's
// checksum, a downgrade forgets it. Stamps record nothing (their SQL never
// ran, so there is nothing to vouch for). Online, the upgrade records the
// Revises: it ran on; --sql scripts leave it out (they may run on a history
// table from before the column).
HistoryWrite HistoryChange(const graph::Step& step, const script::Script& script,
                           std::chrono::milliseconds duration, bool offline) {
  if (!step.is_upgrade) {
    return HistoryWrite{.revision = script.revision.id,
                        .applied = false,
                        .checksum = {},
                        .duration_ms = 0,
                        .revises = std::nullopt};
  }
  return HistoryWrite{
      .revision = script.revision.id,
      .applied = true,
      .checksum = ChecksumOf(script),
      .duration_ms = duration.count(),
      .revises = offline ? std::nullopt
                         : std::optional<std::string>(JoinRevises(script.revision.down_revisions))};
}

// The longest id a plan writes to the version table.
std::size_t LongestWrittenId(const std::vector<graph::Step>& plan) {
  std::size_t longest = 0;
  for (const graph::Step& step : plan) {
    for (const std::string& id : step.to_revisions) longest = std::max(longest, id.size());
  }
  return longest;
}

}  // namespace

namespace {

// A connection error that waiting cannot fix: the server answered, and
// refused who or what was asked for (unknown role or database, a wrong
// password, no pg_hba.conf entry; MySQL's access denied or unknown
// database). --wait retries only a server that is not there yet.
bool WillNeverConnect(std::string_view message) {
  for (std::string_view permanent :
       {"does not exist", "password authentication failed", "authentication failed",
        "no pg_hba.conf entry", "Access denied", "Unknown database", "password is required",
        "invalid port number"}) {
    if (message.find(permanent) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

struct MigrationContext::Impl {
  const Config& config;
  const script::ScriptDirectory& scripts;
  RunOptions options;
  dialect::VersionTable table;
  dialect::VersionTable history;
  std::unique_ptr<driver::Connection> connection;
  // MySQL (DDL commits as it goes): statements are run one by one with
  // their progress recorded, and half-applied revisions resume at these
  // statement indexes (statement_progress.h). Online only.
  bool track_progress = false;
  std::map<std::string, long long> resume{};
  // Where an online run stands, for the end of its error line if it fails
  // (failure_notes.h): the step running, and this run's revisions by
  // whether their transaction was committed.
  struct Progress {
    // The revision of the migration step running (copied: the plan is
    // gone when the error reaches Run) and its direction.
    std::string revision;
    bool is_upgrade = true;
    bool nothing_recorded = false;  // no version row when the run began
    bool commit_failed = false;     // its message says what rolled back
    std::vector<std::string> committed;
    std::vector<std::string> uncommitted;
  } progress{};
  std::string FailureNotes(const Error& e);

  driver::Connection& Connection() {
    if (connection != nullptr) return *connection;
    const DatabaseUrl url = config.Url();
    const std::chrono::milliseconds wait = config.connect_wait();
    const Clock::time_point deadline = Clock::now() + wait;
    // --wait: a database container may still be starting (refusing
    // connections, or "the database system is starting up"); keep trying
    // until it answers or the time is up, then report the last reason.
    // The first attempt takes the connection opened while the files loaded,
    // if the command started one; retries connect afresh.
    EarlyConnection* early = options.early;
    while (true) {
      try {
        if (early != nullptr) connection = std::exchange(early, nullptr)->Take();
        if (connection == nullptr) connection = driver::Connect(url);
        return *connection;
      } catch (const Error& e) {
        if (wait <= std::chrono::milliseconds::zero() || e.kind() == Error::Kind::kUsage ||
            WillNeverConnect(e.what())) {
          throw;
        }
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
    return dialect::ForName(config.Url().dialect_name());
  }

  std::ostream& SqlOut() const { return options.sql_out ? *options.sql_out : std::cout; }

  // The columns of the version and history tables (nullopt: missing).
  struct Shapes {
    std::optional<std::vector<std::string>> version;
    std::optional<std::vector<std::string>> history;
  };
  Shapes ReadShapes(driver::Connection& db) {
    Shapes shapes;
    if (db.dialect() != "postgresql") {
      // No round trips to save: the driver's own checks, table by table.
      if (db.TableExists(table.schema, table.name)) {
        shapes.version = db.TableColumns(table.schema, table.name);
      }
      if (db.TableExists(history.schema, history.name)) {
        shapes.history = db.TableColumns(history.schema, history.name);
      }
      return shapes;
    }
    // One round trip for both tables (the driver's TableExists and
    // TableColumns would take four): tables and partitioned tables only, as
    // TableExists, columns in order, a column-less table still found.
    for (const driver::Row& row :
         db.Query("SELECT c.relname, a.attname FROM pg_catalog.pg_class c "
                  "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                  "LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
                  "AND NOT a.attisdropped "
                  "WHERE c.relname IN ($1, $2) "
                  "AND n.nspname = COALESCE(NULLIF($3, ''), current_schema()) "
                  "AND c.relkind IN ('r', 'p') ORDER BY c.relname, a.attnum",
                  {table.name, history.name, table.schema})) {
      if (row.size() < 2 || !row[0]) continue;
      std::optional<std::vector<std::string>>& columns =
          *row[0] == table.name ? shapes.version : shapes.history;
      if (!columns) columns.emplace();
      if (row[1]) columns->push_back(*row[1]);
    }
    return shapes;
  }

  std::vector<std::string> ReadVersionRows(driver::Connection& db, const dialect::Dialect& dialect,
                                           const std::optional<std::vector<std::string>>& columns) {
    if (!columns) return {};
    // A table of the same name that is not exactly a version table (another
    // tool's, an old layout, a hand-added column that retort's INSERTs would
    // not fill) must stop the run before anything is written.
    if (*columns != std::vector<std::string>{"version_num"}) {
      throw Error(fmt::format("Version table {} has unexpected columns ({}); expected version_num",
                              ShownTable(db, table), fmt::join(*columns, ", ")));
    }
    std::vector<std::string> heads;
    for (const driver::Row& row : db.Query(dialect.SelectVersions(table))) {
      if (!row.empty() && row[0]) heads.push_back(*row[0]);
    }
    return heads;
  }

  // The history rows; nullopt when the table is missing (a database stamped
  // or created by Alembic, or by retort before it kept history).
  std::optional<std::vector<HistoryRow>> ReadHistoryRows(
      driver::Connection& db, const dialect::Dialect& dialect,
      const std::optional<std::vector<std::string>>& columns) {
    if (!columns) return std::nullopt;
    // A tampered table must stop the run, not be half-trusted. The layout
    // before `revises` is read as rows that do not know their Revises:.
    const bool legacy = *columns == dialect::LegacyHistoryColumns();
    if (*columns != dialect::HistoryColumns() && !legacy) {
      throw Error(fmt::format("History table {} has unexpected columns ({}); expected {}",
                              ShownTable(db, history), fmt::join(*columns, ", "),
                              fmt::join(dialect::HistoryColumns(), ", ")));
    }
    std::vector<HistoryRow> rows;
    std::vector<driver::Row> result = db.Query(dialect::SelectHistory(dialect, history, !legacy));
    rows.reserve(result.size());
    for (driver::Row& row : result) {
      // Moved, not copied: at 10,000 revisions every no-op upgrade reads them all.
      auto text = [&](std::size_t i) {
        return i < row.size() && row[i] ? std::move(*row[i]) : std::string();
      };
      rows.push_back(HistoryRow{text(0), text(1), text(2), text(3),
                                row.size() > 4 ? std::move(row[4]) : std::nullopt});
    }
    return rows;
  }

  // PostgreSQL enforces VARCHAR lengths: an Alembic version table
  // (VARCHAR(32)) must be widened before a longer id is written. SQLite
  // ignores the length, so nothing is needed there.
  bool NeedsWidening(driver::Connection& db, std::size_t longest_id) {
    // MySQL in strict mode refuses a longer id too.
    if (db.dialect() == "sqlite" || longest_id == 0) return false;
    std::vector<driver::Row> rows = db.Query(
        fmt::format("SELECT character_maximum_length FROM information_schema.columns WHERE "
                    "table_schema = COALESCE(NULLIF($1, ''), {}) AND table_name = $2 AND "
                    "column_name = 'version_num'",
                    db.dialect() == "mysql" ? "DATABASE()" : "current_schema()"),
        {table.schema, table.name});
    if (rows.empty() || rows[0].empty() || !rows[0][0]) return false;  // unbounded
    return std::stoul(*rows[0][0]) < longest_id;
  }

  std::vector<AppliedStep> RunOnline(const Planner& planner);
  std::vector<AppliedStep> RunOffline(const Planner& planner);
  // What an online run finds under the lock before it plans.
  struct Found {
    bool version_table = false;
    bool history_table = false;
    bool widen = false;
    // A history table from before the `revises` column, and a plan that
    // writes history rows: the column is added first.
    bool add_revises = false;
  };
  std::vector<AppliedStep> Execute(SqlSink& sink, const std::vector<graph::Step>& plan,
                                   std::vector<std::string> heads, Found found);
};

MigrationContext::MigrationContext(const Config& config, const script::ScriptDirectory& scripts,
                                   RunOptions options)
    : impl_(new Impl{config, scripts, std::move(options),
                     dialect::VersionTable{config.version_table_schema(), config.version_table()},
                     dialect::HistoryTableOf(dialect::VersionTable{config.version_table_schema(),
                                                                   config.version_table()}),
                     nullptr}) {}

MigrationContext::~MigrationContext() = default;

std::vector<std::string> MigrationContext::CurrentHeads() {
  driver::Connection& db = impl_->Connection();
  return impl_->ReadVersionRows(db, dialect::ForName(db.dialect()), impl_->ReadShapes(db).version);
}

std::vector<AppliedStep> MigrationContext::Run(const Planner& planner) {
  if (impl_->options.offline) return impl_->RunOffline(planner);
  try {
    return impl_->RunOnline(planner);
  } catch (const Error& e) {
    std::string notes = impl_->FailureNotes(e);
    if (notes.empty()) throw;
    throw Error(e.what() + notes, e.kind());
  }
}

std::string MigrationContext::Impl::FailureNotes(const Error& e) {
  std::string notes;
  const graph::Revision* revision =
      progress.revision.empty() ? nullptr : scripts.map().Find(progress.revision);
  const script::Script* script = revision != nullptr ? &scripts.Get(*revision) : nullptr;
  if (script != nullptr) {
    notes += StatementHint(*script, e.what(), progress.nothing_recorded, progress.is_upgrade,
                           table.name);
  }
  // MySQL's DDL commits as it goes: its own messages say what is half done.
  if (progress.commit_failed || connection == nullptr ||
      !dialect::ForName(connection->dialect()).transactional_ddl() ||
      (progress.committed.empty() && progress.uncommitted.empty())) {
    return notes;
  }
  std::vector<std::string> rolled_back = progress.uncommitted;
  if (script != nullptr && script->transactional &&
      std::find(rolled_back.begin(), rolled_back.end(), script->revision.id) == rolled_back.end()) {
    rolled_back.push_back(script->revision.id);
  }
  return notes + RollbackNote(progress.committed, rolled_back);
}

void MigrationContext::EnsureVersionTable() {
  if (impl_->options.offline) {
    SqlSink sink = SqlSink::Offline(impl_->SqlOut(), impl_->OfflineDialect());
    sink.Execute(sink.dialect().CreateVersionTable(impl_->table));
    sink.Execute(dialect::CreateHistoryTable(sink.dialect(), impl_->history));
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
  if (!db.TableExists(impl_->history.schema, impl_->history.name)) {
    CreateVersionTable(sink, &db, impl_->history, /*history=*/true);
  }
  transaction.Commit();
  db.ReleaseMigrationLock();
}

DatabaseRecord MigrationContext::ReadRecord() {
  driver::Connection& db = impl_->Connection();
  const dialect::Dialect& dialect = dialect::ForName(db.dialect());
  const Impl::Shapes shapes = impl_->ReadShapes(db);
  DatabaseRecord record;
  record.version_rows = impl_->ReadVersionRows(db, dialect, shapes.version);
  record.history = impl_->ReadHistoryRows(db, dialect, shapes.history);
  if (!dialect.transactional_ddl()) {
    record.progress = ReadProgress(db, dialect, ProgressTableOf(impl_->table));
  }
  return record;
}

std::vector<std::string> MigrationContext::Repair() {
  driver::Connection& db = impl_->Connection();
  db.AcquireMigrationLock(impl_->table.schema, impl_->table.name, impl_->config.lock_timeout());
  const dialect::Dialect& dialect = dialect::ForName(db.dialect());
  const Impl::Shapes shapes = impl_->ReadShapes(db);
  std::vector<std::string> heads = impl_->ReadVersionRows(db, dialect, shapes.version);
  std::optional<std::vector<HistoryRow>> rows = impl_->ReadHistoryRows(db, dialect, shapes.history);
  std::vector<IntegrityProblem> problems =
      FindIntegrityProblems(impl_->scripts, heads, rows.value_or(std::vector<HistoryRow>{}));
  // Checked before anything is written: repair is all or nothing.
  for (const IntegrityProblem& problem : problems) {
    if (problem.kind == IntegrityProblem::Kind::kNoFile && problem.is_version_row) {
      throw Error(problem.Message());
    }
  }
  // Stale rows (a revision no longer applied, whose file is gone: left by
  // `stamp --purge` after a deletion) are no problem, but vouch for
  // nothing: repair removes them too.
  for (const HistoryRow& row : rows.value_or(std::vector<HistoryRow>{})) {
    if (impl_->scripts.map().Find(row.revision) != nullptr) continue;
    if (std::none_of(problems.begin(), problems.end(), [&](const IntegrityProblem& problem) {
          return problem.revision == row.revision;
        })) {
      IntegrityProblem stale;
      stale.kind = IntegrityProblem::Kind::kNoFile;
      stale.revision = row.revision;
      problems.push_back(std::move(stale));
    }
  }
  std::vector<std::string> lines;
  SqlSink sink = SqlSink::Online(db, dialect);
  SinkTransaction transaction(sink);
  transaction.Ensure();
  for (const IntegrityProblem& problem : problems) {
    if (problem.kind == IntegrityProblem::Kind::kNoFile) {
      sink.ExecuteCounted(dialect::DeleteHistory(dialect, impl_->history, problem.revision));
      lines.push_back(
          fmt::format("Removed the history row of {}: no revision file has it", problem.revision));
      continue;
    }
    if (problem.kind == IntegrityProblem::Kind::kRevisesChanged) {
      sink.ExecuteCounted(dialect::UpdateRevises(dialect, impl_->history, problem.revision,
                                                 JoinRevises(problem.file_revises)));
      lines.push_back(fmt::format(
          "Recorded Revises: of {} ({}): {} -> {}", problem.revision, DisplayPath(problem.file),
          problem.recorded_revises.empty() ? std::string("base")
                                           : JoinRevises(problem.recorded_revises),
          problem.file_revises.empty() ? std::string("base") : JoinRevises(problem.file_revises)));
      continue;
    }
    sink.ExecuteCounted(
        dialect::UpdateChecksum(dialect, impl_->history, problem.revision, problem.current));
    lines.push_back(fmt::format("Recorded checksum of {} ({}): {} -> {}", problem.revision,
                                DisplayPath(problem.file), problem.recorded.substr(0, 12),
                                problem.current.substr(0, 12)));
  }
  transaction.Commit();
  db.ReleaseMigrationLock();
  return lines;
}

std::string MigrationContext::Resolve(const std::string& revision, bool applied) {
  driver::Connection& db = impl_->Connection();
  const dialect::Dialect& dialect = dialect::ForName(db.dialect());
  if (dialect.transactional_ddl()) {
    throw Error(fmt::format(
        "Nothing to resolve on {}: its DDL is transactional, so a failed revision is rolled back "
        "whole (resolve is for MySQL and MariaDB)",
        impl_->config.Url().Redacted()));
  }
  db.AcquireMigrationLock(impl_->table.schema, impl_->table.name, impl_->config.lock_timeout());
  std::string line =
      ResolveHalfApplied(db, dialect, impl_->scripts, impl_->table, revision, applied);
  db.ReleaseMigrationLock();
  return line;
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
  Found found;
  const Shapes shapes = ReadShapes(db);
  found.version_table = shapes.version.has_value();
  std::vector<std::string> heads = ReadVersionRows(db, dialect, shapes.version);
  std::optional<std::vector<HistoryRow>> history_rows =
      ReadHistoryRows(db, dialect, shapes.history);
  found.history_table = history_rows.has_value();
  // Before planning: a version row whose file is gone is named as such, not
  // as an unknown revision, and nothing runs on top of an edited revision.
  if (options.check_integrity) {
    std::vector<IntegrityProblem> problems =
        FindIntegrityProblems(scripts, heads, history_rows.value_or(std::vector<HistoryRow>{}));
    if (!problems.empty()) throw Error(RefusalMessage(problems));
  }
  if (options.purge) heads.clear();
  std::vector<graph::Step> plan = planner(heads);
  CheckNeedsRewrite(scripts, plan);
  CheckReversible(scripts, plan);
  if (dialect.transactional_ddl()) RefuseTransactionControl(scripts, plan);
  CheckSteps(scripts, plan, options.steps, /*offline=*/false);
  if (!dialect.transactional_ddl()) {
    // Before anything runs: a revision an earlier run left half-applied
    // must be continued by this plan (or resolved) first.
    track_progress = true;
    resume = PlanResumption(scripts, plan, ReadProgress(db, dialect, ProgressTableOf(table)));
  }
  found.widen = found.version_table && NeedsWidening(db, LongestWrittenId(plan));
  found.add_revises = shapes.history && *shapes.history == dialect::LegacyHistoryColumns() &&
                      std::any_of(plan.begin(), plan.end(), [](const graph::Step& step) {
                        return step.kind == graph::Step::Kind::kMigration;
                      });
  SqlSink sink = SqlSink::Online(db, dialect);
  return Execute(sink, plan, std::move(heads), found);
}

std::vector<AppliedStep> MigrationContext::Impl::RunOffline(const Planner& planner) {
  std::vector<std::string> heads = options.starting_heads;
  std::vector<graph::Step> plan = planner(heads);
  CheckNeedsRewrite(scripts, plan);
  CheckReversible(scripts, plan);
  if (OfflineDialect().transactional_ddl()) RefuseTransactionControl(scripts, plan);
  CheckSteps(scripts, plan, options.steps, /*offline=*/true);
  SqlSink sink = SqlSink::Offline(SqlOut(), OfflineDialect());
  return Execute(sink, plan, std::move(heads), Found{});
}

// The run itself, identical online and offline (only the sink differs), in
// the order Alembic's MigrationContext.run_migrations issues things.
std::vector<AppliedStep> MigrationContext::Impl::Execute(SqlSink& sink,
                                                         const std::vector<graph::Step>& plan,
                                                         std::vector<std::string> heads,
                                                         Found found) {
  // With per-statement progress each revision's version row is committed
  // as soon as its statements have run: its DDL is committed already.
  const bool per_migration = config.transaction_per_migration() || track_progress;
  const dialect::Dialect& dialect = sink.dialect();
  SinkTransaction transaction(sink);
  // What the open transaction holds, so that a failing COMMIT (a full disk,
  // a deferred constraint) says which revisions it took back with it.
  std::vector<std::string> uncommitted;
  size_t committed = 0;
  progress = Progress{};
  progress.nothing_recorded = heads.empty();
  auto commit = [&] {
    try {
      transaction.Commit();
    } catch (const Error& e) {
      progress.commit_failed = true;
      if (sink.offline() || uncommitted.empty()) throw;
      throw Error(fmt::format(
          "COMMIT failed, so {} {} rolled back and the database is as it was before {}{}: {}",
          fmt::join(uncommitted, ", "), uncommitted.size() == 1 ? "was" : "were",
          uncommitted.size() == 1 ? "it" : "them",
          committed == 0 ? "" : fmt::format(" (the {} committed before stay applied)", committed),
          e.what()));
    }
    committed += uncommitted.size();
    uncommitted.clear();
    for (std::string& id : progress.uncommitted) progress.committed.push_back(std::move(id));
    progress.uncommitted.clear();
  };
  // Offline, a script always has its BEGIN/COMMIT (as Alembic's). Online,
  // every write below begins the transaction it needs, so a run with
  // nothing to do (the no-op upgrade) sends no empty BEGIN/COMMIT.
  // Not before a `Transactional: no` first revision: its COMMIT would
  // follow at once, an empty BEGIN;/COMMIT; pair in the script.
  const bool first_transactional = plan.empty() ||
                                   plan.front().kind != graph::Step::Kind::kMigration ||
                                   scripts.Get(*plan.front().revision).transactional;
  if (!per_migration && sink.offline() && first_transactional) transaction.Ensure();

  if (!sink.offline()) {
    // Alembic creates the table whenever there are no rows; in the run's
    // transaction, so a failed first upgrade leaves no table behind.
    if (!found.version_table) {
      transaction.Ensure();
      CreateVersionTable(sink, connection.get(), table);
      if (per_migration) transaction.Commit();
    }
    // A database stamped or created by Alembic is adopted: its history
    // starts with this run.
    if (!found.history_table) {
      transaction.Ensure();
      CreateVersionTable(sink, connection.get(), history, /*history=*/true);
      if (per_migration) transaction.Commit();
    }
    if (found.widen) {
      transaction.Ensure();
      sink.Execute(dialect::WidenVersionColumn(dialect, table));
      if (per_migration) transaction.Commit();
    }
    if (found.add_revises) {
      transaction.Ensure();
      sink.Execute(dialect::AddRevisesColumn(dialect, history));
      if (per_migration) transaction.Commit();
    }
    if (options.purge) {
      transaction.Ensure();
      sink.ExecuteCounted(dialect.DeleteAllVersions(table));
      if (per_migration) transaction.Commit();
    }
  }

  // Online in one transaction, the version and history writes wait for the
  // commit and go as their net result in a few statements, one round trip
  // (version_writes.h); offline and with a commit per revision Alembic's
  // statements follow each revision at once.
  const bool defer_writes = !sink.offline() && !per_migration;
  PendingVersionWrites pending(dialect, table, history, heads, /*fold=*/defer_writes);
  graph::HeadMaintainer maintainer(scripts.map(), std::move(heads));
  std::vector<AppliedStep> applied;
  applied.reserve(plan.size());
  // Which database is about to change, before anything does: with several
  // sections (-n) and $DATABASE_URL in play, the line a user checks first.
  if (!sink.offline() && !plan.empty() && options.log) {
    std::string line = "Running on " + config.Url().Redacted();
    if (config.section() != "retort") line += fmt::format(" (section [{}])", config.section());
    options.log(line);
  }
  for (const graph::Step& step : plan) {
    progress.revision = step.kind == graph::Step::Kind::kMigration ? step.revision->id : "";
    progress.is_upgrade = step.is_upgrade;
    const script::Script* script =
        step.kind == graph::Step::Kind::kMigration ? &scripts.Get(*step.revision) : nullptr;
    const bool transactional = script == nullptr || script->transactional;
    Clock::time_point start = Clock::now();
    bool tracked = false;  // a progress row to end with the version write

    // Offline scripts start from a given revision, not a database: create
    // the table whenever the script is at base, as Alembic does. A
    // `Transactional: no` revision opens no transaction of its own (it
    // would be committed empty before the revision runs).
    const bool creates_table = sink.offline() && maintainer.heads().empty();
    if (transactional || creates_table) transaction.Ensure();
    if (creates_table) {
      sink.Execute(dialect.CreateVersionTable(table));
      sink.Execute(dialect::CreateHistoryTable(dialect, history));
    }
    std::string short_log = step.ShortLog();
    sink.Comment("Running " + short_log);
    if (script != nullptr) {
      if (!transactional) {
        // `Transactional: no` (VACUUM, CREATE INDEX CONCURRENTLY): commit
        // what came before and run outside any transaction.
        pending.Flush(sink);
        commit();
      }
      const StepFunctions* functions = script->step.empty() || options.steps == nullptr
                                           ? nullptr
                                           : options.steps->Find(script->step);
      // A C++ step may read the version table: it sees it up to date.
      if (functions != nullptr) pending.Flush(sink);
      if (functions != nullptr && !step.is_upgrade)
        RunStep(*connection, *script, functions->downgrade);
      if (track_progress) {
        auto at = resume.find(script->revision.id);
        tracked = RunSectionWithProgress(*connection, dialect, ProgressTableOf(table), *script,
                                         step.is_upgrade, at == resume.end() ? 0 : at->second);
      } else {
        RunSection(sink, *script, SectionOf(*script, step));
      }
      if (functions != nullptr && step.is_upgrade)
        RunStep(*connection, *script, functions->upgrade);
    }
    transaction.Ensure();
    if (tracked) {
      sink.ExecuteCounted(FinishProgress(dialect, ProgressTableOf(table), script->revision.id));
    }
    std::optional<HistoryWrite> history_change;
    if (script != nullptr) {
      auto ran = sink.offline()
                     ? std::chrono::milliseconds(0)
                     : std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
      history_change = HistoryChange(step, *script, ran, sink.offline());
    }
    pending.Add(maintainer.Apply(step), std::move(history_change));
    if (!defer_writes || !transactional) pending.Flush(sink);
    if (script != nullptr) uncommitted.push_back(std::move(short_log));
    if (script != nullptr) progress.uncommitted.push_back(script->revision.id);
    // After a non-transactional revision its version row is committed at
    // once: its SQL cannot be undone, so a later failure must not roll the
    // row back and make the database claim the revision never ran.
    if (per_migration || !transactional) commit();

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
    // table, inside the run's transaction or (per migration) outside any;
    // retort drops the history table with it.
    sink.Execute(dialect.DropVersionTable(table));
    sink.Execute(dialect::DropHistoryTable(dialect, history));
  }
  pending.Flush(sink);
  commit();
  return applied;
}

}  // namespace retort::runtime
