// The retort command line: CLI11 wiring over the commands API. Errors are
// caught once, here, and printed as one line with exit status 1 (failed
// operation) or 2 (usage or configuration).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "retort/autogenerate.h"
#include "retort/commands.h"
#include "retort/config.h"
#include "retort/error.h"
#include "script/script_directory.h"
#include "util/env_switch.h"
#include "util/large_page_heap.h"

namespace {

struct GlobalFlags {
  std::string config_file;
  std::string section = "retort";
  std::vector<std::string> x_args;
  std::string url;
  bool url_given = false;
  double wait_seconds = 0;
  bool quiet = false;
};

retort::ConfigSource ToSource(const GlobalFlags& flags) {
  retort::ConfigSource source;
  if (!flags.config_file.empty()) source.file = flags.config_file;
  source.section = flags.section;
  // `--url ""` is kept (an error in Config::Url), not taken as "no --url":
  // an unset shell variable must not fall through to another database.
  if (flags.url_given) source.url = flags.url;
  source.connect_wait =
      std::chrono::milliseconds(static_cast<long long>(std::llround(flags.wait_seconds * 1000)));
  for (const std::string& pair : flags.x_args) {
    auto equals = pair.find('=');
    if (equals == std::string::npos) {
      throw retort::UsageError(fmt::format("-x expects KEY=VALUE, got '{}'", pair));
    }
    source.x_args[pair.substr(0, equals)] = pair.substr(equals + 1);
  }
  return source;
}

void PrintSummary(const std::vector<retort::AppliedStep>& applied, const retort::Output& out,
                  bool offline) {
  if (offline || !out.log) return;
  if (applied.empty()) out.log("Nothing to do: the database is already there.");
}

}  // namespace

namespace {

// Levenshtein distance, for "did you mean".
std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean 'upgrade'?" for the closest command within two edits (or
// one the word starts), else nothing.
std::string DidYouMean(const CLI::App& app, const std::string& word) {
  std::string best;
  std::size_t best_distance = 3;
  for (const CLI::App* command : app.get_subcommands({})) {
    const std::string& name = command->get_name();
    std::size_t distance = EditDistance(word, name);
    if (word.size() >= 3 && name.rfind(word, 0) == 0) distance = std::min<std::size_t>(distance, 1);
    if (distance < best_distance) {
      best = name;
      best_distance = distance;
    }
  }
  return best.empty() ? std::string() : "; did you mean '" + best + "'?";
}

}  // namespace

