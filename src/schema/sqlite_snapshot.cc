// SQLite inspection: sqlite_master plus the pragma table-valued functions
// joined over every table, one query per kind of object. SQLite keeps the
// CREATE text as written, so definitions (indexes, views, triggers, checks,
// defaults) are compared after a token-level normalisation: case, quoting of
// plain identifiers and whitespace do not count.
#include <fmt/format.h>

#include <cctype>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "schema/snapshot.h"

namespace retort::schema {
namespace {

struct Token {
  enum class Type { kWord, kString, kPunct };
  Type type;
  std::string text;  // words: lower-cased and unquoted when plain
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

bool IsPlainIdentifier(const std::string& text) {
  if (text.empty() || std::isdigit(static_cast<unsigned char>(text[0]))) return false;
  for (char c : text) {
    if (!IsWordChar(c)) return false;
  }
  return true;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// Splits SQL into words, string literals and punctuation; comments and
// whitespace are dropped.
std::vector<Token> Tokenize(const std::string& sql) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      size_t end = sql.find("*/", i + 2);
      i = end == std::string::npos ? sql.size() : end + 2;
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::string text;
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == close) {
          if (close != ']' && j + 1 < sql.size() && sql[j + 1] == close) {
            text += close;
            j += 2;
            continue;
          }
          break;
        }
        text += sql[j++];
      }
      i = j + 1;
      if (c == '\'') {
        tokens.push_back({Token::Type::kString, text});
      } else if (IsPlainIdentifier(text)) {
        tokens.push_back({Token::Type::kWord, Lower(text)});
      } else {
        tokens.push_back({Token::Type::kWord, "\"" + text + "\""});
      }
    } else if (IsWordChar(c) || (c == '.' && i + 1 < sql.size() &&
                                 std::isdigit(static_cast<unsigned char>(sql[i + 1])))) {
      size_t j = i;
      // Numbers keep their dots ("1.5"); identifiers split at them.
      bool number = std::isdigit(static_cast<unsigned char>(c)) || c == '.';
      while (j < sql.size() && (IsWordChar(sql[j]) || (number && sql[j] == '.'))) ++j;
      tokens.push_back({Token::Type::kWord, Lower(sql.substr(i, j - i))});
      i = j;
    } else {
      // Two-character operators stay one token.
      static const char* kOperators[] = {"<=", ">=", "<>", "!=", "==", "||", "<<", ">>"};
      std::string text(1, c);
      for (const char* op : kOperators) {
        if (sql.compare(i, 2, op) == 0) text = op;
      }
      tokens.push_back({Token::Type::kPunct, text});
      i += text.size();
    }
  }
  return tokens;
}

std::string Render(const std::vector<Token>& tokens, size_t begin, size_t end) {
  std::string out;
  for (size_t i = begin; i < end; ++i) {
    const Token& token = tokens[i];
    std::string text = token.type == Token::Type::kString ? "'" +
                                                                [&] {
                                                                  std::string quoted;
                                                                  for (char c : token.text) {
                                                                    if (c == '\'') quoted += '\'';
                                                                    quoted += c;
                                                                  }
                                                                  return quoted;
                                                                }() +
                                                                "'"
                                                          : token.text;
    bool glue_left = text == ")" || text == "," || text == "." || text == ";";
    bool after_glue = !out.empty() && (out.back() == '(' || out.back() == '.');
    if (!out.empty() && !glue_left && !after_glue) out += ' ';
    // "f (x)" and "f(x)" are the same call.
    if (text == "(" && i > begin && tokens[i - 1].type == Token::Type::kWord && !out.empty() &&
        out.back() == ' ') {
      out.pop_back();
    }
    out += text;
  }
  return out;
}

std::string Normalize(const std::string& sql) {
  std::vector<Token> tokens = Tokenize(sql);
  return Render(tokens, 0, tokens.size());
}

// The first token at or after `from` that is the word `word`.
size_t FindWord(const std::vector<Token>& tokens, const std::string& word, size_t from) {
  for (size_t i = from; i < tokens.size(); ++i) {
    if (tokens[i].type == Token::Type::kWord && tokens[i].text == word) return i;
  }
  return tokens.size();
}

