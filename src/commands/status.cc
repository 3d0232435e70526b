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

struct Pending {
  std::string revision;
  std::string description;  // "upgrade a1 -> b2, add users"
};

struct StatusReport {
  std::string database;
  std::vector<std::string> current;
  std::vector<std::string> heads;
  std::vector<Pending> pending;
  // Why the pending list could not be computed (a version row without a
  // file); empty when it was.
  std::string pending_error;
  bool history_table = false;
  std::vector<runtime::IntegrityProblem> problems;
  // nullopt: no `schema` configured; else the differences (empty = matches).
  std::optional<std::vector<std::string>> schema_diff;
};

std::string KindName(runtime::IntegrityProblem::Kind kind) {
  switch (kind) {
    case runtime::IntegrityProblem::Kind::kChanged:
      return "changed";
    case runtime::IntegrityProblem::Kind::kMalformedChecksum:
      return "malformed_checksum";
    case runtime::IntegrityProblem::Kind::kNoFile:
      return "no_file";
  }
  return "";
}

StatusReport Gather(const Config& config, const script::ScriptDirectory& scripts) {
  StatusReport report;
  report.database = config.Url().Redacted();
  runtime::MigrationContext context(config, scripts, runtime::RunOptions{});
  runtime::DatabaseRecord record = context.ReadRecord();
  report.current = record.version_rows;
  report.history_table = record.history.has_value();
  const graph::RevisionMap& map = scripts.map();
  for (const graph::Revision* head : map.Heads()) report.heads.push_back(head->id);
  report.problems = runtime::FindIntegrityProblems(
      scripts, record.version_rows, record.history.value_or(std::vector<runtime::HistoryRow>{}));
  try {
    for (const graph::Step& step : graph::PlanUpgrade(map, "heads", record.version_rows)) {
      report.pending.push_back(
          {step.revision != nullptr ? step.revision->id : std::string(), step.Describe()});
    }
  } catch (const Error& e) {
    report.pending_error = e.what();
  }
  std::unique_ptr<driver::Connection> target = driver::Connect(config.Url());
  report.schema_diff = schema::DiffAgainstDeclaredSchema(config, *target);
  return report;
}

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
    for (const Pending& pending : report.pending) out.print("  " + pending.description);
  }
  if (report.problems.empty()) {
    out.print(report.history_table
                  ? "Integrity: ok"
                  : "Integrity: ok (no history table yet: checksums are recorded from the next "
                    "upgrade)");
  } else {
    out.print(fmt::format("Integrity: {} problem{}", report.problems.size(),
                          report.problems.size() == 1 ? "" : "s"));
    for (const runtime::IntegrityProblem& problem : report.problems) {
      out.print("  " + problem.Message());
    }
  }
  if (!report.schema_diff) {
    out.print("Schema:    not checked (no `schema` configured)");
  } else if (report.schema_diff->empty()) {
    out.print("Schema:    matches the declared schema");
  } else {
    out.print(fmt::format("Schema:    {} difference{} from the declared schema",
                          report.schema_diff->size(), report.schema_diff->size() == 1 ? "" : "s"));
    for (const std::string& line : *report.schema_diff) out.print("  " + line);
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
    for (const Pending& pending : report.pending) {
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
  w.Key("integrity_problems");
  w.BeginArray();
  for (const runtime::IntegrityProblem& problem : report.problems) {
    w.BeginObject();
    w.Key("kind");
    w.String(KindName(problem.kind));
    w.Key("revision");
    w.String(problem.revision);
    w.Key("file");
    if (problem.file.empty()) {
      w.Null();
    } else {
      w.String(runtime::DisplayPath(problem.file));
    }
    w.Key("recorded_checksum");
    if (problem.has_history_row) {
      w.String(problem.recorded);
    } else {
      w.Null();
    }
    w.Key("file_checksum");
    if (problem.current.empty()) {
      w.Null();
    } else {
      w.String(problem.current);
    }
    w.Key("message");
    w.String(problem.Message());
    w.EndObject();
  }
  w.EndArray();
  // null when no schema is configured; otherwise whether it matches and how not.
  w.Key("schema");
  if (!report.schema_diff) {
    w.Null();
  } else {
    w.BeginObject();
    w.Key("matches");
    w.Bool(report.schema_diff->empty());
    w.Key("differences");
    strings(*report.schema_diff);
    w.EndObject();
  }
  w.EndObject();
  out.print(w.str());
}

}  // namespace

void Status(const Config& config, bool json, const Output& out) {
  script::ScriptDirectory scripts = commands::LoadScripts(config);
  StatusReport report = Gather(config, scripts);
  if (json) {
    PrintJson(report, out);
  } else {
    PrintText(report, out);
  }
}

}  // namespace retort
