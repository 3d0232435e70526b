#include "dialect/dialect.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>

#include "dialect/mysql_dialect.h"
#include "dialect/postgresql_dialect.h"
#include "dialect/sqlite_dialect.h"
#include "retort/error.h"

namespace retort::dialect {
namespace {

// SQLAlchemy's compiler.RESERVED_WORDS, sorted: the words its identifier
// preparer quotes on every dialect.
constexpr std::array<std::string_view, 95> kReservedWords = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "binary",
    "both",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_role",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "false",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "intersect",
    "into",
    "is",
    "isnull",
    "join",
    "leading",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "natural",
    "new",
    "not",
    "notnull",
    "null",
    "off",
    "offset",
    "old",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "overlaps",
    "placing",
    "primary",
    "references",
    "right",
    "select",
    "session_user",
    "set",
    "similar",
    "some",
    "symmetric",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "verbose",
    "when",
    "where",
    "with",
};

}  // namespace

bool Dialect::IsReservedWord(std::string_view lowercase_word) const {
  return std::find(kReservedWords.begin(), kReservedWords.end(), lowercase_word) !=
         kReservedWords.end();
}

std::string Dialect::QuoteIdentifier(std::string_view identifier) const {
  std::string quoted = "\"";
  for (char c : identifier) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

std::string Dialect::FormatIdentifier(std::string_view identifier) const {
  bool legal = !identifier.empty() &&
               ((identifier[0] >= 'a' && identifier[0] <= 'z') || identifier[0] == '_');
  for (char c : identifier) {
    legal = legal && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '$');
  }
  if (legal && !IsReservedWord(identifier)) return std::string(identifier);
  return QuoteIdentifier(identifier);
}

std::string Dialect::QuoteLiteral(std::string_view value) const {
  std::string quoted = "'";
  for (char c : value) {
    quoted += c;
    if (c == '\'') quoted += '\'';
  }
  return quoted + "'";
}

std::string Dialect::QualifiedName(const VersionTable& table) const {
  if (table.schema.empty()) return FormatIdentifier(table.name);
  return FormatIdentifier(table.schema) + "." + FormatIdentifier(table.name);
}

std::string Dialect::CreateVersionTable(const VersionTable& table) const {
  // The trailing space after the first comma is SQLAlchemy's DDL compiler.
  // VARCHAR(255), not Alembic's VARCHAR(32): ids chosen with --rev-id may be
  // longer (see history_table.h).
  return fmt::format(
      "CREATE TABLE {} (\n    version_num VARCHAR(255) NOT NULL, \n    CONSTRAINT {} PRIMARY KEY "
      "(version_num)\n)",
      QualifiedName(table), FormatIdentifier(table.name + "_pkc"));
}

std::string Dialect::DropVersionTable(const VersionTable& table) const {
  return "DROP TABLE " + QualifiedName(table);
}

std::string Dialect::SelectVersions(const VersionTable& table) const {
  std::string name = QualifiedName(table);
  return fmt::format("SELECT {}.version_num FROM {}", name, name);
}

std::string Dialect::InsertVersion(const VersionTable& table, std::string_view version) const {
  return fmt::format("INSERT INTO {} (version_num) VALUES ({})", QualifiedName(table),
                     QuoteLiteral(version));
}

std::string Dialect::UpdateVersion(const VersionTable& table, std::string_view from,
                                   std::string_view to) const {
  std::string name = QualifiedName(table);
  return fmt::format("UPDATE {} SET version_num={} WHERE {}.version_num = {}", name,
                     QuoteLiteral(to), name, QuoteLiteral(from));
}

std::string Dialect::DeleteVersion(const VersionTable& table, std::string_view version) const {
  std::string name = QualifiedName(table);
  return fmt::format("DELETE FROM {} WHERE {}.version_num = {}", name, name, QuoteLiteral(version));
}

std::string Dialect::InsertVersions(const VersionTable& table,
                                    const std::vector<std::string>& versions) const {
  if (versions.size() == 1) return InsertVersion(table, versions.front());
  std::vector<std::string> values;
  for (const std::string& version : versions) values.push_back("(" + QuoteLiteral(version) + ")");
  return fmt::format("INSERT INTO {} (version_num) VALUES {}", QualifiedName(table),
                     fmt::join(values, ", "));
}

std::string Dialect::DeleteVersions(const VersionTable& table,
                                    const std::vector<std::string>& versions) const {
  if (versions.size() == 1) return DeleteVersion(table, versions.front());
  std::vector<std::string> literals;
  for (const std::string& version : versions) literals.push_back(QuoteLiteral(version));
  std::string name = QualifiedName(table);
  return fmt::format("DELETE FROM {} WHERE {}.version_num IN ({})", name, name,
                     fmt::join(literals, ", "));
}

std::string Dialect::DeleteAllVersions(const VersionTable& table) const {
  return "DELETE FROM " + QualifiedName(table);
}

const Dialect& ForName(std::string_view name) {
  static const SqliteDialect kSqlite;
  static const PostgresqlDialect kPostgresql;
  static const MysqlDialect kMysql;
  if (name == kSqlite.name()) return kSqlite;
  if (name == kPostgresql.name()) return kPostgresql;
  if (name == kMysql.name()) return kMysql;
  throw Error(fmt::format("No SQL dialect named '{}'", name));
}

}  // namespace retort::dialect