// The index past the parenthesis that closes the one at `open`.
size_t MatchParen(const std::vector<Token>& tokens, size_t open) {
  int depth = 0;
  for (size_t i = open; i < tokens.size(); ++i) {
    if (tokens[i].type != Token::Type::kPunct) continue;
    if (tokens[i].text == "(") ++depth;
    if (tokens[i].text == ")" && --depth == 0) return i + 1;
  }
  return tokens.size();
}

// A column default as SQLite evaluates it, whichever way it was written:
// "DEFAULT 'x'" and "DEFAULT ('x')", "CURRENT_TIMESTAMP" and
// "(current_timestamp)", "-1" and "(- 1)", "TRUE" and "1" are the same.
std::string NormalizeDefault(const std::string& sql) {
  std::vector<Token> tokens = Tokenize(sql);
  size_t begin = 0, end = tokens.size();
  while (end - begin >= 2 && tokens[begin].type == Token::Type::kPunct &&
         tokens[begin].text == "(" && MatchParen(tokens, begin) == end) {
    ++begin;
    --end;
  }
  if (end - begin == 1 && tokens[begin].type == Token::Type::kWord) {
    if (tokens[begin].text == "true") return "1";
    if (tokens[begin].text == "false") return "0";
  }
  // A signed number is one literal: "-1", not "- 1"; "+1" is 1.
  if (end - begin == 2 && tokens[begin].type == Token::Type::kPunct &&
      (tokens[begin].text == "-" || tokens[begin].text == "+") &&
      tokens[begin + 1].type == Token::Type::kWord &&
      (std::isdigit(static_cast<unsigned char>(tokens[begin + 1].text[0])) ||
       tokens[begin + 1].text[0] == '.')) {
    return (tokens[begin].text == "-" ? "-" : "") + tokens[begin + 1].text;
  }
  return Render(tokens, begin, end);
}

std::string Unquoted(const std::string& word) {
  return word.size() > 1 && word.front() == '"' ? word.substr(1, word.size() - 2) : word;
}

// SQLite keeps no catalog of CHECK constraints: read them from the table's
// CREATE text ("[CONSTRAINT name] CHECK (expr)", column or table level).
std::vector<CheckConstraint> ParseChecks(const std::string& table, const std::string& sql) {
  std::vector<CheckConstraint> checks;
  std::vector<Token> tokens = Tokenize(sql);
  for (size_t i = FindWord(tokens, "check", 0); i < tokens.size();
       i = FindWord(tokens, "check", i + 1)) {
    if (i + 1 >= tokens.size() || tokens[i + 1].text != "(") continue;
    size_t end = MatchParen(tokens, i + 1);
    CheckConstraint check{.table = table};
    if (i >= 2 && tokens[i - 2].type == Token::Type::kWord && tokens[i - 2].text == "constraint") {
      check.name = Unquoted(tokens[i - 1].text);
    }
    check.expression = Render(tokens, i + 1, end);
    checks.push_back(std::move(check));
  }
  return checks;
}

// The part of a CREATE INDEX after "ON table": the key and any WHERE.
std::string IndexDefinition(const std::string& sql) {
  std::vector<Token> tokens = Tokenize(sql);
  size_t on = FindWord(tokens, "on", 0);
  size_t open = on;
  while (open < tokens.size() && tokens[open].text != "(") ++open;
  return Render(tokens, open, tokens.size());
}

// A view's SELECT: what follows the first AS.
std::string ViewDefinition(const std::string& sql) {
  std::vector<Token> tokens = Tokenize(sql);
  size_t as = FindWord(tokens, "as", 0);
  return Render(tokens, as < tokens.size() ? as + 1 : 0, tokens.size());
}

const std::string& Text(const driver::Row& row, size_t i) {
  static const std::string kEmpty;
  return row[i] ? *row[i] : kEmpty;
}

