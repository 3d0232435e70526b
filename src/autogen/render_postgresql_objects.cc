#include "autogen/render_postgresql_objects.h"

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "autogen/sql_text.h"

namespace retort::autogen {
namespace {

constexpr const char* kBodiesOff = "SET check_function_bodies = off;";
constexpr const char* kBodiesReset = "RESET check_function_bodies;";

std::string OneLine(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r') ? ' ' : c;
  return out;
}

std::vector<std::string> NotRendered(const ObjectChange& change, const std::string& why) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  std::string what = !change.from ? "added" : !change.to ? "removed" : "changed";
  std::string line = fmt::format("-- NOT RENDERED: {} {} '{}': {}; write this step by hand.", what,
                                 o.kind, OneLine(o.name), why);
  if (change.to) line += "\n--   declared: " + OneLine(change.to->definition);
  if (change.from) line += "\n--   was: " + OneLine(change.from->definition);
  return {line};
}

// "CONSTRAINT name CHECK (...)": the name as written there.
std::string ConstraintName(const std::string& definition) {
  constexpr std::string_view kPrefix = "CONSTRAINT ";
  size_t start = kPrefix.size(), end = start;
  if (definition.compare(0, kPrefix.size(), kPrefix) != 0) return {};
  if (end < definition.size() && definition[end] == '"') {
    for (++end; end < definition.size(); ++end) {
      if (definition[end] != '"') continue;
      if (end + 1 < definition.size() && definition[end + 1] == '"') {
        ++end;
        continue;
      }
      ++end;
      break;
    }
  } else {
    end = definition.find(' ', start);
    if (end == std::string::npos) end = definition.size();
  }
  return definition.substr(start, end - start);
}

// "PARTITION OF parent FOR VALUES ... [PARTITION BY ...]" split into the
// parent and the bound; nullopt when it does not read that way.
struct PartitionOf {
  std::string parent, bound, sub_key;
};
std::optional<PartitionOf> ReadPartition(const std::string& definition) {
  constexpr std::string_view kOf = "PARTITION OF ";
  if (definition.compare(0, kOf.size(), kOf) != 0) return std::nullopt;
  size_t bound = definition.find(" FOR VALUES ");
  if (bound == std::string::npos) bound = definition.find(" DEFAULT");
  if (bound == std::string::npos) return std::nullopt;
  PartitionOf out;
  out.parent = definition.substr(kOf.size(), bound - kOf.size());
  size_t by = definition.find(" PARTITION BY ", bound);
  out.bound =
      definition.substr(bound + 1, by == std::string::npos ? std::string::npos : by - bound - 1);
  if (by != std::string::npos) out.sub_key = definition.substr(by);
  return out;
}

std::vector<std::string> Routine(const ObjectChange& change) {
  const std::string keyword =
      (change.to ? *change.to : *change.from).kind == "procedure" ? "PROCEDURE" : "FUNCTION";
  if (!change.to) return {fmt::format("DROP {} {};", keyword, change.from->parent)};
  // CREATE OR REPLACE, as pg_get_functiondef writes it: a new body replaces
  // the old one in place (a changed result type needs a DROP first, by hand).
  if (change.to->after_tables) return {change.to->definition + ";"};
  return {kBodiesOff, change.to->definition + ";", kBodiesReset};
}

std::vector<std::string> Partition(const ObjectChange& change) {
  if (!change.to) return {fmt::format("DROP TABLE {};", QuoteName(change.from->name))};
  const std::string name = QuoteName(change.to->name);
  if (!change.from) return {fmt::format("CREATE TABLE {} {};", name, change.to->definition)};
  // New bounds: detach and attach again (the rows are checked against them).
  auto was = ReadPartition(change.from->definition), now = ReadPartition(change.to->definition);
  if (!was || !now || was->parent != now->parent || was->sub_key != now->sub_key) {
    return NotRendered(change, "a partition moves to another parent or partition key");
  }
  return {fmt::format("ALTER TABLE {} DETACH PARTITION {};", was->parent, name),
          fmt::format("ALTER TABLE {} ATTACH PARTITION {} {};", now->parent, name, now->bound)};
}

std::vector<std::string> Domain(const ObjectChange& change) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  const std::string& domain = o.parent;
  if (o.kind == "domain") {
    if (!change.from) return {fmt::format("CREATE DOMAIN {} AS {};", domain, o.definition)};
    if (!change.to) return {fmt::format("DROP DOMAIN {};", domain)};
    return NotRendered(change, "a domain's base type cannot change in place");
  }
  if (o.kind == "domain default") {
    if (!change.to) return {fmt::format("ALTER DOMAIN {} DROP DEFAULT;", domain)};
    return {fmt::format("ALTER DOMAIN {} SET DEFAULT {};", domain, o.definition)};
  }
  if (o.kind == "domain not null") {
    return {fmt::format("ALTER DOMAIN {} {} NOT NULL;", domain, change.to ? "SET" : "DROP")};
  }
  // CHECK: dropped and added again when it changes (the values in use are
  // checked against the new one).
  std::vector<std::string> sql;
  if (change.from) {
    sql.push_back(fmt::format("ALTER DOMAIN {} DROP CONSTRAINT {};", domain,
                              ConstraintName(change.from->definition)));
  }
  if (change.to) {
    sql.push_back(
        fmt::format("ALTER DOMAIN {} ADD {};", domain, ReparsableDefinition(o.definition)));
  }
  return sql;
}

