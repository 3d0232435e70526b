#include "autogen/rename_hints.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "retort/error.h"
#include "util/strings.h"

namespace retort::autogen {
namespace {

constexpr std::string_view kHint = "retort:renamed-from";

// A deliberately small scanner: the hints only need to know which CREATE
// TABLE statement and which column definition a comment sits on or above,
// so it tracks quotes, comments and parentheses and nothing else. (The lint
// layer has a full lexer, but autogen must not depend on lint.)
struct Token {
  std::string text;  // identifiers unquoted; words as written
  bool quoted = false;
  size_t offset = 0;
  int line = 0;
};

struct HintComment {
  std::string argument;  // what follows "retort:renamed-from", trimmed
  bool quoted = false;   // argument was one quoted name, quotes removed
  size_t offset = 0;
  int line = 0;
};

struct Scanned {
  std::vector<Token> tokens;
  std::vector<HintComment> hints;
};

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

void AddComment(Scanned& scanned, std::string_view text, size_t offset, int line) {
  std::string_view body = util::Trim(text);
  if (body.substr(0, kHint.size()) != kHint) return;
  std::string argument(util::Trim(body.substr(kHint.size())));
  // The old name may be quoted as the schema quotes names: "a b", [a b],
  // `a b`; the quoted name is the whole name, spaces and all.
  bool quoted = false;
  if (argument.size() >= 2) {
    char open = argument.front();
    char close = open == '[' ? ']' : open;
    size_t end = argument.find(close, 1);
    if ((open == '"' || open == '[' || open == '`') && end != std::string::npos && end > 1) {
      argument = argument.substr(1, end - 1);
      quoted = true;
    }
  }
  scanned.hints.push_back(HintComment{std::move(argument), quoted, offset, line});
}

// Whether the '[' at `at` opens a bracket-quoted name ([order]) rather than
// a PostgreSQL array bound (integer[], integer[3]): it closes on the same
// line and holds something other than digits.
bool IsBracketName(std::string_view sql, size_t at) {
  size_t close = sql.find_first_of("]\n", at + 1);
  if (close == std::string_view::npos || sql[close] != ']' || close == at + 1) return false;
  std::string_view inside = sql.substr(at + 1, close - at - 1);
  return !std::all_of(inside.begin(), inside.end(),
                      [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); });
}

Scanned Scan(std::string_view sql) {
  Scanned scanned;
  int line = 1;
  size_t i = 0;
  auto advance_to = [&](size_t end) {
    end = std::min(end, sql.size());
    line += static_cast<int>(
        std::count(sql.begin() + static_cast<long>(i), sql.begin() + static_cast<long>(end), '\n'));
    i = end;
  };
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\n' || std::isspace(static_cast<unsigned char>(c))) {
      advance_to(i + 1);
    } else if (sql.substr(i, 2) == "--") {
      size_t end = sql.find('\n', i);
      if (end == std::string_view::npos) end = sql.size();
      AddComment(scanned, sql.substr(i + 2, end - i - 2), i, line);
      advance_to(end);
    } else if (sql.substr(i, 2) == "/*") {
      size_t end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
      AddComment(scanned, sql.substr(i + 2, std::max<size_t>(end - i, 4) - 4), i, line);
      advance_to(end);
    } else if (c == '\'' || c == '"') {
      // '' and "" escape the quote inside; E'..\'..' is rare enough in a
      // schema's DDL to ignore.
      size_t end = i + 1;
      std::string text;
      while (end < sql.size()) {
        if (sql[end] == c) {
          if (end + 1 < sql.size() && sql[end + 1] == c) {
            text += c;
            end += 2;
            continue;
          }
          break;
        }
        text += sql[end++];
      }
      if (c == '"')
        scanned.tokens.push_back(Token{text, true, i, line});
      else
        scanned.tokens.push_back(Token{"'", false, i, line});
      advance_to(end + 1);
    } else if (c == '`' || (c == '[' && IsBracketName(sql, i))) {
      // `name` and [name]: SQLite (and MySQL) identifier quotes; a doubled
      // backtick is one inside the name.
      char close = c == '`' ? '`' : ']';
      size_t end = i + 1;
      std::string text;
      while (end < sql.size()) {
        if (sql[end] == close) {
          if (close == '`' && end + 1 < sql.size() && sql[end + 1] == '`') {
            text += '`';
            end += 2;
            continue;
          }
          break;
        }
        text += sql[end++];
      }
      scanned.tokens.push_back(Token{text, true, i, line});
      advance_to(end + 1);
    } else if (c == '$' && (i == 0 || !IsWordChar(sql[i - 1]))) {
      // $tag$ ... $tag$ (function bodies in a PostgreSQL schema).
      size_t close = sql.find('$', i + 1);
      std::string_view tag =
          close == std::string_view::npos ? std::string_view() : sql.substr(i, close - i + 1);
      bool valid = !tag.empty() && std::all_of(tag.begin() + 1, tag.end() - 1, IsWordChar);
      if (!valid) {
        scanned.tokens.push_back(Token{"$", false, i, line});
        advance_to(i + 1);
        continue;
      }
      size_t end = sql.find(tag, close + 1);
      scanned.tokens.push_back(Token{"'", false, i, line});
      advance_to(end == std::string_view::npos ? sql.size() : end + tag.size());
    } else if (IsWordChar(c)) {
      size_t end = i;
      while (end < sql.size() && IsWordChar(sql[end])) ++end;
      scanned.tokens.push_back(Token{std::string(sql.substr(i, end - i)), false, i, line});
      advance_to(end);
    } else {
      scanned.tokens.push_back(Token{std::string(1, c), false, i, line});
      advance_to(i + 1);
    }
  }
  return scanned;
}

