// verify: the CI workflow teams write by hand (seed 003), run on scratch
// databases and never on the target: fresh -> head; every revision up,
// down, up again; downgrade to base leaves nothing behind; the declared
// schema stamped at head needs no upgrade; head equals the declared schema.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands/environment.h"
#include "graph/plan.h"
#include "graph/step.h"
#include "retort/commands.h"
#include "retort/error.h"
#include "retort/operations.h"
#include "runtime/display_path.h"
#include "runtime/migration_context.h"
#include "schema/declared_schema.h"
#include "schema/scratch_database.h"
#include "schema/snapshot.h"

namespace retort {
namespace {

constexpr std::string_view kUnexpected = "unexpected in database: ";

// Runs one plan on the scratch database, quietly (verify prints its own
// progress); the runtime's errors already name revision, file and line.
std::vector<runtime::AppliedStep> RunOn(const schema::ScratchDatabase& scratch,
                                        const script::ScriptDirectory& scripts,
                                        const runtime::Planner& planner,
                                        const StepRegistry* steps) {
  runtime::RunOptions options;
  options.steps = steps;
  runtime::MigrationContext context(scratch.config(), scripts, options);
  return context.Run(planner);
}

schema::Snapshot SnapshotOf(const schema::ScratchDatabase& scratch,
                            const std::vector<std::string>& exclude) {
  std::unique_ptr<driver::Connection> connection = scratch.Connect();
  return schema::TakeSnapshot(*connection, exclude);
}

std::string Lines(const std::vector<std::string>& lines) {
  return fmt::format("{}", fmt::join(lines, "; "));
}

// The step that undoes `up` (Alembic's downgrade RevisionStep for the same
// revision): from and to swapped.
graph::Step Reverse(const graph::Step& up) {
  graph::Step down = up;
  down.is_upgrade = false;
  down.from_revisions = up.to_revisions;
  down.to_revisions = up.from_revisions;
  return down;
}

class Verifier {
 public:
  // `print` receives each passed check; `steps` are the application's C++
  // steps (nullptr from the CLI).
  Verifier(const Config& config, std::function<void(const std::string&)> print,
           std::function<void(const std::string&)> log, const StepRegistry* steps)
      : config_(config),
        print_(std::move(print)),
        log_(std::move(log)),
        steps_(steps),
        scripts_(commands::LoadScripts(config)),
        exclude_(schema::BookkeepingTables(config)) {}

  void Run() {
    std::vector<graph::Step> plan = graph::PlanUpgrade(scripts_.map(), "heads", {});
    schema::Snapshot head = FreshToHead(plan);
    UpDownUp(plan);
    if (std::optional<std::string> declared = config_.Get("schema")) {
      DeclaredSchema(*declared, head);
    }
    Print(fmt::format("verify passed: {} revision(s)", plan.size()));
  }

 private:
  void Print(const std::string& line) const {
    if (print_) print_(line);
  }

  // "ab12 (migrations/versions/ab12_x.sql)"
  std::string Where(const graph::Revision& revision) const {
    return fmt::format("{} ({})", revision.id, runtime::DisplayPath(scripts_.Get(revision).path));
  }
  std::string Name(const graph::Revision& revision) const { return "Revision " + Where(revision); }

  // (a) A fresh database reaches head.
  schema::Snapshot FreshToHead(const std::vector<graph::Step>& plan) {
    schema::ScratchDatabase scratch(config_);
    if (log_) log_("Verifying on scratch database " + scratch.Describe());
    try {
      RunOn(
          scratch, scripts_,
          [&](const std::vector<std::string>& heads) {
            return graph::PlanUpgrade(scripts_.map(), "heads", heads);
          },
          steps_);
    } catch (const Error& e) {
      throw Error(fmt::format("Upgrade of a fresh database to head fails: {}", e.what()));
    }
    Print(fmt::format("ok: fresh database upgrades to head ({} revision(s))", plan.size()));
    return SnapshotOf(scratch, exclude_);
  }

