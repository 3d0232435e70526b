// MySQL and MariaDB inspection: one information_schema query per kind of
// object, for the connection's current database (DATABASE()). The server's
// own texts are kept (COLUMN_TYPE, COLUMN_DEFAULT, CHECK_CLAUSE,
// VIEW_DEFINITION), so differently written SQL compares equal.
//
// How MySQL's column attributes map onto schema::Column:
//   type           COLUMN_TYPE, then " CHARACTER SET cs COLLATE co" for
//                  character columns (always written, so a scratch database
//                  with another default character set compares right), then
//                  " AUTO_INCREMENT" and/or " ON UPDATE <expr>"
//   default_value  the default as SQL text ('abc', 0, current_timestamp());
//                  "GENERATED ALWAYS AS (expr) VIRTUAL|STORED" for a
//                  generated column
// Every index (PRIMARY aside) is an Index, unique ones included: MySQL keeps
// UNIQUE constraints as unique indexes, with prefixes and DESC parts; its
// definition is "(`a`(10), `b` DESC)", preceded by "FULLTEXT " or
// "SPATIAL " for those kinds.
//
// What retort compares but cannot render on MySQL (Snapshot::objects, kinds
// prefixed "mysql " so that they never meet PostgreSQL's renderable
// "function", "procedure" and "partition"): autogenerate names them in a
// warning and writes a NOT RENDERED comment, `check` fails while they
// differ. Definitions are built from information_schema's columns, without
// DEFINER, creation times or the session's sql_mode, so what a file declares
// compares equal to the same thing created by hand:
//   "mysql trigger"      name = trigger, parent = table;
//                        "BEFORE INSERT ON `t` FOR EACH ROW <statement>"
//   "mysql procedure",   name = routine; "(IN `a` int(11)) <characteristics>
//   "mysql function"     <body>", a function's "RETURNS <type>" after the
//                        parameters
//   "mysql event"        name = event; "ON SCHEDULE EVERY 1 HOUR [ENDS ..]
//                        [ON COMPLETION PRESERVE] [DISABLE] DO <body>" (STARTS
//                        left out: it defaults to the creation time)
//   "mysql partitioning" name = parent = table; "PARTITION BY RANGE (`id`)
//                        (PARTITION `p0` VALUES LESS THAN (10), ...)", with
//                        " (SUBPARTITION `s0`, ...)" after a partition that
//                        has them
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "schema/snapshot.h"

