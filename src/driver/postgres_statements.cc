#include "driver/postgres_statements.h"

#include <array>
#include <string_view>

namespace retort::driver {
namespace {

constexpr std::size_t npos = std::string_view::npos;

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// PostgreSQL identifiers may contain '$' after the first character, which is
// why "a$b$" is a name and not the start of a dollar quote.
bool IsIdentifierChar(char c) { return IsLetter(c) || IsDigit(c) || c == '$'; }

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (Lower(word[i]) != lower[i]) return false;
  }
  return true;
}

// The end of a quoted token opened at `pos` by `quote`: a doubled quote is
// an escaped one; with `backslash` (E'...'), so is \'.
std::size_t SkipQuoted(std::string_view sql, std::size_t pos, char quote, bool backslash) {
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

// The end of a dollar-quote opening tag ($$ or $tag$) at `pos`, or npos when
// the '$' starts something else (a $1 parameter).
std::size_t DollarTagEnd(std::string_view sql, std::size_t pos) {
  std::size_t i = pos + 1;
  if (i < sql.size() && sql[i] == '$') return i + 1;
  if (i >= sql.size() || !IsLetter(sql[i])) return npos;
  while (i < sql.size() && (IsLetter(sql[i]) || IsDigit(sql[i]))) ++i;
  return i < sql.size() && sql[i] == '$' ? i + 1 : npos;
}

// Skips whitespace and comments (nested /* */ as PostgreSQL allows) from
// `pos`; returns where something else starts.
std::size_t SkipSpaceAndComments(std::string_view sql, std::size_t pos) {
  while (pos < sql.size()) {
    if (IsSpace(sql[pos])) {
      ++pos;
    } else if (sql.substr(pos, 2) == "--") {
      std::size_t end = sql.find('\n', pos);
      pos = end == npos ? sql.size() : end + 1;
    } else if (sql.substr(pos, 2) == "/*") {
      int depth = 1;
      pos += 2;
      while (pos < sql.size() && depth > 0) {
        if (sql.substr(pos, 2) == "/*") {
          ++depth;
          pos += 2;
        } else if (sql.substr(pos, 2) == "*/") {
          --depth;
          pos += 2;
        } else {
          ++pos;
        }
      }
    } else {
      break;
    }
  }
  return pos;
}

// psql's heuristic for BEGIN ... END bodies (psqlscan.l): only in a
// statement starting CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside
// parentheses, BEGIN opens a body, CASE inside one opens another, END
// closes one. Short of parsing SQL, this is what psql users' scripts rely on.
class BodyTracker {
 public:
  void Word(std::string_view word, int paren_depth) {
    if (count_ < initials_.size()) {
      for (std::string_view key : {"create", "function", "procedure", "or", "replace"}) {
        if (EqualsIgnoreCase(word, key)) initials_[count_] = key[0];
      }
    }
    ++count_;
    const bool routine = initials_[0] == 'c' && (initials_[1] == 'f' || initials_[1] == 'p' ||
                                                 (initials_[1] == 'o' && initials_[2] == 'r' &&
                                                  (initials_[3] == 'f' || initials_[3] == 'p')));
    if (!routine || paren_depth != 0) return;
    if (EqualsIgnoreCase(word, "begin")) {
      ++depth_;
    } else if (EqualsIgnoreCase(word, "case")) {
      if (depth_ >= 1) ++depth_;
    } else if (EqualsIgnoreCase(word, "end")) {
      if (depth_ > 0) --depth_;
    }
  }
  int depth() const { return depth_; }

 private:
  std::array<char, 4> initials_{};
  std::size_t count_ = 0;
  int depth_ = 0;
};

}  // namespace

std::vector<StatementSpan> SplitPostgresStatements(std::string_view sql) {
  std::vector<StatementSpan> statements;
  std::size_t start = npos;  // first significant character of the statement
  int parens = 0;
  BodyTracker body;
  auto finish = [&](std::size_t end) {
    if (start != npos) statements.push_back({start, end - start});
    start = npos;
    parens = 0;
    body = BodyTracker();
  };

  std::size_t i = 0;
  while (true) {
    i = SkipSpaceAndComments(sql, i);
    if (i >= sql.size()) break;
    const char c = sql[i];
    if (c == ';' && parens == 0 && body.depth() == 0) {
      finish(i);
      ++i;
      continue;
    }
    if (start == npos) start = i;
    if (c == '\'' || c == '"') {
      i = SkipQuoted(sql, i, c, false);
    } else if (c == '$') {
      std::size_t tag_end = DollarTagEnd(sql, i);
      if (tag_end == npos) {
        ++i;
      } else {
        std::string_view tag = sql.substr(i, tag_end - i);
        std::size_t close = sql.find(tag, tag_end);
        i = close == npos ? sql.size() : close + tag.size();
      }
    } else if (IsLetter(c)) {
      std::size_t end = i;
      while (end < sql.size() && IsIdentifierChar(sql[end])) ++end;
      std::string_view word = sql.substr(i, end - i);
      if ((word == "E" || word == "e") && end < sql.size() && sql[end] == '\'') {
        i = SkipQuoted(sql, end, '\'', true);
      } else {
        body.Word(word, parens);
        i = end;
      }
    } else if (IsDigit(c)) {
      // A number, with any letters glued to it (1e5): never a keyword.
      while (i < sql.size() && (IsIdentifierChar(sql[i]) || sql[i] == '.')) ++i;
    } else {
      if (c == '(') ++parens;
      if (c == ')' && parens > 0) --parens;
      ++i;
    }
  }
  finish(sql.size());
  return statements;
}

}  // namespace retort::driver
