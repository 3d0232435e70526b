#ifndef RETORT_SCHEMA_SNAPSHOT_H_
#define RETORT_SCHEMA_SNAPSHOT_H_

#include <optional>
#include <string>
#include <vector>

#include "driver/connection.h"

namespace retort::schema {

// The inspected model of one database: every user object, one record per
// object, with types, defaults and definitions as the database normalises
// them so that two databases built from differently written SQL compare
// equal. Names are unqualified for objects in the connection's current
// schema (PostgreSQL) and "schema.name" otherwise. Records are sorted by
// their identity (see Diff), so two snapshots compare with ==.
//
// This is the inspection autogenerate grows from: keep the records
// structured; `definition` strings are for comparison and messages.

// `sql` fields hold the object's CREATE statement as the database keeps it
// (SQLite: sqlite_master.sql, as written), for renderers that must recreate
// the object exactly (the SQLite table rebuild). They never take part in
// comparisons: == compares the normalised fields only.

// Two storage-parameter lists ("a=1,b=2") hold the same parameters, in any
// order: the server keeps them in the order they were last set, which says
// nothing about the schema.
bool SameStorageOptions(const std::string& a, const std::string& b);
// The "name=value" items of a storage-parameter list, in its order.
std::vector<std::string> StorageOptionItems(const std::string& options);

struct Table {
  std::string name{};
  std::optional<std::string> comment{};  // PostgreSQL COMMENT ON TABLE
  std::string sql{};                     // SQLite only; not compared
  // PostgreSQL: CREATE UNLOGGED TABLE, and the storage parameters of
  // WITH (...) as the server keeps them ("fillfactor=70,autovacuum_enabled=false").
  bool unlogged = false;
  std::string options{};
  bool operator==(const Table& other) const {
    return name == other.name && comment == other.comment && unlogged == other.unlogged &&
           SameStorageOptions(options, other.options);
  }
};

struct Column {
  std::string table{};
  std::string name{};
  std::string
      type{};  // "integer", "character varying(50)" (PostgreSQL); as declared, upper-cased (SQLite)
  bool not_null = false;
  std::optional<std::string> default_value{};  // the database's text of the default expression
  std::optional<std::string> comment{};
  int position = 0;     // 1-based ordinal in its table, for rendering; not compared
  int statistics = -1;  // PostgreSQL ALTER COLUMN ... SET STATISTICS; -1: the default
  bool operator==(const Column& other) const {
    return table == other.table && name == other.name && type == other.type &&
           not_null == other.not_null && default_value == other.default_value &&
           comment == other.comment && statistics == other.statistics;
  }
};

struct PrimaryKey {
  std::string table{};
  std::string name{};  // empty on SQLite (it keeps no constraint names)
  std::vector<std::string> columns{};
  bool operator==(const PrimaryKey&) const = default;
};

struct UniqueConstraint {
  std::string table{};
  std::string name{};  // empty on SQLite
  std::vector<std::string> columns{};
  bool operator==(const UniqueConstraint&) const = default;
};

struct Index {
  std::string table{};
  std::string name{};
  bool unique = false;
  // The key and any WHERE clause, normalised: "(lower(email)) WHERE (active)";
  // on PostgreSQL pg_get_indexdef's text from "USING" on.
  std::string definition{};
  std::string sql{};  // SQLite only; not compared
  bool operator==(const Index& other) const {
    return table == other.table && name == other.name && unique == other.unique &&
           definition == other.definition;
  }
};

struct ForeignKey {
  std::string table{};
  std::string name{};  // empty on SQLite
  std::vector<std::string> columns{};
  std::string referenced_table{};
  std::vector<std::string> referenced_columns{};
  std::string on_delete = "NO ACTION";
  std::string on_update = "NO ACTION";
  bool deferrable = false;          // DEFERRABLE (PostgreSQL)
  bool initially_deferred = false;  // INITIALLY DEFERRED
  // False for a key added NOT VALID (PostgreSQL): old rows are not checked,
  // so it is rendered NOT VALID too, never validated behind the user's back.
  bool valid = true;
  bool operator==(const ForeignKey&) const = default;
};

struct CheckConstraint {
  std::string table{};
  std::string name{};        // empty on SQLite when unnamed
  std::string expression{};  // normalised text
  bool operator==(const CheckConstraint&) const = default;
};

struct View {
  std::string name{};
  bool materialized = false;
  std::string definition{};
  std::string sql{};  // SQLite only; not compared
  // A materialized view declared WITH NO DATA is created so (PostgreSQL).
  // Whether it holds rows is data, not schema: not compared.
  bool with_no_data = false;
  // PostgreSQL COMMENT ON VIEW / COMMENT ON MATERIALIZED VIEW.
  std::optional<std::string> comment{};
  // PostgreSQL WITH (...) options as the catalog holds them
  // ("check_option=cascaded,security_barrier=true"; a materialized view's
  // storage parameters), "" for none.
  std::string options{};
  bool operator==(const View& other) const {
    return name == other.name && materialized == other.materialized &&
           definition == other.definition && comment == other.comment && options == other.options;
  }
};

struct Trigger {
  std::string table{};
  std::string name{};
  std::string definition{};
  std::string sql{};  // SQLite only; not compared
  bool operator==(const Trigger& other) const {
    return table == other.table && name == other.name && definition == other.definition;
  }
};

// PostgreSQL only.
struct Sequence {
  std::string name{};
  std::string type{};
  long long start = 1, increment = 1, min = 1, max = 0;
  bool cycle = false;
  // "table.column" when a column owns the sequence (serial, identity): it is
  // created and dropped with that column. For rendering; not compared.
  std::string owner{};
  bool operator==(const Sequence& other) const {
    return name == other.name && type == other.type && start == other.start &&
           increment == other.increment && min == other.min && max == other.max &&
           cycle == other.cycle;
  }
};

struct EnumType {
  std::string name{};
  std::vector<std::string> values{};  // in sort order
  bool operator==(const EnumType&) const = default;
};

// User-defined functions and procedures (PostgreSQL): a trigger's function,
// say, is an object a downgrade must remove too.
struct Routine {
  std::string name{};  // "name(argument types)"
  std::string definition{};
  bool operator==(const Routine&) const = default;
};

// PostgreSQL objects that are neither tables nor what hangs off a table
// (postgres_objects.cc): extensions, domains with their defaults, NOT NULL
// and CHECK constraints, functions and procedures, partitions, and the kinds
// retort inspects and compares but cannot render (operators, aggregates,
// event triggers, foreign tables, policies, rules, composite and range types,
// row-level security), which autogenerate names in a warning and `check`
// reports when they differ. On SQLite: the header pragmas user_version and
// application_id (sqlite_snapshot.cc), kind "pragma", when non-zero.
struct SchemaObject {
  // "extension", "domain", "domain default", "domain not null", "domain
  // constraint", "function", "procedure", "partition", or an unsupported kind
  // ("operator", "aggregate", "policy", ...).
  std::string kind{};
  std::string name{};        // unique within its kind: "citext", "email.email_check", "f(integer)"
  std::string definition{};  // compared: the server's deparsed text
  // Not compared (`definition` holds what matters): the object as SQL
  // names it for an extension, a domain or domain part (the domain) and a
  // function ("f(integer)", quoted); a partition's parent table as `name`s
  // are written. And whether a function's SQL-standard body (BEGIN ATOMIC,
  // RETURN) names tables, so that it is created after them.
  std::string parent{};
  bool after_tables = false;
  bool operator==(const SchemaObject& other) const {
    return kind == other.kind && name == other.name && definition == other.definition;
  }
};

struct Snapshot {
  std::string dialect{};  // "sqlite", "postgresql" or "mysql"
  std::vector<Table> tables{};
  std::vector<Column> columns{};
  std::vector<PrimaryKey> primary_keys{};
  std::vector<UniqueConstraint> unique_constraints{};
  std::vector<Index> indexes{};
  std::vector<ForeignKey> foreign_keys{};
  std::vector<CheckConstraint> checks{};
  std::vector<View> views{};
  std::vector<Trigger> triggers{};
  std::vector<Sequence> sequences{};
  std::vector<EnumType> enums{};
  std::vector<Routine> routines{};
  std::vector<SchemaObject> objects{};  // PostgreSQL; SQLite's pragmas

