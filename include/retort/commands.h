#ifndef RETORT_COMMANDS_H_
#define RETORT_COMMANDS_H_

#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "retort/config.h"
#include "retort/results.h"

namespace retort {

// The CLI's commands, printing what `alembic <command>` prints; the retort
// binary is a thin client of these. Programs call retort/operations.h, which
// returns the same information as values.

// Where a command's words go. `print` receives result lines (the CLI's
// stdout); `log` receives progress lines (the CLI's stderr), and may be empty
// for quiet runs. Lines carry no trailing newline.
struct Output {
  std::function<void(const std::string&)> print;
  std::function<void(const std::string&)> log;
};

// Options shared by upgrade, downgrade and stamp.
struct MigrateOptions {
  // Offline mode: print the SQL to `sql_out` instead of connecting. The
  // revision argument may then be "FROM:TO".
  bool sql = false;
  std::ostream* sql_out = nullptr;
  std::string tag;
};

// Options of `revision` (and, in part, `merge`).
struct RevisionOptions {
  std::string message;
  std::string head = "head";
  bool splice = false;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::optional<std::string> rev_id;
  std::optional<std::filesystem::path> version_path;
  // revision --autogenerate --concurrently (PostgreSQL): index builds on
  // existing tables and the validation of constraints added to them go to a
  // second revision, Transactional: no, that blocks no writes.
  bool concurrently = false;
};

// Every function below loads the script directory from `config` and throws
// retort::Error (exit code in Error::ExitCode()) with one line naming the
// file, line, revision or setting at fault. Mutating commands hold the
// database's migration lock for their whole run and leave the database as it
// was when they fail.

// `init DIR`: writes `config_file`, DIR/, DIR/versions/, DIR/script.sql.tmpl
// from the named template; refuses to overwrite.
void Init(const std::filesystem::path& directory, const std::filesystem::path& config_file,
          const std::string& template_name, const Output& out);
// `list_templates`: "name - description" lines.
void ListTemplates(const Output& out);

// `revision`: writes a new revision file; returns its path.
std::filesystem::path MakeRevision(const Config& config, const RevisionOptions& options);
// `merge`: a new revision whose parents are `revisions` (e.g. {"heads"}).
std::filesystem::path Merge(const Config& config, const std::vector<std::string>& revisions,
                            const RevisionOptions& options);

std::vector<AppliedStep> Upgrade(const Config& config, const std::string& revision,
                                 const MigrateOptions& options, const Output& out);
std::vector<AppliedStep> Downgrade(const Config& config, const std::string& revision,
                                   const MigrateOptions& options, const Output& out);
std::vector<AppliedStep> Stamp(const Config& config, const std::vector<std::string>& revisions,
                               bool purge, const MigrateOptions& options, const Output& out);
// `ensure_version`: creates the version table if it is missing.
void EnsureVersion(const Config& config, const MigrateOptions& options, const Output& out);
// `verify` (docs/verify.md): on scratch databases (dev_url), never the
// target: fresh -> head; each revision up, down, up again; downgrade to base
// leaves nothing behind; with `schema` set, the declared schema stamped at
// head needs no upgrade and equals head. Prints one line per passed check;
// throws retort::Error naming the first revision that breaks a rule and why.
void Verify(const Config& config, const Output& out);

// Read-only commands: print what `alembic <command>` prints.
void Current(const Config& config, bool verbose, const Output& out);
void History(const Config& config, const std::optional<std::string>& range, bool verbose,
             bool indicate_current, const Output& out);
void Heads(const Config& config, bool verbose, bool resolve_dependencies, const Output& out);
void Branches(const Config& config, bool verbose, const Output& out);
void Show(const Config& config, const std::string& revision, const Output& out);
// `history --graph` (drawn like `git log --graph`) or, with `dot`,
// `history --dot` (Graphviz); `range` and `indicate_current` as History().
void HistoryGraph(const Config& config, const std::optional<std::string>& range,
                  bool indicate_current, bool dot, const Output& out);
// `heads --check`: prints the heads; throws Error (exit 1) naming the merge
// command when there is more than one.
void CheckHeads(const Config& config, bool verbose, const Output& out);

// Options of `lint` (docs/lint.md).
struct LintOptions {
  // "FROM:TO" as `history -r` takes it, or one revision; empty: all.
  std::optional<std::string> range;
  bool json = false;
  // "sqlite" or "postgresql"; default: the config URL's backend.
  std::optional<std::string> dialect;
};
// `lint`: prints one line per finding ("FILE:LINE: RULE: message (revision
// ID)"), or a JSON array with `json`; throws Error (exit 1) summarising
// them when there are any.
void Lint(const Config& config, const LintOptions& options, const Output& out);
// `edit`: opens the revision's file in $EDITOR (then $VISUAL, then vi).
void Edit(const Config& config, const std::string& revision);

// `repair`: under the migration lock, records the file's checksum for every
// applied revision whose recorded checksum differs (docs/integrity.md);
// prints one line per change, or that there is nothing to repair.
void Repair(const Config& config, const Output& out);
// `resolve REV --applied|--rolled-back` (MySQL, MariaDB; docs/mysql.md):
// settles a revision that a failed run left half-applied, after a person
// finished (`applied`) or undid it by hand; recorded in the progress table,
// and with --applied in the version and history tables as a completed run
// would. Throws Error when REV is not half-applied, and on databases whose
// DDL is transactional (nothing is ever half-applied there).
void Resolve(const Config& config, const std::string& revision, bool applied, const Output& out);
// `status [--json]`: current revision(s), heads, pending revisions (the
// upgrade plan to `heads`), integrity problems and, when `schema` is set,
// whether the database matches it. Problems are reported, not thrown.
void Status(const Config& config, bool json, const Output& out);

// Options of `import` (docs/migrating.md).
struct ImportOptions {
  // "alembic", "dbmate", "golang-migrate", "flyway" or "goose".
  std::string tool;
  // alembic: the alembic.ini (default ./alembic.ini); others: the tool's
  // migrations folder (required).
  std::optional<std::filesystem::path> path;
  std::optional<std::string> section;  // alembic: the ini section (default "alembic")
  std::string dialect;                 // alembic: "sqlite" or "postgresql" (required)
  // The new project's folder. alembic: default "retort" beside alembic.ini;
  // others: default the current folder.
  std::optional<std::filesystem::path> into;
  // alembic: exit 0 even when some revisions could not be rendered.
  bool allow_partial = false;
  // SQL-file tools: adopt this database in the same run, and the tool's
  // version table when not its default.
  std::optional<std::string> url;
  std::optional<std::string> tool_table;
};
// `import`: writes a new retort project from another tool's and prints a
// report. Throws retort::Error with one line, writing nothing, for a bad
// project; for an Alembic import with revisions that could not be rendered
// (written with a 'Needs Rewrite' header that refuses to run), throws Error
// after writing unless `allow_partial`.
void Import(const ImportOptions& options, const Output& out);
// `adopt TOOL` (TOOL: dbmate, golang-migrate, flyway, goose): for a project
// that `import TOOL` made, reads the tool's version table (`tool_table`, else
// its default) on the configured database and records the matching revision
// in retort's version table, so `upgrade head` runs only what the tool had
// not applied. Throws retort::Error, changing nothing, for a dirty or failed
// tool state, applied versions with a gap or without a revision, a missing
// tool table, or a version table that already records another revision.
void Adopt(const Config& config, const std::string& tool,
           const std::optional<std::string>& tool_table, const Output& out);

}  // namespace retort

#endif  // RETORT_COMMANDS_H_
