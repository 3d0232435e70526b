// SQLite SQL text for the renderer: a small lexer that keeps token offsets,
// so that a CREATE statement can be edited (a new name, one column's
// definition) without re-rendering what the user wrote, and the rendering of
// objects from the model when no CREATE text is known.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <vector>

#include "autogen/sqlite_rebuild.h"

namespace retort::autogen::sqlite {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// https://www.sqlite.org/lang_keywords.html
constexpr std::array kKeywords = {"abort",
                                  "action",
                                  "add",
                                  "after",
                                  "all",
                                  "alter",
                                  "always",
                                  "analyze",
                                  "and",
                                  "as",
                                  "asc",
                                  "attach",
                                  "autoincrement",
                                  "before",
                                  "begin",
                                  "between",
                                  "by",
                                  "cascade",
                                  "case",
                                  "cast",
                                  "check",
                                  "collate",
                                  "column",
                                  "commit",
                                  "conflict",
                                  "constraint",
                                  "create",
                                  "cross",
                                  "current",
                                  "current_date",
                                  "current_time",
                                  "current_timestamp",
                                  "database",
                                  "default",
                                  "deferrable",
                                  "deferred",
                                  "delete",
                                  "desc",
                                  "detach",
                                  "distinct",
                                  "do",
                                  "drop",
                                  "each",
                                  "else",
                                  "end",
                                  "escape",
                                  "except",
                                  "exclude",
                                  "exclusive",
                                  "exists",
                                  "explain",
                                  "fail",
                                  "filter",
                                  "first",
                                  "following",
                                  "for",
                                  "foreign",
                                  "from",
                                  "full",
                                  "generated",
                                  "glob",
                                  "group",
                                  "groups",
                                  "having",
                                  "if",
                                  "ignore",
                                  "immediate",
                                  "in",
                                  "index",
                                  "indexed",
                                  "initially",
                                  "inner",
                                  "insert",
                                  "instead",
                                  "intersect",
                                  "into",
                                  "is",
                                  "isnull",
                                  "join",
                                  "key",
                                  "last",
                                  "left",
                                  "like",
                                  "limit",
                                  "match",
                                  "materialized",
                                  "natural",
                                  "no",
                                  "not",
                                  "nothing",
                                  "notnull",
                                  "null",
                                  "nulls",
                                  "of",
                                  "offset",
                                  "on",
                                  "or",
                                  "order",
                                  "others",
                                  "outer",
                                  "over",
                                  "partition",
                                  "plan",
                                  "pragma",
                                  "preceding",
                                  "primary",
                                  "query",
                                  "raise",
                                  "range",
                                  "recursive",
                                  "references",
                                  "regexp",
                                  "reindex",
                                  "release",
                                  "rename",
                                  "replace",
                                  "restrict",
                                  "returning",
                                  "right",
                                  "rollback",
                                  "row",
                                  "rows",
                                  "savepoint",
                                  "select",
                                  "set",
                                  "table",
                                  "temp",
                                  "temporary",
                                  "then",
                                  "ties",
                                  "to",
                                  "transaction",
                                  "trigger",
                                  "unbounded",
                                  "union",
                                  "unique",
                                  "update",
                                  "using",
                                  "vacuum",
                                  "values",
                                  "view",
                                  "virtual",
                                  "when",
                                  "where",
                                  "window",
                                  "with",
                                  "without"};

bool IsKeyword(const std::string& word) {
  std::string lower = Lower(word);
  return std::find(kKeywords.begin(), kKeywords.end(), lower) != kKeywords.end();
}

// The index of the token that closes the parenthesis at `open`, or
// tokens.size().
size_t Closing(const std::vector<SqlToken>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].kind != SqlToken::Kind::kPunct) continue;
    if (tokens[i].value == "(") ++depth;
    if (tokens[i].value == ")" && --depth == 0) return i;
  }
  return tokens.size();
}

std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  return fmt::format("{}", fmt::join(items, separator));
}

std::string QuoteNames(const std::vector<std::string>& names) {
  std::vector<std::string> quoted;
  for (const std::string& name : names) quoted.push_back(QuoteName(name));
  return Join(quoted);
}

}  // namespace

bool SqlToken::IsKeyword(std::string_view keyword) const {
  return kind == Kind::kWord && Lower(value) == keyword;
}