  bool empty() const;
  bool operator==(const Snapshot&) const = default;
};

// Inspects every user object of the database behind `connection` with a
// handful of catalog queries (not one per table). Tables named in
// `exclude_tables` (unqualified or "schema.name"; e.g. the version table and
// its history table) are left out with their columns, constraints, indexes
// and triggers. Throws retort::Error with the database's message.
Snapshot TakeSnapshot(driver::Connection& connection,
                      const std::vector<std::string>& exclude_tables);

// Per-dialect inspectors behind TakeSnapshot.
Snapshot TakeSqliteSnapshot(driver::Connection& connection,
                            const std::vector<std::string>& exclude_tables);
Snapshot TakePostgresSnapshot(driver::Connection& connection,
                              const std::vector<std::string>& exclude_tables);
// Fills snapshot.objects (postgres_objects.cc); part of TakePostgresSnapshot.
void InspectPostgresObjects(driver::Connection& connection, Snapshot& snapshot);
// MySQL/MariaDB: the current database (see mysql_snapshot.cc for how column
// attributes and indexes map onto the records).
Snapshot TakeMysqlSnapshot(driver::Connection& connection,
                           const std::vector<std::string>& exclude_tables);

// What differs between `expected` and `actual`, one line per object, in a
// stable order (tables, columns, keys, indexes, foreign keys, checks, views,
// triggers, sequences, enums, routines):
//   "missing in database: column users.email text NOT NULL"
//   "unexpected in database: index ix_x ON t USING btree (x)"
//   "differs: column users.name: character varying(50) vs text"
// Empty when the two describe the same schema. An SQLite pragma only
// `actual` sets is no difference: applications keep their own
// user_version; only one `expected` declares is compared.
std::vector<std::string> Diff(const Snapshot& expected, const Snapshot& actual);

// Each object of `snapshot` as Diff names it ("table t", "index ix ON t ..."),
// for listing leftovers.
std::vector<std::string> Describe(const Snapshot& snapshot);

}  // namespace retort::schema

#endif  // RETORT_SCHEMA_SNAPSHOT_H_
