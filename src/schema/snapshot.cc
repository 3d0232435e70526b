#include "schema/snapshot.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "retort/error.h"

namespace retort::schema {
namespace {

std::string Join(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ", "));
}

// Catalog definitions (views, routines) span lines; a message is one line.
std::string OneLine(const std::string& text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string CommentSuffix(const std::optional<std::string>& comment) {
  return comment ? " COMMENT " + Quote(*comment) : "";
}

// How Diff sees one kind of object: its identity, how it is named in a
// message, and the definition compared between the two sides.
template <typename T>
struct Kind {
  std::function<std::string(const T&)> key;
  std::function<std::string(const T&)> label;
  std::function<std::string(const T&)> detail;
};

std::string OnTable(const std::string& what, const std::string& name, const std::string& table) {
  return name.empty() ? fmt::format("{} on {}", what, table)
                      : fmt::format("{} {} on {}", what, name, table);
}

}  // namespace

std::vector<std::string> StorageOptionItems(const std::string& options) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < options.size()) {
    size_t comma = options.find(',', start);
    if (comma == std::string::npos) comma = options.size();
    out.push_back(options.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

bool SameStorageOptions(const std::string& a, const std::string& b) {
  if (a == b) return true;
  std::vector<std::string> left = StorageOptionItems(a), right = StorageOptionItems(b);
  std::sort(left.begin(), left.end());
  std::sort(right.begin(), right.end());
  return left == right;
}

namespace {

const Kind<Table>& TableKind() {
  static const Kind<Table> kind{
      [](const Table& t) { return t.name; }, [](const Table& t) { return "table " + t.name; },
      [](const Table& t) {
        std::string out = t.unlogged ? "UNLOGGED" : "";
        if (!t.options.empty()) out += (out.empty() ? "WITH (" : " WITH (") + t.options + ")";
        if (t.comment) out += (out.empty() ? "COMMENT " : " COMMENT ") + Quote(*t.comment);
        return out;
      }};
  return kind;
}

const Kind<Column>& ColumnKind() {
  static const Kind<Column> kind{[](const Column& c) { return c.table + "." + c.name; },
                                 [](const Column& c) { return "column " + c.table + "." + c.name; },
                                 [](const Column& c) {
                                   std::string out = c.type.empty() ? "(no type)" : c.type;
                                   if (c.not_null) out += " NOT NULL";
                                   if (c.default_value) out += " DEFAULT " + *c.default_value;
                                   if (c.statistics >= 0)
                                     out += " STATISTICS " + std::to_string(c.statistics);
                                   return out + CommentSuffix(c.comment);
                                 }};
  return kind;
}

const Kind<PrimaryKey>& PrimaryKeyKind() {
  static const Kind<PrimaryKey> kind{
      [](const PrimaryKey& k) { return k.table; },
      [](const PrimaryKey& k) { return "primary key on " + k.table; },
      [](const PrimaryKey& k) {
        std::string columns = "(" + Join(k.columns) + ")";
        return k.name.empty() ? columns : k.name + " " + columns;
      }};
  return kind;
}

const Kind<UniqueConstraint>& UniqueKind() {
  static const Kind<UniqueConstraint> kind{
      [](const UniqueConstraint& u) {
        return u.table + "\x1f" + (u.name.empty() ? Join(u.columns) : u.name);
      },
      [](const UniqueConstraint& u) { return OnTable("unique constraint", u.name, u.table); },
      [](const UniqueConstraint& u) { return "(" + Join(u.columns) + ")"; }};
  return kind;
}

const Kind<Index>& IndexKind() {
  static const Kind<Index> kind{
      // By table too: MySQL index names are per table.
      [](const Index& i) { return i.table + "\x1f" + i.name; },
      [](const Index& i) { return fmt::format("index {} ON {}", i.name, i.table); },
      [](const Index& i) { return (i.unique ? "UNIQUE " : "") + OneLine(i.definition); }};
  return kind;
}

const Kind<ForeignKey>& ForeignKeyKind() {
  static const Kind<ForeignKey> kind{
      [](const ForeignKey& f) {
        return f.table + "\x1f" +
               (f.name.empty() ? Join(f.columns) + "\x1f" + f.referenced_table + "\x1f" +
                                     Join(f.referenced_columns)
                               : f.name);
      },
      [](const ForeignKey& f) { return OnTable("foreign key", f.name, f.table); },
      [](const ForeignKey& f) {
        return fmt::format("({}) REFERENCES {} ({}) ON DELETE {} ON UPDATE {}{}{}{}",
                           Join(f.columns), f.referenced_table, Join(f.referenced_columns),
                           f.on_delete, f.on_update, f.deferrable ? " DEFERRABLE" : "",
                           f.initially_deferred ? " INITIALLY DEFERRED" : "",
                           f.valid ? "" : " NOT VALID");
      }};
  return kind;
}

const Kind<CheckConstraint>& CheckKind() {
  static const Kind<CheckConstraint> kind{
      [](const CheckConstraint& c) {
        return c.table + "\x1f" + (c.name.empty() ? c.expression : c.name);
      },
      [](const CheckConstraint& c) { return OnTable("check constraint", c.name, c.table); },
      [](const CheckConstraint& c) { return "CHECK " + OneLine(c.expression); }};
  return kind;
}

const Kind<View>& ViewKind() {
  static const Kind<View> kind{
      [](const View& v) { return v.name; },
      [](const View& v) { return (v.materialized ? "materialized view " : "view ") + v.name; },
      [](const View& v) {
        return (v.options.empty() ? "" : "WITH (" + v.options + ") ") + "AS " +
               OneLine(v.definition) + CommentSuffix(v.comment);
      }};
  return kind;
}

const Kind<Trigger>& TriggerKind() {
  static const Kind<Trigger> kind{
      [](const Trigger& t) { return t.table + "\x1f" + t.name; },
      [](const Trigger& t) { return OnTable("trigger", t.name, t.table); },
      [](const Trigger& t) { return OneLine(t.definition); }};
  return kind;
}

const Kind<Sequence>& SequenceKind() {
  static const Kind<Sequence> kind{
      [](const Sequence& s) { return s.name; },
      [](const Sequence& s) { return "sequence " + s.name; },
      [](const Sequence& s) {
        return fmt::format("AS {} START {} INCREMENT {} MINVALUE {} MAXVALUE {}{}", s.type, s.start,
                           s.increment, s.min, s.max, s.cycle ? " CYCLE" : "");
      }};
  return kind;
}

const Kind<EnumType>& EnumKind() {
  static const Kind<EnumType> kind{[](const EnumType& e) { return e.name; },
                                   [](const EnumType& e) { return "enum type " + e.name; },
                                   [](const EnumType& e) {
                                     std::vector<std::string> quoted;
                                     for (const std::string& value : e.values)
                                       quoted.push_back(Quote(value));
                                     return "(" + Join(quoted) + ")";
                                   }};
  return kind;
}

const Kind<Routine>& RoutineKind() {
  static const Kind<Routine> kind{[](const Routine& r) { return r.name; },
                                  [](const Routine& r) { return "function " + r.name; },
                                  [](const Routine& r) { return OneLine(r.definition); }};
  return kind;
}

const Kind<SchemaObject>& ObjectKind() {
  static const Kind<SchemaObject> kind{
      [](const SchemaObject& o) { return o.kind + "\x1f" + o.name; },
      [](const SchemaObject& o) { return o.kind + " " + o.name; },
      [](const SchemaObject& o) { return OneLine(o.definition); }};
  return kind;
}

std::string Full(const std::string& label, const std::string& detail) {
  return detail.empty() ? label : label + " " + detail;
}

template <typename T>
void DiffKind(const Kind<T>& kind, const std::vector<T>& expected, const std::vector<T>& actual,
              std::vector<std::string>& lines) {
  std::map<std::string, const T*> want, have;
  for (const T& item : expected) want.emplace(kind.key(item), &item);
  for (const T& item : actual) have.emplace(kind.key(item), &item);
  for (const auto& [key, item] : want) {
    auto found = have.find(key);
    if (found == have.end()) {
      lines.push_back("missing in database: " + Full(kind.label(*item), kind.detail(*item)));
    } else if (!(*found->second == *item)) {
      lines.push_back(fmt::format("differs: {}: {} vs {}", kind.label(*item), kind.detail(*item),
                                  kind.detail(*found->second)));
    }
  }
  for (const auto& [key, item] : have) {
    if (!want.contains(key)) {
      lines.push_back("unexpected in database: " + Full(kind.label(*item), kind.detail(*item)));
    }
  }
}

template <typename T>
void DescribeKind(const Kind<T>& kind, const std::vector<T>& items,
                  std::vector<std::string>& lines) {
  for (const T& item : items) lines.push_back(Full(kind.label(item), kind.detail(item)));
}

template <typename T>
void SortKind(const Kind<T>& kind, std::vector<T>& items) {
  std::stable_sort(items.begin(), items.end(),
                   [&](const T& a, const T& b) { return kind.key(a) < kind.key(b); });
}

bool Excluded(const std::vector<std::string>& exclude, const std::string& table) {
  for (const std::string& name : exclude) {
    if (name == table) return true;
    // "public.retort_version" excludes "retort_version" listed unqualified
    // (current schema) and the other way round.
    auto dot = name.rfind('.');
    if (dot != std::string::npos && name.substr(dot + 1) == table) return true;
    dot = table.rfind('.');
    if (dot != std::string::npos && table.substr(dot + 1) == name) return true;
  }
  return false;
}

template <typename T>
void DropExcluded(const std::vector<std::string>& exclude, std::vector<T>& items,
                  std::string T::*table) {
  std::erase_if(items, [&](const T& item) { return Excluded(exclude, item.*table); });
}

}  // namespace

bool Snapshot::empty() const {
  return tables.empty() && columns.empty() && primary_keys.empty() && unique_constraints.empty() &&
         indexes.empty() && foreign_keys.empty() && checks.empty() && views.empty() &&
         triggers.empty() && sequences.empty() && enums.empty() && routines.empty() &&
         objects.empty();
}

Snapshot TakeSnapshot(driver::Connection& connection,
                      const std::vector<std::string>& exclude_tables) {
  Snapshot snapshot;
  if (connection.dialect() == "sqlite") {
    snapshot = TakeSqliteSnapshot(connection, exclude_tables);
  } else if (connection.dialect() == "postgresql") {
    snapshot = TakePostgresSnapshot(connection, exclude_tables);
  } else if (connection.dialect() == "mysql") {
    snapshot = TakeMysqlSnapshot(connection, exclude_tables);
  } else {
    throw Error(fmt::format("Cannot inspect a {} database", connection.dialect()));
  }
  // Every table-bound record of an excluded table goes with it, whichever
  // inspector produced it.
  DropExcluded(exclude_tables, snapshot.tables, &Table::name);
  DropExcluded(exclude_tables, snapshot.columns, &Column::table);
  DropExcluded(exclude_tables, snapshot.primary_keys, &PrimaryKey::table);
  DropExcluded(exclude_tables, snapshot.unique_constraints, &UniqueConstraint::table);
  DropExcluded(exclude_tables, snapshot.indexes, &Index::table);
  DropExcluded(exclude_tables, snapshot.foreign_keys, &ForeignKey::table);
  DropExcluded(exclude_tables, snapshot.checks, &CheckConstraint::table);
  DropExcluded(exclude_tables, snapshot.triggers, &Trigger::table);
  // Sorted by identity, so that == compares schemas, not catalog order.
  SortKind(TableKind(), snapshot.tables);
  SortKind(ColumnKind(), snapshot.columns);
  SortKind(PrimaryKeyKind(), snapshot.primary_keys);
  SortKind(UniqueKind(), snapshot.unique_constraints);
  SortKind(IndexKind(), snapshot.indexes);
  SortKind(ForeignKeyKind(), snapshot.foreign_keys);
  SortKind(CheckKind(), snapshot.checks);
  SortKind(ViewKind(), snapshot.views);
  SortKind(TriggerKind(), snapshot.triggers);
  SortKind(SequenceKind(), snapshot.sequences);
  SortKind(EnumKind(), snapshot.enums);
  SortKind(RoutineKind(), snapshot.routines);
  SortKind(ObjectKind(), snapshot.objects);
  return snapshot;
}

std::vector<std::string> Diff(const Snapshot& expected, const Snapshot& actual) {
  std::vector<std::string> lines;
  DiffKind(TableKind(), expected.tables, actual.tables, lines);
  DiffKind(ColumnKind(), expected.columns, actual.columns, lines);
  DiffKind(PrimaryKeyKind(), expected.primary_keys, actual.primary_keys, lines);
  DiffKind(UniqueKind(), expected.unique_constraints, actual.unique_constraints, lines);
  DiffKind(IndexKind(), expected.indexes, actual.indexes, lines);
  DiffKind(ForeignKeyKind(), expected.foreign_keys, actual.foreign_keys, lines);
  DiffKind(CheckKind(), expected.checks, actual.checks, lines);
  DiffKind(ViewKind(), expected.views, actual.views, lines);
  DiffKind(TriggerKind(), expected.triggers, actual.triggers, lines);
  DiffKind(SequenceKind(), expected.sequences, actual.sequences, lines);
  DiffKind(EnumKind(), expected.enums, actual.enums, lines);
  DiffKind(RoutineKind(), expected.routines, actual.routines, lines);
  // An SQLite pragma (user_version, application_id) counts only where
  // `expected` sets it: applications keep their own numbers there.
  std::vector<SchemaObject> objects;
  for (const SchemaObject& o : actual.objects) {
    if (o.kind != "pragma" ||
        std::any_of(expected.objects.begin(), expected.objects.end(),
                    [&](const SchemaObject& e) { return e.kind == o.kind && e.name == o.name; })) {
      objects.push_back(o);
    }
  }
  DiffKind(ObjectKind(), expected.objects, objects, lines);
  return lines;
}

std::vector<std::string> Describe(const Snapshot& snapshot) {
  std::vector<std::string> lines;
  DescribeKind(TableKind(), snapshot.tables, lines);
  DescribeKind(ColumnKind(), snapshot.columns, lines);
  DescribeKind(PrimaryKeyKind(), snapshot.primary_keys, lines);
  DescribeKind(UniqueKind(), snapshot.unique_constraints, lines);
  DescribeKind(IndexKind(), snapshot.indexes, lines);
  DescribeKind(ForeignKeyKind(), snapshot.foreign_keys, lines);
  DescribeKind(CheckKind(), snapshot.checks, lines);
  DescribeKind(ViewKind(), snapshot.views, lines);
  DescribeKind(TriggerKind(), snapshot.triggers, lines);
  DescribeKind(SequenceKind(), snapshot.sequences, lines);
  DescribeKind(EnumKind(), snapshot.enums, lines);
  DescribeKind(RoutineKind(), snapshot.routines, lines);
  DescribeKind(ObjectKind(), snapshot.objects, lines);
  return lines;
}

}  // namespace retort::schema