bool IsWord(const Token& token, std::string_view word) {
  return !token.quoted && util::EqualsIgnoreCase(token.text, word);
}

// What a hint can attach to: a CREATE TABLE statement (column empty) or one
// column definition in it.
struct Target {
  std::string table{};
  std::string column{};
  size_t first_token = 0;  // index of the target's first token
  size_t last_token = 0;   // index of its last token (a trailing ',' included)
  bool is_table = false;
};

// The tables and column definitions of every CREATE TABLE statement.
std::vector<Target> FindTargets(const std::vector<Token>& tokens) {
  std::vector<Target> targets;
  size_t start = 0;
  while (start < tokens.size()) {
    size_t end = start;
    while (end < tokens.size() && tokens[end].text != ";") ++end;
    // CREATE [GLOBAL|LOCAL] [TEMP|TEMPORARY|UNLOGGED] TABLE [IF NOT EXISTS] name (
    size_t i = start;
    if (i < end && IsWord(tokens[i], "CREATE")) {
      ++i;
      while (i < end && (IsWord(tokens[i], "GLOBAL") || IsWord(tokens[i], "LOCAL") ||
                         IsWord(tokens[i], "TEMP") || IsWord(tokens[i], "TEMPORARY") ||
                         IsWord(tokens[i], "UNLOGGED"))) {
        ++i;
      }
      if (i < end && IsWord(tokens[i], "TABLE")) {
        ++i;
        if (i + 2 < end && IsWord(tokens[i], "IF") && IsWord(tokens[i + 1], "NOT") &&
            IsWord(tokens[i + 2], "EXISTS")) {
          i += 3;
        }
        std::string name;
        while (i < end && tokens[i].text != "(" && !IsWord(tokens[i], "AS")) {
          name += tokens[i].text;  // "schema" "." "name" joins up
          ++i;
        }
        if (!name.empty()) {
          Target table{.table = name, .first_token = start, .last_token = i, .is_table = true};
          targets.push_back(table);
          if (i < end && tokens[i].text == "(") {
            // Top-level elements of the column list.
            int depth = 0;
            size_t element = i + 1;
            for (size_t k = i; k < end; ++k) {
              const std::string& t = tokens[k].text;
              bool quoted = tokens[k].quoted;
              if (!quoted && t == "(") {
                ++depth;
              } else if (!quoted && t == ")") {
                --depth;
              }
              bool closes = depth == 0 && !quoted && t == ")";
              bool separates = depth == 1 && !quoted && t == ",";
              if ((closes || separates) && element < k) {
                const Token& first = tokens[element];
                static constexpr std::string_view kConstraintWords[] = {
                    "CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE", "LIKE"};
                bool constraint =
                    std::any_of(std::begin(kConstraintWords), std::end(kConstraintWords),
                                [&](std::string_view word) { return IsWord(first, word); });
                if (!constraint) {
                  targets.push_back(Target{.table = name,
                                           .column = first.text,
                                           .first_token = element,
                                           .last_token = separates ? k : k - 1});
                }
              }
              if (separates) element = k + 1;
              if (closes) break;
            }
          }
        }
      }
    }
    start = end + 1;
  }
  return targets;
}