int main(int argc, char** argv) {
  // Page faults were a third of a warm `heads` on 1,000 revisions
  // (docs/performance.md, "Page faults"); RETORT_NO_HUGE_PAGES=1 keeps
  // malloc's defaults.
  if (!retort::util::EnvSwitchOn("RETORT_NO_HUGE_PAGES")) {
    retort::util::UseLargePageHeap(std::size_t{32} << 20);
  }
  // One command per process: its loaded revisions are left to exit().
  retort::script::ScriptDirectory::ReleaseMemoryAtExit();
  CLI::App app{"retort: versioned, reversible database schema migrations", "retort"};
  app.set_version_flag("--version", "retort 0.1.0");
  app.require_subcommand(1);
  app.fallthrough();

  GlobalFlags flags;
  app.add_option("-c,--config", flags.config_file,
                 "Config file (default ./retort.ini, or $RETORT_CONFIG)");
  app.add_option("-n,--name", flags.section, "Section of the config file to use")
      ->capture_default_str();
  app.add_option("-x", flags.x_args, "Extra KEY=VALUE arguments (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--url", flags.url, "Database URL (overrides $DATABASE_URL and the config)");
  app.add_option("--wait", flags.wait_seconds,
                 "Retry connecting for up to SECONDS (a database still starting up)")
      ->check(CLI::Validator(
          [](const std::string& text) -> std::string {
            // CLI11's Range says "Value abc not in range 0.000000 to ...".
            char* end = nullptr;
            double seconds = std::strtod(text.c_str(), &end);
            if (text.empty() || end == nullptr || *end != '\0' || !(seconds >= 0) ||
                seconds > 86400) {
              return "'" + text + "' is not a number of seconds from 0 to 86400 (e.g. --wait 30)";
            }
            return {};
          },
          "SECONDS"))
      ->option_text("SECONDS");
  app.add_flag("-q,--quiet", flags.quiet, "Do not print progress lines");

  retort::Output out;
  out.print = [](const std::string& line) { std::cout << line << '\n'; };

  // A command runs after parsing, once every flag is known.
  std::function<void()> run;
  auto config = [&flags] { return retort::Config::Load(ToSource(flags)); };

  // init / list_templates
  std::string init_dir, template_name = "generic";
  auto* init = app.add_subcommand("init", "Create a new migration environment");
  init->add_option("directory", init_dir, "Folder for the migration scripts")->required();
  init->add_option("-t,--template", template_name, "Project template (see list_templates)")
      ->capture_default_str();
  init->callback([&] {
    run = [&] {
      retort::Init(init_dir, flags.config_file.empty() ? "retort.ini" : flags.config_file,
                   template_name, out);
    };
  });
  app.add_subcommand("list_templates", "List the available init templates")->callback([&] {
    run = [&] { retort::ListTemplates(out); };
  });

  // revision / merge
  retort::RevisionOptions revision_options;
  std::string version_path, rev_id;
  auto* revision = app.add_subcommand("revision", "Create a new revision file");
  revision->add_option("-m,--message", revision_options.message, "Message of the revision");
  revision->add_option("--head", revision_options.head, "Revision to base the new one on")
      ->capture_default_str();
  revision->add_flag("--splice", revision_options.splice,
                     "Allow a non-head --head, creating a new branch");
  revision
      ->add_option("--branch-label", revision_options.branch_labels,
                   "Branch label for the new revision")
      ->allow_extra_args(false);
  revision
      ->add_option("--depends-on", revision_options.depends_on,
                   "Revision the new one depends on (repeatable)")
      ->allow_extra_args(false);
  revision->add_option("--rev-id", rev_id, "Revision id instead of a generated one");
  revision->add_option("--version-path", version_path, "Version folder to write the file to");
  bool autogenerate = false;
  revision->add_flag("--autogenerate", autogenerate,
                     "Fill the revision from the declared schema vs. the database");
  revision->add_flag("--concurrently", revision_options.concurrently,
                     "With --autogenerate on PostgreSQL: build indexes of existing tables and "
                     "validate constraints added to them in a second revision that blocks no "
                     "writes");
  auto print_generated = [&](const std::filesystem::path& path) {
    out.print(fmt::format("  Generating {} ...  done", path.string()));
  };
  revision->callback([&] {
    run = [&] {
      if (!rev_id.empty()) revision_options.rev_id = rev_id;
      if (!version_path.empty()) revision_options.version_path = version_path;
      if (autogenerate) {
        retort::AutogenerateReport report =
            retort::AutogenerateRevision(config(), revision_options);
        for (const std::string& line : retort::ReportLines(report)) out.print(line);
        if (report.changes.empty()) out.print("No changes in schema detected.");
        print_generated(*report.path);
        if (report.index_path) print_generated(*report.index_path);
        return;
      }
      print_generated(retort::MakeRevision(config(), revision_options));
    };
  });

  std::vector<std::string> merge_revisions;
  retort::RevisionOptions merge_options;
  std::string merge_rev_id;
  auto* merge = app.add_subcommand("merge", "Merge two or more revisions into a new one");
  merge->add_option("revisions", merge_revisions, "Revisions to merge (e.g. heads)")->required();
  merge->add_option("-m,--message", merge_options.message, "Message of the revision");
  merge->add_option("--branch-label", merge_options.branch_labels, "Branch label")
      ->allow_extra_args(false);
  merge->add_option("--rev-id", merge_rev_id, "Revision id instead of a generated one");
  merge->callback([&] {
    run = [&] {
      if (!merge_rev_id.empty()) merge_options.rev_id = merge_rev_id;
      print_generated(retort::Merge(config(), merge_revisions, merge_options));
    };
  });

  // upgrade / downgrade / stamp / ensure_version
  retort::MigrateOptions migrate;
  // An offline script is printed only once complete: a run that fails
  // halfway must not leave a truncated script on stdout for a pipe to apply.
  std::ostringstream script;
  migrate.sql_out = &script;
  std::string target;
  auto add_migrate_flags = [&](CLI::App* command) {
    command->add_flag("--sql", migrate.sql,
                      "Print the SQL instead of running it (offline; accepts FROM:TO)");
    command->add_option("--tag", migrate.tag, "Arbitrary tag for hooks");
  };
  auto* upgrade = app.add_subcommand("upgrade", "Upgrade to a later revision");
  upgrade->add_option("revision", target, "Target revision (e.g. head, +1, ab12)")->required();
  add_migrate_flags(upgrade);
  upgrade->callback([&] {
    run = [&] { PrintSummary(retort::Upgrade(config(), target, migrate, out), out, migrate.sql); };
  });
  auto* downgrade = app.add_subcommand("downgrade", "Revert to a previous revision");
  downgrade->add_option("revision", target, "Target revision (e.g. -1, base, ab12)")->required();
  add_migrate_flags(downgrade);
  downgrade->callback([&] {
    run = [&] {
      PrintSummary(retort::Downgrade(config(), target, migrate, out), out, migrate.sql);
    };
  });
  std::vector<std::string> stamp_revisions;
  bool purge = false;
  auto* stamp = app.add_subcommand("stamp", "Set the version table without running migrations");
  stamp->add_option("revisions", stamp_revisions, "Revision(s) to stamp")->required();
  stamp->add_flag("--purge", purge, "Delete every version row before stamping");
  add_migrate_flags(stamp);
  stamp->callback(
      [&] { run = [&] { retort::Stamp(config(), stamp_revisions, purge, migrate, out); }; });
  auto* ensure = app.add_subcommand("ensure_version", "Create the version table if missing");
  ensure->add_flag("--sql", migrate.sql, "Print the SQL instead of running it");
  ensure->callback([&] { run = [&] { retort::EnsureVersion(config(), migrate, out); }; });
  app.add_subcommand("verify", "Check every revision up, down and up on a scratch database")
      ->callback([&] { run = [&] { retort::Verify(config(), out); }; });

  // check (docs/autogenerate.md): exit 1 listing each difference.
  bool check_timings = false;
  auto* check =
      app.add_subcommand("check", "Exit 1 if autogenerate would detect changes, listing them");
  check->add_flag("--timings", check_timings, "Print how long each phase took (stderr)");
  check->callback([&] {
    run = [&] {
      retort::AutogenerateReport report = retort::Check(config());
      if (check_timings) {
        for (const std::string& line : retort::TimingLines(report)) std::cerr << line << '\n';
      }
      for (const std::string& line : retort::ReportLines(report)) out.print(line);
      if (report.changes.empty()) {
        out.print("No new upgrade operations detected.");
        return;
      }
      throw retort::Error(
          fmt::format("New upgrade operations detected: {} (the database differs from the declared "
                      "schema; see docs/autogenerate.md)",
                      report.changes.size()));
    };
  });

  // dump (docs/autogenerate.md): the database's schema as a declared schema.
  std::string dump_output;
  auto* dump = app.add_subcommand("dump", "Write the database's schema as a declared schema");
  dump->add_option("--output", dump_output, "Write it to this file instead of standard output");
  dump->callback([&] {
    run = [&] {
      retort::Dump(
          config(),
          dump_output.empty() ? std::nullopt : std::optional<std::filesystem::path>(dump_output),
          out);
    };
  });

  // current / history / heads / branches / show / edit
  bool verbose = false, indicate_current = false, resolve_dependencies = false;
  auto* current = app.add_subcommand("current", "Show the database's current revision(s)");
  current->add_flag("-v,--verbose", verbose, "Full details");
  current->callback([&] { run = [&] { retort::Current(config(), verbose, out); }; });
  std::string range;
  auto* history = app.add_subcommand("history", "List revisions, newest first");
  history->add_option("-r,--rev-range", range, "Range [start]:[end]");
  history->add_flag("-v,--verbose", verbose, "Full details");
  history->add_flag("-i,--indicate-current", indicate_current, "Mark the current revision(s)");
  bool history_graph = false, history_dot = false;
  history->add_flag("--graph", history_graph, "Draw the revision graph like git log --graph");
  history->add_flag("--dot", history_dot, "Print the revision graph for Graphviz")
      ->excludes(history->get_option("--graph"));
  history->callback([&] {
    run = [&] {
      std::optional<std::string> r;
      if (!range.empty()) r = range;
      if (history_graph || history_dot) {
        retort::HistoryGraph(config(), r, indicate_current, history_dot, out);
      } else {
        retort::History(config(), r, verbose, indicate_current, out);
      }
    };
  });
  auto* heads = app.add_subcommand("heads", "Show the head revisions");
  heads->add_flag("-v,--verbose", verbose, "Full details");
  heads->add_flag("--resolve-dependencies", resolve_dependencies,
                  "Treat dependencies as down revisions");
  bool heads_check = false;
  heads->add_flag("--check", heads_check, "Exit 1 when there is more than one head (for CI)");
  heads->callback([&] {
    run = [&] {
      if (heads_check) {
        retort::CheckHeads(config(), verbose, out);
      } else {
        retort::Heads(config(), verbose, resolve_dependencies, out);
      }
    };
  });
  auto* branches = app.add_subcommand("branches", "Show branch points");
  branches->add_flag("-v,--verbose", verbose, "Full details");
  branches->callback([&] { run = [&] { retort::Branches(config(), verbose, out); }; });
  std::string show_rev;
  auto* show = app.add_subcommand("show", "Show one revision's details");
  show->add_option("revision", show_rev, "Revision (or current)")->required();
  show->callback([&] { run = [&] { retort::Show(config(), show_rev, out); }; });
  std::string edit_rev;
  auto* edit = app.add_subcommand("edit", "Open a revision file in $EDITOR");
  edit->add_option("revision", edit_rev, "Revision (or current)")->required();
  edit->callback([&] { run = [&] { retort::Edit(config(), edit_rev); }; });

  // repair / status (docs/integrity.md)
  app.add_subcommand("repair", "Record the current checksums of edited applied revisions")
      ->callback([&] { run = [&] { retort::Repair(config(), out); }; });
  // resolve (docs/mysql.md): settle a half-applied revision on MySQL.
  std::string resolve_rev;
  bool resolve_applied = false, resolve_rolled_back = false;
  auto* resolve = app.add_subcommand(
      "resolve", "Settle a revision a failed run left half-applied (MySQL, MariaDB)");
  resolve->add_option("revision", resolve_rev, "The half-applied revision")->required();
  auto* applied_flag = resolve->add_flag("--applied", resolve_applied,
                                         "You finished it by hand: record it as applied");
  auto* rolled_back_flag = resolve->add_flag(
      "--rolled-back", resolve_rolled_back, "You undid what ran by hand: record it as not applied");
  applied_flag->excludes(rolled_back_flag);
  resolve->callback([&] {
    if (!resolve_applied && !resolve_rolled_back) {
      throw CLI::ValidationError("resolve", "say how it was settled: --applied or --rolled-back");
    }
    run = [&] { retort::Resolve(config(), resolve_rev, resolve_applied, out); };
  });
  bool status_json = false;
  auto* status = app.add_subcommand("status", "Current, pending and integrity at a glance");
  status->add_flag("--json", status_json, "Print one JSON object");
  status->callback([&] { run = [&] { retort::Status(config(), status_json, out); }; });

  // import (docs/migrating.md): another tool's project becomes a retort one.
  retort::ImportOptions import_options;
  std::string import_path, import_into, import_table;
  auto* import_command =
      app.add_subcommand("import",
                         "Turn an Alembic (or dbmate, golang-migrate, Flyway, goose) "
                         "project into a retort project");
  import_command
      ->add_option("tool", import_options.tool, "alembic, dbmate, golang-migrate, flyway or goose")
      ->required();
  import_command->add_option("path", import_path,
                             "alembic: the alembic.ini (default ./alembic.ini); others: the "
                             "tool's migrations folder");
  import_command->add_option("--dialect", import_options.dialect,
                             "alembic: sqlite or postgresql, the SQL to render");
  import_command->add_option("--into", import_into, "Folder of the new retort project");
  import_command->add_flag("--allow-partial", import_options.allow_partial,
                           "alembic: exit 0 even if some revisions need a hand");
  import_command->add_option("--tool-table", import_table,
                             "SQL-file tools: the tool's version table, if not its default");
  import_command->callback([&] {
    run = [&] {
      if (!import_path.empty()) import_options.path = import_path;
      if (!import_into.empty()) import_options.into = import_into;
      if (!import_table.empty()) import_options.tool_table = import_table;
      // -n is global: for import it names alembic.ini's section.
      if (app.get_option("-n")->count() > 0) import_options.section = flags.section;
      if (!flags.url.empty()) import_options.url = flags.url;
      retort::Import(import_options, out);
    };
  });

  // adopt (docs/migrating.md): a database dbmate, golang-migrate, Flyway or
  // goose manages, for a project `import` made from that tool's folder.
  std::string adopt_tool, adopt_table;
  auto* adopt = app.add_subcommand(
      "adopt",
      "Record what dbmate, golang-migrate, Flyway or goose applied, so nothing runs twice");
  adopt->add_option("tool", adopt_tool, "dbmate, golang-migrate, flyway or goose")->required();
  adopt->add_option("--tool-table", adopt_table, "The tool's version table, if not its default");
  adopt->callback([&] {
    run = [&] {
      retort::Adopt(config(), adopt_tool,
                    adopt_table.empty() ? std::nullopt : std::optional<std::string>(adopt_table),
                    out);
    };
  });

  // lint (docs/lint.md)
  retort::LintOptions lint_options;
  std::string lint_range, lint_dialect;
  auto* lint = app.add_subcommand("lint", "Flag destructive and lock-heavy statements");
  lint->add_option("range", lint_range, "Revisions: FROM:TO as history -r, or one revision");
  lint->add_flag("--json", lint_options.json, "Print the findings as a JSON array");
  lint->add_option("--dialect", lint_dialect,
                   "sqlite, postgresql or mysql (default: from the URL)");
  lint->callback([&] {
    run = [&] {
      if (!lint_range.empty()) lint_options.range = lint_range;
      if (!lint_dialect.empty()) lint_options.dialect = lint_dialect;
      retort::Lint(config(), lint_options, out);
    };
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // CLI11 reports a mistyped command as a missing one; name the word.
    std::vector<std::string> rest = app.remaining();
    if (app.get_subcommands().empty() && !rest.empty()) {
      std::cerr << "FAILED: Unknown command '" << retort::OneLine(rest.front()) << "'"
                << DidYouMean(app, rest.front()) << " (see retort --help)\n";
      return 2;
    }
    std::cerr << "FAILED: " << retort::OneLine(e.what()) << " (see retort --help)\n";
    return 2;
  }

  flags.url_given = app.get_option("--url")->count() > 0;
  // Progress lines echo revision messages from files: printable, one line.
  if (!flags.quiet) {
    // One write per line (std::cerr is unbuffered: `<< line << '\n'` is two).
    out.log = [](const std::string& line) { std::cerr << retort::OneLine(line) + '\n'; };
  }
  try {
    if (run) run();
    std::cout << script.view();  // no copy of a script that may be megabytes
    std::cout.flush();
    return 0;
  } catch (const retort::Error& e) {
    std::cout.flush();
    std::cerr << "FAILED: " << e.what() << '\n';
    return e.ExitCode();
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "FAILED: internal error: " << retort::OneLine(e.what()) << '\n';
    return 1;
  }
}