// One spelling for the declared types that make the same SQLite column
// (same affinity, same meaning to every reader of the schema): INT and
// INTEGER, CHARACTER VARYING(n) and VARCHAR(n), CHARACTER(n) and CHAR(n),
// BOOL and BOOLEAN. `type` is upper-cased and normalised already. A key
// column keeps INT: "INTEGER PRIMARY KEY" is the rowid, "INT PRIMARY KEY"
// is not.
std::string CanonicalType(std::string type, bool key) {
  auto replace_prefix = [&](std::string_view from, std::string_view to) {
    if (type.starts_with(from) &&
        (type.size() == from.size() || type[from.size()] == '(' || type[from.size()] == ' ')) {
      type = std::string(to) + type.substr(from.size());
      return true;
    }
    return false;
  };
  if (!key && type == "INT") return "INTEGER";
  if (type == "BOOL") return "BOOLEAN";
  if (replace_prefix("CHARACTER VARYING", "VARCHAR")) return type;
  if (replace_prefix("CHARACTER", "CHAR")) return type;
  return type;
}

bool Excluded(const std::vector<std::string>& exclude, const std::string& table) {
  for (const std::string& name : exclude) {
    if (Lower(name) == Lower(table) || Lower(name) == "main." + Lower(table)) return true;
  }
  return false;
}

constexpr const char* kTables =
    "SELECT type, name, tbl_name, sql FROM sqlite_master "
    "WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name";

constexpr const char* kColumns =
    "SELECT m.name, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk "
    "FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "ORDER BY m.name, p.cid";

constexpr const char* kUniqueConstraints =
    "SELECT m.name, l.name, i.name FROM sqlite_master AS m "
    "JOIN pragma_index_list(m.name) AS l JOIN pragma_index_info(l.name) AS i "
    "WHERE m.type = 'table' AND l.origin = 'u' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "ORDER BY m.name, l.name, i.seqno";

constexpr const char* kForeignKeys =
    "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete "
    "FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f "
    "WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
    "ORDER BY m.name, f.id, f.seq";

}  // namespace

