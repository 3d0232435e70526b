#ifndef RETORT_OPERATIONS_H_
#define RETORT_OPERATIONS_H_

// The operations a program calls (docs/library.md): the CLI's upgrade,
// downgrade, stamp, current, heads, history, status and verify, returning
// values. Each comes in two forms:
//   (a) a Config: the revision files on disk, as the CLI reads them;
//   (b) a database URL and EmbeddedMigrations: files compiled into the
//       program (retort_embed_migrations in CMake), no file read at run time.
//
// Errors: every function throws retort::Error (retort/error.h) whose what()
// is the exact line the CLI prints after "FAILED: ", and whose ExitCode()
// is the CLI's exit status (UsageError, 2: a bad URL, setting, argument or
// revision spec; Error, 1: an unknown revision, a bad revision file, a SQL
// error, a refused integrity check, a failing C++ step, ...). Mutating
// operations hold the database's migration lock for their whole run and
// leave the database as it was when they throw (revisions marked
// `Transactional: no` excepted, as in the CLI).

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "retort/config.h"
#include "retort/embedded.h"
#include "retort/results.h"
#include "retort/step.h"

namespace retort {

// Receives one progress line ("Running upgrade a1 -> b2, add users (3 ms)"),
// without a trailing newline.
using LogFunction = std::function<void(const std::string&)>;

// Writes `line` and a newline to standard error: the CLI's progress lines.
void LogToStderr(const std::string& line);

struct Options {
  // Where progress lines go. Default: standard error, as the CLI prints
  // them; set to nullptr for none, or route them to the program's logger.
  LogFunction log = LogToStderr;
  // The program's C++ steps. nullptr behaves as an empty registry: a
  // revision naming a step is refused before anything runs.
  const StepRegistry* steps = nullptr;
  // Embedded form only (a Config brings its own): settings as in a
  // retort.ini section, e.g. {"version_table", "app_version"},
  // {"transaction_per_migration", "true"}, {"lock_timeout", "30"}.
  std::map<std::string, std::string> settings;
  // Embedded form only: keep retrying the first connection this long (a
  // database container still starting). Zero: one attempt.
  std::chrono::milliseconds connect_wait{0};
};

// upgrade: runs every revision from the database's current revision(s) to
// `target` ("head", "heads", an id or unique prefix, "label@head", "+2",
// ...), in one transaction (or one per revision with
// transaction_per_migration). Before anything runs it refuses an applied
// revision whose file changed (docs/integrity.md) and a revision whose
// `-- Step:` is not registered. Returns what ran, in order (empty: already
// there). Throws Error naming the revision, file and line of a failing
// statement, or the revision, file and step of a failing C++ step.
std::vector<AppliedStep> Upgrade(const Config& config, const std::string& target,
                                 const Options& options = {});
std::vector<AppliedStep> Upgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                 const std::string& target, const Options& options = {});

// downgrade: reverts to `target` ("base", "-1", an id, ...). Refuses,
// before anything runs, to go through an irreversible revision (empty
// downgrade section). A registered step's downgrade function runs before
// the revision's downgrade SQL.
std::vector<AppliedStep> Downgrade(const Config& config, const std::string& target,
                                   const Options& options = {});
std::vector<AppliedStep> Downgrade(const std::string& url, const EmbeddedMigrations& migrations,
                                   const std::string& target, const Options& options = {});

// stamp: sets the version table to `revisions` without running any SQL or
// step.
std::vector<AppliedStep> Stamp(const Config& config, const std::vector<std::string>& revisions,
                               const Options& options = {});
std::vector<AppliedStep> Stamp(const std::string& url, const EmbeddedMigrations& migrations,
                               const std::vector<std::string>& revisions,
                               const Options& options = {});

// current: the database's current revision(s) (is_current set); empty when
// nothing is applied or the version table does not exist yet. Reads
// without the migration lock. Throws Error for a version row no revision
// has ("Can't locate revision identified by '...'").
std::vector<RevisionInfo> Current(const Config& config, const Options& options = {});
std::vector<RevisionInfo> Current(const std::string& url, const EmbeddedMigrations& migrations,
                                  const Options& options = {});

// heads: the head revisions in the order `retort heads` lists them. No
// database is opened.
std::vector<RevisionInfo> Heads(const Config& config);
std::vector<RevisionInfo> Heads(const EmbeddedMigrations& migrations);

// history: revisions newest first, as `retort history [-r RANGE]` lists
// them; `range` is "[start]:[end]" (UsageError otherwise). The database is
// read only when the range names "current".
std::vector<RevisionInfo> History(const Config& config,
                                  const std::optional<std::string>& range = std::nullopt);
std::vector<RevisionInfo> History(const std::string& url, const EmbeddedMigrations& migrations,
                                  const std::optional<std::string>& range = std::nullopt);

// status: current revision(s), heads, pending revisions, integrity problems
// and, when a declared `schema` is configured, whether the database matches
// it. Problems are reported in the value, not thrown; a database that
// cannot be read (connection, tampered version table) throws.
StatusReport Status(const Config& config);
StatusReport Status(const std::string& url, const EmbeddedMigrations& migrations,
                    const Options& options = {});

// verify (docs/verify.md): every revision up, down and up again on scratch
// databases made from the config's dev_url, never the target. Returns the
// checks that passed; throws Error naming the first revision that breaks a
// rule and why.
VerifyReport Verify(const Config& config, const Options& options = {});

}  // namespace retort

#endif  // RETORT_OPERATIONS_H_
