#include "driver/mysql_statements.h"

#include <fmt/format.h>

#include <array>

#include "retort/error.h"

namespace retort::driver {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' || c == '$';
}
char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The end of the quoted token opened at `pos`: 'text' and "text" take
// backslash escapes and doubled quotes; `identifiers` only doubled quotes.
std::size_t SkipQuoted(std::string_view sql, std::size_t pos) {
  const char quote = sql[pos];
  const bool backslash = quote != '`';
  std::size_t i = pos + 1;
  while (i < sql.size()) {
    if (backslash && sql[i] == '\\') {
      i += 2;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        i += 2;
      } else {
        return i + 1;
      }
    } else {
      ++i;
    }
  }
  return sql.size();
}

// The end of a comment starting at `pos`, or npos when none starts there.
// MySQL needs whitespace (or the line's end) after "--".
std::size_t CommentEnd(std::string_view sql, std::size_t pos) {
  if (sql[pos] == '#' ||
      (sql.substr(pos, 2) == "--" && (pos + 2 >= sql.size() || IsSpace(sql[pos + 2])))) {
    std::size_t end = sql.find('\n', pos);
    return end == npos ? sql.size() : end + 1;
  }
  if (sql.substr(pos, 2) == "/*") {
    std::size_t end = sql.find("*/", pos + 2);
    return end == npos ? sql.size() : end + 2;
  }
  return npos;
}

// An executable comment, `/*!40101 SET NAMES utf8mb4 */` or MariaDB's
// `/*M!100100 ... */`: the server runs its text (mysqldump and mariadb-dump
// files are full of them), so it is a statement, not a comment to skip.
bool ExecutableComment(std::string_view sql, std::size_t pos) {
  return sql.substr(pos, 3) == "/*!" || sql.substr(pos, 4) == "/*M!";
}

std::size_t SkipSpaceAndComments(std::string_view sql, std::size_t pos) {
  while (pos < sql.size()) {
    if (IsSpace(sql[pos])) {
      ++pos;
    } else if (ExecutableComment(sql, pos)) {
      break;
    } else if (std::size_t end = CommentEnd(sql, pos); end != npos) {
      pos = end;
    } else {
      break;
    }
  }
  return pos;
}

// The lower-case word starting at `pos`.
std::string WordAt(std::string_view sql, std::size_t pos) {
  std::string word;
  while (pos < sql.size() && IsWordChar(sql[pos])) word += Lower(sql[pos++]);
  return word;
}

}  // namespace

std::vector<StatementSpan> SplitMysqlStatements(std::string_view sql) {
  std::vector<StatementSpan> spans;
  std::string delimiter = ";";
  std::size_t start = npos;
  auto emit = [&](std::size_t end) {
    while (end > start && IsSpace(sql[end - 1])) --end;
    if (end > start) spans.push_back(StatementSpan{start, end - start});
    start = npos;
  };
  std::size_t pos = 0;
  while (pos < sql.size()) {
    if (start == npos) {
      pos = SkipSpaceAndComments(sql, pos);
      if (pos >= sql.size()) break;
      // The client's DELIMITER command, at the start of a statement.
      if (WordAt(sql, pos) == "delimiter" && pos + 9 < sql.size() && IsSpace(sql[pos + 9])) {
        std::size_t line_end = sql.find('\n', pos);
        if (line_end == npos) line_end = sql.size();
        std::string_view rest = sql.substr(pos + 9, line_end - pos - 9);
        while (!rest.empty() && IsSpace(rest.front())) rest.remove_prefix(1);
        std::size_t word_end = 0;
        while (word_end < rest.size() && !IsSpace(rest[word_end])) ++word_end;
        if (word_end > 0) delimiter = std::string(rest.substr(0, word_end));
        pos = line_end;
        continue;
      }
      start = pos;
    }
    const char c = sql[pos];
    if (sql.compare(pos, delimiter.size(), delimiter) == 0) {
      emit(pos);
      pos += delimiter.size();
    } else if (c == '\'' || c == '"' || c == '`') {
      pos = SkipQuoted(sql, pos);
    } else if (std::size_t end = CommentEnd(sql, pos); end != npos) {
      pos = end;
    } else {
      ++pos;
    }
  }
  if (start != npos) emit(sql.size());
  return spans;
}

bool CommitsImplicitly(std::string_view statement) {
  static constexpr std::array<std::string_view, 9> kTransactional = {
      "insert", "update", "delete", "replace", "select", "with", "values", "do", "set"};
  std::size_t pos = SkipSpaceAndComments(statement, 0);
  if (pos < statement.size() && statement[pos] == '(') return false;  // (SELECT ...) UNION ...
  const std::string word = WordAt(statement, pos);
  for (std::string_view known : kTransactional) {
    if (word == known) return false;
  }
  return true;
}

std::string BindMysqlParameters(std::string_view sql, const std::vector<std::string>& params,
                                const std::function<std::string(const std::string&)>& quote) {
  std::string out;
  out.reserve(sql.size());
  std::size_t pos = 0;
  while (pos < sql.size()) {
    const char c = sql[pos];
    std::size_t end = pos + 1;
    if (c == '\'' || c == '"' || c == '`') {
      end = SkipQuoted(sql, pos);
    } else if (std::size_t comment = CommentEnd(sql, pos); comment != npos) {
      end = comment;
    } else if (c == '$' && pos + 1 < sql.size() && IsDigit(sql[pos + 1]) &&
               (pos == 0 || !IsWordChar(sql[pos - 1]))) {
      std::size_t digits = pos + 1;
      while (digits < sql.size() && IsDigit(sql[digits])) ++digits;
      const std::size_t n = std::stoul(std::string(sql.substr(pos + 1, digits - pos - 1)));
      if (n == 0 || n > params.size()) {
        throw Error(fmt::format("Query parameter ${} has no value ({} given)", n, params.size()));
      }
      out += quote(params[n - 1]);
      pos = digits;
      continue;
    }
    out.append(sql.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

}  // namespace retort::driver
