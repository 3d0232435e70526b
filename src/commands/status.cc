// status: the database at a glance (current, heads, pending, integrity), as
// text for people or --json for machines. Reads without the migration lock:
// it changes nothing, and a run in progress shows as what it committed.
#include <fmt/format.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/environment.h"
#include "graph/plan.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "runtime/display_path.h"
#include "runtime/integrity.h"
#include "schema/declared_schema.h"
#include "util/json_writer.h"

namespace retort {
namespace {

std::string KindName(IntegrityIssue::Kind kind) {
  switch (kind) {
    case IntegrityIssue::Kind::kChanged:
      return "changed";
    case IntegrityIssue::Kind::kMalformedChecksum:
      return "malformed_checksum";
    case IntegrityIssue::Kind::kNoFile:
      return "no_file";
    case IntegrityIssue::Kind::kRevisesChanged:
      return "revises_changed";
  }
  return "";
}

IntegrityIssue ToIssue(const runtime::IntegrityProblem& problem) {
  IntegrityIssue issue;
  switch (problem.kind) {
    case runtime::IntegrityProblem::Kind::kChanged:
      issue.kind = IntegrityIssue::Kind::kChanged;
      break;
    case runtime::IntegrityProblem::Kind::kMalformedChecksum:
      issue.kind = IntegrityIssue::Kind::kMalformedChecksum;
      break;
    case runtime::IntegrityProblem::Kind::kNoFile:
      issue.kind = IntegrityIssue::Kind::kNoFile;
      break;
    case runtime::IntegrityProblem::Kind::kRevisesChanged:
      issue.kind = IntegrityIssue::Kind::kRevisesChanged;
      issue.recorded_revises = problem.recorded_revises;
      issue.file_revises = problem.file_revises;
      break;
  }
  issue.revision = problem.revision;
  if (!problem.file.empty()) issue.file = runtime::DisplayPath(problem.file);
  if (problem.has_history_row) issue.recorded_checksum = problem.recorded;
  if (!problem.current.empty()) issue.file_checksum = problem.current;
  issue.message = problem.Message();
  return issue;
}

}  // namespace

namespace commands {

StatusReport GatherStatus(const Config& config, const script::ScriptDirectory& scripts) {
  StatusReport report;
  report.database = config.Url().Redacted();
  runtime::MigrationContext context(config, scripts, runtime::RunOptions{});
  runtime::DatabaseRecord record = context.ReadRecord();
  report.current = record.version_rows;
  report.history_table = record.history.has_value();
  for (const runtime::ProgressRow& row : record.progress) {
    if (row.outcome) continue;
    std::string line = runtime::HalfAppliedText(scripts, row);
    if (row.message) line += " (" + *row.message + ")";
    report.half_applied.push_back(fmt::format(
        "{}; fix the file and run `retort {}` to continue from statement {}, or `retort resolve "
        "{} --applied|--rolled-back`",
        line, row.direction, row.done + 1, row.revision));
  }
  const graph::RevisionMap& map = scripts.map();
  for (const graph::Revision* head : map.Heads()) report.heads.push_back(head->id);
  for (const runtime::IntegrityProblem& problem : runtime::FindIntegrityProblems(
           scripts, record.version_rows,
           record.history.value_or(std::vector<runtime::HistoryRow>{}))) {
    report.problems.push_back(ToIssue(problem));
  }
  try {
    for (const graph::Step& step : graph::PlanUpgrade(map, "heads", record.version_rows)) {
      report.pending.push_back(
          {step.revision != nullptr ? step.revision->id : std::string(), step.Describe()});
    }
  } catch (const Error& e) {
    report.pending_error = e.what();
  }
  std::unique_ptr<driver::Connection> target = driver::Connect(config.Url());
  report.schema_differences = schema::DiffAgainstDeclaredSchema(config, *target);
  return report;
}

}  // namespace commands

namespace {

void PrintText(const StatusReport& report, const Output& out) {
  out.print(fmt::format("Database:  {}", report.database));
  out.print(fmt::format("Current:   {}", report.current.empty()
                                             ? std::string("base (nothing applied)")
                                             : fmt::format("{}", fmt::join(report.current, ", "))));
  out.print(fmt::format("Heads:     {}", report.heads.empty()
                                             ? std::string("none (no revisions)")
                                             : fmt::format("{}", fmt::join(report.heads, ", "))));
  if (!report.pending_error.empty()) {
    out.print(fmt::format("Pending:   unknown ({})", report.pending_error));
  } else if (report.pending.empty()) {
    out.print("Pending:   none, up to date");
  } else {
    out.print(fmt::format("Pending:   {} revision{}", report.pending.size(),
                          report.pending.size() == 1 ? "" : "s"));
    for (const PendingStep& pending : report.pending) out.print("  " + pending.description);
  }
  for (const std::string& line : report.half_applied) out.print("Half-applied: " + line);
  if (report.problems.empty()) {
    out.print(report.history_table
                  ? "Integrity: ok"
                  : "Integrity: ok (no history table yet: checksums are recorded from the next "
                    "upgrade)");
  } else {
    out.print(fmt::format("Integrity: {} problem{}", report.problems.size(),
                          report.problems.size() == 1 ? "" : "s"));
    for (const IntegrityIssue& problem : report.problems) out.print("  " + problem.message);
  }
  if (!report.schema_differences) {
    out.print("Schema:    not checked (no `schema` configured)");
  } else if (report.schema_differences->empty()) {
    out.print("Schema:    matches the declared schema");
  } else {
    out.print(fmt::format("Schema:    {} difference{} from the declared schema",
                          report.schema_differences->size(),
                          report.schema_differences->size() == 1 ? "" : "s"));
    for (const std::string& line : *report.schema_differences) out.print("  " + line);
  }
}

void PrintJson(const StatusReport& report, const Output& out) {
  util::JsonWriter w;
  auto strings = [&w](const std::vector<std::string>& values) {
    w.BeginArray();
    for (const std::string& value : values) w.String(value);
    w.EndArray();
  };
  w.BeginObject();
  w.Key("database");
  w.String(report.database);
  w.Key("current");
  strings(report.current);
  w.Key("heads");
  strings(report.heads);
  w.Key("pending");
  if (!report.pending_error.empty()) {
    w.Null();
    w.Key("pending_error");
    w.String(report.pending_error);
  } else {
    w.BeginArray();
    for (const PendingStep& pending : report.pending) {
      w.BeginObject();
      w.Key("revision");
      w.String(pending.revision);
      w.Key("description");
      w.String(pending.description);
      w.EndObject();
    }
    w.EndArray();
  }
  w.Key("up_to_date");
  w.Bool(report.pending_error.empty() && report.pending.empty());
  w.Key("history_table");
  w.Bool(report.history_table);
  w.Key("half_applied");
  strings(report.half_applied);
  w.Key("integrity_problems");
  w.BeginArray();
  for (const IntegrityIssue& problem : report.problems) {
    w.BeginObject();
    w.Key("kind");
    w.String(KindName(problem.kind));
    w.Key("revision");
    w.String(problem.revision);
    w.Key("file");
    if (problem.file.empty()) {
      w.Null();
    } else {
      w.String(problem.file);
    }
    w.Key("recorded_checksum");
    if (problem.recorded_checksum) {
      w.String(*problem.recorded_checksum);
    } else {
      w.Null();
    }
    w.Key("file_checksum");
    if (problem.file_checksum) {
      w.String(*problem.file_checksum);
    } else {
      w.Null();
    }
    if (problem.kind == IntegrityIssue::Kind::kRevisesChanged) {
      // Only on this kind: the parents it was applied with and the file's.
      w.Key("recorded_revises");
      strings(problem.recorded_revises);
      w.Key("file_revises");
      strings(problem.file_revises);
    }
    w.Key("message");
    w.String(problem.message);
    w.EndObject();
  }
  w.EndArray();
  // null when no schema is configured; otherwise whether it matches and how not.
  w.Key("schema");
  if (!report.schema_differences) {
    w.Null();
  } else {
    w.BeginObject();
    w.Key("matches");
    w.Bool(report.schema_differences->empty());
    w.Key("differences");
    strings(*report.schema_differences);
    w.EndObject();
  }
  w.EndObject();
  out.print(w.str());
}

}  // namespace

void Status(const Config& config, bool json, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  StatusReport report = commands::GatherStatus(config, scripts);
  if (json) {
    PrintJson(report, out);
  } else {
    PrintText(report, out);
  }
}

}  // namespace retort