Snapshot TakeSqliteSnapshot(driver::Connection& connection,
                            const std::vector<std::string>& exclude_tables) {
  Snapshot snapshot{.dialect = "sqlite"};
  // A virtual table's shadow tables (FTS5's notes_data, notes_idx, ...)
  // belong to it: created and dropped with it, never objects of their own.
  // A virtual table is one object: its CREATE VIRTUAL TABLE, not columns
  // that ALTER TABLE could change. pragma_table_list is SQLite 3.37+; an
  // older library has none and lists shadow tables as tables.
  std::vector<std::string> excluded = exclude_tables;
  std::vector<std::string> virtual_tables;
  try {
    for (const driver::Row& row :
         connection.Query("SELECT name, type FROM pragma_table_list WHERE schema = 'main' "
                          "AND type IN ('shadow', 'virtual')")) {
      (Text(row, 1) == "shadow" ? excluded : virtual_tables).push_back(Text(row, 0));
    }
  } catch (const std::exception&) {
    // Before 3.37: nothing to leave out.
  }
  const std::vector<std::string>& left_out = excluded;
  for (const driver::Row& row : connection.Query(kTables)) {
    const std::string& type = Text(row, 0);
    const std::string& name = Text(row, 1);
    const std::string& table = Text(row, 2);
    const std::string& sql = Text(row, 3);
    if (Excluded(left_out, table)) continue;
    if (type == "table") {
      snapshot.tables.push_back(Table{.name = name, .sql = sql});
      for (CheckConstraint& check : ParseChecks(name, sql)) {
        snapshot.checks.push_back(std::move(check));
      }
    } else if (type == "index" && !sql.empty()) {
      // Indexes without SQL back PRIMARY KEY / UNIQUE constraints.
      bool unique = Normalize(sql).starts_with("create unique");
      snapshot.indexes.push_back(Index{.table = table,
                                       .name = name,
                                       .unique = unique,
                                       .definition = IndexDefinition(sql),
                                       .sql = sql});
    } else if (type == "view") {
      snapshot.views.push_back(View{.name = name, .definition = ViewDefinition(sql), .sql = sql});
    } else if (type == "trigger") {
      snapshot.triggers.push_back(
          Trigger{.table = table, .name = name, .definition = Normalize(sql), .sql = sql});
    }
  }

  std::map<std::string, std::map<int, std::string>> primary_keys;  // table -> position -> column
  std::map<std::string, size_t> positions;
  for (const driver::Row& row : connection.Query(kColumns)) {
    const std::string& table = Text(row, 0);
    if (Excluded(left_out, table) || Excluded(virtual_tables, table)) continue;
    Column column{.table = table, .name = Text(row, 1)};
    column.position = static_cast<int>(++positions[table]);
    int pk = std::stoi(Text(row, 5).empty() ? "0" : Text(row, 5));
    column.type = CanonicalType(Upper(Normalize(Text(row, 2))), pk > 0);
    column.not_null = Text(row, 3) == "1";
    if (row[4]) column.default_value = NormalizeDefault(*row[4]);
    if (pk > 0) primary_keys[table][pk] = column.name;
    snapshot.columns.push_back(std::move(column));
  }
  for (const auto& [table, columns] : primary_keys) {
    PrimaryKey key{.table = table};
    for (const auto& [position, column] : columns) key.columns.push_back(column);
    snapshot.primary_keys.push_back(std::move(key));
  }

  std::map<std::pair<std::string, std::string>, UniqueConstraint> uniques;
  for (const driver::Row& row : connection.Query(kUniqueConstraints)) {
    const std::string& table = Text(row, 0);
    if (Excluded(left_out, table)) continue;
    UniqueConstraint& unique = uniques[{table, Text(row, 1)}];
    unique.table = table;
    unique.columns.push_back(Text(row, 2));
  }
  for (auto& [key, unique] : uniques) snapshot.unique_constraints.push_back(std::move(unique));

  std::map<std::pair<std::string, std::string>, ForeignKey> foreign_keys;
  for (const driver::Row& row : connection.Query(kForeignKeys)) {
    const std::string& table = Text(row, 0);
    if (Excluded(left_out, table)) continue;
    ForeignKey& key = foreign_keys[{table, Text(row, 1)}];
    key.table = table;
    key.referenced_table = Text(row, 2);
    key.columns.push_back(Text(row, 3));
    // A REFERENCES without columns means the parent's primary key.
    if (row[4]) key.referenced_columns.push_back(*row[4]);
    key.on_update = Text(row, 5);
    key.on_delete = Text(row, 6);
  }
  // SQLite keeps a REFERENCES clause as written; names are case-insensitive,
  // so "REFERENCES Users (ID)" names the table users and its column id.
  auto canonical = [&](const std::string& table, const std::string& column) {
    for (const Column& c : snapshot.columns) {
      if (Lower(c.table) == Lower(table) && Lower(c.name) == Lower(column)) return c.name;
    }
    return column;
  };
  for (auto& [id, key] : foreign_keys) {
    for (const Table& t : snapshot.tables) {
      if (Lower(t.name) == Lower(key.referenced_table)) key.referenced_table = t.name;
    }
    for (std::string& column : key.columns) column = canonical(key.table, column);
    for (std::string& column : key.referenced_columns) {
      column = canonical(key.referenced_table, column);
    }
    if (key.referenced_columns.empty()) {
      auto parent = primary_keys.find(key.referenced_table);
      if (parent != primary_keys.end()) {
        for (const auto& [position, column] : parent->second) {
          key.referenced_columns.push_back(column);
        }
      }
    }
    snapshot.foreign_keys.push_back(std::move(key));
  }
  // The two header integers an application sets for itself (PRAGMA
  // user_version, application_id): recorded only when non-zero, as objects
  // of kind "pragma" whose definition is the decimal value. 0 is SQLite's
  // default, which no schema needs to declare. Compare and Diff check them
  // only where the declared schema sets them (snapshot.h).
  for (const char* pragma : {"application_id", "user_version"}) {
    std::vector<driver::Row> rows = connection.Query(fmt::format("PRAGMA {}", pragma));
    if (rows.empty() || rows[0].empty() || !rows[0][0] || *rows[0][0] == "0") continue;
    snapshot.objects.push_back(
        SchemaObject{.kind = "pragma", .name = pragma, .definition = *rows[0][0]});
  }
  return snapshot;
}

}  // namespace retort::schema
