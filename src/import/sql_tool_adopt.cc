// Each tool's version table, read the way the tool reads it:
//   dbmate          schema_migrations(version)            one row per applied version
//   golang-migrate  schema_migrations(version, dirty)     one row: the current version
//   goose           goose_db_version(id, version_id, is_applied, tstamp)
//                   the latest row of a version decides; version 0 is goose's own
//   Flyway          flyway_schema_history(installed_rank, version, description,
//                   type, script, checksum, ..., success) in installed_rank order
#include "import/sql_tool_adopt.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "driver/connection.h"
#include "graph/plan.h"
#include "import/sql_tool_files.h"
#include "retort/error.h"
#include "runtime/migration_context.h"
#include "util/strings.h"

namespace retort::import {
namespace {

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string v = util::ToLower(util::Trim(*value));
  return v == "t" || v == "true" || v == "1" || v == "yes" || v == "on";
}

int CompareNumbers(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

int CompareFlyway(const std::string& a, const std::string& b) {
  std::vector<std::string> pa = util::Split(a, '.'), pb = util::Split(b, '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    std::string x = i < pa.size() ? pa[i] : "0", y = i < pb.size() ? pb[i] : "0";
    if (int c = CompareNumbers(x, y); c != 0) return c;
  }
  return 0;
}

int CompareVersions(SqlTool tool, const std::string& a, const std::string& b) {
  switch (tool) {
    case SqlTool::kDbmate:
      return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
    case SqlTool::kFlyway:
      return CompareFlyway(a, b);
    default:
      return CompareNumbers(a, b);
  }
}

std::string QuoteName(const std::string& name) {
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string RepeatableId(std::string_view description) {
  std::string id = "R_";
  for (char c : description) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    id += word ? c : '_';
  }
  return id;
}

std::string ToolLabel(SqlTool tool) {
  return tool == SqlTool::kFlyway ? "Flyway" : std::string(SqlToolName(tool));
}

}  // namespace

ToolState ReadToolState(const Config& config, SqlTool tool,
                        const std::optional<std::string>& tool_table) {
  std::string table_name = tool_table.value_or(std::string(DefaultToolTable(tool)));
  std::string schema, table = table_name;
  if (size_t dot = table_name.rfind('.'); dot != std::string::npos) {
    schema = table_name.substr(0, dot);
    table = table_name.substr(dot + 1);
  }
  DatabaseUrl url = config.Url();
  std::unique_ptr<driver::Connection> connection = driver::Connect(url);
  if (!connection->TableExists(schema, table)) {
    throw Error(fmt::format(
        "No {} table '{}' in {}: nothing to adopt (a database {} never touched needs only "
        "`retort upgrade head`; name another table with --table)",
        ToolLabel(tool), table_name, url.Redacted(), ToolLabel(tool)));
  }
  std::string from = schema.empty() ? QuoteName(table) : QuoteName(schema) + "." + QuoteName(table);
  ToolState state;
  state.table = table_name;
  auto query = [&](const std::string& sql) {
    try {
      return connection->Query(sql);
    } catch (const Error& e) {
      throw Error(fmt::format("Cannot read {}'s table '{}' (is it {}'s?): {}", ToolLabel(tool),
                              table_name, ToolLabel(tool), e.what()));
    }
  };
  switch (tool) {
    case SqlTool::kDbmate:
      for (const driver::Row& row : query("SELECT version FROM " + from)) {
        if (row.at(0)) state.applied.insert(NormalizeVersion(tool, *row[0]));
      }
      break;
    case SqlTool::kGolangMigrate: {
      std::vector<driver::Row> rows = query("SELECT version, dirty FROM " + from);
      if (rows.size() > 1) {
        throw Error(
            fmt::format("golang-migrate's table '{}' has {} rows (golang-migrate keeps one): "
                        "fix it first",
                        table_name, rows.size()));
      }
      if (rows.empty() || !rows[0].at(0)) break;
      std::string version = NormalizeVersion(tool, *rows[0][0]);
      if (IsTrue(rows[0].at(1))) {
        throw Error(fmt::format(
            "golang-migrate left the database dirty at version {} (a migration failed half-way): "
            "repair the schema by hand, run `migrate force VERSION` with the version it really is "
            "at, then adopt",
            version));
      }
      // golang-migrate's "nil version" after migrating all the way down.
      if (version == "0" || *rows[0][0] == "-1") break;
      state.up_to = version;
      break;
    }
    case SqlTool::kGoose: {
      // The latest row of each version decides (old goose recorded a down
      // as a row with is_applied = false; current goose deletes the row).
      std::map<std::string, bool> latest;
      for (const driver::Row& row :
           query("SELECT version_id, is_applied FROM " + from + " ORDER BY id")) {
        if (!row.at(0)) continue;
        latest[NormalizeVersion(tool, *row[0])] = IsTrue(row.at(1));
      }
      for (const auto& [version, applied] : latest) {
        if (applied && version != "0") state.applied.insert(version);
      }
      break;
    }
    case SqlTool::kFlyway:
      for (const driver::Row& row :
           query("SELECT installed_rank, version, description, type, script, success FROM " + from +
                 " ORDER BY installed_rank")) {
        std::string type = util::ToLower(row.at(3).value_or(""));
        std::string script = row.at(4).value_or("");
        if (type == "schema" || type == "table") continue;  // Flyway's own bookkeeping
        if (!IsTrue(row.at(5))) {
          throw Error(fmt::format(
              "Flyway recorded a failed migration ({} {}): fix the database and run `flyway "
              "repair` first, then adopt",
              row.at(1) ? "version " + *row[1] : "repeatable", script));
        }
        if (!row.at(1)) {
          std::string id = RepeatableId(row.at(2).value_or(""));
          if (type == "delete") {
            state.repeatable_ids.erase(id);
          } else {
            state.repeatable_ids.insert(id);
          }
          continue;
        }
        std::string version = NormalizeVersion(tool, *row[1]);
        if (type == "baseline") {
          state.baseline = version;
        } else if (type.rfind("undo", 0) == 0 || type == "delete") {
          state.applied.erase(version);
        } else {
          state.applied.insert(version);
        }
      }
      break;
  }
  return state;
}

std::optional<std::string> AdoptionTarget(SqlTool tool, const std::vector<ChainEntry>& chain,
                                          const ToolState& state) {
  std::set<std::string> versions;
  for (const ChainEntry& entry : chain) {
    if (!entry.repeatable) versions.insert(entry.version);
  }
  std::vector<std::string> recorded(state.applied.begin(), state.applied.end());
  if (state.up_to) recorded.push_back(*state.up_to);
  for (const std::string& version : recorded) {
    if (!versions.count(version)) {
      throw Error(fmt::format(
          "{}'s table records version {}, but no migration has it (revision {}): restore its "
          "file first",
          ToolLabel(tool), version, IdForVersion(tool, version)));
    }
  }
  auto applied = [&](const ChainEntry& entry) {
    if (entry.repeatable) return state.repeatable_ids.count(entry.id) > 0;
    if (state.applied.count(entry.version)) return true;
    if (state.up_to && CompareVersions(tool, entry.version, *state.up_to) <= 0) return true;
    return state.baseline && CompareVersions(tool, entry.version, *state.baseline) <= 0;
  };
  std::optional<std::string> target;
  size_t i = 0;
  for (; i < chain.size() && applied(chain[i]); ++i) target = chain[i].id;
  // A repeatable applied later is harmless to run again (Flyway re-runs
  // them whenever they change); a versioned one is not.
  for (size_t j = i + 1; j < chain.size(); ++j) {
    if (!chain[j].repeatable && applied(chain[j])) {
      throw Error(fmt::format(
          "{} applied version {} but not the earlier version {} (out of order): apply {} with "
          "{} first, or remove the gap, then adopt",
          ToolLabel(tool), chain[j].version, chain[i].version, chain[i].version, ToolLabel(tool)));
    }
  }
  return target;
}

std::string DescribeState(SqlTool tool, const ToolState& state,
                          const std::vector<ChainEntry>& chain) {
  std::optional<std::string> last;
  for (const ChainEntry& entry : chain) {
    if (entry.repeatable) continue;
    bool applied = state.applied.count(entry.version) ||
                   (state.up_to && CompareVersions(tool, entry.version, *state.up_to) <= 0) ||
                   (state.baseline && CompareVersions(tool, entry.version, *state.baseline) <= 0);
    if (applied) last = entry.version;
  }
  if (!last) return "nothing applied";
  return fmt::format("at version {}", *last);
}

bool RecordAdoption(const Config& config, const script::ScriptDirectory& scripts,
                    const std::string& target, const std::function<void(const std::string&)>& log) {
  runtime::RunOptions options;
  options.log = log;
  runtime::MigrationContext context(config, scripts, options);
  bool already = false;
  const graph::RevisionMap& map = scripts.map();
  context.Run([&](const std::vector<std::string>& heads) -> std::vector<graph::Step> {
    if (heads.empty()) return graph::PlanStamp(map, {target}, heads, false);
    if (heads.size() == 1 && heads[0] == target) {
      already = true;
      return {};
    }
    throw Error(fmt::format(
        "retort's version table '{}' already records {} (not {}): the database was adopted or "
        "migrated by retort before; check it with `retort current`",
        config.version_table(), util::Join(heads, ", "), target));
  });
  return already;
}

}  // namespace retort::import
