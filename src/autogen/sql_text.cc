#include "autogen/sql_text.h"

#include <cctype>
#include <map>
#include <set>
#include <string>
#include <string_view>

namespace retort::autogen {
namespace {

bool IdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IdentPart(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$';
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Keywords quote_ident quotes: PostgreSQL's reserved, type/function-name and
// column-name keywords.
const std::set<std::string>& Keywords() {
  static const std::set<std::string> kWords = {"all",
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
                                               "bigint",
                                               "binary",
                                               "bit",
                                               "boolean",
                                               "both",
                                               "case",
                                               "cast",
                                               "char",
                                               "character",
                                               "check",
                                               "coalesce",
                                               "collate",
                                               "collation",
                                               "column",
                                               "concurrently",
                                               "constraint",
                                               "create",
                                               "cross",
                                               "current_catalog",
                                               "current_date",
                                               "current_role",
                                               "current_schema",
                                               "current_time",
                                               "current_timestamp",
                                               "current_user",
                                               "dec",
                                               "decimal",
                                               "default",
                                               "deferrable",
                                               "desc",
                                               "distinct",
                                               "do",
                                               "else",
                                               "end",
                                               "except",
                                               "exists",
                                               "extract",
                                               "false",
                                               "fetch",
                                               "float",
                                               "for",
                                               "foreign",
                                               "freeze",
                                               "from",
                                               "full",
                                               "grant",
                                               "greatest",
                                               "group",
                                               "grouping",
                                               "having",
                                               "ilike",
                                               "in",
                                               "initially",
                                               "inner",
                                               "inout",
                                               "int",
                                               "integer",
                                               "intersect",
                                               "interval",
                                               "into",
                                               "is",
                                               "isnull",
                                               "join",
                                               "lateral",
                                               "leading",
                                               "least",
                                               "left",
                                               "like",
                                               "limit",
                                               "localtime",
                                               "localtimestamp",
                                               "national",
                                               "natural",
                                               "nchar",
                                               "none",
                                               "normalize",
                                               "not",
                                               "notnull",
                                               "null",
                                               "nullif",
                                               "numeric",
                                               "offset",
                                               "on",
                                               "only",
                                               "or",
                                               "order",
                                               "out",
                                               "outer",
                                               "overlaps",
                                               "overlay",
                                               "placing",
                                               "position",
                                               "precision",
                                               "primary",
                                               "real",
                                               "references",
                                               "returning",
                                               "right",
                                               "row",
                                               "select",
                                               "session_user",
                                               "setof",
                                               "similar",
                                               "smallint",
                                               "some",
                                               "substring",
                                               "symmetric",
                                               "system_user",
                                               "table",
                                               "tablesample",
                                               "then",
                                               "time",
                                               "timestamp",
                                               "to",
                                               "trailing",
                                               "treat",
                                               "trim",
                                               "true",
                                               "union",
                                               "unique",
                                               "user",
                                               "using",
                                               "values",
                                               "varchar",
                                               "variadic",
                                               "verbose",
                                               "when",
                                               "where",
                                               "window",
                                               "with"};
  return kWords;
}

// Calls `emit(token, is_identifier, quoted)` for every piece of `sql` in
// order; the pieces concatenate back to `sql`.
template <typename Emit>
void Tokenize(const std::string& sql, Emit emit) {
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    if (c == '\'') {
      size_t j = i + 1;
      while (j < sql.size()) {
        if (sql[j] == '\'' && j + 1 < sql.size() && sql[j + 1] == '\'') {
          j += 2;
        } else if (sql[j] == '\'') {
          break;
        } else {
          ++j;
        }
      }
      j = std::min(j + 1, sql.size());
      emit(sql.substr(i, j - i), false, false);
      i = j;
    } else if (c == '"') {
      size_t j = i + 1;
      std::string name;
      while (j < sql.size()) {
        if (sql[j] == '"' && j + 1 < sql.size() && sql[j + 1] == '"') {
          name += '"';
          j += 2;
        } else if (sql[j] == '"') {
          break;
        } else {
          name += sql[j++];
        }
      }
      j = std::min(j + 1, sql.size());
      emit(name, true, true);
      i = j;
    } else if (IdentStart(c)) {
      size_t j = i;
      while (j < sql.size() && IdentPart(sql[j])) ++j;
      emit(sql.substr(i, j - i), true, false);
      i = j;
    } else {
      emit(std::string(1, c), false, false);
      ++i;
    }
  }
}

std::string QuotePart(const std::string& name) {
  bool plain =
      !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    if (!(std::islower(static_cast<unsigned char>(c)) ||
          std::isdigit(static_cast<unsigned char>(c)) || c == '_')) {
      plain = false;
    }
  }
  if (plain && !Keywords().contains(name)) return name;
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::set<std::string> Identifiers(const std::string& sql) {
  std::set<std::string> out;
  Tokenize(sql, [&](const std::string& token, bool identifier, bool quoted) {
    if (identifier) out.insert(quoted ? token : Lower(token));
  });
  return out;
}

std::string RenameIdentifiers(const std::string& sql,
                              const std::map<std::string, std::string>& renames) {
  if (renames.empty()) return sql;
  std::string out;
  Tokenize(sql, [&](const std::string& token, bool identifier, bool quoted) {
    if (identifier) {
      auto found = renames.find(quoted ? token : Lower(token));
      if (found != renames.end()) {
        out += QuotePart(found->second);
        return;
      }
      out += quoted ? QuotePart(token) : token;
      return;
    }
    out += token;
  });
  return out;
}

std::string QuoteName(const std::string& name) {
  size_t dot = name.find('.');
  if (dot == std::string::npos) return QuotePart(name);
  return QuotePart(name.substr(0, dot)) + "." + QuotePart(name.substr(dot + 1));
}

std::string QuoteLiteral(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

namespace {

// Just past the quoted literal or identifier starting at `at` (doubled
// quotes inside).
size_t QuotedEnd(const std::string& sql, size_t at) {
  const char quote = sql[at];
  for (size_t i = at + 1; i < sql.size(); ++i) {
    if (sql[i] != quote) continue;
    if (i + 1 < sql.size() && sql[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return sql.size();
}

// The `]` closing `'a'::character varying, NULL::character varying, ...`
// (elements of any form, each cast to varchar last) that starts at `at`,
// or npos if that is not what is there.
size_t VarcharElementsEnd(const std::string& sql, size_t at) {
  constexpr std::string_view kVarchar = "::character varying";
  int depth = 0;
  size_t start = at;
  for (size_t i = at; i < sql.size();) {
    char c = sql[i];
    if (c == '\'' || c == '"') {
      i = QuotedEnd(sql, i);
      continue;
    }
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && depth > 0) {
      --depth;
    } else if (depth == 0 && (c == ',' || c == ']')) {
      std::string_view element(sql.data() + start, i - start);
      if (element.size() <= kVarchar.size() || !element.ends_with(kVarchar))
        return std::string::npos;
      if (c == ']') return i;
      if (sql.compare(i, 2, ", ") != 0) return std::string::npos;
      start = i + 2;
    } else if (depth == 0 && c == ')') {
      return std::string::npos;
    }
    ++i;
  }
  return std::string::npos;
}

}  // namespace

std::string ReparsableDefinition(const std::string& sql) {
  constexpr std::string_view kArray = "ARRAY[", kCast = "::text";
  if (sql.find("::character varying") == std::string::npos) return sql;
  std::string out;
  out.reserve(sql.size());
  size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] == '\'' || sql[i] == '"') {
      size_t end = QuotedEnd(sql, i);
      out.append(sql, i, end - i);
      i = end;
      continue;
    }
    if (sql.compare(i, kArray.size(), kArray) == 0 && (i == 0 || !IdentPart(sql[i - 1]))) {
      size_t close = VarcharElementsEnd(sql, i + kArray.size());
      bool done = false;
      // Non-pretty text wraps the array in parentheses; pretty does not.
      for (bool paren : {true, false}) {
        if (close == std::string::npos || done) break;
        std::string_view before(out);
        if (paren) {
          if (!before.ends_with("(")) continue;
          before.remove_suffix(1);
        }
        size_t op = before.ends_with(" = ANY (") ? 8 : before.ends_with(" <> ALL (") ? 9 : 0;
        if (op == 0) continue;
        before.remove_suffix(op);
        if (!before.ends_with(kCast)) continue;
        const std::string suffix = paren ? ")::text[]" : "::text[]";
        if (sql.compare(close + 1, suffix.size(), suffix) != 0) continue;
        out.erase(before.size() - kCast.size(), kCast.size());
        out.append(sql, i, close + 1 - i);
        if (paren) out += ')';
        i = close + 1 + suffix.size();
        done = true;
      }
      if (done) continue;
    }
    out += sql[i++];
  }
  return out;
}

}  // namespace retort::autogen
