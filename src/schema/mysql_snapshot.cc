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
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <string>
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

}  // namespace

Snapshot TakeMysqlSnapshot(driver::Connection& connection,
                           const std::vector<std::string>& exclude_tables) {
  (void)exclude_tables;  // TakeSnapshot drops the excluded tables' records.
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
  return snapshot;
}

}  // namespace retort::schema