// The target a hint belongs to: the definition it trails on the same line
// (`email text, -- retort:renamed-from mail`), else the one that starts
// right after it (a hint on the line before).
const Target* Attach(const HintComment& hint, const std::vector<Token>& tokens,
                     const std::vector<Target>& targets) {
  auto after = std::lower_bound(tokens.begin(), tokens.end(), hint.offset,
                                [](const Token& t, size_t offset) { return t.offset < offset; });
  size_t next = static_cast<size_t>(after - tokens.begin());
  if (next > 0 && tokens[next - 1].line == hint.line) {
    size_t previous = next - 1;
    // A column wins over its table: the CREATE TABLE target spans only the
    // statement's head, so at most one of each kind matches.
    const Target* found = nullptr;
    for (const Target& target : targets) {
      if (previous >= target.first_token && previous <= target.last_token) {
        if (found == nullptr || !target.is_table) found = &target;
      }
    }
    return found;
  }
  if (next >= tokens.size()) return nullptr;
  for (const Target& target : targets) {
    if (target.first_token == next) return &target;
  }
  return nullptr;
}

std::string Unquote(std::string_view name) {
  std::string text(util::Trim(name));
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') {
    text = text.substr(1, text.size() - 2);
  }
  return text;
}

std::vector<std::filesystem::path> SchemaFiles(const std::filesystem::path& schema) {
  std::error_code error;
  if (!std::filesystem::is_directory(schema, error)) return {schema};
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(schema, error)) {
    if (entry.is_regular_file() && entry.path().extension() == ".sql") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

void ReadFileHints(const std::filesystem::path& file, RenameHints& hints) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(fmt::format("Can't read the schema file {}", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  std::string sql = text.str();
  Scanned scanned = Scan(sql);
  if (scanned.hints.empty()) return;
  std::vector<Target> targets = FindTargets(scanned.tokens);
  for (const HintComment& hint : scanned.hints) {
    std::string where = fmt::format("{}:{}", file.string(), hint.line);
    std::string old_name;
    if (hint.quoted) {
      old_name = hint.argument;
    } else if (!hint.argument.empty()) {
      std::istringstream words(hint.argument);
      words >> old_name;
      old_name = Unquote(old_name);
    }
    if (old_name.empty()) {
      throw Error(fmt::format(
          "{}: '-- retort:renamed-from' names no old name (write '-- retort:renamed-from "
          "OLD_NAME')",
          where));
    }
    const Target* target = Attach(hint, scanned.tokens, targets);
    if (target == nullptr) {
      throw Error(fmt::format(
          "{}: '-- retort:renamed-from {}' is attached to nothing: put it on or above a CREATE "
          "TABLE line or a column definition",
          where, old_name));
    }
    if (target->is_table) {
      hints.tables[target->table] = old_name;
    } else {
      hints.columns[{target->table, target->column}] = old_name;
    }
  }
}

}  // namespace

RenameHints ReadRenameHints(const std::filesystem::path& schema) {
  RenameHints hints;
  for (const std::filesystem::path& file : SchemaFiles(schema)) ReadFileHints(file, hints);
  return hints;
}

}  // namespace retort::autogen