// A schema and its comment (`definition`, "" for none).
std::vector<std::string> Schema(const ObjectChange& change) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  if (!change.to) return {fmt::format("DROP SCHEMA {};", o.parent)};
  std::vector<std::string> sql;
  if (!change.from) sql.push_back(fmt::format("CREATE SCHEMA {};", o.parent));
  if (change.from || !o.definition.empty()) {
    sql.push_back(fmt::format("COMMENT ON SCHEMA {} IS {};", o.parent,
                              o.definition.empty() ? "NULL" : QuoteLiteral(o.definition)));
  }
  return sql;
}

std::vector<std::string> Extension(const ObjectChange& change) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  const std::string& name = o.parent;
  if (!change.to) return {fmt::format("DROP EXTENSION {};", name)};
  if (!change.from) {
    return {fmt::format("CREATE EXTENSION {}{};", name,
                        o.definition.empty() ? "" : " WITH " + o.definition)};
  }
  if (!o.definition.empty()) return {fmt::format("ALTER EXTENSION {} SET {};", name, o.definition)};
  return {
      fmt::format("DO $retort$ BEGIN EXECUTE format('ALTER EXTENSION %I SET SCHEMA %I', {}, "
                  "current_schema()); END $retort$;",
                  QuoteLiteral(o.name))};
}

}  // namespace

std::vector<std::string> ObjectChangeSql(const ObjectChange& change) {
  const schema::SchemaObject& o = change.to ? *change.to : *change.from;
  if (!RendersObjectKind(o.kind)) {
    return NotRendered(change, o.kind == "partition key"
                                   ? "an existing table's partitioning cannot change in place"
                                   : "retort cannot render " + o.kind + " objects");
  }
  if (o.kind == "schema") return Schema(change);
  if (o.kind == "extension") return Extension(change);
  if (o.kind == "function" || o.kind == "procedure") return Routine(change);
  if (o.kind == "partition") return Partition(change);
  return Domain(change);
}

void AddPartitionKey(const Operation& op, const schema::Snapshot& to,
                     std::vector<std::string>& sql) {
  const auto* create = std::get_if<CreateTable>(&op);
  if (!create) return;
  for (const auto& o : to.objects) {
    if (o.kind != "partition key" || o.name != create->definition.table.name) continue;
    for (std::string& statement : sql) {
      // After the column list, before any WITH (...).
      size_t end = statement.rfind("\n)");
      if (statement.rfind("CREATE TABLE ", 0) != 0 || end == std::string::npos) continue;
      statement.insert(end + 2, " PARTITION BY " + o.definition);
      return;
    }
  }
}

void MergeFunctionBodySettings(std::vector<RenderedStatement>& statements) {
  std::vector<RenderedStatement> out;
  for (auto& statement : statements) {
    if (statement.sql == kBodiesOff && statement.comment.empty() && !out.empty() &&
        out.back().sql == kBodiesReset) {
      out.pop_back();
      continue;
    }
    out.push_back(std::move(statement));
  }
  statements = std::move(out);
}

}  // namespace retort::autogen