std::vector<SqlToken> Lex(std::string_view sql) {
  std::vector<SqlToken> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::string value;
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == close) {
          if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
            value += close;
            j += 2;
            continue;
          }
          break;
        }
        value += sql[j++];
      }
      size_t end = std::min(j + 1, sql.size());
      tokens.push_back({c == '\'' ? SqlToken::Kind::kString : SqlToken::Kind::kQuotedName, i, end,
                        std::move(value)});
      i = end;
    } else if (IsWordChar(c)) {
      size_t j = i;
      bool number = std::isdigit(static_cast<unsigned char>(c));
      while (j < sql.size() && (IsWordChar(sql[j]) || (number && sql[j] == '.'))) ++j;
      tokens.push_back({SqlToken::Kind::kWord, i, j, std::string(sql.substr(i, j - i))});
      i = j;
    } else {
      static constexpr std::array kOperators = {"<=", ">=", "<>", "!=", "==", "||", "<<", ">>"};
      size_t length = 1;
      for (const char* op : kOperators) {
        if (sql.substr(i, 2) == op) length = 2;
      }
      tokens.push_back({SqlToken::Kind::kPunct, i, i + length, std::string(sql.substr(i, length))});
      i += length;
    }
  }
  return tokens;
}

bool SameName(std::string_view a, std::string_view b) { return Lower(a) == Lower(b); }

std::string QuoteName(const std::string& name) {
  bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0])) &&
               std::all_of(name.begin(), name.end(), [](char c) {
                 return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
               });
  if (plain && !IsKeyword(name)) return name;
  std::string quoted = "\"";
  for (char c : name) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

bool MentionsName(const std::string& sql, const std::string& name) {
  for (const SqlToken& token : Lex(sql)) {
    if (token.IsName() && SameName(token.value, name)) return true;
  }
  return false;
}

std::string WithCreatedName(const std::string& create_sql, const std::string& new_name) {
  std::vector<SqlToken> tokens = Lex(create_sql);
  size_t i = 0;
  // CREATE [TEMP|UNIQUE|VIRTUAL] TABLE|INDEX|VIEW|TRIGGER [IF NOT EXISTS] [schema.]name
  while (i < tokens.size() && !(tokens[i].IsKeyword("table") || tokens[i].IsKeyword("index") ||
                                tokens[i].IsKeyword("view") || tokens[i].IsKeyword("trigger"))) {
    ++i;
  }
  ++i;
  if (i + 2 < tokens.size() && tokens[i].IsKeyword("if") && tokens[i + 1].IsKeyword("not") &&
      tokens[i + 2].IsKeyword("exists")) {
    i += 3;
  }
  if (i >= tokens.size()) return create_sql;
  size_t begin = tokens[i].begin, end = tokens[i].end;
  if (i + 2 < tokens.size() && tokens[i + 1].value == "." &&
      tokens[i + 1].kind == SqlToken::Kind::kPunct) {
    end = tokens[i + 2].end;
  }
  return create_sql.substr(0, begin) + QuoteName(new_name) + create_sql.substr(end);
}

std::optional<std::string> ColumnDefinitionText(const std::string& create_table_sql,
                                                const std::string& column) {
  std::vector<SqlToken> tokens = Lex(create_table_sql);
  size_t open = 0;
  while (open < tokens.size() && tokens[open].value != "(") ++open;
  size_t close = Closing(tokens, open);
  if (close >= tokens.size()) return std::nullopt;
  size_t start = open + 1;
  int depth = 0;
  for (size_t i = open + 1; i <= close; ++i) {
    const SqlToken& token = tokens[i];
    if (token.kind == SqlToken::Kind::kPunct && token.value == "(") ++depth;
    if (token.kind == SqlToken::Kind::kPunct && token.value == ")" && i != close) --depth;
    bool boundary =
        i == close || (depth == 0 && token.kind == SqlToken::Kind::kPunct && token.value == ",");
    if (!boundary) continue;
    if (start < i) {
      const SqlToken& first = tokens[start];
      bool constraint = first.IsKeyword("constraint") || first.IsKeyword("primary") ||
                        first.IsKeyword("unique") || first.IsKeyword("check") ||
                        first.IsKeyword("foreign");
      if (!constraint && first.IsName() && SameName(first.value, column)) {
        return create_table_sql.substr(first.begin, tokens[i - 1].end - first.begin);
      }
    }
    start = i + 1;
  }
  return std::nullopt;
}

std::string Terminated(std::string sql) {
  while (!sql.empty() && std::isspace(static_cast<unsigned char>(sql.back()))) sql.pop_back();
  if (sql.empty() || sql.back() != ';') sql += ';';
  return sql;
}

bool IsConstantDefault(const std::string& value) {
  std::vector<SqlToken> tokens = Lex(value);
  size_t i = 0;
  if (i < tokens.size() && (tokens[i].value == "-" || tokens[i].value == "+")) ++i;
  if (i + 1 != tokens.size()) return false;
  const SqlToken& token = tokens[i];
  if (token.kind == SqlToken::Kind::kString) return i == 0;
  if (token.kind != SqlToken::Kind::kWord) return false;
  if (std::isdigit(static_cast<unsigned char>(token.value[0]))) return true;
  return i == 0 && (token.IsKeyword("null") || token.IsKeyword("true") || token.IsKeyword("false"));
}

