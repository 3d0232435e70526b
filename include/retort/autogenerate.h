#ifndef RETORT_AUTOGENERATE_H_
#define RETORT_AUTOGENERATE_H_

// Autogenerate and check (docs/autogenerate.md): the declared schema (the
// `schema` setting: SQL files in the target's dialect, playing the role of
// Alembic's models) compared with the database, as a reviewed revision or as
// a CI check.

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "retort/commands.h"
#include "retort/config.h"

namespace retort {

// One difference between the database and the declared schema: one
// operation of the generated upgrade.
struct DetectedChange {
  // What follows "Detected ", in Alembic's words where it has them:
  // "added column 'users.email'", "removed table 'legacy'".
  std::string description;
  // Why a reviewer must look twice (rows lost, a narrowing type, a
  // guarantee such as NOT NULL or a constraint dropped); nullopt when the
  // change keeps every row and every guarantee.
  std::optional<std::string> destructive;
  bool operator==(const DetectedChange&) const = default;
};

struct AutogenerateReport {
  // In upgrade order; empty when the database matches the declared schema.
  std::vector<DetectedChange> changes;
  // Advice that is not a change, e.g. a drop and an add of the same shape
  // that may be a rename ("add '-- retort:renamed-from old' to ...").
  std::vector<std::string> warnings;
  // The revision file written (AutogenerateRevision only).
  std::optional<std::filesystem::path> path;
  // PostgreSQL: the second revision written after `path`, revising it, when
  // plain indexes of existing tables were moved out of it to be built
  // CONCURRENTLY outside a transaction (docs/autogenerate.md).
  std::optional<std::filesystem::path> index_path;
  // Where the time went, phase by phase ("load declared schema",
  // "inspect target", "compare", ...), for `check --timings`.
  struct Timing {
    std::string phase;
    std::chrono::microseconds duration{0};
  };
  std::vector<Timing> timings;
};

// Both functions: `schema` must be set (else UsageError naming it, exit 2);
// the target database must be at head, its version rows exactly the script
// directory's heads, read under the migration lock (else Error "Target
// database is not up to date.", exit 1). The declared schema is loaded into
// a scratch database (`dev_url`: a temporary SQLite file, or a PostgreSQL
// database created and always dropped), both databases are inspected (the
// version and history tables never take part; `include_tables` /
// `exclude_tables` filter the rest) and diffed. The target is only read.
// A statement of the declared schema the database refuses throws Error
// "schema.sql:LINE: <database message>" and nothing is written.

// `revision --autogenerate`: writes a new revision (as MakeRevision does,
// honouring every option) whose upgrade section turns the database into the
// declared schema and whose downgrade section turns it back, each
// destructive statement preceded by a "-- DESTRUCTIVE: ..." comment. With
// no changes the revision is still written, with empty sections (as Alembic
// does).
AutogenerateReport AutogenerateRevision(const Config& config, const RevisionOptions& options);

// `check`: what `revision --autogenerate` would detect, without writing
// anything. An empty `changes` means the database matches.
AutogenerateReport Check(const Config& config);

// "Timing: load declared schema 812.3 ms" lines, one per phase, then the
// inspect + compare total (what `check --timings` prints on stderr).
std::vector<std::string> TimingLines(const AutogenerateReport& report);

// The lines the CLI prints for a report: "Detected added column
// 'users.email'" per change (a destructive one ends with
// "  [DESTRUCTIVE: <reason>]"), then "Warning: <text>" per warning. Empty
// for an empty report (the CLI then prints "No changes in schema
// detected." or, for check, "No new upgrade operations detected.").
std::vector<std::string> ReportLines(const AutogenerateReport& report);

// `dump`: the database's schema (tables with their keys and constraints,
// indexes, views, triggers, enum types, sequences, comments; the version
// and history tables and what include/exclude_tables leave out excepted)
// as a declared schema in its dialect, ordered so that it loads into an
// empty database, rendered by the same code autogenerate renders a first
// revision with: loading it and running `check` against the source reports
// nothing. `warnings` gets one line per object the dump leaves out (e.g.
// PostgreSQL functions, which it does not render). Only reads the database.
struct SchemaDump {
  std::string sql;
  std::vector<std::string> warnings;
};
SchemaDump DumpSchema(const Config& config);

// The `dump` command: DumpSchema's SQL on `out.print`, or, with `output`
// set, written to that file (all or nothing: a temporary file renamed into
// place) and "Wrote <path>" printed; each warning as "Warning: <text>" on
// `out.log`. Throws Error naming the file when it cannot be written.
void Dump(const Config& config, const std::optional<std::filesystem::path>& output,
          const Output& out);

}  // namespace retort

#endif  // RETORT_AUTOGENERATE_H_