namespace retort::schema {
namespace {

constexpr const char* kTables =
    "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES "
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'";

constexpr const char* kColumns =
    "SELECT c.TABLE_NAME, c.COLUMN_NAME, c.COLUMN_TYPE, c.IS_NULLABLE, c.COLUMN_DEFAULT, c.EXTRA, "
    "c.CHARACTER_SET_NAME, c.COLLATION_NAME, c.COLUMN_COMMENT, c.GENERATION_EXPRESSION "
    "FROM information_schema.COLUMNS AS c JOIN information_schema.TABLES AS t "
    "ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME "
    "WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' "
    "ORDER BY c.TABLE_NAME, c.ORDINAL_POSITION";

constexpr const char* kIndexes =
    "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION, INDEX_TYPE "
    "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "
    "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

constexpr const char* kChecks =
    "SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE "
    "FROM information_schema.TABLE_CONSTRAINTS AS tc "
    "JOIN information_schema.CHECK_CONSTRAINTS AS cc "
    "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME "
    "WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'";

// MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (constraint names are per
// table there); MySQL 8's has not (they are per schema).
constexpr const char* kMariadbChecks =
    "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
    "WHERE CONSTRAINT_SCHEMA = DATABASE()";

constexpr const char* kForeignKeys =
    "SELECT r.TABLE_NAME, r.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA, "
    "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE "
    "FROM information_schema.REFERENTIAL_CONSTRAINTS AS r "
    "JOIN information_schema.KEY_COLUMN_USAGE AS k ON k.CONSTRAINT_SCHEMA = r.CONSTRAINT_SCHEMA "
    "AND k.TABLE_NAME = r.TABLE_NAME AND k.CONSTRAINT_NAME = r.CONSTRAINT_NAME "
    "WHERE r.CONSTRAINT_SCHEMA = DATABASE() AND k.REFERENCED_TABLE_NAME IS NOT NULL "
    "ORDER BY r.TABLE_NAME, r.CONSTRAINT_NAME, k.ORDINAL_POSITION";

constexpr const char* kViews =
    "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
    "WHERE TABLE_SCHEMA = DATABASE()";

constexpr const char* kTriggers =
    "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, "
    "ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()";

constexpr const char* kRoutines =
    "SELECT ROUTINE_NAME, ROUTINE_TYPE, DTD_IDENTIFIER, ROUTINE_DEFINITION, IS_DETERMINISTIC, "
    "SQL_DATA_ACCESS, SECURITY_TYPE, ROUTINE_COMMENT FROM information_schema.ROUTINES "
    "WHERE ROUTINE_SCHEMA = DATABASE()";

constexpr const char* kParameters =
    "SELECT SPECIFIC_NAME, ROUTINE_TYPE, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER "
    "FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = DATABASE() "
    "AND PARAMETER_NAME IS NOT NULL ORDER BY SPECIFIC_NAME, ORDINAL_POSITION";

constexpr const char* kEvents =
    "SELECT EVENT_NAME, EVENT_TYPE, EXECUTE_AT, INTERVAL_VALUE, INTERVAL_FIELD, ENDS, STATUS, "
    "ON_COMPLETION, EVENT_DEFINITION, EVENT_COMMENT FROM information_schema.EVENTS "
    "WHERE EVENT_SCHEMA = DATABASE()";

constexpr const char* kPartitions =
    "SELECT TABLE_NAME, PARTITION_NAME, SUBPARTITION_NAME, PARTITION_METHOD, "
    "PARTITION_EXPRESSION, SUBPARTITION_METHOD, SUBPARTITION_EXPRESSION, PARTITION_DESCRIPTION "
    "FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = DATABASE() "
    "AND PARTITION_NAME IS NOT NULL "
    "ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION, SUBPARTITION_ORDINAL_POSITION";

const std::string& Text(const driver::Row& row, size_t i) {
  static const std::string kEmpty;
  return row[i] ? *row[i] : kEmpty;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string QuoteName(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string QuoteString(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    if (c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

// "`db`." removed from a view's text: the server qualifies every name with
// the database, and the declared schema's scratch database has another name.
std::string WithoutDatabase(std::string text, const std::string& database) {
  const std::string prefix = QuoteName(database) + ".";
  for (size_t at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at)) {
    text.erase(at, prefix.size());
  }
  return text;
}

// " ORDER n" for the second and later triggers of a table's timing and event.
std::string TriggerDefinition(const driver::Row& row) {
  std::string definition =
      fmt::format("{} {} ON {} FOR EACH ROW", Text(row, 2), Text(row, 3), QuoteName(Text(row, 1)));
  if (!Text(row, 4).empty() && Text(row, 4) != "1" && Text(row, 4) != "0") {
    definition += " ORDER " + Text(row, 4);
  }
  return definition + " " + Text(row, 5);
}

std::string RoutineDefinition(const driver::Row& row, const std::string& parameters) {
  std::string definition = "(" + parameters + ")";
  if (Text(row, 1) == "FUNCTION") definition += " RETURNS " + Text(row, 2);
  if (Text(row, 4) == "YES") definition += " DETERMINISTIC";
  if (!Text(row, 5).empty() && Text(row, 5) != "CONTAINS SQL") definition += " " + Text(row, 5);
  if (Text(row, 6) == "INVOKER") definition += " SQL SECURITY INVOKER";
  if (!Text(row, 7).empty()) definition += " COMMENT " + QuoteString(Text(row, 7));
  return definition + " " + Text(row, 3);
}

std::string EventDefinition(const driver::Row& row) {
  std::string definition = "ON SCHEDULE ";
  if (Text(row, 1) == "ONE TIME") {
    definition += "AT '" + Text(row, 2) + "'";
  } else {
    definition += "EVERY " + Text(row, 3) + " " + Text(row, 4);
    if (row[5]) definition += " ENDS '" + *row[5] + "'";
  }
  if (Text(row, 7) == "PRESERVE") definition += " ON COMPLETION PRESERVE";
  if (Text(row, 6) == "DISABLED") definition += " DISABLE";
  // MySQL 8.0.22 and later say REPLICA_SIDE_DISABLED.
  if (Text(row, 6) == "SLAVESIDE_DISABLED" || Text(row, 6) == "REPLICA_SIDE_DISABLED") {
    definition += " DISABLE ON SLAVE";
  }
  if (!Text(row, 9).empty()) definition += " COMMENT " + QuoteString(Text(row, 9));
  return definition + " DO " + Text(row, 8);
}

bool Excluded(const std::vector<std::string>& exclude, const std::string& table) {
  for (const std::string& name : exclude) {
    size_t dot = name.rfind('.');
    if (name == table || (dot != std::string::npos && name.substr(dot + 1) == table)) return true;
  }
  return false;
}

// Triggers, routines, events and partitioning: see the header comment.
void AddObjects(driver::Connection& connection, const std::vector<std::string>& exclude_tables,
                Snapshot& snapshot) {
  for (const driver::Row& row : connection.Query(kTriggers)) {
    if (Excluded(exclude_tables, Text(row, 1))) continue;
    snapshot.objects.push_back(SchemaObject{.kind = "mysql trigger",
                                            .name = Text(row, 0),
                                            .definition = TriggerDefinition(row),
                                            .parent = Text(row, 1)});
  }

  std::map<std::pair<std::string, std::string>, std::string> parameters;  // (type, name)
  for (const driver::Row& row : connection.Query(kParameters)) {
    std::string& list = parameters[{Text(row, 1), Text(row, 0)}];
    if (!list.empty()) list += ", ";
    // A function's parameters are all IN and say no mode.
    if (Text(row, 1) == "PROCEDURE") list += Text(row, 2) + " ";
    list += QuoteName(Text(row, 3)) + " " + Text(row, 4);
  }
  for (const driver::Row& row : connection.Query(kRoutines)) {
    const std::string& type = Text(row, 1);
    snapshot.objects.push_back(
        SchemaObject{.kind = type == "FUNCTION" ? "mysql function" : "mysql procedure",
                     .name = Text(row, 0),
                     .definition = RoutineDefinition(row, parameters[{type, Text(row, 0)}])});
  }

  for (const driver::Row& row : connection.Query(kEvents)) {
    snapshot.objects.push_back(SchemaObject{
        .kind = "mysql event", .name = Text(row, 0), .definition = EventDefinition(row)});
  }

  // One row per partition, or per subpartition: grouped by table, then by
  // partition.
  struct Partitioned {
    std::string method;
    std::vector<std::string> partitions{};
  };
  std::vector<std::pair<std::string, Partitioned>> tables;
  std::string last_partition;
  for (const driver::Row& row : connection.Query(kPartitions)) {
    const std::string& table = Text(row, 0);
    if (Excluded(exclude_tables, table)) continue;
    if (tables.empty() || tables.back().first != table) {
      std::string method = fmt::format("PARTITION BY {} ({})", Text(row, 3), Text(row, 4));
      if (row[5]) method += fmt::format(" SUBPARTITION BY {} ({})", *row[5], Text(row, 6));
      tables.push_back({table, Partitioned{.method = method}});
      last_partition.clear();
    }
    std::vector<std::string>& partitions = tables.back().second.partitions;
    const std::string& method = Text(row, 3);
    if (partitions.empty() || Text(row, 1) != last_partition) {
      std::string partition = "PARTITION " + QuoteName(Text(row, 1));
      if (method.rfind("RANGE", 0) == 0) {
        partition += " VALUES LESS THAN (" + Text(row, 7) + ")";
      } else if (method.rfind("LIST", 0) == 0) {
        partition += " VALUES IN (" + Text(row, 7) + ")";
      }
      partitions.push_back(partition);
      last_partition = Text(row, 1);
    }
    // Subpartitions: " (SUBPARTITION `s0`, SUBPARTITION `s1`)".
    if (row[2]) {
      std::string& partition = partitions.back();
      if (partition.back() == ')' && partition.rfind(" (SUBPARTITION ") != std::string::npos) {
        partition.insert(partition.size() - 1, ", SUBPARTITION " + QuoteName(*row[2]));
      } else {
        partition += " (SUBPARTITION " + QuoteName(*row[2]) + ")";
      }
    }
  }
  for (const auto& [table, partitioned] : tables) {
    std::string definition = partitioned.method + " (";
    for (size_t i = 0; i < partitioned.partitions.size(); ++i) {
      if (i > 0) definition += ", ";
      definition += partitioned.partitions[i];
    }
    snapshot.objects.push_back(SchemaObject{.kind = "mysql partitioning",
                                            .name = table,
                                            .definition = definition + ")",
                                            .parent = table});
  }
}

}  // namespace

Snapshot TakeMysqlSnapshot(driver::Connection& connection,
                           const std::vector<std::string>& exclude_tables) {
  // TakeSnapshot drops the excluded tables' records; their triggers and
  // partitioning (objects) are left out below.
  Snapshot snapshot{.dialect = "mysql"};
  std::string database, version;
  for (const driver::Row& row : connection.Query("SELECT DATABASE(), VERSION()")) {
    database = Text(row, 0);
    version = Text(row, 1);
  }
  const bool mariadb = version.find("MariaDB") != std::string::npos;

  for (const driver::Row& row : connection.Query(kTables)) {
    Table table{.name = Text(row, 0)};
    if (!Text(row, 1).empty()) table.comment = Text(row, 1);
    snapshot.tables.push_back(std::move(table));
  }

  std::map<std::string, int> positions;
  for (const driver::Row& row : connection.Query(kColumns)) {
    Column column{.table = Text(row, 0), .name = Text(row, 1), .type = Text(row, 2)};
    column.position = ++positions[column.table];
    column.not_null = Text(row, 3) == "NO";
    const std::string extra = Lower(Text(row, 5));
    if (row[6]) column.type += " CHARACTER SET " + Text(row, 6) + " COLLATE " + Text(row, 7);
    if (extra.find("auto_increment") != std::string::npos) column.type += " AUTO_INCREMENT";
    size_t on_update = extra.find("on update ");
    if (on_update != std::string::npos) {
      column.type += " ON UPDATE " + extra.substr(on_update + 10);
    }
    if (extra.find("generated") != std::string::npos &&
        extra.find("default_generated") == std::string::npos) {
      column.default_value =
          fmt::format("GENERATED ALWAYS AS ({}) {}", Text(row, 9),
                      extra.find("stored") != std::string::npos ? "STORED" : "VIRTUAL");
    } else if (row[4]) {
      const std::string& value = *row[4];
      if (mariadb) {
        // MariaDB writes the default as SQL ('abc', 0, current_timestamp())
        // and "NULL" for DEFAULT NULL, which is no default.
        if (value != "NULL") column.default_value = value;
      } else if (extra.find("default_generated") != std::string::npos) {
        // MySQL 8: an expression default; only CURRENT_TIMESTAMP goes bare.
        column.default_value =
            Lower(value).rfind("current_timestamp", 0) == 0 ? value : "(" + value + ")";
      } else {
        column.default_value = QuoteString(value);  // MySQL 8: a literal, unquoted
      }
    }
    if (!Text(row, 8).empty()) column.comment = Text(row, 8);
    snapshot.columns.push_back(std::move(column));
  }

  // STATISTICS: one row per index part, in order.
  std::string last_key;
  struct Pending {
    std::string table, name, type;
    bool unique = false;
    std::vector<std::string> columns{}, parts{};
  };
  std::vector<Pending> pending;
  for (const driver::Row& row : connection.Query(kIndexes)) {
    const std::string key = Text(row, 0) + "\x1f" + Text(row, 1);
    if (pending.empty() || key != last_key) {
      pending.push_back(Pending{.table = Text(row, 0),
                                .name = Text(row, 1),
                                .type = Text(row, 6),
                                .unique = Text(row, 2) == "0"});
      last_key = key;
    }
    std::string part = QuoteName(Text(row, 3));
    if (row[4]) part += "(" + *row[4] + ")";
    if (Text(row, 5) == "D") part += " DESC";
    pending.back().columns.push_back(Text(row, 3));
    pending.back().parts.push_back(std::move(part));
  }
  for (Pending& p : pending) {
    if (p.name == "PRIMARY") {
      snapshot.primary_keys.push_back(
          PrimaryKey{.table = p.table, .name = "", .columns = std::move(p.columns)});
      continue;
    }
    std::string definition = "(";
    for (size_t i = 0; i < p.parts.size(); ++i) {
      if (i > 0) definition += ", ";
      definition += p.parts[i];
    }
    definition += ")";
    if (p.type == "FULLTEXT" || p.type == "SPATIAL") definition = p.type + " " + definition;
    snapshot.indexes.push_back(
        Index{.table = p.table, .name = p.name, .unique = p.unique, .definition = definition});
  }

  for (const driver::Row& row : connection.Query(mariadb ? kMariadbChecks : kChecks)) {
    snapshot.checks.push_back(
        CheckConstraint{.table = Text(row, 0), .name = Text(row, 1), .expression = Text(row, 2)});
  }

  for (const driver::Row& row : connection.Query(kForeignKeys)) {
    const std::string& table = Text(row, 0);
    const std::string& name = Text(row, 1);
    if (snapshot.foreign_keys.empty() || snapshot.foreign_keys.back().table != table ||
        snapshot.foreign_keys.back().name != name) {
      std::string referenced = Text(row, 4);
      if (!Text(row, 3).empty() && Text(row, 3) != database) {
        referenced = Text(row, 3) + "." + referenced;
      }
      snapshot.foreign_keys.push_back(ForeignKey{.table = table,
                                                 .name = name,
                                                 .referenced_table = referenced,
                                                 .on_delete = Text(row, 6),
                                                 .on_update = Text(row, 7)});
    }
    snapshot.foreign_keys.back().columns.push_back(Text(row, 2));
    snapshot.foreign_keys.back().referenced_columns.push_back(Text(row, 5));
  }

  for (const driver::Row& row : connection.Query(kViews)) {
    snapshot.views.push_back(
        View{.name = Text(row, 0), .definition = WithoutDatabase(Text(row, 1), database)});
  }
  AddObjects(connection, exclude_tables, snapshot);
  return snapshot;
}

}  // namespace retort::schema
