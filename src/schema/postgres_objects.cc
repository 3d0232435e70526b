// PostgreSQL objects that are neither tables nor what hangs off a table
// (Snapshot::objects): schemas, extensions, domains and their parts, functions and
// procedures, partitions and partition keys, and the kinds retort inspects
// and compares but cannot render. One catalog query per group, over every
// user schema at once; definitions come from the server's deparsers
// (pg_get_functiondef, pg_get_constraintdef, pg_get_expr, pg_get_partkeydef)
// so differently written SQL compares equal.
#include <fmt/format.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "schema/snapshot.h"

namespace retort::schema {
namespace {

#define RETORT_QUALIFIED(ns, name)                                                                \
  "CASE WHEN " ns ".nspname = current_schema() THEN " name " ELSE " ns ".nspname || '.' || " name \
  " END"

// The object as SQL names it: quoted, schema-qualified outside the current
// schema.
#define RETORT_SQL_NAME(ns, name)                                                               \
  "CASE WHEN " ns ".nspname = current_schema() THEN quote_ident(" name ") ELSE quote_ident(" ns \
  ".nspname) || '.' || quote_ident(" name ") END"

#define RETORT_USER_SCHEMA(ns)                                      \
  ns ".nspname NOT IN ('pg_catalog', 'information_schema') AND " ns \
     ".nspname NOT LIKE 'pg\\_toast%' AND " ns                      \
     ".nspname NOT LIKE 'pg\\_temp\\_%' "                           \
     "AND " ns ".nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"

#define RETORT_NOT_EXTENSION(catalog, oid)                               \
  "NOT EXISTS (SELECT 1 FROM pg_depend AS e WHERE e.classid = '" catalog \
  "'::regclass AND e.objid = " oid " AND e.deptype = 'e')"

// plpgsql is in every database; an extension's schema is part of its
// definition only outside the current schema.
// Schemas other than public and the current one (both exist in any
// database retort compares), with their comments; an extension's own schema
// belongs to the extension.
constexpr const char* kSchemas =
    "SELECT n.nspname, quote_ident(n.nspname), coalesce(obj_description(n.oid, 'pg_namespace'), "
    "'') FROM pg_namespace AS n "
    "WHERE " RETORT_USER_SCHEMA("n") " AND n.nspname NOT IN ('public', current_schema()) AND "
    RETORT_NOT_EXTENSION("pg_namespace", "n.oid");

constexpr const char* kExtensions =
    "SELECT e.extname, quote_ident(e.extname), "
    "CASE WHEN n.nspname = current_schema() THEN '' ELSE 'SCHEMA ' || quote_ident(n.nspname) END "
    "FROM pg_extension AS e JOIN pg_namespace AS n ON n.oid = e.extnamespace "
    "WHERE e.extname <> 'plpgsql'";

constexpr const char* kDomains =
    "SELECT " RETORT_QUALIFIED("n", "t.typname") ", " RETORT_SQL_NAME("n", "t.typname") ", "
    "format_type(t.typbasetype, t.typtypmod), t.typnotnull, "
    "pg_get_expr(t.typdefaultbin, 0), "
    "CASE WHEN t.typcollation <> b.typcollation THEN "
    " (SELECT ' COLLATE ' || quote_ident(c.collname) FROM pg_collation AS c "
    "   WHERE c.oid = t.typcollation) ELSE '' END "
    "FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace "
    "JOIN pg_type AS b ON b.oid = t.typbasetype "
    "WHERE t.typtype = 'd' AND " RETORT_USER_SCHEMA("n") " AND "
    RETORT_NOT_EXTENSION("pg_type", "t.oid");

constexpr const char* kDomainConstraints =
    "SELECT " RETORT_QUALIFIED("n", "t.typname") ", con.conname, "
    "pg_get_constraintdef(con.oid, true), quote_ident(con.conname) "
    "FROM pg_constraint AS con JOIN pg_type AS t ON t.oid = con.contypid "
    "JOIN pg_namespace AS n ON n.oid = t.typnamespace "
    "WHERE con.contype = 'c' AND " RETORT_USER_SCHEMA("n") " AND "
    RETORT_NOT_EXTENSION("pg_type", "t.oid");

// Functions and procedures (aggregates are an unsupported kind below). A
// SQL-standard body (BEGIN ATOMIC, RETURN; PostgreSQL 14+) is parsed when it
// is created, and what it names is recorded in pg_depend: one that names a
// table or column must come after them (any other stays before the tables,
// whose defaults may call it).
constexpr const char* kRoutines =
    "SELECT " RETORT_QUALIFIED("n", "p.proname") " || '(' || "
    "pg_get_function_identity_arguments(p.oid) || ')', "
    RETORT_SQL_NAME("n", "p.proname") " || '(' || pg_get_function_identity_arguments(p.oid) || "
    "')', p.prokind, pg_get_functiondef(p.oid), EXISTS (SELECT 1 FROM pg_depend AS d "
    " WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid "
    " AND d.refclassid = 'pg_class'::regclass) "
    "FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
    "WHERE p.prokind IN ('f', 'p', 'w') AND " RETORT_USER_SCHEMA("n") " AND "
    RETORT_NOT_EXTENSION("pg_proc", "p.oid");

// Partitioned tables' keys and the partitions (a partition that is itself
// partitioned carries its own key in its definition).
constexpr const char* kPartitions =
    "SELECT " RETORT_QUALIFIED("n", "c.relname") ", " RETORT_SQL_NAME("n", "c.relname") ", "
    "c.relispartition, c.relkind = 'p', "
    "CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END, "
    "CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END, "
    "(SELECT " RETORT_QUALIFIED("pn", "p.relname") " FROM pg_inherits AS i "
    " JOIN pg_class AS p ON p.oid = i.inhparent JOIN pg_namespace AS pn ON pn.oid = p.relnamespace "
    " WHERE i.inhrelid = c.oid), "
    "(SELECT " RETORT_SQL_NAME("pn", "p.relname") " FROM pg_inherits AS i "
    " JOIN pg_class AS p ON p.oid = i.inhparent JOIN pg_namespace AS pn ON pn.oid = p.relnamespace "
    " WHERE i.inhrelid = c.oid) "
    "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
    "WHERE c.relkind IN ('r', 'p') AND (c.relispartition OR c.relkind = 'p') AND "
    RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_class", "c.oid") " ORDER BY 1";

// What retort cannot render, each with a text that changes when the object
// does: (kind, name, definition).
constexpr const char* kUnsupported =
    "SELECT 'operator', " RETORT_QUALIFIED("n", "o.oprname") " || ' (' || "
    " coalesce(format_type(o.oprleft, NULL), 'NONE') || ', ' || "
    " coalesce(format_type(o.oprright, NULL), 'NONE') || ')', o.oprcode::text "
    "FROM pg_operator AS o JOIN pg_namespace AS n ON n.oid = o.oprnamespace "
    "WHERE " RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_operator", "o.oid") " "
    "UNION ALL "
    "SELECT 'aggregate', " RETORT_QUALIFIED("n", "p.proname") " || '(' || "
    " pg_get_function_identity_arguments(p.oid) || ')', "
    " a.aggtransfn::text || ' ' || format_type(a.aggtranstype, NULL) || ' ' || "
    " a.aggfinalfn::text || ' ' || coalesce(a.agginitval, '') "
    "FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace "
    "JOIN pg_aggregate AS a ON a.aggfnoid = p.oid "
    "WHERE " RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_proc", "p.oid") " "
    "UNION ALL "
    "SELECT 'event trigger', t.evtname, t.evtevent || ' ' || t.evtfoid::regproc::text || ' ' || "
    " t.evtenabled::text || ' ' || coalesce(array_to_string(t.evttags, ','), '') "
    "FROM pg_event_trigger AS t WHERE " RETORT_NOT_EXTENSION("pg_event_trigger", "t.oid") " "
    "UNION ALL "
    "SELECT 'foreign table', " RETORT_QUALIFIED("n", "c.relname") ", "
    " coalesce(array_to_string(f.ftoptions, ','), '') "
    "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
    "JOIN pg_foreign_table AS f ON f.ftrelid = c.oid "
    "WHERE " RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_class", "c.oid") " "
    "UNION ALL "
    "SELECT 'policy', " RETORT_QUALIFIED("n", "c.relname") " || '.' || p.polname, "
    " p.polcmd::text || ' ' || p.polpermissive::text || ' ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '') "
    " || ' ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '') "
    "FROM pg_policy AS p JOIN pg_class AS c ON c.oid = p.polrelid "
    "JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE " RETORT_USER_SCHEMA("n") " "
    "UNION ALL "
    "SELECT 'row-level security', " RETORT_QUALIFIED("n", "c.relname") ", "
    " CASE WHEN c.relforcerowsecurity THEN 'FORCE' ELSE 'ENABLE' END "
    "FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace "
    "WHERE c.relrowsecurity AND " RETORT_USER_SCHEMA("n") " "
    "UNION ALL "
    "SELECT 'rule', " RETORT_QUALIFIED("n", "c.relname") " || '.' || r.rulename, "
    " pg_get_ruledef(r.oid, true) "
    "FROM pg_rewrite AS r JOIN pg_class AS c ON c.oid = r.ev_class "
    "JOIN pg_namespace AS n ON n.oid = c.relnamespace "
    "WHERE r.rulename <> '_RETURN' AND " RETORT_USER_SCHEMA("n") " AND "
    RETORT_NOT_EXTENSION("pg_class", "c.oid") " "
    "UNION ALL "
    "SELECT CASE t.typtype WHEN 'c' THEN 'composite type' WHEN 'r' THEN 'range type' "
    " ELSE 'base type' END, " RETORT_QUALIFIED("n", "t.typname") ", "
    " CASE t.typtype WHEN 'c' THEN (SELECT string_agg(a.attname || ' ' || "
    "  format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute AS a "
    "  WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) "
    " WHEN 'r' THEN (SELECT format_type(r.rngsubtype, NULL) FROM pg_range AS r "
    "  WHERE r.rngtypid = t.oid) ELSE t.typinput::text END "
    "FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace "
    "LEFT JOIN pg_class AS c ON c.oid = t.typrelid "
    "WHERE ((t.typtype = 'c' AND c.relkind = 'c') OR t.typtype = 'r' OR "
    " (t.typtype = 'b' AND t.typelem = 0 AND t.typcategory <> 'A')) AND "
    RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_type", "t.oid") " "
    "UNION ALL "
    "SELECT 'collation', " RETORT_QUALIFIED("n", "c.collname") ", "
    " c.collprovider::text || ' ' || coalesce(c.collcollate, '') || ' ' || coalesce(c.collctype, '') "
    "FROM pg_collation AS c JOIN pg_namespace AS n ON n.oid = c.collnamespace "
    "WHERE " RETORT_USER_SCHEMA("n") " AND " RETORT_NOT_EXTENSION("pg_collation", "c.oid") " "
    "UNION ALL "
    "SELECT 'statistics object', " RETORT_QUALIFIED("n", "s.stxname") ", "
    " pg_get_statisticsobjdef(s.oid) "
    "FROM pg_statistic_ext AS s JOIN pg_namespace AS n ON n.oid = s.stxnamespace "
    "WHERE " RETORT_USER_SCHEMA("n") " "
    "UNION ALL "
    "SELECT 'cast', format_type(c.castsource, NULL) || ' AS ' || format_type(c.casttarget, NULL), "
    " c.castfunc::regproc::text || ' ' || c.castcontext::text || ' ' || c.castmethod::text "
    "FROM pg_cast AS c WHERE c.oid >= 16384 AND " RETORT_NOT_EXTENSION("pg_cast", "c.oid");

const std::string& Text(const driver::Row& row, size_t i) {
  static const std::string kEmpty;
  return row[i] ? *row[i] : kEmpty;
}

// pg_get_functiondef ends with a newline; the statement is rendered with
// its ';'.
std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

void InspectPostgresObjects(driver::Connection& connection, Snapshot& snapshot) {
  auto& objects = snapshot.objects;
  for (const driver::Row& row : connection.Query(kSchemas)) {
    objects.push_back(SchemaObject{.kind = "schema",
                                   .name = Text(row, 0),
                                   .definition = Text(row, 2),
                                   .parent = Text(row, 1)});
  }
  for (const driver::Row& row : connection.Query(kExtensions)) {
    objects.push_back(SchemaObject{.kind = "extension",
                                   .name = Text(row, 0),
                                   .definition = Text(row, 2),
                                   .parent = Text(row, 1)});
  }
  // A domain's parts are separate objects so that each changes on its own
  // (ALTER DOMAIN ... SET DEFAULT, ADD CONSTRAINT): `parent` holds the
  // domain as SQL names it.
  for (const driver::Row& row : connection.Query(kDomains)) {
    const std::string& name = Text(row, 0);
    const std::string& sql_name = Text(row, 1);
    objects.push_back(SchemaObject{.kind = "domain",
                                   .name = name,
                                   .definition = Text(row, 2) + Text(row, 5),
                                   .parent = sql_name});
    if (row[4]) {
      objects.push_back(SchemaObject{
          .kind = "domain default", .name = name, .definition = *row[4], .parent = sql_name});
    }
    if (Text(row, 3) == "t") {
      objects.push_back(SchemaObject{
          .kind = "domain not null", .name = name, .definition = "NOT NULL", .parent = sql_name});
    }
  }
  std::map<std::string, std::string> domain_sql_names;
  for (const auto& o : objects) {
    if (o.kind == "domain") domain_sql_names[o.name] = o.parent;
  }
  for (const driver::Row& row : connection.Query(kDomainConstraints)) {
    const std::string& domain = Text(row, 0);
    objects.push_back(SchemaObject{.kind = "domain constraint",
                                   .name = domain + "." + Text(row, 1),
                                   .definition = "CONSTRAINT " + Text(row, 3) + " " + Text(row, 2),
                                   .parent = domain_sql_names[domain]});
  }
  for (const driver::Row& row : connection.Query(kRoutines)) {
    objects.push_back(SchemaObject{.kind = Text(row, 2) == "p" ? "procedure" : "function",
                                   .name = Text(row, 0),
                                   .definition = Trimmed(Text(row, 3)),
                                   .parent = Text(row, 1),
                                   .after_tables = Text(row, 4) == "t"});
  }
  for (const driver::Row& row : connection.Query(kPartitions)) {
    const std::string& name = Text(row, 0);
    bool partition = Text(row, 2) == "t", partitioned = Text(row, 3) == "t";
    if (partition) {
      // "PARTITION OF parent FOR VALUES FROM ('2026-01-01') TO (...)": what
      // follows the table's name in its CREATE TABLE.
      std::string definition = "PARTITION OF " + Text(row, 7) + " " + Text(row, 5);
      if (partitioned) definition += " PARTITION BY " + Text(row, 4);
      objects.push_back(SchemaObject{
          .kind = "partition", .name = name, .definition = definition, .parent = Text(row, 6)});
    } else if (partitioned) {
      objects.push_back(
          SchemaObject{.kind = "partition key", .name = name, .definition = Text(row, 4)});
    }
  }
  for (const driver::Row& row : connection.Query(kUnsupported)) {
    objects.push_back(
        SchemaObject{.kind = Text(row, 0), .name = Text(row, 1), .definition = Text(row, 2)});
  }
}

}  // namespace retort::schema
