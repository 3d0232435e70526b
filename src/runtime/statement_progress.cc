#include "runtime/statement_progress.h"

#include <fmt/format.h>

#include <algorithm>

#include "driver/mysql_statements.h"
#include "retort/error.h"
#include "runtime/display_path.h"
#include "runtime/integrity.h"
#include "util/checksum.h"

namespace retort::runtime {
namespace {

const script::Script* FindScript(const script::ScriptDirectory& scripts, const std::string& id) {
  return scripts.map().Find(id) != nullptr ? &scripts.Get(id) : nullptr;
}

const char* Direction(bool is_upgrade) { return is_upgrade ? "upgrade" : "downgrade"; }

const script::SqlSection& SectionOf(const script::Script& script, bool is_upgrade) {
  return is_upgrade ? script.upgrade : script.downgrade;
}

std::vector<std::string> Statements(const script::SqlSection& section) {
  std::vector<std::string> out;
  if (!section.has_statements) return out;
  for (const driver::StatementSpan& span : driver::SplitMysqlStatements(section.sql)) {
    out.push_back(section.sql.substr(span.offset, span.length));
  }
  return out;
}

std::string CreateProgressTable(const dialect::Dialect& dialect,
                                const dialect::VersionTable& progress) {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS {} (revision VARCHAR(255) NOT NULL, direction VARCHAR(16) NOT "
      "NULL, statements_done INT NOT NULL, statements_total INT NOT NULL, checksum VARCHAR(64) "
      "NOT NULL, ran_checksum VARCHAR(64) NOT NULL, updated_at VARCHAR(32) NOT NULL, outcome "
      "VARCHAR(64) NULL, message TEXT NULL, CONSTRAINT {} PRIMARY KEY (revision))",
      dialect.QualifiedName(progress), dialect.FormatIdentifier(progress.name + "_pkc"));
}

constexpr const char* kUtcNow = "DATE_FORMAT(UTC_TIMESTAMP(), '%Y-%m-%dT%H:%i:%sZ')";

// Records that `done` statements have run (and committed, or are about to
// commit in the caller's transaction).
void RecordDone(driver::Connection& db, const dialect::Dialect& dialect,
                const dialect::VersionTable& progress, const std::string& revision, long long done,
                const std::string& ran_checksum,
                const std::optional<std::string>& message = std::nullopt) {
  db.Query(fmt::format("UPDATE {} SET statements_done = $1, ran_checksum = $2, updated_at = {}, "
                       "message = {} WHERE revision = $3",
                       dialect.QualifiedName(progress), kUtcNow, message ? "$4" : "NULL"),
           message
               ? std::vector<std::string>{std::to_string(done), ran_checksum, revision, *message}
               : std::vector<std::string>{std::to_string(done), ran_checksum, revision});
}

}  // namespace

dialect::VersionTable ProgressTableOf(const dialect::VersionTable& version_table) {
  return dialect::VersionTable{version_table.schema, version_table.name + "_progress"};
}

std::vector<ProgressRow> ReadProgress(driver::Connection& db, const dialect::Dialect& dialect,
                                      const dialect::VersionTable& progress) {
  std::vector<ProgressRow> rows;
  if (!db.TableExists(progress.schema, progress.name)) return rows;
  for (const driver::Row& row :
       db.Query("SELECT revision, direction, statements_done, statements_total, checksum, "
                "ran_checksum, updated_at, outcome, message FROM " +
                dialect.QualifiedName(progress) + " ORDER BY updated_at, revision")) {
    auto text = [&](std::size_t i) { return i < row.size() && row[i] ? *row[i] : std::string(); };
    ProgressRow out;
    out.revision = text(0);
    out.direction = text(1);
    out.done = std::stoll(text(2).empty() ? "0" : text(2));
    out.total = std::stoll(text(3).empty() ? "0" : text(3));
    out.checksum = text(4);
    out.ran_checksum = text(5);
    out.updated_at = text(6);
    if (row.size() > 7) out.outcome = row[7];
    if (row.size() > 8) out.message = row[8];
    rows.push_back(std::move(out));
  }
  return rows;
}

std::string RanChecksum(const script::SqlSection& section, long long count) {
  std::string text;
  const std::vector<std::string> statements = Statements(section);
  for (long long i = 0; i < count && i < static_cast<long long>(statements.size()); ++i) {
    text += util::NormalizeSql(statements[i]);
    text += "\n;\n";
  }
  return util::Sha256Hex(text);
}

std::string HalfAppliedText(const script::ScriptDirectory& scripts, const ProgressRow& row) {
  const script::Script* script = FindScript(scripts, row.revision);
  std::string where = script != nullptr
                          ? fmt::format("{} ({})", row.revision, DisplayPath(script->path))
                          : row.revision + " (no revision file has it)";
  return fmt::format("Revision {} is half-applied: {} of {} statements of its {} ran", where,
                     row.done, row.total, row.direction);
}

std::map<std::string, long long> PlanResumption(const script::ScriptDirectory& scripts,
                                                const std::vector<graph::Step>& plan,
                                                const std::vector<ProgressRow>& rows) {
  std::map<std::string, long long> resume;
  for (const ProgressRow& row : rows) {
    if (row.outcome) continue;  // settled by resolve
    const std::string settle = fmt::format(
        "`retort resolve {} --applied` or `--rolled-back` once you have finished or undone it by "
        "hand",
        row.revision);
    const script::Script* script = FindScript(scripts, row.revision);
    if (script == nullptr) {
      throw Error(
          fmt::format("{}; restore its file, or run {}", HalfAppliedText(scripts, row), settle));
    }
    const bool is_upgrade = row.direction == "upgrade";
    auto step = std::find_if(plan.begin(), plan.end(), [&](const graph::Step& s) {
      return s.kind == graph::Step::Kind::kMigration && s.revision &&
             s.revision->id == row.revision && s.is_upgrade == is_upgrade;
    });
    if (step == plan.end()) {
      throw Error(fmt::format("{}; run `retort {} {}` to continue it, or {}",
                              HalfAppliedText(scripts, row), row.direction,
                              is_upgrade ? row.revision : row.revision + "-1", settle));
    }
    const script::SqlSection& section = SectionOf(*script, is_upgrade);
    const long long total = static_cast<long long>(Statements(section).size());
    if (total < row.done || RanChecksum(section, row.done) != row.ran_checksum) {
      throw Error(fmt::format(
          "{}, and statements 1-{} of its {} section, which already ran, were edited since; "
          "restore their text (only statement {} and later may change), or run {}",
          HalfAppliedText(scripts, row), row.done, row.direction, row.done + 1, settle));
    }
    resume[row.revision] = row.done;
  }
  return resume;
}

bool RunSectionWithProgress(driver::Connection& db, const dialect::Dialect& dialect,
                            const dialect::VersionTable& progress, const script::Script& script,
                            bool is_upgrade, long long start) {
  const script::SqlSection& section = SectionOf(script, is_upgrade);
  const std::vector<driver::StatementSpan> spans = section.has_statements
                                                       ? driver::SplitMysqlStatements(section.sql)
                                                       : std::vector<driver::StatementSpan>{};
  const long long total = static_cast<long long>(spans.size());
  if (total == 0) return false;
  const std::string& revision = script.revision.id;
  // Nothing of an earlier revision stays open across this one's statements.
  if (db.InTransaction()) db.Commit();
  db.ExecuteScript(CreateProgressTable(dialect, progress));
  db.Query(fmt::format(
               "INSERT INTO {} (revision, direction, statements_done, statements_total, checksum, "
               "ran_checksum, updated_at, outcome, message) VALUES ($1, $2, $3, $4, $5, $6, {}, "
               "NULL, NULL) ON DUPLICATE KEY UPDATE direction = VALUES(direction), "
               "statements_done = VALUES(statements_done), statements_total = "
               "VALUES(statements_total), checksum = VALUES(checksum), ran_checksum = "
               "VALUES(ran_checksum), updated_at = VALUES(updated_at), outcome = NULL, message = "
               "NULL",
               dialect.QualifiedName(progress), kUtcNow),
           {revision, Direction(is_upgrade), std::to_string(start), std::to_string(total),
            ChecksumOf(script), RanChecksum(section, start)});

  // Consecutive DML statements share one transaction, committed together
  // with their progress; a statement MySQL commits implicitly runs on its
  // own and is recorded right after.
  bool group_open = false;
  long long group_start = start;
  for (long long i = start; i < total; ++i) {
    const driver::StatementSpan& span = spans[i];
    const std::string_view statement =
        std::string_view(section.sql).substr(span.offset, span.length);
    const bool commits = driver::CommitsImplicitly(statement);
    if (commits && group_open) {
      RecordDone(db, dialect, progress, revision, i, RanChecksum(section, i));
      db.Commit();
      group_open = false;
    }
    if (!commits && !group_open) {
      db.Begin();
      group_open = true;
      group_start = i;
    }
    try {
      // One span, run as it is: split again with ";" a procedure's
      // BEGIN ... END body (written between DELIMITER lines) would break.
      db.ExecuteEach({std::string(statement)});
    } catch (const driver::StatementError& e) {
      long long done = i;
      if (group_open) {
        db.Rollback();
        done = group_start;
      }
      const auto line = section.first_line +
                        std::count(section.sql.begin(), section.sql.begin() + span.offset, '\n');
      std::string message = fmt::format("Error in revision {} ({}:{}): {}", revision,
                                        DisplayPath(script.path), line, e.what());
      if (done == 0) {
        // Nothing committed: the revision is simply not applied.
        db.Query(fmt::format("DELETE FROM {} WHERE revision = $1", dialect.QualifiedName(progress)),
                 {revision});
        throw Error(message);
      }
      RecordDone(db, dialect, progress, revision, done, RanChecksum(section, done), message);
      throw Error(fmt::format(
          "{}; {} of {} statements of revision {} ran; fix the file and run {} again to continue "
          "from statement {}, or `retort resolve {} --rolled-back|--applied`",
          message, done, total, revision, Direction(is_upgrade), done + 1, revision));
    }
    if (commits) RecordDone(db, dialect, progress, revision, i + 1, RanChecksum(section, i + 1));
  }
  if (group_open) {
    RecordDone(db, dialect, progress, revision, total, RanChecksum(section, total));
    db.Commit();
  }
  return true;
}

std::string FinishProgress(const dialect::Dialect& dialect, const dialect::VersionTable& progress,
                           const std::string& revision) {
  return fmt::format("DELETE FROM {} WHERE revision = {}", dialect.QualifiedName(progress),
                     dialect.QuoteLiteral(revision));
}

std::string SettleProgress(const dialect::Dialect& dialect, const dialect::VersionTable& progress,
                           const std::string& revision, const std::string& outcome) {
  return fmt::format("UPDATE {} SET outcome = {}, updated_at = {} WHERE revision = {}",
                     dialect.QualifiedName(progress), dialect.QuoteLiteral(outcome), kUtcNow,
                     dialect.QuoteLiteral(revision));
}

}  // namespace retort::runtime