std::string DefaultSql(const std::string& value) {
  std::vector<SqlToken> tokens = Lex(value);
  bool current = tokens.size() == 1 &&
                 (tokens[0].IsKeyword("current_timestamp") || tokens[0].IsKeyword("current_time") ||
                  tokens[0].IsKeyword("current_date"));
  return IsConstantDefault(value) || current ? value : "(" + value + ")";
}

std::string ColumnSql(const schema::Column& column) {
  std::string sql = QuoteName(column.name);
  if (!column.type.empty()) sql += " " + column.type;
  if (column.not_null) sql += " NOT NULL";
  if (column.default_value) sql += " DEFAULT " + DefaultSql(*column.default_value);
  return sql;
}

std::string CreateTableSql(const TableDefinition& definition) {
  std::vector<std::string> lines;
  std::vector<schema::Column> columns = definition.columns;
  std::stable_sort(
      columns.begin(), columns.end(),
      [](const schema::Column& a, const schema::Column& b) { return a.position < b.position; });
  for (const schema::Column& column : columns) lines.push_back(ColumnSql(column));
  if (definition.primary_key && !definition.primary_key->columns.empty()) {
    lines.push_back(fmt::format("PRIMARY KEY ({})", QuoteNames(definition.primary_key->columns)));
  }
  for (const schema::UniqueConstraint& unique : definition.unique_constraints) {
    lines.push_back(fmt::format("UNIQUE ({})", QuoteNames(unique.columns)));
  }
  for (const schema::ForeignKey& key : definition.foreign_keys) {
    std::string line =
        fmt::format("FOREIGN KEY ({}) REFERENCES {} ({})", QuoteNames(key.columns),
                    QuoteName(key.referenced_table), QuoteNames(key.referenced_columns));
    if (key.on_delete != "NO ACTION") line += " ON DELETE " + key.on_delete;
    if (key.on_update != "NO ACTION") line += " ON UPDATE " + key.on_update;
    lines.push_back(std::move(line));
  }
  for (const schema::CheckConstraint& check : definition.checks) {
    std::string line = check.name.empty() ? "" : "CONSTRAINT " + QuoteName(check.name) + " ";
    lines.push_back(line + "CHECK " + check.expression);
  }
  return fmt::format("CREATE TABLE {} (\n    {}\n)", QuoteName(definition.table.name),
                     Join(lines, ",\n    "));
}

std::string CreateIndexSql(const schema::Index& index) {
  if (!index.sql.empty()) return index.sql;
  return fmt::format("CREATE {}INDEX {} ON {} {}", index.unique ? "UNIQUE " : "",
                     QuoteName(index.name), QuoteName(index.table), index.definition);
}

std::string CreateViewSql(const schema::View& view) {
  if (!view.sql.empty()) return view.sql;
  return fmt::format("CREATE VIEW {} AS {}", QuoteName(view.name), view.definition);
}

std::string CreateTriggerSql(const schema::Trigger& trigger) {
  // The inspector's definition is the whole normalised CREATE TRIGGER.
  return trigger.sql.empty() ? trigger.definition : trigger.sql;
}

TableDefinition DefinitionOf(const schema::Snapshot& snapshot, const std::string& table) {
  TableDefinition definition;
  definition.table.name = table;
  for (const schema::Table& t : snapshot.tables) {
    if (t.name == table) definition.table = t;
  }
  for (const schema::Column& column : snapshot.columns) {
    if (column.table == table) definition.columns.push_back(column);
  }
  std::stable_sort(
      definition.columns.begin(), definition.columns.end(),
      [](const schema::Column& a, const schema::Column& b) { return a.position < b.position; });
  for (const schema::PrimaryKey& key : snapshot.primary_keys) {
    if (key.table == table) definition.primary_key = key;
  }
  for (const schema::UniqueConstraint& unique : snapshot.unique_constraints) {
    if (unique.table == table) definition.unique_constraints.push_back(unique);
  }
  for (const schema::ForeignKey& key : snapshot.foreign_keys) {
    if (key.table == table) definition.foreign_keys.push_back(key);
  }
  for (const schema::CheckConstraint& check : snapshot.checks) {
    if (check.table == table) definition.checks.push_back(check);
  }
  for (const schema::Index& index : snapshot.indexes) {
    if (index.table == table) definition.indexes.push_back(index);
  }
  for (const schema::Trigger& trigger : snapshot.triggers) {
    if (trigger.table == table) definition.triggers.push_back(trigger);
  }
  return definition;
}

}  // namespace retort::autogen::sqlite