  // (b) Each revision in upgrade order: up, down (back to the schema before
  // it), up again (the same schema as the first time); then (c) downgrade to
  // base leaves nothing behind.
  void UpDownUp(const std::vector<graph::Step>& plan) {
    schema::ScratchDatabase scratch(config_);
    const schema::Snapshot empty = SnapshotOf(scratch, exclude_);
    schema::Snapshot before = empty;
    // Which revision created each object, to name it among leftovers.
    std::map<std::string, const graph::Revision*> created_by;
    for (const graph::Step& up : plan) {
      const graph::Revision& revision = *up.revision;
      auto run = [&](const graph::Step& step, const char* what) {
        try {
          RunOn(
              scratch, scripts_,
              [&](const std::vector<std::string>&) { return std::vector<graph::Step>{step}; },
              steps_);
        } catch (const Error& e) {
          throw Error(fmt::format("{}: {} fails: {}", Name(revision), what, e.what()));
        }
      };
      run(up, "upgrade");
      schema::Snapshot after = SnapshotOf(scratch, exclude_);
      for (const std::string& line : schema::Diff(before, after)) {
        if (line.starts_with(kUnexpected)) created_by.emplace(line, &revision);
      }
      if (scripts_.Get(revision).irreversible()) {
        throw Error(fmt::format(
            "{}: irreversible: it has no downgrade, so it cannot be rolled back or verified "
            "(write its -- migrate:downgrade section)",
            Name(revision)));
      }
      run(Reverse(up), "downgrade");
      std::vector<std::string> undone = schema::Diff(before, SnapshotOf(scratch, exclude_));
      if (!undone.empty()) {
        throw Error(
            fmt::format("{}: downgrade does not undo upgrade: {}", Name(revision), Lines(undone)));
      }
      run(up, "upgrade after its downgrade");
      std::vector<std::string> again = schema::Diff(after, SnapshotOf(scratch, exclude_));
      if (!again.empty()) {
        throw Error(fmt::format("{}: upgrade after its downgrade gives another schema: {}",
                                Name(revision), Lines(again)));
      }
      Print(fmt::format("ok: revision {}: up, down, up", Where(revision)));
      before = std::move(after);
    }

    try {
      RunOn(
          scratch, scripts_,
          [&](const std::vector<std::string>& heads) {
            return graph::PlanDowngrade(scripts_.map(), "base", heads);
          },
          steps_);
    } catch (const Error& e) {
      throw Error(fmt::format("Downgrade from head to base fails: {}", e.what()));
    }
    std::vector<std::string> leftovers;
    for (const std::string& line : schema::Diff(empty, SnapshotOf(scratch, exclude_))) {
      std::string object = line.starts_with(kUnexpected) ? line.substr(kUnexpected.size()) : line;
      auto creator = created_by.find(line);
      if (creator != created_by.end()) {
        object += fmt::format(" (created by {})", Name(*creator->second));
      }
      leftovers.push_back(object);
    }
    if (!leftovers.empty()) {
      throw Error(fmt::format("Downgrade to base leaves objects behind: {}", Lines(leftovers)));
    }
    Print("ok: downgrade to base leaves nothing behind");
  }

  // (d) The declared schema, stamped at heads, needs no upgrade; and head
  // is the declared schema.
  void DeclaredSchema(const std::string& path, const schema::Snapshot& head) {
    const std::string shown = runtime::DisplayPath(path);
    schema::ScratchDatabase scratch(config_);
    {
      std::unique_ptr<driver::Connection> connection = scratch.Connect();
      schema::LoadDeclaredSchema(path, *connection);
    }
    const schema::Snapshot declared = SnapshotOf(scratch, exclude_);
    RunOn(
        scratch, scripts_,
        [&](const std::vector<std::string>& heads) {
          return graph::PlanStamp(scripts_.map(), {"heads"}, heads, false);
        },
        steps_);
    std::vector<runtime::AppliedStep> ran;
    try {
      ran = RunOn(
          scratch, scripts_,
          [&](const std::vector<std::string>& heads) {
            return graph::PlanUpgrade(scripts_.map(), "heads", heads);
          },
          steps_);
    } catch (const Error& e) {
      throw Error(fmt::format("Upgrade after stamping the declared schema ({}) at head fails: {}",
                              shown, e.what()));
    }
    if (!ran.empty()) {
      throw Error(fmt::format(
          "Upgrade after stamping the declared schema ({}) at head is not a no-op: it ran {}",
          shown, ran.front().step.Describe()));
    }
    Print(fmt::format("ok: declared schema ({}) stamped at head; upgrade runs nothing", shown));
    std::vector<std::string> differences = schema::Diff(declared, head);
    if (!differences.empty()) {
      throw Error(
          fmt::format("Head differs from the declared schema ({}): {}", shown, Lines(differences)));
    }
    Print(fmt::format("ok: head matches the declared schema ({})", shown));
  }

  const Config& config_;
  std::function<void(const std::string&)> print_;
  std::function<void(const std::string&)> log_;
  const StepRegistry* steps_;
  script::ScriptDirectory scripts_;
  std::vector<std::string> exclude_;
};

}  // namespace

void Verify(const Config& config, const Output& out) {
  Verifier(config, out.print, out.log, nullptr).Run();
}

VerifyReport Verify(const Config& config, const Options& options) {
  VerifyReport report;
  Verifier(
      config, [&report](const std::string& line) { report.passed.push_back(line); }, options.log,
      options.steps)
      .Run();
  return report;
}

}  // namespace retort
